"""``apkscan serve`` with other settings, each on a real server: the access token, retention, a scan past its
timeout, jobs a stopped server left behind, and the command without the web extra."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from apkscan.web.config import access_token, is_loopback
from tests.conftest import sample
from tests.web_server import ROOT, Server, wait_for

pytest.importorskip("starlette", reason="needs apkscan[web]")

TOKEN = "correct-horse-battery-staple-42"


def test_only_loopback_goes_without_a_token() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.3.2.1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("::")
    assert access_token("127.0.0.1", None) == (None, False)
    token, generated = access_token("0.0.0.0", None)
    assert generated and token and len(token) >= 24
    assert access_token("0.0.0.0", TOKEN) == (TOKEN, False)


def test_with_a_token_every_request_must_carry_it(tmp_path: Path) -> None:
    with Server(tmp_path / "data", token=TOKEN) as srv:
        assert srv.client.get("/api/scans").status_code == 200, "Authorization: Bearer"
        bare = {"authorization": ""}
        assert srv.client.get("/api/scans", headers=bare).status_code == 401
        assert srv.client.get("/", headers=bare).status_code == 401
        assert srv.client.get("/", headers={"authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
        assert srv.upload(sample("fair-lender.apk"), headers=bare).status_code == 401
        landing = srv.client.get("/history?token=" + TOKEN + "&q=x", headers=bare, follow_redirects=False)
        assert landing.status_code == 303 and landing.headers["location"] == "/history?q=x", "token out of the URL"
        cookie = landing.cookies["apkscan_token"]
        assert (
            "httponly" in landing.headers["set-cookie"].lower()
            and "samesite=strict" in landing.headers["set-cookie"].lower()
        )
        assert srv.client.get("/history", headers={**bare, "cookie": f"apkscan_token={cookie}"}).status_code == 200
        assert srv.client.get(
            "/", headers={**bare, "host": "any.example", "cookie": f"apkscan_token={cookie}"}
        ).is_success
    assert "Ctrl-C" in srv.output()


def test_retention_deletes_files_and_keeps_the_history(tmp_path: Path) -> None:
    """A retention of 3 seconds (the sweep then runs every second): the app file, the evidence and the complaint
    go; the upload's row and report stay for the history."""
    with Server(tmp_path / "data", "--retention", str(3 / 86400)) as srv:
        done = srv.finished(srv.upload(sample("contact-raider.apk")).json()["id"])
        made = srv.client.post(
            f"/api/scans/{done['id']}/complaints", data={"lang": "zh"}, files=[("evidence", ("a.png", b"x"))]
        )
        complaint = made.json()["id"]
        app_file = srv.data / "files" / done["sha256"]
        wait_for(lambda: srv.client.get(f"/api/scans/{done['id']}").json()["files_deleted"], 30, "the sweep")
        assert not app_file.exists() and not (srv.data / "work" / done["id"]).exists()
        assert srv.client.get(f"/api/complaints/{complaint}").status_code == 404
        kept = srv.client.get(f"/api/scans/{done['id']}").json()
        assert kept["status"] == "done" and kept["report"]["input"]["sha256"] == done["sha256"]
        assert done["id"] in srv.client.get("/history").text


def test_a_scan_past_its_timeout_is_that_uploads_failure_only(tmp_path: Path) -> None:
    with Server(tmp_path / "data", "--timeout", "0.001", "--jobs", "1") as srv:
        first = srv.finished(srv.upload(sample("contact-raider.apk")).json()["id"])
        assert first["status"] == "failed" and first["error"]["kind"] == "timeout"
        page = srv.client.get(first["links"]["page"])
        assert page.status_code == 200 and "took too long" in page.text
        second = srv.finished(srv.upload(sample("fair-lender.apk")).json()["id"])
        assert second["error"]["kind"] == "timeout", "a fresh worker took the next job"
        assert srv.client.get("/").status_code == 200
        with sqlite3.connect(srv.data / "apkscan.sqlite") as conn:
            kinds = {r[0] for r in conn.execute("SELECT kind FROM errors")}
        conn.close()
        assert kinds == {"timeout"}


def test_jobs_a_stopped_server_left_are_finished_at_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Server(data) as srv:
        done = srv.finished(srv.upload(sample("fair-lender.apk")).json()["id"])
    with sqlite3.connect(data / "apkscan.sqlite") as conn:  # as if the server died mid-scan
        conn.execute("UPDATE uploads SET status = 'running', report = NULL, finished_at = NULL WHERE id = ?",
                     (done["id"],))  # fmt: skip
    conn.close()
    with Server(data) as srv:
        again = srv.finished(done["id"])
        assert again["status"] == "done" and again["report"]["input"]["sha256"] == done["sha256"]
        with sqlite3.connect(data / "apkscan.sqlite") as conn:
            runs = conn.execute("SELECT status, executor FROM scans ORDER BY id").fetchall()
        conn.close()
        assert runs[0][0] == "complete" and all(r[1].startswith("web ") for r in runs)


def test_serve_without_the_web_extra_says_what_to_install(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    (missing / "starlette").mkdir(parents=True)
    (missing / "starlette" / "__init__.py").write_text("raise ImportError('not installed here')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(missing), str(ROOT)])}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "apkscan", "serve", "--data", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1 and time.monotonic() - started < 30
    assert result.stderr.strip() == "apkscan: error: apkscan serve needs the web extra: pip install 'apkscan[web]'"
    assert not (tmp_path / "d").exists()
