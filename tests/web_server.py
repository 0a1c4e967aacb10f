"""Start the real ``apkscan serve`` (uvicorn) on 127.0.0.1 for a test, talk HTTP to it, always stop it.

Bounded everywhere: the server must answer within START_SECONDS, every wait has a deadline, and the process is
stopped with Ctrl-C (SIGINT, as a person would) and killed if it has not exited STOP_SECONDS later.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 30.0
STOP_SECONDS = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)


class Server:
    """``with Server(tmp_path / "data", "--jobs", "2") as srv: srv.client.get("/")``."""

    def __init__(self, data: Path, *args: str, token: str | None = None) -> None:
        self.data, self.args, self.token = data, args, token
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = data.parent / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=self.base, timeout=30.0, headers=headers, trust_env=False)

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "apkscan", "serve", "--port", str(self.port), "--data", str(self.data)]
        if self.token:
            command += ["--token", self.token]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([*command, *self.args], cwd=ROOT, stdout=log, stderr=log, env=env)
        try:
            wait_for(self._up, START_SECONDS, f"apkscan serve on port {self.port} ({self.log})", every=0.2)
        except BaseException:
            self.stop()
            raise
        return self

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"apkscan serve exited with {self.process.returncode}:\n{self.output()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> int | None:
        self.client.close()
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
            raise AssertionError(f"apkscan serve did not stop within {STOP_SECONDS:g} s:\n{self.output()}") from None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    # -- helpers for the API -----------------------------------------------------------------------------------------

    def upload(self, path: Path, name: str | None = None, policy: Path | None = None, **kw: Any) -> httpx.Response:
        files: dict[str, Any] = {"file": (name or path.name, path.read_bytes(), "application/octet-stream")}
        if policy is not None:
            files["policy"] = (policy.name, policy.read_bytes(), "text/plain")
        return self.client.post("/api/scans", files=files, **kw)

    def finished(self, scan_id: str, timeout: float = 60.0) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            doc: dict[str, Any] = self.client.get(f"/api/scans/{scan_id}").json()
            return doc if doc["status"] in ("done", "failed") else None

        result: dict[str, Any] = wait_for(done, timeout, f"scan {scan_id}", every=0.2)
        return result

    def complaint_done(self, complaint_id: str, timeout: float = 120.0) -> dict[str, Any]:
        def done() -> dict[str, Any] | None:
            doc: dict[str, Any] = self.client.get(f"/api/complaints/{complaint_id}").json()
            return doc if doc["status"] in ("done", "failed") else None

        result: dict[str, Any] = wait_for(done, timeout, f"complaint {complaint_id}", every=0.3)
        return result
