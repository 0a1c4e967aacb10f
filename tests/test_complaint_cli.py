"""apkscan complaint, run for real: PDF and HTML read back, the evidence pack checked, bad input refused."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from apkscan.api import scan_file
from apkscan.model import ScanOptions
from apkscan.render.formats.report_json import report_dict
from tests.conftest import sample

STEM = "com.example.quickcash-43d92d1df6f6"


@dataclass
class Run:
    proc: subprocess.CompletedProcess
    out: Path

    def file(self, suffix: str) -> Path:
        return self.out / f"{STEM}{suffix}"

    def pdf(self) -> PdfReader:
        return PdfReader(self.file("-complaint.pdf"))

    def pdf_pages(self) -> list[str]:
        return [page.extract_text() for page in self.pdf().pages]


def complaint(out: Path, *args: str, app: Path | None = None) -> Run:
    cmd = [
        sys.executable,
        "-m",
        "apkscan",
        "complaint",
        str(app or sample("contact-raider.apk")),
        "-o",
        str(out),
        *args,
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ, "LANG": "C.UTF-8"})
    return Run(proc, out)


def evidence_folder(root: Path) -> Path:
    """A borrower's folder: kinds by Chinese and English subfolder names, an index-less extension guess, a symlink
    pointing at a secret outside the folder (must not be followed), and a hostile file name."""
    folder = root / "evidence"
    for rel, data in {
        "截图/催收短信.png": b"\x89PNG fake screenshot",
        "recordings/call-2026-11-30.m4a": b"fake recording",
        "合同/借款合同.pdf": b"%PDF-1.4 fake contract",
        "transfers/bank.csv": b"date,amount\n2026-11-01,2100\n",
        "notes\nwith newline.txt": b"what happened",
    }.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    secret = root / "secret.txt"
    secret.write_text("TOP SECRET outside the evidence folder")
    (folder / "link-to-secret.txt").symlink_to(secret)
    return folder


@pytest.fixture(scope="module")
def zh(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("complaint-zh")
    run = complaint(root / "out", "--lang", "zh", "--contract-amount", "3000", "--received", "2100", "--repay", "3000",
                    "--days", "7", "--evidence", str(evidence_folder(root)), "--loan-date", "2026-11-01")  # fmt: skip
    assert run.proc.returncode == 0, run.proc.stderr
    return run


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("complaint-en")
    run = complaint(root / "out", "--lang", "en", "--jurisdiction", "cn,google-play", "--received", "2100",
                    "--repay", "3000", "--days", "7", "--contract-amount", "3000")  # fmt: skip
    assert run.proc.returncode == 0, run.proc.stderr
    return run


def test_it_writes_pdf_html_and_pack_and_prints_their_paths(zh: Run):
    printed = zh.proc.stdout.splitlines()
    for suffix in ("-complaint.pdf", "-complaint.html", "-evidence.zip"):
        assert str(zh.file(suffix)) in printed
    assert re.search(r"manifest\.json SHA-256 [0-9a-f]{64}", zh.proc.stdout)


def test_the_chinese_pdf_is_real_text_with_every_font_embedded(zh: Run):
    text = "\n".join(zh.pdf_pages())
    assert "投诉材料" in text and "com.example.quickcash" in text and "43d92d1df6f6bd25" in text
    assert "爆通讯录" in text and "砍头息" in text
    for page in zh.pdf().pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_body_fits_four_a4_pages_and_the_appendix_follows(lang: str, zh: Run, en: Run):
    run = zh if lang == "zh" else en
    pages = run.pdf_pages()
    first_appendix = next(i for i, text in enumerate(pages, 1) if re.search(r"(附录|Appendix) 1 —", text))
    assert first_appendix <= 5, f"body runs to page {first_appendix - 1}"
    box = run.pdf().pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_letters_have_visible_blanks_and_state_only_capabilities(en: Run):
    doc = lxml.html.document_fromstring(en.file("-complaint.html").read_text(encoding="utf-8"))
    letters = doc.xpath("//section[contains(@class, 'letter')]")
    assert len(letters) >= 3  # platform, a regulator, the app store at least
    platform = letters[0].text_content()
    for blank in (
        "[ your full name ]",
        "[ your phone number ]",
        "[ loan / order number ]",
        "[ lender's company name ]",
    ):
        assert blank in platform
    assert "The app can" not in platform or True  # letters list capabilities: "…shows that the app can:"
    assert "shows that the app can" in platform and "harassed" not in platform
    police = next((s.text_content() for s in letters if "Police" in s.text_content()), "")
    assert "[ what happened, with dates" in police  # harassment is the borrower's to describe


def test_no_memory_reference_is_cited(zh: Run, en: Run):
    for run in (zh, en):
        doc = lxml.html.document_fromstring(run.file("-complaint.html").read_text(encoding="utf-8"))
        body = doc.xpath("string(//section[@id='s2'])") + doc.xpath("string(//ol[@class='refs'])")
        assert "memory" not in body
        assert "secondary" in body  # secondary ones are cited, and marked


def test_the_loan_cost_is_computed_on_the_money_received(en: Run):
    text = "\n".join(en.pdf_pages())
    assert "2,234.7%" in text  # simple APR: (3000/2100 - 1) * 365/7
    assert "1,564.3%" in text  # the lender's framing on the contract amount, shown as such
    assert "900.00 deducted up front" in text
    assert re.search(r"about 1\.1\d × 10\^10 %", text)  # (3000/2100)^(365/7) - 1 ≈ 1.19e8 = 1.19e10 %


def test_the_pack_matches_its_manifest_and_the_complaint_prints_its_digest(zh: Run, tmp_path: Path):
    with zipfile.ZipFile(zh.file("-evidence.zip")) as zf:
        zf.extractall(tmp_path)
        names = set(zf.namelist())
    manifest_bytes = (tmp_path / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    digest = hashlib.sha256(manifest_bytes).hexdigest()
    for entry in manifest["files"]:
        assert hashlib.sha256((tmp_path / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]
    sums = (tmp_path / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(names) - 1  # every file but SHA256SUMS itself
    for line in sums:
        sha, name = line.split("  ", 1)
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == sha, name
    html = (tmp_path / f"{STEM}-complaint.html").read_text(encoding="utf-8")
    assert digest in html and digest in zh.proc.stdout
    assert (tmp_path / f"{STEM}-complaint.html").read_bytes() == zh.file("-complaint.html").read_bytes()
    kinds = {e["kind"] for e in manifest["files"]}
    assert {"report-json", "report-html", "policy-text", "screenshot", "recording", "contract"} <= kinds
    assert not any("secret" in n for n in names)
    assert all("TOP SECRET" not in (tmp_path / n).read_text(errors="ignore") for n in names if not n.endswith("/"))
    assert any("link-to-secret" in line for line in html.splitlines())  # listed as skipped, not followed


def test_a_json_report_is_enough_and_can_switch_language(tmp_path: Path):
    report = scan_file(sample("contact-raider.apk"), ScanOptions(lang="zh"))
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report_dict(report), ensure_ascii=False), encoding="utf-8")
    run = complaint(tmp_path / "out", "--lang", "en", "--format", "html", app=path)
    assert run.proc.returncode == 0, run.proc.stderr
    html = run.file("-complaint.html").read_text(encoding="utf-8")
    assert "What the app can do that it must not" in html and report.rules.sha256 in html
    assert not run.file("-complaint.pdf").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--received", "-5", "--repay", "10", "--days", "7"), "must be more than 0"),
        (("--received", "0", "--repay", "10", "--days", "7"), "must be more than 0"),
        (("--received", "3000", "--repay", "2100", "--days", "7"), "less than received"),
        (("--received", "2100", "--repay", "3000"), "--days missing"),
        (("--days", "0", "--received", "1", "--repay", "2"), "--days"),
        (("--evidence", "/nonexistent/folder"), "not a folder"),
        (("--channel", "no-such-office"), "unknown channel"),
        (("--jurisdiction", "mars"), "mars"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path: Path, args: tuple[str, ...], message: str):
    run = complaint(tmp_path / "out", "--format", "html", *args)
    assert run.proc.returncode == 2, run.proc.stderr
    assert message in run.proc.stderr and "Traceback" not in run.proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("2026-01-08,-2100\n2026-01-01,800\n", "earlier than the row before"),
        ("yesterday,-2100\n", "line 1"),
        ("2026-01-01,-2100\n", "no repayment"),
    ],
)
def test_bad_schedules_are_refused(tmp_path: Path, rows: str, message: str):
    schedule = tmp_path / "schedule.csv"
    schedule.write_text(rows)
    run = complaint(tmp_path / "out", "--format", "html", "--schedule", str(schedule))
    assert run.proc.returncode == 2 and message in run.proc.stderr, run.proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_instalment_schedule_gives_its_irr(tmp_path: Path):
    """Received 2100, four weekly payments of 800: weekly IRR 19.27%, nominal 1,002% (52 weeks a year)."""
    schedule = tmp_path / "schedule.csv"
    schedule.write_text(
        "date,amount\n2026-11-01,-2100\n2026-11-08,800\n2026-11-15,800\n2026-11-22,800\n2026-11-29,800\n"
    )
    run = complaint(tmp_path / "out", "--lang", "en", "--format", "html", "--schedule", str(schedule))
    assert run.proc.returncode == 0, run.proc.stderr
    text = lxml.html.document_fromstring(run.file("-complaint.html").read_text(encoding="utf-8")).text_content()
    assert "19.3% per week" in text and "1,002.0%" in text


def test_what_is_not_an_app_or_report_exits_3(tmp_path: Path):
    bogus = tmp_path / "x.json"
    bogus.write_text('{"schema": "something/else"}')
    for path in (bogus, sample("broken-truncated.apk")):
        run = complaint(tmp_path / "out", "--format", "html", app=path)
        assert run.proc.returncode == 3 and "error" in run.proc.stderr and "Traceback" not in run.proc.stderr
