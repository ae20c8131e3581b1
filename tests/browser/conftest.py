"""Browser tests: a real headless Chromium (Debian's chromium + chromium-driver) via Selenium.

The server is started by the test on 127.0.0.1 (a free port, a thread, its own database).
Chromium never downloads anything: the driver is /usr/bin/chromedriver (no Selenium Manager)
and every background-networking feature is off. Without Chromium the tests skip, loudly.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from datetime import datetime
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NCP_TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NCP_TRACKER_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--disable-extensions", "--disable-default-apps",
         "--no-default-browser-check", "--metrics-recording-only", "--window-size=1280,1000")  # fmt: skip


def _missing() -> str | None:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        return (f"BROWSER TESTS SKIPPED: {CHROMIUM} / {CHROMEDRIVER} missing — run `make browser-deps` "
                "(as root: apt-get install -y chromium chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "BROWSER TESTS SKIPPED: the selenium package is missing (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def chromium_or_skip():
    reason = _missing()
    if reason:
        import warnings

        warnings.warn(reason, stacklevel=1)
        pytest.skip(reason)


@pytest.fixture
def server(tmp_path, chromium_or_skip):
    """The workbench on 127.0.0.1:<free port>, over a seeded database; yields (base_url, db_path)."""
    from werkzeug.serving import make_server

    from crawlers.dates import OSLO
    from tests.browser.seed import seed
    from tracker.store.db import open_db
    from tracker.web.app import create_app

    db_path = tmp_path / "browser.db"
    db = open_db(db_path)
    seed(db)
    db.close()
    app = create_app(str(db_path), as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO), data_dir=tmp_path / "data")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", db_path
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def browser(tmp_path, chromium_or_skip):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    profile = tmp_path / "chromium-profile"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })  # fmt: skip
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
