"""The item page shows a hearing's consultee list collapsed, with Kontaktpunktet highlighted."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.browser.seed import HEARING, HEARING_FISH

pytestmark = pytest.mark.slow


def _set_consultees(db_path, item_id: str, names: list[str], ncp: int) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("update items set consultees = ?, ncp_consultee = ? where id = ?",
                     [json.dumps([{"name": n, "orgnr": "987654321" if n.endswith("ASA") else None} for n in names],
                                 ensure_ascii=False), ncp, item_id])
    conn.close()


def test_consultee_list_is_collapsed_and_names_kontaktpunktet(server, browser):
    from selenium.webdriver.common.by import By

    base, db_path = server
    _set_consultees(db_path, HEARING, ["Finansdepartementet", "Nasjonalt kontaktpunkt for ansvarlig næringsliv",
                                       "Equinor ASA"], 1)
    _set_consultees(db_path, HEARING_FISH, ["Fiskeridirektoratet", "Sjømat Norge"], 0)
    browser.get(f"{base}/item/{HEARING}")
    details = browser.find_element(By.ID, "consultee-list")
    assert details.get_attribute("open") is None  # collapsed
    summary = details.find_element(By.TAG_NAME, "summary").text
    assert "Høringsinstanser (3)" in summary and "Kontaktpunktet er høringsinstans" in summary
    items = details.find_elements(By.TAG_NAME, "li")
    assert not any(li.is_displayed() for li in items)  # hidden until opened
    details.find_element(By.TAG_NAME, "summary").click()
    assert all(li.is_displayed() for li in items)
    ncp = [li for li in items if "ncp" in (li.get_attribute("class") or "")]
    assert [li.text for li in ncp] == ["Nasjonalt kontaktpunkt for ansvarlig næringsliv"]
    marked = ncp[0].find_element(By.TAG_NAME, "mark")
    assert marked.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    assert "org.nr. 987654321" in items[2].text

    # a hearing without Kontaktpunktet: the list, no highlight
    browser.get(f"{base}/item/{HEARING_FISH}")
    summary = browser.find_element(By.CSS_SELECTOR, "#consultee-list summary").text
    assert "Høringsinstanser (2)" in summary and "Kontaktpunktet" not in summary
    assert browser.find_elements(By.CSS_SELECTOR, "#consultees li.ncp") == []


def test_item_without_a_known_consultee_list_shows_none(server, browser):
    from selenium.webdriver.common.by import By

    base, _ = server
    browser.get(f"{base}/item/{HEARING}")
    assert browser.find_element(By.ID, "item-id").text == HEARING
    assert browser.find_elements(By.ID, "consultees") == []


def test_a_list_read_from_the_hearings_list_file_says_so_and_links_it(server, browser):
    """A list taken from the file the page links (tracker.documents.read.read_consultee_lists)
    says where it comes from, with a link to the file; a list on the page itself says nothing."""
    from selenium.webdriver.common.by import By

    base, db_path = server
    _set_consultees(db_path, HEARING, ["Datatilsynet", "Kontaktpunktet for ansvarlig næringsliv"], 1)
    url = "https://www.regjeringen.no/contentassets/ab/liste.pdf"
    conn = sqlite3.connect(db_path)
    with conn:
        row = conn.execute("select extra, documents from items where id = ?", [HEARING]).fetchone()
        extra = {**json.loads(row[0] or "{}"), "consultees_from": {"url": url, "sha256": "0" * 64}}
        docs = [*json.loads(row[1] or "[]"), {"title": "Liste over høringsinstanser", "url": url,
                                              "type": "høringsinstanser"}]
        conn.execute("update items set extra = ?, documents = ? where id = ?",
                     [json.dumps(extra), json.dumps(docs), HEARING])
    conn.close()
    browser.get(f"{base}/item/{HEARING}")
    browser.find_element(By.CSS_SELECTOR, "#consultee-list summary").click()
    note = browser.find_element(By.ID, "consultees-file")
    assert note.is_displayed()
    assert note.text == "Lest fra filen som høringssiden lenker til som liste: Liste over høringsinstanser"
    assert note.find_element(By.TAG_NAME, "a").get_attribute("href") == url
    _set_consultees(db_path, HEARING_FISH, ["Fiskeridirektoratet"], 0)
    browser.get(f"{base}/item/{HEARING_FISH}")
    assert browser.find_elements(By.ID, "consultees-file") == []
