"""``apkscan serve`` started for real on 127.0.0.1 and used over HTTP as a program uses it: the JSON API, the
reports in both languages, deletion, and bad input that must give a clear answer while the server keeps serving."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from apkscan.read.report_json import report_from_json
from tests.conftest import sample
from tests.web_server import Server

pytest.importorskip("starlette", reason="needs apkscan[web]")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    with Server(base / "data", "--jobs", "2", "--max-upload", "2") as srv:
        yield srv


def data_files(srv: Server) -> set[str]:
    return {p.relative_to(srv.data).as_posix() for p in srv.data.rglob("*") if p.is_file()}


def test_upload_scan_report_in_both_languages_and_the_same_file_again(server: Server) -> None:
    answer = server.upload(sample("contact-raider.apk"), name="张三的 app (1).apk")
    assert answer.status_code == 202, answer.text
    first = answer.json()
    assert answer.headers["location"] == f"/api/scans/{first['id']}" == first["links"]["self"]
    done = server.finished(first["id"])
    assert done["status"] == "done" and done["error"] is None
    report = done["report"]
    assert report["schema"] == "apkscan.report/1" and report["summary"]["risk"] == "critical"
    assert report["input"]["sha256"] == done["sha256"] and report["input"]["name"].endswith(".apk")
    text = json.dumps(report, ensure_ascii=False)
    assert str(server.data) not in text and "张三" not in text, "no server path and no client file name in a report"
    assert report_from_json(server.client.get(f"/api/scans/{first['id']}/report").content, "api").app is not None
    assert report["policy"]["urls"] and not any(s["source"].startswith("http") for s in report["policy"]["sources"]), (
        "the app names a policy URL; without --fetch-policy the server does not fetch it"
    )

    pages = {lang: server.client.get(f"/scans/{first['id']}/report", params={"lang": lang}) for lang in ("en", "zh")}
    for lang, page in pages.items():
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        doc = lxml.html.document_fromstring(page.text)
        assert doc.get("lang") == ("zh-CN" if lang == "zh" else "en")
    assert "address book" in pages["en"].text and "通讯录" in pages["zh"].text, "one scan, rendered in each language"

    again = server.upload(sample("contact-raider.apk"))
    assert again.status_code == 200, "same bytes, apkscan, rules and options: answered at once"
    assert again.json()["id"] != first["id"] and again.json()["report"]["input"]["sha256"] == done["sha256"]
    listed = server.client.get("/api/scans", params={"q": "quickcash"}).json()["scans"]
    assert {first["id"], again.json()["id"]} <= {s["id"] for s in listed}


@pytest.mark.parametrize(("name", "kind"), [("quickcash-bundle.xapk", "xapk"), ("quickcash-bundle.apks", "apks")])
def test_split_bundles_are_scanned_whatever_their_name(server: Server, name: str, kind: str) -> None:
    done = server.finished(server.upload(sample(name), name="download.bin").json()["id"])
    assert done["status"] == "done" and done["report"]["input"]["kind"] == kind
    assert done["report"]["input"]["members"], "the splits are listed"


def test_a_policy_uploaded_with_the_app_is_analysed_and_named_neutrally(server: Server, tmp_path: Path) -> None:
    policy = tmp_path / "my policy.txt"
    policy.write_text("We will never collect your contacts or your SMS messages.\n", encoding="utf-8")
    done = server.finished(server.upload(sample("contact-raider.apk"), policy=policy).json()["id"])
    report = done["report"]
    assert "privacy-policy" in [s["source"] for s in report["policy"]["sources"]]
    assert any(f["id"].startswith("policy-contradiction:") for f in report["findings"])
    assert "my policy" not in json.dumps(report) and str(server.data) not in json.dumps(report)


@pytest.mark.parametrize(
    ("key", "expected"),
    [("not a zip", "not a zip"), ("raw DEX", "DEX"), ("truncated", "truncated"), ("empty zip", "")],
)
def test_bad_files_fail_with_a_clear_message_and_the_server_keeps_serving(
    server: Server, bad_inputs: dict[str, Path], key: str, expected: str
) -> None:
    done = server.finished(server.upload(bad_inputs[key]).json()["id"])
    assert done["status"] == "failed" and done["error"]["kind"] == "input"
    assert expected.lower() in done["error"]["message"].lower() and "\n" not in done["error"]["message"]
    page = server.client.get(done["links"]["page"])
    assert page.status_code == 200 and "Traceback" not in page.text
    assert lxml.html.document_fromstring(page.text).get_element_by_id("failure").get("data-kind") == "input"
    assert server.client.get("/").status_code == 200


def test_zip_bombs_cost_only_their_own_upload(server: Server, tmp_path: Path) -> None:
    """A manifest that inflates to 40 MB, and a DEX that inflates to 300 MB, each a few hundred KB uploaded."""
    raider = sample("contact-raider.apk")
    bombs = {}
    with zipfile.ZipFile(raider) as original:
        manifest = original.read("AndroidManifest.xml")
    for name, members in {
        "manifest": {"AndroidManifest.xml": b"\0" * (40 << 20)},
        "dex": {"AndroidManifest.xml": manifest, "classes.dex": b"dex\n035\0" + b"\0" * (300 << 20)},
    }.items():
        path = tmp_path / f"{name}-bomb.apk"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for member, data in members.items():
                zf.writestr(member, data)
        assert path.stat().st_size < 2 << 20
        bombs[name] = server.finished(server.upload(path).json()["id"])
    assert bombs["manifest"]["status"] == "failed" and "limit" in bombs["manifest"]["error"]["message"]
    dex = bombs["dex"]
    assert dex["status"] == "done" and any("classes.dex" in e for e in dex["report"]["errors"]), "a partial report"
    assert server.client.get("/").status_code == 200


def test_a_hostile_label_is_text_everywhere(server: Server) -> None:
    done = server.finished(server.upload(sample("legacy-caps.apk")).json()["id"])
    assert done["report"]["app"]["label"].startswith("<script>")
    for url in (done["links"]["page"], done["links"]["report_html"], "/history"):
        page = server.client.get(url)
        doc = lxml.html.document_fromstring(page.text)
        assert all("alert" not in (s.text or "") for s in doc.xpath("//script")), url
        assert "<script>alert('x')</script>" not in page.text and "&lt;script&gt;" in page.text, url


def test_oversized_uploads_are_refused_while_streaming_and_nothing_is_kept(server: Server) -> None:
    before = data_files(server)
    big = b"PK\x03\x04" + b"\0" * (3 << 20)  # over the 2 MB cap of this server
    answer = server.client.post("/api/scans", files={"file": ("big.apk", big)})
    assert answer.status_code == 413 and "too large" in answer.json()["error"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap must hold on the stream itself
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.apk"\r\n\r\n'
        for _ in range(40):
            yield b"\0" * (128 << 10)
        yield b"\r\n--b--\r\n"

    streamed = server.client.post(
        "/api/scans", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert streamed.status_code == 413
    assert data_files(server) - before <= {"apkscan.sqlite-wal", "apkscan.sqlite-shm"}
    assert not list((server.data / "tmp").iterdir())
    page = server.client.post("/scans", files={"file": ("big.apk", big)}, headers={"origin": server.base})
    assert page.status_code in (403, 413), "the page refuses it too (no CSRF token here: 403 before 413)"


def test_malformed_requests_get_one_line_answers(server: Server) -> None:
    assert server.client.post("/api/scans", files={"policy": ("p.txt", b"x")}).status_code == 400
    assert server.client.post("/api/scans", content=b"hello", headers={"content-type": "text/plain"}).status_code == 415
    broken = server.client.post(
        "/api/scans", content=b"--b\r\nnonsense", headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert broken.status_code == 400 and set(broken.json()) == {"error"}
    many = "&".join(f"f{n}=x" for n in range(500))
    crowded = server.client.post(
        "/api/scans", content=many, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert crowded.status_code == 400
    assert server.client.get("/api/scans/nope").status_code == 404
    assert server.client.get("/scans/../../etc/passwd").status_code == 404
    odd = server.client.get("//evil.example/x")
    assert odd.status_code == 404 and 'href="//' not in odd.text, "links on an error page stay on this server"
    assert server.client.get("/complaints/nope/complaint.pdf").status_code == 404
    assert server.client.get("/").status_code == 200


def test_client_file_names_never_reach_the_filesystem(server: Server) -> None:
    done = server.finished(server.upload(sample("fair-lender.apk"), name="../../../evil.apk").json()["id"])
    assert done["status"] == "done"
    names = data_files(server)
    assert f"files/{done['sha256']}" in names
    assert not any("evil" in n for n in names)
    assert not (server.data.parent / "evil.apk").exists()


def test_delete_removes_the_upload_its_reports_complaints_and_evidence(server: Server) -> None:
    done = server.finished(server.upload(sample("packed-jiagu.apk")).json()["id"])
    ident, sha = done["id"], done["sha256"]
    made = server.client.post(
        f"/api/scans/{ident}/complaints",
        data={"lang": "en", "received": "800", "repay": "1000", "days": "7"},
        files=[("evidence", ("chat.png", b"\x89PNG fake", "image/png"))],
    )
    assert made.status_code == 202, made.text
    assert server.complaint_done(made.json()["id"])["status"] == "done"
    assert (server.data / "work" / ident).is_dir() and (server.data / "files" / sha).is_file()

    assert server.client.delete(f"/api/scans/{ident}").status_code == 204
    assert server.client.get(f"/api/scans/{ident}").status_code == 404
    assert server.client.get(f"/api/complaints/{made.json()['id']}").status_code == 404
    assert not (server.data / "work" / ident).exists() and not (server.data / "files" / sha).exists()
    with sqlite3.connect(server.data / "apkscan.sqlite") as conn:
        for table, column in (("uploads", "sha256"), ("apps", "sha256"), ("findings", "app_sha256")):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (sha,)).fetchone()[0] == 0
    conn.close()
    assert server.client.delete(f"/api/scans/{ident}").status_code == 404


def test_security_headers_and_csp_allow_exactly_the_inline_code_of_the_pages(server: Server) -> None:
    from apkscan.web.csp import inline_blocks, source_hash

    done = server.finished(server.upload(sample("contact-raider.apk")).json()["id"])
    made = server.client.post(f"/api/scans/{done['id']}/complaints", data={"lang": "zh"}).json()
    complaint = server.complaint_done(made["id"])
    assert complaint["status"] == "done", complaint
    urls = ["/", "/history", done["links"]["page"], done["links"]["report_html"] + "?lang=zh", "/openapi.json",
            f"/scans/{done['id']}/complaint", complaint["links"]["page"], complaint["links"]["html"]]  # fmt: skip
    for url in urls:
        answer = server.client.get(url)
        policy = answer.headers["content-security-policy"]
        assert "unsafe-inline" not in policy and "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert answer.headers["x-content-type-options"] == "nosniff" and answer.headers["cache-control"] == "no-store"
        for tag, content in inline_blocks(answer.text):
            assert source_hash(content) in policy, f"{url}: an inline {tag} the policy would block"
    assert server.client.get("/openapi.json").json()["paths"]["/api/scans"]["post"]


def test_writes_from_other_sites_and_unknown_hosts_are_refused(server: Server) -> None:
    evil = {"origin": "http://evil.example"}
    assert server.upload(sample("fair-lender.apk"), headers=evil).status_code == 403
    assert server.client.post("/api/scans", headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert server.client.get("/", headers={"host": "rebind.example:80"}).status_code == 421
    form = server.client.post("/scans", files={"file": ("a.apk", b"PK")}, headers={"origin": server.base})
    assert form.status_code == 403, "a page form without the CSRF token"
    assert not list((server.data / "tmp").iterdir())


def test_openapi_describes_every_route(server: Server) -> None:
    paths = server.client.get("/openapi.json").json()["paths"]
    assert set(paths) == {
        "/api/scans",
        "/api/scans/{id}",
        "/api/scans/{id}/report",
        "/api/scans/{id}/complaints",
        "/api/complaints/{cid}",
    }


def test_distinct_uploads_at_once_each_get_their_own_result(server: Server, tmp_path: Path) -> None:
    """A small, real version of tests/bench/bench_web_load.py: 6 distinct APKs at once, polled to the end."""
    from concurrent.futures import ThreadPoolExecutor

    apks = []
    for n in range(6):
        path = tmp_path / f"variant-{n}.apk"
        path.write_bytes(with_comment(sample("contact-raider.apk").read_bytes(), f"variant {n}".encode()))
        apks.append(path)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(server.upload, apks))
    assert all(a.status_code == 202 for a in answers)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda a: server.finished(a.json()["id"]), answers))
    import hashlib

    for path, result in zip(apks, results, strict=True):
        assert result["status"] == "done"
        assert result["report"]["input"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def with_comment(apk: bytes, comment: bytes) -> bytes:
    """The same APK with another zip comment: other bytes (another SHA-256), same app."""
    end = apk.rfind(b"PK\x05\x06")
    assert end >= 0 and len(comment) < 0xFFFF
    return apk[: end + 20] + len(comment).to_bytes(2, "little") + comment


def test_with_comment_keeps_a_readable_zip(tmp_path: Path) -> None:
    path = tmp_path / "v.apk"
    path.write_bytes(with_comment(sample("contact-raider.apk").read_bytes(), b"x"))
    with zipfile.ZipFile(path) as zf:
        assert zf.comment == b"x" and "AndroidManifest.xml" in zf.namelist()
