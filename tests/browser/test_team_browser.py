"""In a real headless Chromium, with accounts: login → inbox → item → triage → draft → download →
search → export, and the inbox and item pages at phone width (400 px) without sideways scrolling."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest

from tests.browser.downloads import wait_for_file
from tests.browser.navigation import click_and_wait, submit_and_wait
from tests.browser.seed import HEARING

pytestmark = pytest.mark.browser


@pytest.fixture
def team_server(tmp_path, chromium_or_skip):
    from web_support import make_accounts, running, seeded_db

    from crawlers.dates import OSLO
    from tracker.web.app import create_app

    db_path = tmp_path / "team-browser.db"
    db = seeded_db(db_path)
    make_accounts(db, [("Kari", "adviser")])
    db.close()
    app = create_app(str(db_path), as_of=datetime(2026, 11, 24, 6, tzinfo=OSLO), data_dir=tmp_path / "data")
    with running(app) as base:
        yield base, db_path


def test_login_triage_draft_search_export(team_server, browser):
    from docx import Document
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, db_path = team_server
    browser.get(base + "/item/" + HEARING)  # asks for a login, then comes back here
    assert "/login" in browser.current_url
    browser.find_element(By.ID, "login-name").send_keys("kari")
    browser.find_element(By.ID, "login-password").send_keys("feil-passord-00")
    click_and_wait(browser, "login-submit", "login-error")
    assert browser.find_element(By.ID, "login-error").text == "Feil brukernavn eller passord."
    browser.find_element(By.ID, "login-password").send_keys("korrekt-hest-batteri")
    click_and_wait(browser, "login-submit", "item-id")
    assert browser.find_element(By.ID, "item-id").text == HEARING
    assert browser.find_element(By.ID, "whoami").text == "Kari"
    assert not browser.find_elements(By.ID, "by")  # the account is who writes: no name field

    browser.find_element(By.ID, "nav-inbox").click()
    assert "Trenger innspill" in browser.page_source
    browser.find_element(By.LINK_TEXT, "Høring - endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)").click()

    Select(browser.find_element(By.ID, "state")).select_by_value("respond")
    browser.find_element(By.ID, "note").send_keys("Svar sammen med BFD")
    click_and_wait(browser, "triage-submit", "triage-state")
    assert browser.find_element(By.ID, "triage-state").text == "skal svares"
    assert "Kari" in browser.find_element(By.ID, "triage-history").text

    browser.find_element(By.ID, "draft-docx").click()
    path = wait_for_file(browser.downloads, ".docx")
    doc = Document(str(path))
    assert doc.sections[0].header.paragraphs[0].text == "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=1)  # A4, from the template
    path.unlink()
    browser.get(base + "/item/" + HEARING)  # a second draft is a second version, never an overwrite
    browser.find_element(By.ID, "draft-docx").click()
    second = wait_for_file(browser.downloads, ".docx")
    second.unlink()
    browser.get(base + "/item/" + HEARING)
    versions = browser.find_elements(By.CSS_SELECTOR, "#draft-versions a.draft-version-docx")
    assert len(versions) == 2 and "Kari" in browser.find_element(By.ID, "draft-versions").text
    for link in [v.get_attribute("href") for v in versions]:  # v1 and v2 both download
        browser.get(link)
        got = wait_for_file(browser.downloads, ".docx")
        Document(str(got))
        got.unlink()

    browser.get(base + "/search")
    box = browser.find_element(By.ID, "q")
    box.send_keys("aapenhetsloven OR regnskapsloven")
    submit_and_wait(browser, box, "results")
    results = browser.find_element(By.ID, "results").text
    assert "åpenhetsloven" in results and "regnskapsloven" in results.lower()
    box = browser.find_element(By.ID, "q")
    box.clear()
    box.send_keys('"endringer i åpenhetsloven"')
    submit_and_wait(browser, box, "results")
    results = browser.find_element(By.ID, "results").text
    assert "endringer i åpenhetsloven" in results and "regnskapsloven" not in results.lower()
    browser.find_element(By.ID, "export-csv").click()
    exported = wait_for_file(browser.downloads, ".csv")
    assert exported.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Norwegian Excel
    rows = list(csv.DictReader(exported.open(encoding="utf-8-sig"), delimiter=";"))
    mine = [r for r in rows if r["ID"] == HEARING]
    assert mine and mine[0]["Oppfølging"] == "skal svares"  # the state by name, as the page says it

    from tracker.store.db import open_db

    db = open_db(db_path)
    assert db.execute("select by from triage_history").fetchall() == [("Kari",)]
    assert db.execute("select created_by from drafts").fetchall() == [("Kari",), ("Kari",)]
    db.close()


def test_phone_width_400px(team_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, _ = team_server
    browser.get(base + "/login")
    browser.find_element(By.ID, "login-name").send_keys("Kari")
    browser.find_element(By.ID, "login-password").send_keys("korrekt-hest-batteri")
    click_and_wait(browser, "login-submit", "inbox")
    browser.set_window_size(400, 900)
    for path, marker in (("/", "inbox"), ("/item/" + HEARING, "triage-form"), ("/search?q=h%C3%B8ring", "results")):
        browser.get(base + path)
        width = browser.execute_script("return window.innerWidth")
        assert width <= 400
        page = browser.execute_script("return document.documentElement.scrollWidth")
        assert page <= width, f"{path}: the page is {page}px wide at a {width}px window"
        right = browser.execute_script(
            "return Math.max(...Array.from(arguments[0].querySelectorAll('*')).map(e => e.getBoundingClientRect().right))",
            browser.find_element(By.ID, marker))
        assert right <= width + 0.5, f"{path}: #{marker} reaches {right}px"
        browser.save_screenshot(str(tmp_path / f"phone{path.replace('/', '_')[:20]}.png"))
    # the inbox is one card per item: the title link sits in a box no wider than the screen
    browser.get(base + "/")
    cells = browser.find_elements(By.CSS_SELECTOR, "#inbox td.title")
    assert cells and all(c.rect["width"] <= 400 for c in cells)
