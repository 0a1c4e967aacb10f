"""One batch run as read back from the database: the plain data that index.html, summary.csv and results.jsonl show.

Defined here, below both the batch engine (which builds it) and the renderers (which show it), so neither needs the
other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apkscan.model.text import Message
from apkscan.model.vocab import HARM_ORDER

#: Categories with a column of their own in summary.csv and a figure in index.html (a stable set: CSV columns).
HEADLINE_CATEGORIES = HARM_ORDER[:6]
FILE_STATUSES = ("scanned", "resumed", "duplicate", "skipped", "error", "pending")
MIN_STEM_LABELS = 2
#: Report formats in the order a row links them (a format not listed here is linked after these, by name).
REPORT_LINK_ORDER = ("html", "pdf", "md", "json", "sarif")


@dataclass(frozen=True)
class Signer:
    sha256: str
    subject: str
    debug: bool


@dataclass(frozen=True)
class AppRow:
    """One app of the batch, as a table row."""

    sha256: str
    path: str
    status: str  # scanned (this run) | resumed (an earlier run's report)
    package: str
    label: str
    label_zh: str
    version_name: str
    version_code: str
    kind: str
    risk: str
    harassment: bool
    permissions: int
    prohibited: int
    unrelated: int
    conditional: int
    findings: int
    contradictions: int
    code_sites: int | None
    read_errors: int
    scanned_at: str
    reports: dict[str, str] = field(default_factory=dict)  # format -> report file name, relative to the batch folder
    categories: dict[str, str] = field(default_factory=dict)  # category -> worst verdict
    reads: dict[str, int] = field(default_factory=dict)  # category -> call sites found in the code
    signers: tuple[Signer, ...] = ()
    lending: str = ""  # yes | unsure | no | "" (a report written before the lending decision existed)
    lending_score: float | None = None
    harvest: str = ""  # what the code does with contacts (model.vocab.HARASSMENT_READINGS)
    family: str = ""  # code family id of this run

    @property
    def html_report(self) -> str | None:
        return self.reports.get("html")

    @property
    def json_report(self) -> str | None:
        return self.reports.get("json")

    @property
    def report_links(self) -> tuple[tuple[str, str], ...]:
        """(format, file) of every report written for this app, in :data:`REPORT_LINK_ORDER`."""
        rank = {fmt: i for i, fmt in enumerate(REPORT_LINK_ORDER)}
        return tuple(sorted(self.reports.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))

    def name(self, lang: str) -> str:
        return (self.label_zh if lang == "zh" and self.label_zh else self.label) or self.package or self.path


@dataclass(frozen=True)
class FileRow:
    path: str
    status: str
    sha256: str | None
    duplicate_of: str | None
    reason: str | None
    kind: str = ""  # error kind (input, timeout, crash, memory, internal) for failed files


@dataclass(frozen=True)
class Figure:
    """A headline number: apps that request a data category, and apps whose code reads it."""

    category: str
    requests: int
    reads: int | None  # None when no app in the batch has code evidence


@dataclass(frozen=True)
class Group:
    """Apps that look like one operator's: same signing certificate, or same package-name stem."""

    kind: str  # signer | stem
    key: str
    title: str
    debug: bool
    apps: tuple[AppRow, ...]


@dataclass(frozen=True)
class Family:
    """Apps of the run whose own code is the same or nearly so (a re-skin family when the keys differ)."""

    id: str
    apps: tuple[AppRow, ...]
    signers: tuple[str, ...]  # distinct signing certificates (SHA-256) over the members

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.package for a in self.apps))


@dataclass(frozen=True)
class VersionChange:
    """Two versions of one package in the batch, older first, and what the newer one changed."""

    package: str
    old: AppRow
    new: AppRow
    headline: Message
    signer: str  # same | rotated | new_key | unknown
    permissions_added: tuple[str, ...] = ()
    categories_read_added: tuple[str, ...] = ()
    findings_added: int = 0
    findings_resolved: int = 0


@dataclass(frozen=True)
class BatchView:
    scan: dict
    apps: tuple[AppRow, ...]
    files: tuple[FileRow, ...]
    counts: dict[str, int]
    figures: tuple[Figure, ...]
    harassment: int
    contradictions: int
    code_apps: int
    groups: tuple[Group, ...]
    lenders: int = 0  # apps judged lending apps (decision yes)
    lending_known: int = 0  # apps whose report says whether they lend (figures count over lenders when > 0)
    families: tuple[Family, ...] = ()  # families with two or more members
    changes: tuple[VersionChange, ...] = ()

    @property
    def failed(self) -> tuple[FileRow, ...]:
        return tuple(f for f in self.files if f.status == "error")

    @property
    def not_scanned(self) -> tuple[FileRow, ...]:
        return tuple(f for f in self.files if f.status in ("duplicate", "skipped", "pending"))
