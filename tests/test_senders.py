"""Who sent an item, in the reader's language: «Sender: Finansdepartementet» stood in the English
digest under the heading «Ministry of Finance», and another country's NCP case was «NCP France» in a
Bokmål digest while the item page said «Kontaktpunktet i Frankrike». One reading
(`vocabulary.sender_name`) for the digest, the feeds, the horizon and the workbench's inbox."""

from __future__ import annotations

from datetime import datetime

import pytest
from support import crawled, others_checked
from web_support import make_app

from crawlers.dates import OSLO
from tracker.digest import build_digest, render_markdown
from tracker.store.db import open_db
from tracker.vocabulary import sender_name

AS_OF = datetime(2026, 11, 24, 6, tzinfo=OSLO)


@pytest.mark.parametrize(("owner", "lang", "shown"), [
    ("Finansdepartementet", "en", "Ministry of Finance"), ("Finansdepartementet", "nb", "Finansdepartementet"),
    ("Familie- og kulturkomiteen", "en", "Standing Committee on Family and Cultural Affairs"),
    ("Etikkrådet", "en", "Council on Ethics"), ("European Commission, GROW", "en", "European Commission, GROW"),
    ("European Commission, GROW", "nb", "European Commission, GROW"), ("Norges Bank", "en", "Norges Bank"),
])  # fmt: skip
def test_a_norwegian_body_is_named_in_english_for_an_english_reader(owner, lang, shown):
    assert sender_name({"owner": owner}, lang) == shown


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "s.db"
    db = open_db(path)
    crawled(db, AS_OF, "no_regjeringen_horinger", [{
        "kind": "hearing", "native_id": "3150001", "title": "Høring – endringer i åpenhetsloven",
        "url": "https://www.regjeringen.no/no/dokumenter/h/id3150001/", "owner": "Finansdepartementet",
        "status_raw": "På høring", "deadline": "2026-12-18T23:59:59+01:00",
        "summary": "Forslag om aktsomhetsvurderinger i leverandørkjeden etter åpenhetsloven."}])
    crawled(db, AS_OF, "oecd_ncp_cases", [{
        "kind": "ncp_case", "native_id": "fr-1", "title": "Specific instance: a mining company's due diligence",
        "url": "https://mneguidelines.oecd.org/database/instances/fr0001.htm", "owner": "NCP France",
        "summary": "Human rights due diligence in the supply chain of a multinational enterprise.",
        "extra": {"lead_ncp": "France"}}])
    run = db.execute("select max(id) from runs").fetchone()[0]
    others_checked(db, run, AS_OF.isoformat())
    from tracker.jobs.tagging import tag_store

    tag_store(db)
    db.close()
    return path


def test_the_digest_and_the_inbox_name_the_sender_in_the_readers_language(store):
    db = open_db(store)
    try:
        english = render_markdown(build_digest(db, as_of=AS_OF, profile="ncp", lang="en"))
        bokmal = render_markdown(build_digest(db, as_of=AS_OF, profile="ncp", lang="nb"))
    finally:
        db.close()
    assert "Sender: Ministry of Finance" in english and "Finansdepartementet" not in english
    assert "Avsender: Finansdepartementet" in bokmal
    assert "Sender: NCP France" in english
    assert "Avsender: Kontaktpunktet i Frankrike" in bokmal and "NCP France" not in bokmal
    client = make_app(store, as_of=datetime(2026, 11, 24, 9, tzinfo=OSLO)).test_client()
    inbox_en = client.get("/?lang=en").get_data(as_text=True)
    assert "Ministry of Finance" in inbox_en and "Finansdepartementet" not in inbox_en
    assert "Finansdepartementet" in client.get("/?lang=nb").get_data(as_text=True)
