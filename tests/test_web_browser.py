"""``apkscan serve`` used as a borrower uses it, in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver`` through Selenium; nothing is downloaded): open the page, upload an APK, wait for the verdict,
read the report, switch language, fill the complaint form, download the PDF and check it; bad files through the page.
Screenshots at phone (390 px) and desktop widths are saved under the test's tmp folder (the path is printed).

Skipped where Chromium or its driver is missing, except in CI (``CI`` set), where ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import sample
from tests.web_server import Server, wait_for

pytest.importorskip("starlette", reason="needs apkscan[web]")
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium")
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail("CI must have chromium and chromium-driver (.ci/run installs them)", pytrace=False)
    pytest.skip("needs chromium and chromium-driver", allow_module_level=True)

PHONE, DESKTOP = (390, 844), (1280, 900)
WAIT = 90.0


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Any]:
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not go online for a driver or a browser
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}", "--lang=en-US",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=DRIVER))
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


class Shots:
    """Screenshots of whole pages at a given width, kept for a person to look at."""

    def __init__(self, driver: Any, folder: Path) -> None:
        self.driver, self.folder = driver, folder
        folder.mkdir(exist_ok=True)

    def take(self, name: str, size: tuple[int, int]) -> Path:
        width, height = size
        self.driver.set_window_size(width, height)
        full = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(width, min(max(height, full + 140), 6000))
        path = self.folder / f"{name}-{width}.png"
        self.driver.save_screenshot(str(path))
        self.driver.set_window_size(width, height)
        return path


def csp_violations(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


def visible_text(driver: Any, selector: str) -> str:
    return str(wait_for(lambda: _text(driver, selector), WAIT, selector, every=0.3))


def _text(driver: Any, selector: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, selector)
    return found[0].text if found and found[0].text else ""


def test_a_borrower_checks_an_app_reads_the_report_and_downloads_a_complaint(
    browser: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    shots = Shots(browser, tmp_path / "screenshots")
    evidence = tmp_path / "chat screenshot.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with Server(tmp_path / "data", "--jobs", "2") as srv:
        browser.get(srv.base + "/?lang=en")
        assert "Check a loan app" in browser.find_element(By.TAG_NAME, "h1").text
        shots.take("1-upload", PHONE), shots.take("1-upload", DESKTOP)

        browser.set_window_size(*PHONE)
        browser.find_element(By.ID, "file").send_keys(str(sample("contact-raider.apk")))
        browser.find_element(By.ID, "check").click()
        assert "address book" in visible_text(browser, "#verdict .headline")
        verdict = browser.find_element(By.ID, "verdict")
        assert verdict.get_attribute("data-risk") == "critical"
        scan_url = browser.current_url
        shots.take("2-verdict", PHONE), shots.take("2-verdict", DESKTOP)

        browser.find_element(By.ID, "open-report").click()
        assert browser.find_elements(By.CSS_SELECTOR, "article.finding")
        sortable = browser.find_elements(By.CSS_SELECTOR, "table.sortable th[data-sort]")
        if sortable:  # the report's inline sorting script runs under the CSP
            sortable[0].click()
            assert sortable[0].get_attribute("data-dir") == "asc"
        shots.take("3-report", PHONE), shots.take("3-report", DESKTOP)

        browser.get(scan_url)
        browser.find_element(By.LINK_TEXT, "中文").click()
        assert "通讯录" in visible_text(browser, "#verdict .headline"), "the same scan, now in Chinese"
        shots.take("4-verdict-zh", PHONE)
        browser.find_element(By.ID, "open-report").click()
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        browser.get(scan_url + "?lang=en")

        browser.find_element(By.ID, "make-complaint").click()
        browser.find_element(By.CSS_SELECTOR, "input[name=jurisdiction][value=cn]").click()
        browser.find_element(By.ID, "received").send_keys("800")
        browser.find_element(By.ID, "repay").send_keys("1000")
        browser.find_element(By.ID, "days").send_keys("7")
        browser.find_element(By.ID, "evidence").send_keys(str(evidence))
        shots.take("5-complaint-form", PHONE), shots.take("5-complaint-form", DESKTOP)
        browser.find_element(By.ID, "make").click()
        assert "ready" in visible_text(browser, "#done .big")
        shots.take("6-complaint-ready", PHONE)
        browser.find_element(By.ID, "download-pdf").click()
        pdf = wait_for(lambda: _downloaded(browser.downloads, ".pdf"), WAIT, "the PDF download")
        text = "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
        assert len(PdfReader(pdf).pages) >= 2 and "com.example.quickcash" in text
        browser.find_element(By.ID, "download-pack").click()
        assert wait_for(lambda: _downloaded(browser.downloads, ".zip"), WAIT, "the evidence pack download")

        browser.get(srv.base + "/history")
        assert "com.example.quickcash" in browser.find_element(By.ID, "history").text
        shots.take("7-history", PHONE)
        assert csp_violations(browser) == []
    with capsys.disabled():
        print(f"\nbrowser test: {time.monotonic() - started:.1f} s; screenshots in {shots.folder}")


def test_bad_files_through_the_page_give_a_clear_message(browser: Any, tmp_path: Path) -> None:
    shots = Shots(browser, tmp_path / "screenshots")
    not_apk = tmp_path / "notes.apk"
    not_apk.write_text("This is a text file, not an APK.\n" * 10)
    big = tmp_path / "big.apk"
    big.write_bytes(b"PK\x03\x04" + os.urandom(3 << 20))
    with Server(tmp_path / "data", "--max-upload", "1") as srv:
        browser.set_window_size(*PHONE)
        browser.get(srv.base + "/?lang=en")
        browser.find_element(By.ID, "file").send_keys(str(not_apk))
        browser.find_element(By.ID, "check").click()
        assert "not an Android app" in visible_text(browser, "#failure")
        shots.take("bad-not-apk", PHONE)

        kept = sorted((srv.data / "files").iterdir())
        browser.get(srv.base + "/?lang=zh")
        browser.find_element(By.ID, "file").send_keys(str(big))
        browser.find_element(By.ID, "check").click()
        assert "1 MB" in visible_text(browser, "div.alert"), "the 413 page, in the page's language"
        shots.take("bad-too-large", PHONE)
        assert not list((srv.data / "tmp").iterdir()) and sorted((srv.data / "files").iterdir()) == kept

        browser.get(srv.base + "/")
        assert browser.find_element(By.ID, "file"), "the server keeps serving"


def _downloaded(folder: Path, suffix: str) -> Path | None:
    done = [p for p in folder.iterdir() if p.suffix == suffix]
    return done[0] if done and not list(folder.glob("*.crdownload")) else None
