-- apkscan batch database (OUTDIR/apkscan.sqlite, or DATA/apkscan.sqlite of `apkscan serve`), schema version 4 =
-- PRAGMA user_version.
-- One row per fact; documented in README.md, section "Batch database". Columns are only ever added within a
-- version; apkscan.batch.migrate moves older stores on. Child tables of `apps` are deleted with their app
-- (ON DELETE CASCADE) when a file is rescanned.

-- One row per run of `apkscan batch` (and per start of `apkscan serve`: root = its data folder, executor "web …").
CREATE TABLE IF NOT EXISTS scans (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,              -- UTC, ISO 8601
    finished_at     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
    root            TEXT NOT NULL,              -- DIR as given on the command line
    apkscan_version TEXT NOT NULL,
    rules_name      TEXT NOT NULL,
    rules_version   TEXT NOT NULL,
    rules_sha256    TEXT NOT NULL,
    options_key     TEXT NOT NULL,              -- JSON of the scan options that change a report (lang, jurisdictions…)
    formats         TEXT NOT NULL,              -- report formats written, comma-separated
    jobs            INTEGER NOT NULL,
    timeout_s       REAL,
    max_memory_mb   INTEGER,
    resume          INTEGER NOT NULL,           -- 1 = files already scanned were skipped
    executor        TEXT,                       -- back end that ran the scans: local, dask (+ scheduler address)
    files_total     INTEGER,                    -- counts, filled when the run ends
    scanned         INTEGER,
    resumed         INTEGER,
    duplicates      INTEGER,
    skipped         INTEGER,
    failed          INTEGER,
    pending         INTEGER                     -- not reached because the run was interrupted
);

-- Every file seen by a run, exactly once per run.
CREATE TABLE IF NOT EXISTS files (
    scan_id      INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    path         TEXT NOT NULL,                 -- relative to scans.root, POSIX separators
    size         INTEGER,
    mtime_ns     INTEGER,
    sha256       TEXT,                          -- NULL only when the file could not be read
    status       TEXT NOT NULL
                 CHECK (status IN ('pending', 'scanned', 'resumed', 'duplicate', 'skipped', 'error')),
    duplicate_of TEXT,                          -- path (same run) holding the same bytes
    reason       TEXT,                          -- why skipped or failed
    PRIMARY KEY (scan_id, path)
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);

-- One row per distinct scanned file (by SHA-256): the latest report for those bytes.
CREATE TABLE IF NOT EXISTS apps (
    sha256          TEXT PRIMARY KEY,
    scan_id         INTEGER NOT NULL REFERENCES scans(id),
    path            TEXT NOT NULL,              -- path when it was scanned
    file_name       TEXT,
    kind            TEXT,                       -- apk | xapk | apks | apkm
    size            INTEGER,
    sha1            TEXT,
    md5             TEXT,
    package         TEXT,
    label           TEXT,
    label_zh        TEXT,
    version_name    TEXT,
    version_code    TEXT,
    min_sdk         INTEGER,
    target_sdk      INTEGER,
    risk            TEXT,                       -- low | medium | high | critical
    harassment      INTEGER,                    -- 1 = contact-harassment ("爆通讯录") capability
    headline        TEXT,
    permissions     INTEGER,
    prohibited      INTEGER,
    unrelated       INTEGER,
    conditional     INTEGER,
    needed          INTEGER,
    unknown         INTEGER,
    findings        INTEGER,
    policy_contradictions INTEGER,              -- findings whose id starts with policy-contradiction:
    code_sites      INTEGER,                    -- NULL when the report has no code evidence
    read_errors     INTEGER,                    -- parts of the file that could not be read
    apkscan_version TEXT NOT NULL,
    rules_sha256    TEXT NOT NULL,
    options_key     TEXT NOT NULL,
    scanned_at      TEXT NOT NULL,
    seconds         REAL,                       -- time the worker spent on it
    report          TEXT NOT NULL,              -- the whole apkscan.report/1 JSON document
    lending         TEXT,                       -- yes | unsure | no: is it a lending app (NULL: report before v3)
    lending_score   REAL,
    harvest         TEXT,                       -- harvests | enumerates | looks_up | no_contacts_code | unknown
    family_features INTEGER,                    -- own-code features behind the family sketch
    family_sketch   TEXT                        -- MinHash sketch of the app's own code (report's family.sketch)
);
CREATE INDEX IF NOT EXISTS apps_package ON apps(package);

