"""In a real headless Chromium: the HTML digest (page and inlined mail) and the web item/inbox pages,
read as a person sees them (rendered text, not the template source)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

JUNK = re.compile(r"object at 0x|<built-in|<bound method|\bNone\b|\bnan\b|\boecd-[ivx]+\b|\bno_[a-z_]+\b")


def _digest_world(tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_digest_output_guard import _world_with_storting

    from tracker.store.db import open_db

    db = open_db(tmp_path / "digest.db")
    _world_with_storting(db)
    return db


def _assert_page_layout(browser) -> None:
    """The body's rule as the browser applied it: the page's font and its column. The stylesheet
    was HTML-escaped into <style> (&#34;Segoe UI&#34;), so the browser dropped the whole `font`
    declaration (a serif page), and in the mail the inlined style's open quote swallowed the
    margin, width and colours (text flush to the window's edge)."""
    from selenium.webdriver.common.by import By

    body = browser.find_element(By.TAG_NAME, "body")
    assert "system-ui" in body.value_of_css_property("font-family"), body.value_of_css_property("font-family")
    assert body.value_of_css_property("max-width") == "736px"  # 46rem
    assert body.value_of_css_property("color") in ("rgba(26, 26, 26, 1)", "rgb(26, 26, 26)")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_section_of_the_html_digest_reads_right(tmp_path, browser, lang):
    from selenium.webdriver.common.by import By
    from test_digest_world import DAY2

    import tracker.digest as digest

    db = _digest_world(tmp_path)
    d = digest.build_digest(db, as_of=DAY2, profile="ncp", lang=lang)
    page = tmp_path / f"digest.{lang}.html"
    page.write_text(digest.render_html(d), "utf-8")
    browser.get(page.as_uri())
    body = browser.find_element(By.TAG_NAME, "body").text
    assert not JUNK.search(body), JUNK.search(body).group(0)
    _assert_page_layout(browser)
    summary = browser.find_element(By.ID, "summary").text
    sections = {s.get_attribute("id"): s.text for s in browser.find_elements(By.TAG_NAME, "section")}
    assert set(sections) >= {"needs-input", "new", "changed", "eu", "coming", "health"}
    for section_id, text in sections.items():
        assert text.strip(), section_id
    health = sections["health"]
    if lang == "nb":
        assert summary.startswith("9 høringer trenger innspill, 3 av dem nye.")
        assert "Denne uken" in sections["needs-input"] and "Neste uke" in sections["needs-input"]
        assert "NY" in sections["needs-input"] and "Kap. IV Menneskerettigheter" in sections["needs-input"]
        assert "Hvorfor: Kontaktpunktet er høringsinstans" in sections["needs-input"]
        assert "Be om å delta: frist i dag kl. 12.00" in sections["needs-input"]
        assert "Høringen holdes: tir. 01.12.2026 kl. 09.30" in sections["needs-input"]
        assert "Skriftlige innspill innen: tir. 08.12.2026 kl. 12.00" in sections["needs-input"]
        assert "Kilde Status Saker Årsak" in health
        assert "Stortingets komitéhøringer FEILER 0 feed answered 404" in health
        assert "Sjekket tir. 24.11.2026 kl. 06.00" in health
        banner = browser.find_element(By.CSS_SELECTOR, ".banner").text
        assert banner.startswith("⚠ 1 kilde feiler: Stortingets komitéhøringer")
    else:
        assert "This week" in sections["needs-input"] and "NEW" in sections["needs-input"]
        assert "Why: The NCP is a consultee" in sections["needs-input"]
        assert "Source Status Items Reason" in health and "Storting committee hearings FAILING" in health


def test_the_mail_html_is_styled_inline_and_reads_the_same(tmp_path, browser):
    import email
    from email import policy

    from selenium.webdriver.common.by import By
    from test_digest_world import DAY2

    import tracker.digest as digest

    db = _digest_world(tmp_path)
    raw = digest.render(db, "eml", as_of=DAY2, profile="ncp", recipients=["a@example.org"])
    msg = email.message_from_bytes(raw, policy=policy.default)
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "<style" not in html and 'style="' in html  # every rule inlined (Outlook drops <style>)
    assert "TRENGER INNSPILL (9)" in text and "Be om å delta: frist i dag kl. 12.00" in text
    page = tmp_path / "mail.html"
    page.write_text(html, "utf-8")
    browser.get(page.as_uri())
    banner = browser.find_element(By.CSS_SELECTOR, ".banner")
    assert banner.value_of_css_property("background-color") in ("rgba(176, 0, 32, 1)", "rgb(176, 0, 32)")
    _assert_page_layout(browser)
    health = browser.find_element(By.ID, "health").text
    assert "Stortingets komitéhøringer FEILER" in health and not JUNK.search(health)


def test_the_web_item_page_shows_stortingets_three_times_and_names(server, browser):
    from selenium.webdriver.common.by import By

    from tracker.store import merge as store
    from tracker.store.db import open_db

    base, db_path = server
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_digest_output_guard import STORTING
    from test_digest_world import DAY2

    db = open_db(db_path)
    run = store.start_run(db, as_of=DAY2, mode="test", sources=[STORTING["source"]])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source=STORTING["source"], items=[STORTING])
    item_id = next(r["id"] for r in db.query("select id from items where native_id = 'sak-99001'"))
    db.close()
    browser.get(f"{base}/item/{item_id}")
    deadlines = browser.find_element(By.ID, "deadlines").text.splitlines()
    assert deadlines[0].startswith("Be om å delta")
    assert "Høringen holdes: tir. 01.12.2026 kl. 09.30" in deadlines
    assert "Skriftlige innspill innen: tir. 08.12.2026 kl. 12.00" in deadlines
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text.splitlines()
    source = facts[facts.index("Kilde") + 1]
    assert source == "Stortingets komitéhøringer" and facts[facts.index("Type") + 1] == "Komitéhøring"
    derived, _, said = facts[facts.index("Status") + 1].partition(" ")
    assert derived in ("åpen", "kommende", "ukjent") and said == "(kilden skriver «Planlagt»)"
    # the source's word leads to the items whose source says the same: this hearing among them
    browser.find_element(By.CSS_SELECTOR, "#status-raw a").click()
    assert browser.find_element(By.ID, "q").get_attribute("value") == 'kildestatus:"Planlagt"'
    results = browser.find_element(By.ID, "results")
    assert results.find_elements(By.CSS_SELECTOR, f'a[href$="/item/{item_id}"]'), results.text


def test_from_the_digest_straight_to_triage_in_the_workbench(server, browser, tmp_path):
    """[web] public_url: the adviser reads the HTML digest, clicks «Åpne i arbeidsbenken» under a
    hearing and is on that hearing's page in the workbench, with its triage form."""
    from selenium.webdriver.common.by import By

    import tracker.digest as digest
    from tracker.store.db import open_db

    base, db_path = server
    db = open_db(db_path)
    from test_digest_world import DAY2

    d = digest.build_digest(db, as_of=DAY2, profile="ncp", workbench_url=base)
    db.close()
    page = tmp_path / "digest.html"
    page.write_text(digest.render_html(d), "utf-8")
    browser.get(page.as_uri())
    first = browser.find_element(By.CSS_SELECTOR, "#needs-input li.entry")
    title = first.find_element(By.CSS_SELECTOR, "strong").text
    link = first.find_element(By.CSS_SELECTOR, "a.workbench")
    assert link.text == "Åpne i arbeidsbenken"
    link.click()
    assert browser.current_url.startswith(base + "/item/")
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert browser.find_element(By.ID, "triage-form")


def test_from_a_digest_note_to_the_items_it_counts(server, browser, tmp_path):
    """«3 andre nye saker er ikke relevante for denne profilen (se arbeidsbenken)»: with [web]
    public_url the adviser clicks it and sees those items in the workbench's search, with the
    filter said in words."""
    from selenium.webdriver.common.by import By

    import tracker.digest as digest
    from tracker.store.db import open_db

    base, db_path = server
    db = open_db(db_path)
    from test_digest_world import DAY1, build_world

    build_world(db, days=1, triage=False)  # beside the seeded items: the digest's own day
    d = digest.build_digest(db, as_of=DAY1, profile="ncp", workbench_url=base)
    others = [r["title"] for r in d.new if not r.get("passes")]
    relevant = [r["title"] for r in d.new if r.get("passes")]
    db.close()
    assert others and relevant
    page = tmp_path / "digest.html"
    page.write_text(digest.render_html(d), "utf-8")
    browser.get(page.as_uri())
    note = next(a for a in browser.find_elements(By.CSS_SELECTOR, "#new p.small a") if "ikke relevant" in a.text)
    note.click()
    assert browser.current_url.startswith(base + "/search?new_since=")
    said = browser.find_element(By.ID, "filter-new_since").text
    assert said.startswith("Bare saker først sett etter søn. 22.11.2026 kl. 06.00"), said
    assert browser.find_element(By.ID, "filter-not_relevant_to").text == (
        "Bare saker profilen «Kontaktpunktet: morgenoversikt» ikke regner som relevante · fjern dette filteret")
    listed = browser.find_element(By.ID, "results").text
    for title in others:
        assert title[:40] in listed, title
    for title in relevant:  # what the digest lists is not among what its note counts
        assert title[:40] not in listed, title
    # each said filter has its own way back
    browser.find_element(By.CSS_SELECTOR, "#filter-not_relevant_to a").click()
    assert "not_relevant_to" not in browser.current_url and "new_since=" in browser.current_url
    assert any(title[:40] in browser.find_element(By.ID, "results").text for title in relevant)
