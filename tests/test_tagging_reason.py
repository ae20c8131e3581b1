"""What `tag` stores: labels once, each with strength, evidence and the instrument that implied it,
and the tagger's one-line reason."""

from __future__ import annotations

import json
import re

from tracker.jobs.tagging import tag_store
from tracker.store.queries import label_evidence


def test_reason_and_instrument_evidence_are_stored(db):
    db["items"].insert_all([
        {"id": "t:1", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u1", "content_hash": "h1",
         "title": "Høring – gjennomføring av CSDDD i norsk rett"},
        {"id": "t:2", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u2", "content_hash": "h2",
         "title": "Høring om endringer i reglene for skolefritidsordningen"},
    ])
    counts = tag_store(db)
    assert counts == {"tagged": 2, "relevant": 1}
    csddd = db["items"].get("t:1")
    assert csddd["relevant"] == 1 and csddd["relevance_reason"]
    tags = {t["label"]: t for t in label_evidence(csddd)}
    assert {"oecd-ii", "oecd-iv", "oecd-vi", "apenhetsloven"} <= set(tags)  # rule 4 and 5: Norwegian side
    assert all(t["evidence"] for t in tags.values())
    assert tags["oecd-iv"]["instrument"] and "CSDDD" in tags["oecd-iv"]["evidence"][0]["text"]
    school = db["items"].get("t:2")
    assert school["relevant"] == 0 and json.loads(school["labels"]) == [] and school["relevance_reason"]
    assert "tags" not in db.table_names()  # labels are stored once


def test_the_reason_is_stored_in_english_too_and_the_english_digest_reads_it(db):
    """The English digest and workbench said "Why: CSDDD (aktsomhetsdirektivet) nevnt": the
    tagger's reason was Bokmål only. It is stored in both; an item tagged before that has the
    Bokmål line only, and the English views fall back to it."""
    from tracker.digest.wording import reason_text

    db["items"].insert_all([
        {"id": "t:1", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u1", "content_hash": "h1",
         "title": "Høring – gjennomføring av CSDDD i norsk rett og endringer i åpenhetsloven"},
        {"id": "t:2", "source": "no_regjeringen_horinger", "kind": "hearing", "url": "u2", "content_hash": "h2",
         "title": "Høring om endringer i reglene for skolefritidsordningen"},
    ])
    tag_store(db)
    csddd, school = db["items"].get("t:1"), db["items"].get("t:2")
    assert "CSDDD (aktsomhetsdirektivet) nevnt" in csddd["relevance_reason"]
    assert "CSDDD (Corporate Sustainability Due Diligence Directive) mentioned" in csddd["relevance_reason_en"]
    assert "Transparency Act (åpenhetsloven) mentioned" in csddd["relevance_reason_en"]
    assert school["relevance_reason_en"] == "nothing on responsible business conduct"
    score = f"{csddd['relevance']:.2f}"
    assert reason_text(csddd, "en") == f"{csddd['relevance_reason_en']} (relevance {score})"
    assert reason_text(csddd, "nb") == f"{csddd['relevance_reason']} (relevans {score.replace('.', ',')})"
    older = {**csddd, "relevance_reason_en": None}  # tagged before the English line existed
    assert reason_text(older, "en").startswith(csddd["relevance_reason"])


def test_every_reason_the_tagger_can_give_has_its_english_wording():
    """An instrument without an English name, a combination without an English reason, or an
    anchor term without an English phrase would put Bokmål into the English line unnoticed."""
    import tomllib
    from importlib import resources

    from nlp.instruments import load_register
    from nlp.tagger import default_tagger

    assert [i.id for i in load_register() if not i.name_en] == []
    rules = tomllib.loads(resources.files("nlp.lexicons").joinpath("relevance.toml").read_text("utf-8"))
    assert [c["id"] for c in rules.get("combo", []) if c.get("reason") and not c.get("reason_en")] == []
    lexicon = default_tagger().lexicon
    anchors = [(label, t["id"]) for label, spec in lexicon.labels.items() for t in spec["terms"]
               if t.get("anchor") and not (t.get("en") or t.get("reason_en"))]
    assert anchors == []