-- Report files written for an app, one row per format (html, json, and whatever renderers are added).
CREATE TABLE IF NOT EXISTS report_files (
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    format     TEXT NOT NULL,                   -- renderer name, e.g. html, json
    file       TEXT NOT NULL,                   -- file name inside OUTDIR
    PRIMARY KEY (app_sha256, format)
);

-- Files that cannot be scanned for a reason that depends only on their bytes (not a zip, no manifest, a zip of
-- documents…), as found by a worker. A later run with the same apkscan version and rule table takes the verdict
-- from here instead of sending the file to a worker again; timeouts, crashes and memory failures are not kept.
CREATE TABLE IF NOT EXISTS input_failures (
    sha256          TEXT PRIMARY KEY,
    status          TEXT NOT NULL CHECK (status IN ('skipped', 'error')),
    reason          TEXT NOT NULL,
    apkscan_version TEXT NOT NULL,
    rules_sha256    TEXT NOT NULL,
    scan_id         INTEGER REFERENCES scans(id) ON DELETE SET NULL,
    recorded_at     TEXT NOT NULL
);

-- Code families of each run: apps whose own code is the same or nearly so, whatever their package, label or key.
-- Grouped once per run, in the parent, over the run's apps; every app has a family (most are alone in theirs).
CREATE TABLE IF NOT EXISTS families (
    scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    family     TEXT NOT NULL,                   -- family-<first 12 hex digits of the smallest member SHA-256>
    PRIMARY KEY (scan_id, app_sha256)
);
CREATE INDEX IF NOT EXISTS families_family ON families(scan_id, family);

