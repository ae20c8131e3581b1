"""The /horizon page and the outcome chain on the item page, in headless Chromium."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.test_outcomes import AS_OF, answer, put
from tracker.links.related import update_links


@pytest.fixture
def outcome_server(tmp_path, chromium_or_skip):
    from werkzeug.serving import make_server

    from tracker.store.db import open_db
    from tracker.web.app import create_app

    path = tmp_path / "outcome.db"
    db = open_db(path)
    hearing = put(db, "no_regjeringen_horinger", "hearing", "3150100",
                  "Høring – endringer i åpenhetsloven (gjennomføring av aktsomhetsdirektivet)",
                  "Gjennomføring av direktiv (EU) 2024/1760 <script>x</script>.", "2026-01-10T10:00:00+01:00")
    put(db, "no_stortinget_horinger", "committee_hearing", "sak-107130",
        "Komitéhøring: Prop. 25 L (2026-2027) Endringer i åpenhetsloven", "Om direktiv (EU) 2024/1760.")
    put(db, "no_lovdata", "law_change", "LTI/lov/2027-06-15-40", "Lov om endringer i åpenhetsloven",
        "Jf. Prop. 25 L (2026–2027) og Innst. 120 L (2026–2027).", "2027-06-15T00:00:00+02:00")
    run_item = put(db, "no_regjeringen_horinger", "hearing", "3190000", "Høring – ny lov om bærekraftig handel")
    db.execute("update items set deadline = '2027-06-30T23:59:59+02:00', status = 'open', relevant = 1 where id = ?",
               [run_item])
    update_links(db, entries=[])
    answer(db, hearing, "2026-03-12T14:00:00+01:00")
    db.close()
    app = create_app(str(path), as_of=AS_OF)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", hearing, run_item
    finally:
        httpd.shutdown()
        thread.join(timeout=5)


def test_item_page_shows_the_outcome_chain(outcome_server, browser):
    from selenium.webdriver.common.by import By

    base, hearing, _ = outcome_server
    browser.get(f"{base}/item/{hearing}")
    chain = browser.find_element(By.ID, "outcome-chain").text
    # the same chain as `ncp-tracker outcomes` prints (tracker.links.outcomes decides its words)
    assert chain == ("Kontaktpunktets svar 12.03.2026 → Prop. 25 L (2026–2027) → Innst. 120 L (2026–2027)"
                     " → lov vedtatt 15.06.2027")
    browser.find_element(By.LINK_TEXT, "lov vedtatt").click()
    assert "Lov om endringer i åpenhetsloven" in browser.find_element(By.TAG_NAME, "h1").text


def test_unanswered_item_has_no_chain(outcome_server, browser):
    from selenium.webdriver.common.by import By

    base, _, other = outcome_server
    browser.get(f"{base}/item/{other}")
    assert browser.find_elements(By.ID, "outcome") == []


def test_horizon_page_by_week_and_month(outcome_server, browser):
    from selenium.webdriver.common.by import By

    base, _, other = outcome_server
    browser.get(base + "/")
    browser.find_element(By.ID, "nav-horizon").click()
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Uke 26 (28. jun – 4. jul)" in text and "ons. 30.06.2027 · Høringsfrist: Høring – ny lov om bærekraftig handel" in text
    browser.get(base + "/horizon?by=month&weeks=4")
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".horizon-group h2")] == ["juni 2027"]
    browser.get(base + "/horizon?weeks=abc")
    assert "«Uker fremover» må være et helt tall fra 1 til 104, ikke 'abc'" in browser.find_element(By.ID, "horizon-error").text
