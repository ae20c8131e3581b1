"""In a real headless Chromium: inbox → item → triage (respond, assign) → draft download."""

from __future__ import annotations

import json

import pytest

from tests.browser.downloads import wait_for_file
from tests.browser.navigation import click_and_wait, submit_and_wait
from tests.browser.seed import HEARING

pytestmark = pytest.mark.browser


def test_triage_and_download_draft(server, browser):
    from docx import Document
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base, db_path = server
    browser.get(base + "/")
    assert "Trenger innspill" in browser.page_source
    browser.find_element(By.LINK_TEXT, "Høring - endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)").click()
    assert browser.find_element(By.ID, "item-id").text == HEARING
    assert browser.find_element(By.ID, "triage-state").text == "ny"
    # what a person reads in Chromium is Norwegian by default: labels, buttons, states, dates
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    body = browser.find_element(By.TAG_NAME, "body").text
    for word in ("Oppfølging", "Frist", "Avsender", "Lagre", "Historikk", "Endringer i saken", "frist endret",
                 "Lag utkast (.docx)", "Publisert", "tor. 01.10.2026"):
        assert word in body, word
    for word in ("Follow-up", "Save", "Deadline", "Sender", "deadline_changed", "oecd-", "None", "2026-10-01"):
        assert word not in body, word
    # English on request (a link in the header), remembered, and back again
    browser.find_element(By.ID, "lang-en").click()
    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
    english = browser.find_element(By.TAG_NAME, "body").text
    assert "Follow-up" in english and "Save" in english and "Oppfølging" not in english
    browser.get(browser.current_url.split("?")[0])
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "lang-nb").click()
    WebDriverWait(browser, 15, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb")

    # mark it for an answer, with a note carrying markup
    Select(browser.find_element(By.ID, "state")).select_by_value("respond")
    browser.find_element(By.ID, "note").send_keys("<b>Svar</b> sammen med BFD")
    browser.find_element(By.ID, "by").send_keys("kari")
    click_and_wait(browser, "triage-submit", "triage-state")
    assert browser.find_element(By.ID, "triage-state").text == "skal svares"
    assert browser.find_element(By.ID, "triage-note").text == "<b>Svar</b> sammen med BFD"

    # an illegal move is refused with a clear message
    Select(browser.find_element(By.ID, "state")).select_by_value("assigned")
    browser.find_element(By.ID, "owner").clear()
    click_and_wait(browser, "triage-submit", "triage-state")
    assert "krever en ansvarlig" in browser.find_element(By.ID, "flash-error").text

    # assign it
    Select(browser.find_element(By.ID, "state")).select_by_value("assigned")
    browser.find_element(By.ID, "owner").send_keys("per")
    click_and_wait(browser, "triage-submit", "triage-state")
    assert browser.find_element(By.ID, "triage-state").text == "tildelt"
    assert browser.find_element(By.ID, "triage-owner").text == "per"
    history = browser.find_element(By.ID, "triage-history").text
    assert "skal svares → tildelt" in history and "ny → skal svares" in history and "kari" in history

    # the inbox shows the owner
    browser.get(base + "/?owner=per")
    assert HEARING in browser.page_source and "per" in browser.find_element(By.ID, "inbox").text

    # download the draft
    browser.get(base + "/item/" + HEARING)
    browser.find_element(By.ID, "draft-docx").click()
    path = wait_for_file(browser.downloads, ".docx")
    doc = Document(str(path))
    assert doc.sections[0].header.paragraphs[0].text == "Norges nasjonale kontaktpunkt for ansvarlig næringsliv"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("Høringssvar – Endringer i åpenhetsloven")
    assert any("tvangsarbeid" in p.text for p in doc.paragraphs if p.style.name == "Quote")

    # the store has it all
    from tracker.store.db import open_db

    db = open_db(db_path)
    assert db.execute("select state, owner from triage where item_id = ?", [HEARING]).fetchone() == ("assigned", "per")
    assert db.execute("select count(*) from drafts where item_id = ?", [HEARING]).fetchone()[0] == 1
    db.close()


def test_the_inbox_shows_why_its_order_is_what_it_is(server, browser):
    """The inbox is ordered by the deadline's week, then by relevance (tracker.attention.urgency),
    but showed neither: a hearing 12 working days away stood above one 8 days away with nothing
    to say why. Now each week has its heading, and each row and the item page say why, with the
    relevance — as the digest does."""
    from selenium.webdriver.common.by import By

    from tests.browser.seed import COMMITTEE, EU, HEARING_FISH

    base, _ = server
    browser.get(base + "/")
    groups = browser.find_elements(By.CSS_SELECTOR, "#inbox tbody.window")
    assert [g.get_attribute("id") for g in groups] == ["window-next_week", "window-later"]
    heads = [g.find_element(By.CSS_SELECTOR, "tr.window th").text for g in groups]
    assert heads == ["Neste uke (1)", "Senere (3)"]
    links = [[a.get_attribute("href").rsplit("/item/", 1)[1] for a in g.find_elements(By.CSS_SELECTOR, "td.title > a")]
             for g in groups]
    assert links == [[COMMITTEE], [HEARING, EU, HEARING_FISH]]  # relevance 0.92, 0.80, 0.45 in "later"
    why = groups[1].find_elements(By.CSS_SELECTOR, "td.title .why")[0].text
    assert why == "Hvorfor: Åpenhetsloven nevnt; CSDDD (aktsomhetsdirektivet) nevnt; verdikjede (relevans 0,92)"
    assert groups[1].find_elements(By.CSS_SELECTOR, "td.title .why")[1].text == "Hvorfor: Relevans 0,80"
    browser.get(base + f"/item/{HEARING}")
    assert browser.find_element(By.ID, "why").text == (
        "Åpenhetsloven nevnt; CSDDD (aktsomhetsdirektivet) nevnt; verdikjede (relevans 0,92)")
    browser.get(base + f"/item/{HEARING}?lang=en")
    assert browser.find_element(By.ID, "why").text.endswith("(relevance 0.92)")
    # a phone: the week headings stay, above their cards
    browser.set_window_size(390, 900)
    browser.get(base + "/")
    assert browser.find_element(By.CSS_SELECTOR, "#window-later tr.window th").is_displayed()
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_the_inbox_shows_the_announced_consultations_below_the_open_ones(server, browser):
    """A consultation announced, not open yet, that will need input: in its own table under
    «Trenger innspill», seen in the browser — the day it opens in its first column, its link to
    the item page, whose facts say it too; on a phone as cards, nothing wider than the screen."""
    from selenium.webdriver.common.by import By

    from tests.browser.seed import ANNOUNCED, ANNOUNCED_TITLE, announce
    from tracker.store.db import open_db

    base, db_path = server
    db = open_db(db_path)
    announce(db)
    db.close()
    browser.get(base + "/")
    heading = browser.find_element(By.ID, "announced-heading")
    assert heading.is_displayed() and heading.text == "Varslet, ikke åpnet ennå (1)"
    assert heading.location["y"] > browser.find_element(By.ID, "inbox").location["y"]
    row = browser.find_element(By.CSS_SELECTOR, "#announced tbody tr")
    assert row.find_element(By.CSS_SELECTOR, "td.opens").text == "tir. 01.12.2026"
    link = row.find_element(By.CSS_SELECTOR, "td.title > a")
    assert link.text == ANNOUNCED_TITLE
    link.click()
    assert browser.current_url.endswith("/item/" + ANNOUNCED)
    assert browser.find_element(By.ID, "opens").text == "tir. 01.12.2026"
    browser.set_window_size(390, 900)
    browser.get(base + "/")
    assert browser.find_element(By.CSS_SELECTOR, "#announced td.opens").is_displayed()
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

def test_a_committee_hearings_three_times_read_apart_in_the_inbox(server, browser):
    """The inbox's deadline column ran a committee hearing's three times together in a narrow
    column: "Be om å delta innen: tir. 01.12.2026 kl. 12.00 (passert) Høringen holdes: …" over a
    dozen lines with no gap. Each time is now its own block, set apart, none over three lines."""
    from selenium.webdriver.common.by import By

    from tests.browser.seed import COMMITTEE
    from tracker.store.db import open_db

    base, db_path = server
    db = open_db(db_path)  # its three times, as the Storting spider stores them
    db["items"].update(COMMITTEE, {"extra": json.dumps({
        "anmodningsfrist": "2026-11-26T12:00:00+01:00", "hearing_start": "2026-12-02T09:30:00+01:00",
        "innspillsfrist": "2026-12-03T12:00:00+01:00"})})
    db.close()
    browser.get(base + "/")
    link = browser.find_element(By.CSS_SELECTOR, f'td.title > a[href$="/item/{COMMITTEE}"]')
    row = link.find_element(By.XPATH, "./ancestor::tr")
    lines = row.find_elements(By.CSS_SELECTOR, "td.deadline .deadline-line")
    assert [ln.text.split(":")[0] for ln in lines] == ["Be om å delta innen", "Høringen holdes",
                                                        "Skriftlige innspill innen"]
    rects = [browser.execute_script("const r = arguments[0].getBoundingClientRect(); "
                                    "return [r.top, r.bottom, parseFloat(getComputedStyle(arguments[0]).lineHeight)]",
                                    ln) for ln in lines]
    for (_top, bottom, _lh), (top, _bottom, _lh2) in zip(rects, rects[1:], strict=False):
        assert top - bottom >= 4, rects  # a visible gap between two times
    assert all(bottom - top <= 3 * lh + 1 for top, bottom, lh in rects), rects


def test_an_eu_title_is_english_to_the_browser_on_a_bokmal_page(server, browser):
    """Chromium takes an element's language from the nearest `lang` (what a screen reader reads it
    with, and what hyphenation and spell-checking use): in the Bokmål inbox the EU consultation's
    English title is English to it, the Norwegian hearing's title Bokmål (the page's)."""
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/?lang=nb")
    eu = browser.find_element(By.PARTIAL_LINK_TEXT, "Corporate sustainability due diligence")
    hearing = browser.find_element(By.PARTIAL_LINK_TEXT, "Høring - endringer i åpenhetsloven")

    def is_lang(element, code: str) -> bool:
        return browser.execute_script("return arguments[0].matches(arguments[1])", element, f":lang({code})")

    assert is_lang(eu, "en") and not is_lang(eu, "nb")
    assert is_lang(hearing, "nb") and not is_lang(hearing, "en")


def test_a_watched_file_reads_bokmal_its_eu_title_english_to_the_browser(server, browser):
    """The Bokmål watchlist headed «Forced Labour Regulation – Regulation on prohibiting …» with no
    language of its parts: the file is named in Bokmål and the EU's own title is English to Chromium."""
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/watchlist?lang=nb")
    heading = browser.find_element(By.CSS_SELECTOR, "#watch-forced_labour h2")
    title = heading.find_element(By.CSS_SELECTOR, ".act-title")
    assert heading.text.startswith("Tvangsarbeidsforordningen – Regulation on prohibiting products made with forced")
    assert browser.execute_script("return arguments[0].matches(':lang(nb)')", heading)
    assert browser.execute_script("return arguments[0].matches(':lang(en)')", title)


def test_search_with_ascii_spelling_and_fts_syntax(server, browser):
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/search")
    box = browser.find_element(By.ID, "q")
    box.send_keys("aapenhetsloven")
    submit_and_wait(browser, box, "results")
    results = browser.find_element(By.ID, "results")
    assert "åpenhetsloven" in results.text
    assert results.find_elements(By.TAG_NAME, "mark")
    browser.get(base + '/search?q=%22NEAR(%2A')
    assert "Søk" in browser.title
    assert "Internal Server Error" not in browser.page_source


def test_health_page(server, browser):
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(base + "/health")
    table = browser.find_element(By.ID, "health").text
    # names and Norwegian words, never the codes (tracker/vocabulary.py)
    assert "Høringer (regjeringen.no) advarsel" in table and "detaljsider blokkert" in table
    assert "no_regjeringen_horinger" not in table and "amber" not in table
    assert browser.find_elements(By.ID, "backfill") == []  # no history walked yet: no such table


def test_health_page_shows_the_backfill_beside_the_daily_health_not_over_it(server, browser):
    """An adviser walked regjeringen.no's history (`ncp-tracker backfill --since 2015`): two listing
    pages done, the third blocked. The daily health stays what the morning run found (a warning);
    the walk has its own table: how far back, how many units, its last unit failing in Bokmål."""
    from datetime import datetime

    from selenium.webdriver.common.by import By

    from crawlers.dates import OSLO
    from tracker.store import health
    from tracker.store import merge as store
    from tracker.store.db import open_db

    base, db_path = server
    db = open_db(db_path)
    when = datetime(2026, 11, 24, 10, 0, tzinfo=OSLO)
    run = store.start_run(db, as_of=when, mode="test", sources=["no_regjeringen_horinger"], backfill=True)
    health.record(db, run, health.SourceRun(
        "no_regjeringen_horinger", notes=[("red", "hearings listing page 3 answered HTTP 403 (bot challenge): "
                                                   "this page of history was not read")]), when.isoformat())
    db["backfill_checkpoints"].insert_all([
        {"source": "no_regjeringen_horinger", "unit": "page-1", "since": 2015, "run_id": run, "items_new": 20,
         "finished": when.isoformat(), "oldest": "2026-09-14", "newest": "2026-11-23"},
        {"source": "no_regjeringen_horinger", "unit": "page-2", "since": 2015, "run_id": run, "items_new": 18,
         "finished": when.isoformat(), "oldest": "2026-06-02", "newest": "2026-09-14"}])
    db.close()
    browser.get(base + "/health")
    daily = browser.find_element(By.ID, "health").text
    assert "Høringer (regjeringen.no) advarsel" in daily and "robotsjekk" not in daily
    heading = browser.find_element(By.ID, "backfill-heading")
    assert heading.text == "Historikk hentet inn" and heading.is_displayed()
    rows = browser.find_elements(By.CSS_SELECTOR, "#backfill tbody tr")
    assert len(rows) == 1
    cells = [td.text for td in rows[0].find_elements(By.TAG_NAME, "td")]
    assert cells[:5] == ["Høringer (regjeringen.no)", "2", "2015", "tir. 02.06.2026", "38"]
    assert cells[5].startswith("tir. 24.11.2026 kl. 10.00")
    assert cells[7] == "høringslistens side 3 svarte HTTP 403 (robotsjekk): denne siden av historikken ble ikke lest"
    assert "badge-red" in rows[0].find_element(By.CSS_SELECTOR, ".badge").get_attribute("class")


def test_every_page_says_when_the_data_is_old_or_a_source_fails(server, browser):
    """The digest's red banner was only in the digest: the workbench showed a week-old inbox as
    quietly as today's. Now every page says it first, above its content, and links to the health."""
    from selenium.webdriver.common.by import By

    from tracker.store.db import open_db

    base, db_path = server
    browser.get(base + "/")
    assert not browser.find_elements(By.ID, "trust")  # the seeded crawl is fresh and no source is red
    db = open_db(db_path)
    with db.conn:  # the last crawl four days before the workbench's clock, and one source red
        db.execute("update runs set as_of = '2026-11-20T06:00:00+01:00'")
        db.execute("update health set status = 'red', reason = 'feed answered HTTP 503' "
                   "where source = 'eu_haveyoursay'")
    db.close()
    for path in ("/", "/horizon", "/search?q=klima"):
        browser.get(base + path)
        trust = browser.find_element(By.ID, "trust")
        main = browser.find_element(By.TAG_NAME, "main")
        assert trust.is_displayed() and trust.location["y"] <= main.location["y"] + 40, path
        assert "Siste vellykkede innhenting var fre. 20.11.2026 kl. 06.00, for mer enn 36 timer siden" in trust.text
        assert "1 kilde feiler: EU: Si din mening (Have your say) (nyhetsstrømmen svarte HTTP 503)" in trust.text
    trust.find_element(By.LINK_TEXT, "Kildenes helse").click()
    assert browser.current_url.endswith("/health")