def test_a_word_inside_an_instruments_name_is_not_listed_beside_the_name(db):
    """The item page listed «Carbon, Carbon Border Adjustment Mechanism, …» for a CBAM item (the
    lexicon's "carbon" inside the instrument's name), and the inbox showed «Carbon» alone; both
    read their evidence through label_evidence, which now leaves out a span inside a longer span
    of the same field."""
    from tracker.web.app import create_app

    db["items"].insert({"id": "t:1", "source": "eu_haveyoursay", "kind": "eu_consultation", "url": "u1",
                        "content_hash": "h1", "status": "open",
                        "title": "Carbon Border Adjustment Mechanism – extension to downstream products",
                        "summary": "Review of the scope of Regulation (EU) 2023/956."})
    tag_store(db)
    stored = json.loads(db["items"].get("t:1")["evidence"])["oecd-vi"]["evidence"]
    assert [e["text"] for e in stored][:2] == ["Carbon", "Carbon Border Adjustment Mechanism"]  # as tagged
    shown = {t["label"]: [e["text"] for e in t["evidence"]] for t in label_evidence(db["items"].get("t:1"))}
    assert shown["oecd-vi"] == ["Carbon Border Adjustment Mechanism", "(EU) 2023/956"]
    page = create_app(db.conn.execute("pragma database_list").fetchone()[2]).test_client().get("/item/t:1")
    html = page.get_data(as_text=True)
    marked = re.findall(r'<mark class="ev"[^>]*>([^<]*)</mark>', html)  # (lang="en" on a Bokmål page)
    assert "Carbon Border Adjustment Mechanism" in marked and "Carbon" not in marked


def test_spans_inside_longer_ones_are_left_out_and_the_others_kept():
    spans = [{"field": "title", "start": 0, "end": 6, "text": "Carbon"},
             {"field": "title", "start": 0, "end": 34, "text": "Carbon Border Adjustment Mechanism"},
             {"field": "title", "start": 0, "end": 34, "text": "Carbon Border Adjustment Mechanism"},  # same span: kept
             {"field": "summary", "start": 0, "end": 6, "text": "Carbon"},  # another field: kept
             {"field": "title", "start": 7, "end": 13, "text": "Border"},
             {"field": "title", "text": "no offsets"}]  # kept as it is
    item = {"labels": '["oecd-vi"]', "evidence": json.dumps({"oecd-vi": {"strength": 1.0, "evidence": spans}})}
    kept = label_evidence(item)[0]["evidence"]
    assert [(s["field"], s["text"]) for s in kept] == [
        ("title", "Carbon Border Adjustment Mechanism"), ("title", "Carbon Border Adjustment Mechanism"),
        ("summary", "Carbon"), ("title", "no offsets")]


def test_a_reasons_two_languages_name_the_same_term():
    """«Why: EUs taksonomi nevnt; taksonomi» read «EU Taxonomy mentioned; sustainable finance» in
    English: a term's reason is its first phrase in each language, and the taxonomy term listed
    «sustainable finance» first in English, «taksonomi» first in Bokmål. (The only anchor term
    whose two first phrases named different things.)"""
    from nlp.tagger import Tagger

    result = Tagger.load().tag({"id": "x", "title": "EU Taxonomy – review of the technical screening criteria",
                                "summary": "Sustainable finance: the taxonomy's climate criteria.", "language": "en",
                                "source": "eu_haveyoursay"})
    assert result.relevant
    assert result.reason.split("; ")[1:] == ["taksonomi"] and result.reason_en.split("; ")[1:] == ["taxonomy"]


def test_the_oecd_guidelines_are_named_by_their_current_name_in_a_reason():
    """«Hvorfor: … OECDs retningslinjer for flernasjonale virksomheter nevnt»: a name the product's
    domain notes do not give; the current Norwegian name (2023) is «OECDs retningslinjer for
    flernasjonale selskaper om ansvarlig næringsliv», the English one «OECD Guidelines for
    Multinational Enterprises on Responsible Business Conduct»."""
    from nlp.tagger import Tagger

    result = Tagger.load().tag({"id": "x", "title": "Høring – veileder om aktsomhetsvurderinger etter OECDs "
                                "retningslinjer for flernasjonale selskaper", "language": "nb",
                                "source": "no_regjeringen_horinger"})
    assert "OECDs retningslinjer for flernasjonale selskaper om ansvarlig næringsliv nevnt" in result.reason.split("; ")
    assert ("OECD Guidelines for Multinational Enterprises on Responsible Business Conduct mentioned"
            in result.reason_en.split("; "))