-- Worst verdict per data category (the index page's matrix).
CREATE TABLE IF NOT EXISTS categories (
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    verdict    TEXT NOT NULL,
    PRIMARY KEY (app_sha256, category)
);

CREATE TABLE IF NOT EXISTS permissions (
    app_sha256  TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    short_name  TEXT,
    category    TEXT,
    protection  TEXT,
    verdict     TEXT,
    severity    TEXT,
    effective   INTEGER,
    max_sdk     INTEGER,
    tags        TEXT,                           -- comma-separated
    sources     TEXT,                           -- comma-separated part names
    code_status TEXT,
    code_sites  INTEGER,
    PRIMARY KEY (app_sha256, name)
);

CREATE TABLE IF NOT EXISTS findings (
    app_sha256  TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    id          TEXT NOT NULL,                  -- e.g. over-collection:contacts, policy-contradiction:sms
    category    TEXT,
    severity    TEXT,
    title       TEXT,
    permissions TEXT,                           -- comma-separated
    evidence    TEXT,                           -- JSON array of strings
    PRIMARY KEY (app_sha256, id)
);

CREATE TABLE IF NOT EXISTS code_sites (
    app_sha256    TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    category      TEXT,
    api           TEXT,
    kind          TEXT,
    permission    TEXT,
    caller_class  TEXT,
    caller_method TEXT,
    sdk           TEXT,                         -- SDK id when the caller belongs to a known SDK
    dex           TEXT
);
CREATE INDEX IF NOT EXISTS code_sites_app ON code_sites(app_sha256, category);

CREATE TABLE IF NOT EXISTS sdks (
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    sdk_id     TEXT NOT NULL,
    name       TEXT,
    kind       TEXT,
    classes    INTEGER,
    harvests   TEXT,                            -- comma-separated data categories
    PRIMARY KEY (app_sha256, sdk_id)
);

CREATE TABLE IF NOT EXISTS policy_categories (
    app_sha256 TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    category   TEXT NOT NULL,
    status     TEXT,                            -- collects | denies | silent
    detail     TEXT,                            -- the rest of the policy entry, JSON
    PRIMARY KEY (app_sha256, category)
);

CREATE TABLE IF NOT EXISTS signers (
    app_sha256  TEXT NOT NULL REFERENCES apps(sha256) ON DELETE CASCADE,
    cert_sha256 TEXT NOT NULL,
    scheme      TEXT,
    subject     TEXT,
    issuer      TEXT,
    sha1        TEXT,
    serial      TEXT,
    not_before  TEXT,
    not_after   TEXT,
    debug       INTEGER,
    source      TEXT,
    PRIMARY KEY (app_sha256, cert_sha256)
);
CREATE INDEX IF NOT EXISTS signers_cert ON signers(cert_sha256);

-- Failures of whole files (kind input|timeout|crash|memory|internal, app_sha256 NULL) and parts of scanned
-- files that could not be read (kind partial, app_sha256 set).
CREATE TABLE IF NOT EXISTS errors (
    id         INTEGER PRIMARY KEY,
    scan_id    INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    path       TEXT NOT NULL,
    app_sha256 TEXT REFERENCES apps(sha256) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_scan ON errors(scan_id);

-- `apkscan serve` (the web front end), added in version 3. One row per upload: a person's request to scan a file.
-- The file itself is DATA/files/<sha256> (never a name the client chose); the report of this upload is kept here
-- (an upload with a privacy policy gets another report than the same APK without one), and the latest report for
-- the bytes also goes to `apps` as a batch would put it. Expired uploads keep their row and report (the history);
-- their files, evidence and complaints are deleted.
CREATE TABLE IF NOT EXISTS uploads (
    id              TEXT PRIMARY KEY,           -- random, URL-safe: the scan id of the web API
    sha256          TEXT NOT NULL,              -- the uploaded bytes
    size            INTEGER NOT NULL,
    policy_sha256   TEXT,                       -- privacy-policy file uploaded with it (DATA/policies/<sha256>)
    status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    error_kind      TEXT,                       -- input | timeout | crash | memory | internal, when failed
    error           TEXT,                       -- one line, when failed
    apkscan_version TEXT NOT NULL,
    rules_sha256    TEXT NOT NULL,
    options_key     TEXT NOT NULL,              -- as scans.options_key; same key + version + rules = same report
    created_at      TEXT NOT NULL,              -- UTC, ISO 8601
    started_at      TEXT,
    finished_at     TEXT,
    seconds         REAL,                       -- time the worker spent on it
    expires_at      TEXT NOT NULL,              -- files, evidence and complaints are deleted after this
    expired         INTEGER NOT NULL DEFAULT 0, -- 1 = the retention sweep deleted them
    scan_id         INTEGER REFERENCES scans(id) ON DELETE SET NULL,  -- the server run that scanned it
    package         TEXT,                       -- from the report, for the history page and its search
    label           TEXT,
    label_zh        TEXT,
    risk            TEXT,
    report          TEXT                        -- this upload's apkscan.report/1 JSON, when done
);
CREATE INDEX IF NOT EXISTS uploads_sha256 ON uploads(sha256);
CREATE INDEX IF NOT EXISTS uploads_created ON uploads(created_at);

-- A complaint pack made on the web page for an upload (apkscan.api.write_complaint). Its files live in
-- DATA/work/<upload id>/complaint-<id>/ (the borrower's evidence, the PDF, HTML and evidence pack).
CREATE TABLE IF NOT EXISTS complaints (
    id              TEXT PRIMARY KEY,           -- random, URL-safe, never listed: only its maker knows it
    upload_id       TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
    status          TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    lang            TEXT NOT NULL,
    request         TEXT NOT NULL,              -- JSON: jurisdictions, channels, loan figures, evidence count
    files           TEXT,                       -- JSON: {"pdf"|"html"|"pack": file name}
    manifest_sha256 TEXT,                       -- of the evidence pack's manifest.json
    warnings        TEXT,                       -- JSON array of one-line warnings (PDF unavailable…)
    error           TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX IF NOT EXISTS complaints_upload ON complaints(upload_id);
