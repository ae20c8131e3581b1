"""The digest's sections, its "since" point, languages and hostile input."""

from __future__ import annotations

import email
import json
from datetime import datetime, timedelta
from email import policy
from html.parser import HTMLParser

import pytest
from test_digest_world import (
    DAY1,
    DAY2,
    HOSTILE_TITLE,
    build_world,
    crawl_day,
    day1_items,
    hearing,
    iid,
    tag,
)

import tracker.digest as digest
from crawlers.dates import OSLO
from tracker.attention.profiles import load_profile
from tracker.store import ids
from tracker.store import merge as store


def _build(db, **kw):
    return digest.build_digest(db, as_of=kw.pop("as_of", DAY2), profile=kw.pop("profile", "ncp"), **kw)


def _day1_digest_then_day2(db, tmp_path):
    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    build_world_day2(db)
    return _build(db)


def build_world_day2(db):
    from test_digest_world import EU, RG, ST, day2_items

    crawl_day(db, DAY2, day2_items(), health_status={RG: ("green", 10), ST: ("red", 0), EU: ("amber", 1)})
    tag(db)


def test_new_since_the_previous_digest(db, tmp_path):
    d = _day1_digest_then_day2(db, tmp_path)
    assert {r["id"] for r in d.new} == {iid("3100009"), iid("3100010")}
    assert d.since == DAY1
    assert d.new[0]["id"] == iid("3100010")  # the more relevant first
    assert d.new[0]["snippet"]["text"] == "Menneskerettigheter"


def test_a_new_items_sender_is_named_as_in_needs_input(db, tmp_path):
    """Under "Nytt" the sender stood as a bare line ("Finansdepartementet") after the reason."""
    from test_digest_world import tag

    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_finansdep"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_finansdep", items=[{
        "source": "no_finansdep", "kind": "gpfg_document", "native_id": "3172310", "owner": "Finansdepartementet",
        "title": "Endringer i mandatet for forvaltningen av Statens pensjonsfond utland er fastsatt",
        "url": "https://www.regjeringen.no/no/dokumenter/mandat/id3172310/", "channel": "rss"}])
    store.finish_run(db, run, 0)
    build_world_day2(db)
    tag(db)
    item_id = next(r["id"] for r in db.query("select id from items where native_id = '3172310'"))
    with db.conn:  # relevant as the tagger makes it with the fund's page text (not stored here)
        db["items"].update(item_id, {"relevance": 0.89, "relevant": 1, "labels": '["gpfg"]'})
    md = digest.render_markdown(_build(db))
    new = md[md.index("## Nytt"):md.index("## Endret")]
    assert "Endringer i mandatet for forvaltningen" in new and "  - Avsender: Finansdepartementet\n" in new
    assert "  - Finansdepartementet\n" not in new


def test_changed_lists_each_kind_of_change(db, tmp_path):
    d = _day1_digest_then_day2(db, tmp_path)
    changes = {r["id"]: [c["kind"] for c in r["changes"]] for r in d.changed}
    assert set(changes[iid("3100001")]) == {"deadline_changed", "documents_added"}
    assert "status_changed" in changes[iid("3100003")]
    assert "status_changed" in changes[iid("3100004")]
    assert changes[iid("3100007")] == ["vanished"]
    # a new consultation that repeats an earlier one is no change to an item: its own entry (under
    # «Trenger innspill» here) says so, and «Endret» does not list it a second time
    assert iid("3100009") not in changes and iid("3100009") in {r["id"] for r in d.new}
    (entry,) = [e for s in d.sections if s.id == "needs-input" for g in s.groups for e in g.entries
                if e.id == iid("3100009")]
    assert "Sendt på ny høring; forrige: «Høring – forslag til lov om ansvarlige leverandørkjeder" in " ".join(entry.lines)
    with db.conn:  # closed already: under «Nytt», which says it too
        db["items"].update(iid("3100009"), {"status": "closed"})
    (entry,) = [e for e in _build(db).section("new").groups[0].entries if e.id == iid("3100009")]
    assert "Sendt på ny høring; forrige: «Høring – forslag til lov om ansvarlige leverandørkjeder" in " ".join(entry.lines)
    with db.conn:
        db["items"].update(iid("3100009"), {"status": "open"})
    # and the day after, no longer new, it still says so under «Trenger innspill» (as the inbox does)
    from datetime import timedelta

    digest.write_for_run(db, as_of=DAY2, out_dir=tmp_path)
    d3 = _build(db, as_of=DAY2 + timedelta(days=1))
    assert iid("3100009") not in {r["id"] for r in d3.new}
    (entry,) = [e for s in d3.sections if s.id == "needs-input" for g in s.groups for e in g.entries
                if e.id == iid("3100009")]
    assert "Sendt på ny høring; forrige:" in " ".join(entry.lines) and not entry.new
    text = digest.render_text(d)
    assert "Fristen er flyttet: fre. 04.12.2026 → fre. 11.12.2026" in text
    assert "Trukket tilbake" in text
    # 3100003 closed, but it is not relevant: counted in one line, not listed
    assert "Lukket" not in text and "2 andre endrede saker er ikke relevante for denne profilen" in text
    assert "Sendt på ny høring; forrige: «Høring – forslag til lov om ansvarlige leverandørkjeder" in text
    assert "Nye dokumenter (1): Høringsnotat" in text
    assert digest.describe_change({"kind": "vanished"}, "nb") == "Forsvant fra kildens liste (beholdt her)"


def test_regenerating_the_same_day_keeps_the_since_point(db, tmp_path):
    _day1_digest_then_day2(db, tmp_path)
    first = digest.write_for_run(db, as_of=DAY2, out_dir=tmp_path)
    again = digest.write_for_run(db, as_of=DAY2, out_dir=tmp_path)
    assert first == again
    d = _build(db)
    assert {r["id"] for r in d.new} == {iid("3100009"), iid("3100010")}
    assert d.baseline_event_id > 0
    rows = list(db.query("select date, format from digests order by id"))
    assert [r["date"] for r in rows] == ["2026-11-23"] * 2 + ["2026-11-24"] * 4


def test_an_extra_digest_later_the_same_day_hides_nothing_the_next_day(db, tmp_path):
    """Day 1 is written at 06:00 and again after a 14:00 crawl; day 2 still shows the 14:00 news."""
    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    afternoon = DAY1.replace(hour=14)
    run = store.start_run(db, as_of=afternoon, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=afternoon, source="no_regjeringen_horinger",
                       items=[hearing("3200001", "Høring – ettermiddagsnytt om leverandørkjeder", "2027-03-01T23:59:59+01:00")])
    digest.write_for_run(db, as_of=afternoon, out_dir=tmp_path)
    build_world_day2(db)
    new_ids = {r["id"] for r in _build(db).new}
    assert iid("3100010") in new_ids
    assert any(r["title"].startswith("Høring – ettermiddagsnytt") for r in _build(db).new)


def test_first_digest_without_baseline_uses_the_last_24_hours(db):
    build_world(db, days=1)
    d = _build(db, as_of=DAY1)
    assert d.since is None and len(d.new) == len(day1_items())
    later = _build(db, as_of=datetime(2026, 11, 25, 6, 0, tzinfo=OSLO))
    assert later.new == []


def test_needs_input_section_uses_the_one_decision(db):
    build_world(db)
    d = _build(db)
    from tracker.attention.urgency import needs_input

    assert [r["id"] for r in d.needs_input] == [r["id"] for r in needs_input(db, as_of=DAY2, profile=load_profile("ncp"))]
    md = digest.render_markdown(d)
    assert "Ansvarlig: Kari Nordmann" in md
    assert "Utkast innen: fre. 20.11.2026 – utkastfristen er passert" in md
    # a draft due today is said so, as a warning (it read like any other day: "Utkast innen: tir. 24.11.2026")
    assert "⚠ **Utkast innen: i dag (tir. 24.11.2026)**" in md and "  - Utkast innen: tir. 24.11.2026\n" not in md
    assert "9 **Menneskerettigheter** og" in md
    assert "Merker: Kap. IV Menneskerettigheter, Kap. II Generelle prinsipper" in md
    assert md.index("### Denne uken (1)") < md.index("### Neste uke (2)") < md.index("### Senere (5)")


def test_coming_deadlines_buckets_and_nothing_left_out(db):
    build_world(db)
    d = _build(db)
    buckets = {key: [r["id"] for r in rows] for key, rows in d.coming}
    assert buckets["2w"] == [iid("3100010"), iid("h-1042"), iid("h-1043")]
    assert iid("14567") in buckets["6w"] and iid("3100001") in buckets["6w"]
    assert iid("3100002") in buckets["12w"] and iid("3100009") in buckets["12w"]
    assert buckets["later"] == [iid("3100005")]
    # the set-aside hearing is still listed (not starred)
    set_aside = next(r for _, rows in d.coming for r in rows if r["id"] == iid("3100006"))
    assert set_aside["passes"] is False


def test_an_answered_consultation_is_counted_as_answered_not_as_below_the_relevance(db):
    """An open consultation the NCP has answered (triage: submitted) was counted under "N other
    open consultations are below the profile's relevance"; one marked not relevant is below it."""
    build_world(db)
    with db.conn:
        db["triage"].upsert({"item_id": iid("3100009"), "state": "submitted", "owner": "Kari Nordmann",
                             "updated_at": "2026-11-23T10:00:00+01:00"}, pk="item_id")
    d = _build(db)
    rows = {r["id"]: r for _, rs in d.coming for r in rs}
    assert rows[iid("3100009")]["set_aside"] and not rows[iid("3100009")]["passes"]
    assert not rows[iid("3100006")].get("set_aside")  # marked not relevant: below the relevance
    assert sum(1 for r in rows.values() if not r["passes"] and not r.get("set_aside")) == 1
    coming = next(s for s in d.sections if s.id == "coming")
    assert [(n.text, n.where) for n in coming.notes] == [
        ("1 annen åpen høring er under profilens relevansgrense (se arbeidsbenken).",
         {"open_consultations": "1", "not_relevant_to": "ncp"}),
        ("1 annen åpen høring er lagt til side i arbeidsbenken (besvart).", None)]


@pytest.mark.parametrize("days", [0, 3, 20])
def test_the_coming_deadlines_note_counts_what_its_link_lists(db, tmp_path, data_dir, days):
    """«55 andre åpne høringer er under profilens relevansgrense (se arbeidsbenken)» linked to
    /search?status=open&not_relevant_to=ncp, which listed 58: the count leaves out vanished items,
    what is not a consultation and a deadline passed; the link filtered on the status only. The
    link's search (open_consultations) selects what the count counts, on the same store and clock."""
    import re
    from urllib.parse import urlencode

    from tracker.web.app import create_app

    build_world(db)
    with db.conn:  # below the relevance, open: a vanished hearing, a Storting case (no consultation)
        db["items"].update(iid("3100003"), {"vanished_at": "2026-11-24T05:00:00+00:00"})
        store.apply_scrape(db, run_id=None, as_of=DAY2, source="no_stortinget_spu", items=[{
            "source": "no_stortinget_spu", "kind": "storting_case", "native_id": "107999", "status_raw": "til behandling",
            "title": "Representantforslag om noe annet", "url": "https://www.stortinget.no/sak/107999"}])
        # of unknown status and without a deadline: open while published within the window
        # (urgency.UNKNOWN_STATUS_WINDOW_DAYS), else not — counted and listed alike
        unknown = [hearing("3100091", "Høring om fiskeredskaper", None, status_raw=None,
                           published="2026-11-10T10:00:00+01:00"),
                   hearing("3100092", "Høring om jaktkort", None, status_raw=None, published="2026-05-01T10:00:00+02:00")]
        store.apply_scrape(db, run_id=None, as_of=DAY2, source="no_regjeringen_horinger", items=unknown)
        # … and one a backfill found, with no published day: its first seen (the walk's) says nothing
        walk = store.start_run(db, as_of=DAY2, mode="backfill", sources=["no_regjeringen_horinger"], backfill=True)
        found = [{**hearing("3100093", "Høring om fangstredskaper", None, status_raw=None), "published": None}]
        store.apply_scrape(db, run_id=walk, as_of=DAY2, source="no_regjeringen_horinger", items=found)
    recent, old, backfilled = (ids.item_id(i["source"], i["native_id"], i["url"]) for i in [*unknown, *found])
    assert {db["items"].get(i)["status"] for i in (recent, old, backfilled)} == {"unknown"}
    as_of = DAY2 + timedelta(days=days)
    d = _build(db, as_of=as_of)
    note = next(n for n in d.section("coming").notes if "relevansgrense" in n.text)
    counted = int(note.text.split()[0])
    c = create_app(str(tmp_path / "test.db"), as_of=as_of, data_dir=data_dir).test_client()
    page = c.get("/search?" + urlencode(note.where)).get_data(as_text=True)
    listed = re.findall(r'<li><a href="/item/', page)
    assert counted and len(listed) == counted, (counted, len(listed))
    assert f"/item/{recent}" in page and f"/item/{old}" not in page and f"/item/{backfilled}" not in page
    assert (f"{counted} treff" if counted != 1 else "1 treff") in page
    if "open_consultations" in note.where:
        assert "Bare åpne høringer der fristen ikke har gått ut" in page


def _have_your_say(native_id: str, title: str, deadline: str | None, status_raw: str | None = "OPEN") -> dict:
    from test_digest_world import EU

    return {"source": EU, "kind": "eu_consultation", "native_id": native_id, "title": title,
            "url": f"https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/{native_id}",
            "owner": "European Commission", "deadline": deadline, "status_raw": status_raw, "channel": "api",
            "language": "en", "published": "2026-11-20T00:00:00+01:00"}


def _notes_link_what_they_count(d, client, section_id: str) -> list[tuple[int, str]]:
    """(count, page) of each «(se arbeidsbenken)» note of a section with a link: its count and
    what its search lists on the same store and clock, which must agree."""
    import re
    from urllib.parse import urlencode

    out = []
    for note in d.section(section_id).notes:
        if not note.where:
            continue
        counted = int(note.text.split()[0])
        page = client.get("/search?" + urlencode(note.where)).get_data(as_text=True)
        listed = re.findall(r'<li><a href="/item/', page)
        assert len(listed) == counted, (section_id, note.text, note.where, len(listed))
        assert (f"{counted} treff" if counted != 1 else "1 treff") in page
        out.append((counted, page))
    return out


@pytest.mark.parametrize("profile", ["ncp", "eu"])
@pytest.mark.parametrize("days", [0, 3, 20])
def test_the_eu_note_counts_what_its_link_lists(db, tmp_path, data_dir, days, profile):
    """«N andre åpne EU-konsultasjoner er under profilens relevansgrense (se arbeidsbenken)» linked
    to /search?source=eu_haveyoursay&status=open&not_relevant_to=…, which also listed a vanished
    consultation and one whose deadline had passed, and the count left out one an adviser had
    marked not relevant (listed in the section as relevant). The section now takes the open ones
    as «Kommende frister» does (urgency.open_consultation, with their triage), and the link selects
    them with the same rule (open_consultations) on the same store and clock. Every other note
    with a link to the workbench is checked the same way."""
    from tracker.web.app import create_app

    build_world(db)
    items = [_have_your_say("19001", "Packaging – labelling rules", "2027-01-20T23:59:59+01:00"),
             _have_your_say("19002", "Fisheries – control regulation", "2027-01-21T23:59:59+01:00"),
             _have_your_say("19003", "Tyres – abrasion limits", "2026-11-23T23:59:59+01:00"),
             _have_your_say("19004", "Due diligence – guidance for SMEs", "2027-01-22T23:59:59+01:00"),
             _have_your_say("19005", "Ports – state aid", None, status_raw=None)]
    eu_id = {i["native_id"]: ids.item_id(i["source"], i["native_id"], i["url"]) for i in items}
    with db.conn:
        store.apply_scrape(db, run_id=None, as_of=DAY2, source="eu_haveyoursay", items=items)
        for item in items:
            low = item["native_id"] != "19004"  # below the relevance, but for the one set aside by an adviser
            db.execute("update items set relevance = ?, relevant = ? where native_id = ?",
                       [0.1 if low else 0.9, 0 if low else 1, item["native_id"]])
        db["items"].update(eu_id["19002"], {"vanished_at": "2026-11-24T05:00:00+00:00"})
        db["items"].update(eu_id["19003"], {"status": "open"})  # the source still says open: its deadline passed
        db["triage"].upsert({"item_id": eu_id["19004"], "state": "not_relevant", "owner": None,
                             "updated_at": "2026-11-23T09:05:00+01:00"}, pk="item_id")
    as_of = DAY2 + timedelta(days=days)
    d = _build(db, as_of=as_of, profile=profile)
    client = create_app(str(tmp_path / "test.db"), as_of=as_of, data_dir=data_dir).test_client()
    [(counted, page)] = _notes_link_what_they_count(d, client, "eu")
    # open and below the relevance: 19001, the one set aside as not relevant, 19005 (unknown status,
    # published within the window); not the vanished one, nor the one whose deadline passed
    assert counted == 3
    assert all(f"/item/{eu_id[n]}" in page for n in ("19001", "19004", "19005"))
    assert f"/item/{eu_id['19002']}" not in page and f"/item/{eu_id['19003']}" not in page
    text = digest.render_text(d)
    assert "3 andre åpne EU-konsultasjoner er under profilens relevansgrense (se arbeidsbenken)." in text
    listed = [e.title for g in d.section("eu").groups for e in g.entries]
    assert "Due diligence – guidance for SMEs" not in listed, listed
    # the other notes that send the reader to the workbench («N andre nye saker er ikke relevante
    # for denne profilen», «Endret»'s, «Kommende frister»'s) count what their links list too
    checked = [s for s in ("new", "changed", "coming") if d.section(s) and _notes_link_what_they_count(d, client, s)]
    if days == 0 and profile == "ncp":
        assert checked == ["new", "changed", "coming"]


def test_health_is_last_and_red_is_loud_at_the_top(db):
    build_world(db)
    d = _build(db)
    md = digest.render_markdown(d)
    assert md.index("1 kilde feiler: Stortingets komitéhøringer (feed answered 404)") < md.index("## Trenger innspill")
    assert md.rindex("## ") == md.index("## Kildenes helse")
    assert digest.subject(d).startswith("[1 kilde feiler]")
    en = digest.render_text(_build(db, lang="en"))
    assert "!! 1 source is failing: Storting committee hearings" in en


def test_stale_sources_are_flagged(db):
    build_world(db)
    d = _build(db, as_of=datetime(2026, 11, 27, 6, 0, tzinfo=OSLO))
    from tracker.attention.profiles import scheduled_sources

    assert {h["source"] for h in d.stale} == set(scheduled_sources())  # the daily runs check every one
    assert "Ikke sjekket på over 36 timer" in digest.render_text(d)
    # in the health table none of them is "OK" or a mere warning any more: out of date, red, with
    # what its last check said; the failing one first, then the out-of-date ones
    text = digest.render_text(d)
    health = text[text.index("KILDENES HELSE"):]
    assert ("- EU: Si din mening (Have your say): utdatert (siste sjekk: advarsel), ikke sjekket på over 36 timer"
            in health)
    assert "- Høringer (regjeringen.no): utdatert (siste sjekk: OK), ikke sjekket på over 36 timer" in health
    assert health.index("Stortingets komitéhøringer: FEILER") < health.index("EU: Si din mening")
    rows = {h.source: h for h in digest.build_digest(db, as_of=datetime(2026, 11, 27, 6, 0, tzinfo=OSLO),
                                                     profile="ncp").health_rows}
    assert rows["Høringer (regjeringen.no)"].status == "red"
    assert "**utdatert (siste sjekk: OK)**" in digest.render_markdown(d)


def test_eu_section_only_when_eu_items_exist(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger",
                       items=[hearing("1", "Høring – noe", "2026-12-04T23:59:59+01:00")])
    assert _build(db).eu is None
    assert "## EU" not in digest.render_markdown(_build(db))
    build_world(db)
    d = _build(db)
    assert [r["id"] for r in d.eu["consultations"]] == [iid("14567")]
    assert "Corporate sustainability due diligence" in digest.render_markdown(_build(db, lang="en"))


def _watched_csddd_changes(db, **day2) -> None:
    """The demo world, and CSDDD's OEIL procedure file seen on day 1 and changed by `day2` on day 2."""
    build_world(db)
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["eu_oeil"])
    item = {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0051(COD)",
            "title": "Corporate sustainability due diligence", "extra": {"stage": "Awaiting Council's 1st reading position"},
            "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0051(COD)"}
    store.apply_scrape(db, run_id=run, as_of=DAY1, source="eu_oeil", items=[item])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="eu_oeil", items=[{**item, **day2}])


def test_eu_stage_changes_of_watched_files(db):
    _watched_csddd_changes(db, title="Corporate sustainability due diligence (Omnibus I)")
    d = _build(db)
    (entry,) = d.eu["stage"]
    assert entry["stage"] == "Awaiting Council's 1st reading position"
    assert [c["kind"] for c in entry["changes"]] == ["new", "updated"]
    # the stage in the digest's language (OEIL's words were left in English in a Bokmål digest:
    # «Trinn: Procedure completed»); in English, OEIL's own words
    assert "Trinn: Venter på Rådets posisjon ved førstegangsbehandlingen" in digest.render_markdown(d)
    assert "Stage: Awaiting Council&#39;s 1st reading position" in digest.render_html(_build(db, lang="en"))
    # first seen this week: marked NEW, as under «Nytt», not listed with a change line «Ny»
    (shown,) = [e for g in d.section("eu").groups for e in g.entries if e.id == entry["id"]]
    assert shown.new and shown.changes == ["Endret: tittel (var «Corporate sustainability due diligence»)"], shown.changes


def _add_gpfg_and_apl(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_nbim", "no_forbrukertilsynet"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_nbim", items=[{
        "source": "no_nbim", "kind": "gpfg_decision", "native_id": "n1", "title": "Beslutning om utelukkelse av Selskap ASA",
        "url": "https://www.nbim.no/no/nyheter/n1"}])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_forbrukertilsynet", items=[{
        "source": "no_forbrukertilsynet", "kind": "regulator_news", "native_id": "f1",
        "title": "Oppdatert veiledning om aktsomhetsvurderinger", "url": "https://www.forbrukertilsynet.no/f1",
        "extra": {"topic": "åpenhetsloven"}}])  # as the spider marks a post that names the act's duties


def test_gpfg_and_apenhetsloven_sections_from_the_links_module(db):
    build_world(db)
    assert _build(db).gpfg is None and _build(db).apenhetsloven is None
    _add_gpfg_and_apl(db)
    d = _build(db)
    assert [e.title for g in d.gpfg.groups for e in g.entries] == ["Beslutning om utelukkelse av Selskap ASA"]
    changed, ahead = d.apenhetsloven.groups  # what is new or changed; then the act's deadlines ahead
    assert [e.title for e in changed.entries] == ["Oppdatert veiledning om aktsomhetsvurderinger"]
    assert ahead.heading == "Frister de neste 12 ukene (3)"
    md = digest.render_markdown(d)
    assert md.index("## Statens pensjonsfond utland") < md.index("## Åpenhetsloven") < md.index("## Kommende frister")
    assert _build(db, profile="eu").gpfg is None


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", {"group": "Frister de neste 12 ukene (2)", "second": "fre. 11.12.2026 – Høringsfrist",
            "heading": "ÅPENHETSLOVEN"}),
    ("en", {"group": "Deadlines in the next 12 weeks (2)", "second": "Fri 11 Dec 2026 – Consultation deadline",
            "heading": "TRANSPARENCY ACT (ÅPENHETSLOVEN)"}),
])
def test_the_apenhetsloven_section_lists_the_acts_deadlines_ahead_on_a_quiet_day(db, lang, words):
    """The demo's digest said «Åpenhetsloven: Ingenting.» on a day when two hearings on changes
    to the act were open (the section read only what Forbrukertilsynet and Lovdata changed since
    the last digest). As the GPFG section does, it now lists under that the deadlines ahead of the
    items about the act, any source (the tagger's label or the spider's mark), earliest first;
    not an item that is not about the act, nor one whose deadline has passed."""
    build_world(db)
    _add_gpfg_and_apl(db)
    d = _build(db, lang=lang, as_of=datetime(2026, 12, 2, 7, 0, tzinfo=OSLO))  # nothing changed since
    section = d.section("apenhetsloven")
    assert [g.heading for g in section.groups] == [words["group"]]
    entries = section.groups[0].entries
    # the EU call for evidence labelled with the act (10 Dec), then the ministry's hearing (11 Dec);
    # not the committee hearing on the act (its deadline, 1 Dec, has passed), nor the 3100003
    # hearing (10 Dec, not about the act), nor Forbrukertilsynet's post (no deadline)
    assert [e.id for e in entries] == [iid("14567"), iid("3100001")]
    assert entries[1].compact == words["second"]
    text = digest.render_text(d).splitlines()
    at = text.index(words["heading"])
    assert words["group"] + ":" in text[at:at + 4]
    # after the last of them: the section has nothing to say
    assert _build(db, lang=lang, as_of=datetime(2026, 12, 14, 7, 0, tzinfo=OSLO)).section("apenhetsloven").groups == []


@pytest.mark.parametrize(("lang", "heading"), [("nb", "## Åpenhetsloven"), ("en", "## Transparency Act")])
def test_the_apenhetsloven_section_lists_only_items_about_the_act(db, lang, heading):
    """Day 1 of the demo listed Forbrukertilsynet's «Nye regler om kredittkjøp på nett» and
    «Forbrukertilsynet advarer mot skjult reklame i sosiale medier» under «Åpenhetsloven»: every
    post of the regulator, the flag that a post is about the act computed and then dropped. Now
    the section holds the posts about the act (the spider's mark, or the tagger's label)."""
    build_world(db)
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_forbrukertilsynet"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_forbrukertilsynet", items=[
        {"source": "no_forbrukertilsynet", "kind": "regulator_news", "native_id": native_id, "title": title,
         "url": f"https://www.forbrukertilsynet.no/{native_id}", "extra": {"topic": topic}}
        for native_id, title, topic in (
            ("41098", "Nye regler om kredittkjøp på nett", None),
            ("40870", "Forbrukertilsynet advarer mot skjult reklame i sosiale medier", None),
            ("41150", "Tilsyn med redegjørelser etter åpenhetsloven for 2026", "åpenhetsloven"),
            ("41300", "Veiledning om redegjørelsen for 2026", None))])  # the tagger's label says it
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("""update items set labels = '["apenhetsloven", "oecd-ii"]', relevance = 0.7, relevant = 1
                      where id = 'no_forbrukertilsynet:41300'""")
    md = digest.render_markdown(_build(db, lang=lang))
    section = md[md.index(heading):].split("\n## ", 1)[0]
    assert "Tilsyn med redegjørelser etter åpenhetsloven for 2026" in section
    assert "Veiledning om redegjørelsen for 2026" in section
    assert "kredittkjøp" not in section and "skjult reklame" not in section
    html = digest.render_html(_build(db, lang=lang))
    part = html[html.index('id="apenhetsloven"'):].split("</section>", 1)[0]
    assert "Tilsyn med redegjørelser" in part and "kredittkjøp" not in part


def test_a_storting_case_in_the_gpfg_section_gives_its_hearing_deadline(db):
    """A representantforslag on the fund read «Stortinget · åpen · tir. 10.11.2026 · endret»: its
    hearing deadline (the saksgang's HOERFRIST, a day at 00:00) was only in its text."""
    build_world(db)
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_stortinget_spu"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_stortinget_spu", items=[{
        "source": "no_stortinget_spu", "kind": "storting_case", "native_id": "107095", "status_raw": "til behandling",
        "title": "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra Statens pensjonsfond utland",
        "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107095",
        "published": "2026-11-10T00:00:00+01:00", "extra": {"topic": "gpfg", "hearing_deadline": "2026-12-07T00:00:00+01:00"}}])
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 where native_id = '107095'")
    md = digest.render_markdown(_build(db))
    gpfg_part = md[md.index("## Statens pensjonsfond utland"):]
    assert "Høringsfrist i saken: man. 07.12.2026" in gpfg_part  # the day itself, not the day before
    english = digest.render_markdown(_build(db, lang="en"))
    assert "Hearing deadline of the case: Mon 7 Dec 2026" in english


def _announce(db, native_id: str, title: str, opens: str, deadline: str, relevance: float = 0.93):
    """A Have your say consultation announced on day 2 whose feedback window opens on `opens`
    (status upcoming, as the store derives it from extra `opens`)."""
    from test_digest_world import EU

    run = store.start_run(db, as_of=DAY2, mode="test", sources=[EU])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source=EU, items=[{
        "source": EU, "kind": "eu_consultation", "native_id": native_id, "title": title,
        "url": f"https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/{native_id}",
        "owner": "European Commission, JUST", "published": opens, "deadline": deadline, "status_raw": "ACTIVE",
        "channel": "api", "language": "en", "extra": {"opens": opens}}])
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("update items set labels = '[\"oecd-iv\"]', relevance = ?, relevant = ? where native_id = ?",
                   [relevance, int(relevance >= 0.4), native_id])


CLAUSES = "Human rights due diligence – model contract clauses for value chains"
SCREENING = "Forced labour – guidance on supply chain screening"


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", {"needs": "TRENGER INNSPILL (8)", "heading": "VARSLET, IKKE ÅPNET ENNÅ (2)", "new": "NYTT SISTE DØGN",
            "opens": "Åpner: tir. 01.12.2026", "deadline": "Frist: tir. 26.01.2027 (41 virkedager igjen)",
            "draft": "Utkast innen: tir. 19.01.2027", "first": "Åpner: man. 30.11.2026",
            "summary": "* 2 relevante høringer er varslet, men ikke åpnet ennå; den første åpner man. 30.11.2026 "
                       f"({SCREENING}).",
            "note": "2 nye saker står under «Varslet, ikke åpnet ennå» (merket NY).", "mark": "[NY]"}),
    ("en", {"needs": "NEEDS INPUT (8)", "heading": "ANNOUNCED, NOT OPEN YET (2)", "new": "NEW IN THE LAST 24 HOURS",
            "opens": "Opens: Tue 1 Dec 2026", "deadline": "Deadline: Tue 26 Jan 2027 (41 working days left)",
            "draft": "Draft due: Tue 19 Jan 2027", "first": "Opens: Mon 30 Nov 2026",
            "summary": "* 2 relevant consultations are announced but not open yet; the first opens Mon 30 Nov 2026 "
                       f"({SCREENING}).",
            "note": "2 new items are listed under “Announced, not open yet” (marked NEW).", "mark": "[NEW]"}),
])
def test_relevant_consultations_announced_but_not_open_yet_have_their_own_section(db, lang, words):
    """A relevant Have your say consultation announced but not open yet (status upcoming) was in
    the calendar and on the horizon, but nowhere in the digest, not even counted: «Trenger
    innspill» and «Kommende frister» read the open ones only. Now it has its own section after
    «Trenger innspill», by the day it opens, each with its deadline and draft-due day; the
    summary says so; it is listed once (not also under «Nytt»); «Trenger innspill» still counts
    the open ones."""
    build_world(db)
    _announce(db, "18911", CLAUSES, "2026-12-01T00:00:00+01:00", "2027-01-26T23:59:59+01:00")
    _announce(db, "18920", SCREENING, "2026-11-30T00:00:00+01:00", "2027-02-26T23:59:59+01:00")
    _announce(db, "18930", "Ecodesign – information requirements for the digital product passport",
              "2026-12-02T00:00:00+01:00", "2027-01-27T23:59:59+01:00", relevance=0.1)  # below the threshold
    assert db["items"].get("eu_haveyoursay:18911")["status"] == "upcoming"
    d = _build(db, lang=lang)
    text = digest.render_text(d)
    lines = text.splitlines()
    assert words["summary"] in lines
    assert words["needs"] in lines  # the open ones, as before
    at = lines.index(words["heading"])
    assert lines.index(words["needs"]) < at < next(i for i, line in enumerate(lines) if line.startswith(words["new"]))
    section = lines[at:at + 25]
    # by the day it opens: the screening guidance (30 Nov) before the contract clauses (1 Dec)
    assert section[2] == f"- {words['mark']} {SCREENING} [{'EU-konsultasjon' if lang == 'nb' else 'EU consultation'}]"
    clauses = section.index(f"- {words['mark']} {CLAUSES} [{'EU-konsultasjon' if lang == 'nb' else 'EU consultation'}]")
    facts = [line.strip() for line in section[clauses:clauses + 8]]
    assert facts.index(words["opens"]) < facts.index(words["deadline"]) < facts.index(words["draft"])
    assert words["first"] in [line.strip() for line in section[:clauses]]
    assert "digital product passport" not in text  # not relevant: not listed here
    # listed once: not also as new (the note says where they are) nor under another heading
    assert text.count(CLAUSES) == 1 and text.count(SCREENING) == 2  # its entry and the summary's line
    assert words["note"] in lines
    md = digest.render_markdown(d)
    assert f"## {d.section('upcoming').heading}\n" in md and "  - " + words["opens"] in md
    html = digest.render_html(d)
    part = html[html.index('<section id="upcoming">'):].split("</section>", 1)[0]
    assert CLAUSES in part and words["opens"] in part and words["draft"] in part
    raw = digest.render(db, "eml", as_of=DAY2, profile="ncp", lang=lang, digest=d, recipients=["a@example.org"])
    plain = email.message_from_bytes(raw, policy=policy.default).get_body(("plain",)).get_content()
    assert words["heading"] in plain.splitlines() and words["opens"] in plain


def test_an_announced_consultation_set_aside_or_out_of_scope_is_not_listed(db):
    build_world(db)
    _announce(db, "18911", CLAUSES, "2026-12-01T00:00:00+01:00", "2027-01-26T23:59:59+01:00")
    assert _build(db).section("upcoming") is not None
    assert _build(db, profile="gpfg").section("upcoming") is None  # not the fund's
    with db.conn:
        db["triage"].upsert({"item_id": "eu_haveyoursay:18911", "state": "not_relevant",
                             "updated_at": "2026-11-24T05:00:00+01:00"}, pk="item_id")
    d = _build(db)
    assert d.section("upcoming") is None and CLAUSES not in digest.render_text(d)


def _add_storting_case(db):
    """A representantforslag on the fund whose hearing deadline (the saksgang's HOERFRIST) is
    Monday 7 December, crawled on day 2 and not changed after."""
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_stortinget_spu"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_stortinget_spu", items=[{
        "source": "no_stortinget_spu", "kind": "storting_case", "native_id": "107095", "status_raw": "til behandling",
        "title": "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra Statens pensjonsfond utland",
        "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107095", "owner": "Finanskomiteen",
        "published": "2026-11-10T00:00:00+01:00", "extra": {"topic": "gpfg", "hearing_deadline": "2026-12-07T00:00:00+01:00"}}])
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 where native_id = '107095'")


def _text_section(d, section_id: str) -> str:
    """A section of `d`'s plain text: from its heading up to the next one."""
    text = digest.render_text(d)
    headings = [s.heading.upper() for s in d.sections] + [d.health_heading.upper()]
    at = [s.id for s in d.sections].index(section_id)
    return text[text.index(f"\n{headings[at]}\n"):text.index(f"\n{headings[at + 1]}\n")]


@pytest.mark.parametrize(("lang", "heading", "nothing", "today", "group"), [
    ("nb", "STATENS PENSJONSFOND UTLAND (SPU)", "Ingenting.", "i dag – Høringsfrist i saken, Stortinget",
     "Frister de neste 12 ukene (1):"),
    ("en", "GOVERNMENT PENSION FUND GLOBAL (GPFG)", "Nothing.", "today – Storting: hearing deadline of the case",
     "Deadlines in the next 12 weeks (1):"),
])
def test_the_gpfg_section_lists_a_deadline_ahead_on_a_day_nothing_on_the_fund_changed(
        db, tmp_path, lang, heading, nothing, today, group):
    """The digest of Mon 7 Dec said «Ingenting.» under the fund while the calendar and the horizon
    gave a Storting case's hearing deadline that very day: the section listed only what changed
    since the previous digest. Now it lists the fund's deadlines over the weeks «Kommende frister»
    covers, each item once."""
    build_world(db)
    _add_storting_case(db)
    title = "Representantforslag om å gjeninnføre Etikkrådets tilrådninger om utelukkelse fra Statens pensjonsfond utland"
    section = _text_section(_build(db, lang=lang), "gpfg")
    assert heading in section
    assert section.count(title) == 1 and "Deadlines in the next" not in section  # new that day: listed once
    digest.write_for_run(db, as_of=DAY2, out_dir=tmp_path)  # the baseline: nothing changes after it
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=OSLO)
    d = _build(db, as_of=monday, lang=lang)
    section = _text_section(d, "gpfg")
    assert nothing not in section
    assert group in section and f"- {today} — {title} · Finanskomiteen" in section
    md = digest.render_markdown(d)
    md_part = md[md.index("## " + d.gpfg.heading):].split("\n## ", 1)[0]
    assert f"### {group[:-1]}" in md_part and title in md_part and nothing not in md_part
    html = digest.render_html(d)
    html_part = html[html.index('id="gpfg"'):].split("</section>", 1)[0]
    assert title in html_part and f"<p>{nothing}</p>" not in html_part
    # the day after, the deadline has passed and nothing else on the fund is due
    tuesday = _text_section(_build(db, as_of=monday + timedelta(days=1), lang=lang), "gpfg")
    assert nothing in tuesday and title not in tuesday


@pytest.mark.parametrize(("lang", "gpfg_line", "ncp_line"), [
    ("nb", "* 1 frist denne uken: i dag (Representantforslag om å gjeninnføre Etikkrådets tilrådninger om "
           "utelukkelse fr…).",
     "* 3 frister denne uken; den første: i dag (Representantforslag om å gjeninnføre Etikkrådets tilrådninger "
     "om utelukkelse fr…)."),
    ("en", "* 1 deadline this week; the first: today (Representantforslag om å gjeninnføre Etikkrådets tilrådninger "
           "om utelukkelse fr…).",
     "* 3 deadlines this week; the first: today (Representantforslag om å gjeninnføre Etikkrådets tilrådninger "
     "om utelukkelse fr…)."),
])
def test_the_summary_counts_the_weeks_deadlines_the_gpfg_section_lists(db, tmp_path, lang, gpfg_line, ncp_line):
    """The fund's digest of Mon 7 Dec said «Ingen frister denne uken.» at the top and, in its GPFG
    section, «i dag – Høringsfrist i saken» (a Storting case's hearing deadline that day): the
    summary counted «Trenger innspill» only. Now the week's deadlines are those and the due dates
    the GPFG and åpenhetsloven sections list this week, each item once; the first by its day."""
    build_world(db)
    _add_storting_case(db)
    digest.write_for_run(db, as_of=DAY2, out_dir=tmp_path)
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=OSLO)
    gpfg = digest.render_text(_build(db, as_of=monday, lang=lang, profile="gpfg")).splitlines()
    assert gpfg_line in gpfg, gpfg[:14]
    # the NCP's digest: «Trenger innspill»'s two this week (14567 on Thursday, 3100001 on Friday)
    # and the case's, the first today
    d = _build(db, as_of=monday, lang=lang)
    assert {r["id"] for r in d.needs_input if r["window"] == "this_week"} == {iid("14567"), iid("3100001")}
    assert ncp_line in digest.render_text(d).splitlines()
    # the day after, the case's deadline has passed: «Trenger innspill»'s alone
    tuesday = digest.render_text(_build(db, as_of=monday + timedelta(days=1), lang=lang, profile="gpfg"))
    assert ("Ingen frister denne uken." if lang == "nb" else "No deadline this week.") in tuesday
    # a case new that Tuesday, due Thursday: listed in the section as new (its entry says its
    # deadline), and counted in the week too
    tue = monday + timedelta(days=1)
    run = store.start_run(db, as_of=tue, mode="test", sources=["no_stortinget_spu"])
    store.apply_scrape(db, run_id=run, as_of=tue, source="no_stortinget_spu", items=[{
        "source": "no_stortinget_spu", "kind": "storting_case", "native_id": "107200", "status_raw": "til behandling",
        "title": "Representantforslag om Etikkrådets mandat", "owner": "Finanskomiteen",
        "url": "https://www.stortinget.no/no/Saker-og-publikasjoner/Saker/Sak/?p=107200",
        "published": "2026-12-08T00:00:00+01:00",
        "extra": {"topic": "gpfg", "hearing_deadline": "2026-12-10T00:00:00+01:00"}}])
    store.finish_run(db, run, 0)
    with db.conn:
        db.execute("update items set labels = '[\"gpfg\"]', relevant = 1, relevance = 0.8 where native_id = '107200'")
    d = _build(db, as_of=tue, lang=lang, profile="gpfg")
    assert "Representantforslag om Etikkrådets mandat" in _text_section(d, "gpfg")
    week = next(line for line in digest.render_text(d).splitlines() if line.startswith("* 1 "))
    assert "Representantforslag om Etikkrådets mandat" in week, week

@pytest.mark.parametrize(("func", "section"), [("apenhetsloven_section", "apenhetsloven"),
                                               ("digest_section", "gpfg"), ("deadlines_ahead", "gpfg")])
def test_a_failing_section_says_so_and_the_digest_goes_on(db, monkeypatch, func, section):
    import tracker.links.gpfg as links

    build_world(db)
    _add_gpfg_and_apl(db)

    def broken(*args, **kwargs):
        raise RuntimeError("no table companies")

    monkeypatch.setattr(links, func, broken)
    d = _build(db)
    assert "RuntimeError: no table companies" in getattr(d, section).error
    html = digest.render_html(d)
    assert "Seksjonen kunne ikke lages: RuntimeError: no table companies" in html
    assert ("id=\"gpfg\"" in html) and ("id=\"apenhetsloven\"" in html)  # the other sections go on


def test_linked_rows_are_grouped_by_actor_and_worded(db, monkeypatch):
    """The shape tracker.links.gpfg.digest_section returns: flat rows with actor, stage, change."""
    import tracker.links.gpfg as links

    build_world(db)
    _add_gpfg_and_apl(db)
    rows = [{"id": "a", "title": "Tilrådning <b>om</b> utelukkelse", "url": "javascript:alert(1)", "actor": "Etikkrådet",
             "stage": "decision", "published": "2026-11-23T10:00:00+01:00",
             "status": "unknown", "deadline": None, "change": "new"},
            {"id": "b", "title": "Høring om forvaltningen av SPU", "url": "https://www.regjeringen.no/b",
             "actor": "Finansdepartementet", "stage": "hearing", "published": None,
             "status": "open", "deadline": "2027-01-10T23:59:59+01:00", "change": "changed"}]
    calls = []
    monkeypatch.setattr(links, "digest_section", lambda db_, since, as_of, upto=None: calls.append((since, as_of)) or rows)
    d = _build(db)
    assert calls == [(DAY1, DAY2)]
    assert [g.heading for g in d.gpfg.groups] == ["Etikkrådet", "Finansdepartementet"]
    # no "ukjent" status for a decision, and "new" is the entry's NEW mark, not said again
    assert d.gpfg.groups[0].entries[0].lines == ["Beslutning · man. 23.11.2026"] and d.gpfg.groups[0].entries[0].new
    assert d.gpfg.groups[0].entries[0].url is None
    assert d.gpfg.groups[1].entries[0].lines == ["Høring · åpen · Frist: søn. 10.01.2027 · endret"]
    assert "### Finansdepartementet" in digest.render_markdown(d)
    html = digest.render_html(d)
    assert "Tilrådning &lt;b&gt;om&lt;/b&gt; utelukkelse" in html and "javascript:" not in html
    en = _build(db, lang="en")
    assert en.gpfg.groups[0].entries[0].lines == ["Decision · Mon 23 Nov 2026"]
    # the actors by their English names, as on the web (the English digest said «### Finansdepartementet»)
    assert [g.heading for g in en.gpfg.groups] == ["Council on Ethics", "Ministry of Finance"]


class _ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.bad_links, self.external = 0, [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(name)
            if name in ("href", "src") and value and not value.startswith(("http://", "https://")):
                self.bad_links.append(value)
            if name == "src" or (tag == "link" and name == "href"):
                self.external.append(value)


def test_html_has_no_executable_script_and_escapes_hostile_titles(db):
    build_world(db)
    html = digest.render_html(_build(db))
    finder = _ScriptFinder()
    finder.feed(html)
    assert finder.scripts == 0 and finder.handlers == [] and finder.bad_links == [] and finder.external == []
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Høring &amp; «test»" in html
    assert "\u202e" not in html  # the bidi override is removed
    assert 'name="viewport"' in html and "<style>" in html


def test_markdown_escapes_and_cuts_long_titles(db):
    build_world(db)
    md = digest.render_markdown(_build(db))
    assert "\\<script\\>alert(\"x\")\\</script\\> Høring \\& «test»" in md
    assert "<script>" not in md and "javascript:" not in md
    longest = max(len(line) for line in md.splitlines())
    assert len(HOSTILE_TITLE) > 2000 and longest < 600


def test_an_empty_store_gives_a_valid_digest_in_every_format(db):
    d = _build(db, as_of=DAY2)
    assert d.needs_input == [] and d.health == []
    md = digest.render_markdown(d)
    assert "Ingen innhenting er kjørt ennå." in md and "## Trenger innspill (0)" in md
    for fmt in digest.FORMATS:
        assert digest.render(db, fmt, as_of=DAY2, profile="ncp")


def test_english(db):
    build_world(db)
    md = digest.render_markdown(_build(db, lang="en"))
    assert "## Needs input (8)" in md and "Deadline: Fri 27 Nov 2026 (3 working days left)" in md
    assert "Adviser: Kari Nordmann" in md and "Labels: Ch. IV Human Rights" in md


def test_documents_added_lists_titles(db):
    build_world(db)
    change = {"kind": "documents_added", "after": json.loads('[{"title": "A"}, {"title": "B"}, {"title": "C"}, {"title": "D"}]')}
    assert digest.describe_change(change, "en") == "New documents (4): A; B; C (+1)"
    hys = {"kind": "documents_added", "after": [{"title": "REG_DEL_DRAFT Ares(2026)8283054", "type": "reg_del_draft"}]}
    assert digest.describe_change(hys, "nb") == "Nye dokumenter (1): Draft delegated act Ares(2026)8283054"


def test_stage_changes_are_worded():
    """An EU procedure's stage by its name in the reader's language (tracker.vocabulary.EU_STAGE_NAMES):
    the Bokmål digest said «Nytt trinn: Awaiting Council's 1st reading position → Procedure lapsed or
    withdrawn». A stage the table does not know stays as OEIL words it."""
    change = {"kind": "stage_changed", "before": "Awaiting committee decision", "after": "Awaiting Council's 1st reading position"}
    assert digest.describe_change(change, "en") == "New stage: Awaiting committee decision → Awaiting Council's 1st reading position"
    assert digest.describe_change({**change, "before": None}, "nb") == (
        "Nytt trinn: Venter på Rådets posisjon ved førstegangsbehandlingen")
    lapsed = {**change, "before": "Awaiting Council's 1st reading position", "after": "Procedure lapsed or withdrawn"}
    assert digest.describe_change(lapsed, "nb") == (
        "Nytt trinn: Venter på Rådets posisjon ved førstegangsbehandlingen → Bortfalt eller trukket tilbake")
    assert digest.describe_change({**change, "after": "Awaiting trilogue"}, "nb") == (
        "Nytt trinn: Venter på vedtak i komiteen → Awaiting trilogue")


def test_an_ncp_cases_stage_change_is_named_not_coded(db):
    """«Nytt trinn: filed → accepted» stood in the digest, mail and feed for another NCP's case:
    the case's stage code, where the workbench names it (tracker.links.ncp_cases.stage_name)."""
    import xml.etree.ElementTree as ET

    build_world(db)
    case = {"source": "oecd_ncp_cases", "kind": "ncp_case", "native_id": "nl0050", "title": "FNV vs. Tulpenveld",
            "url": "https://mneguidelines.oecd.org/database/instances/nl0050.htm", "extra": {"stage": "filed"}}
    for day, stage in ((DAY1, "filed"), (DAY2, "accepted")):  # one crawl a day, as `run` does
        run = store.start_run(db, as_of=day, mode="test", sources=["oecd_ncp_cases"])
        store.apply_scrape(db, run_id=run, as_of=day, source="oecd_ncp_cases",
                           items=[{**case, "extra": {"stage": stage}}])
        store.finish_run(db, run, 0)
    with db.conn:  # an adviser follows the case: its changes are listed under «Endret»
        db["triage"].insert({"item_id": "oecd_ncp_cases:nl0050", "state": "watching",
                             "updated_at": "2026-11-23T05:00:00+00:00"}, replace=True)
    nb, en = _build(db), _build(db, lang="en")
    changed = digest.render_markdown(nb)
    changed = changed[changed.index("## Endret"):]
    assert "Nytt trinn: klage innlevert → akseptert for videre behandling" in changed
    assert "New stage: complaint filed → accepted for further examination" in digest.render_text(en)
    html = digest.render_html(nb)
    assert "klage innlevert → akseptert for videre behandling" in html and "filed → accepted" not in html
    ns = {"a": "http://www.w3.org/2005/Atom"}
    atom = ET.fromstring(digest.render_atom(db, as_of=DAY2, profile="ncp", lang="en"))
    (summary,) = [e.findtext("a:summary", namespaces=ns) for e in atom.findall("a:entry", ns)
                  if "FNV vs. Tulpenveld" in (e.findtext("a:title", namespaces=ns) or "")]
    assert "New stage: complaint filed → accepted for further examination" in summary, summary


def test_a_committee_hearings_moved_times_are_worded():
    change = {"kind": "times_changed", "field": "hearing_start", "before": "2026-12-01T09:30:00+01:00",
              "after": "2026-12-03T10:00:00+01:00"}
    assert digest.describe_change(change, "nb") == (
        "Høringen er flyttet: tir. 01.12.2026 kl. 09.30 → tor. 03.12.2026 kl. 10.00")
    assert digest.describe_change({**change, "field": "anmodningsfrist"}, "en") == (
        "Deadline to ask to take part moved: Tue 1 Dec 2026 09:30 → Thu 3 Dec 2026 10:00")
    # removed: the export gives none any more (not "moved: … → –")
    gone = {**change, "after": None}
    assert digest.describe_change({**gone, "field": "anmodningsfrist"}, "nb") == (
        "Fristen for å be om å delta er fjernet (var tir. 01.12.2026 kl. 09.30)")
    assert digest.describe_change(gone, "en") == "No hearing time any more (was Tue 1 Dec 2026 09:30)"


def test_a_moved_publication_day_says_both_days():
    """«Endret: publisert» hid the days: on Have your say it is the day the feedback period opens
    (extra `opens`), which an adviser plans by."""
    change = {"kind": "updated", "field": "published", "before": {"published": "2026-12-01T00:00:00+01:00"},
              "after": {"published": "2027-01-15T00:00:00+01:00"}}
    assert digest.describe_change(change, "nb", {"kind": "eu_consultation"}) == (
        "Åpning for innspill flyttet: tir. 01.12.2026 → fre. 15.01.2027")
    assert digest.describe_change(change, "en", {"kind": "eu_consultation"}) == (
        "Opening for feedback moved: Tue 1 Dec 2026 → Fri 15 Jan 2027")
    two = {**change, "field": "published,summary", "before": {**change["before"], "summary": "a"},
           "after": {**change["after"], "summary": "a b"}}
    assert digest.describe_change(two, "nb", {"kind": "hearing"}).startswith(
        "Endret: publisert, sammendrag (publisert tir. 01.12.2026 → fre. 15.01.2027)")
    # the same day written otherwise, or a day first known: no move to tell
    same = {**change, "before": {"published": "2026-12-01"}, "after": {"published": "2026-12-01T10:00:00+01:00"}}
    assert digest.describe_change(same, "nb", {"kind": "eu_consultation"}) == "Endret: publisert"
    assert digest.describe_change({**change, "before": {"published": None}}, "nb") == "Endret: publisert"


def test_a_committee_hearings_changed_sittings_are_worded():
    hall = {"sted": "Stortingets komitéhus, Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}
    change = {"kind": "times_changed", "field": "hearing_times", "before": [hall],
              "after": json.dumps([{**hall, "sted": "Høringssal 2"},
                                   {"sted": None, "tidspunkt": "2026-12-04T09:00:00+01:00"}])}
    assert digest.describe_change(change, "nb") == (
        "Høringsmøtene er endret: tor. 03.12.2026 kl. 09.00, Stortingets komitéhus, Høringssal 1 → "
        "tor. 03.12.2026 kl. 09.00, Høringssal 2; fre. 04.12.2026 kl. 09.00")
    assert digest.describe_change({**change, "after": []}, "en") == (
        "No hearing sittings any more (was Thu 3 Dec 2026 09:00, Stortingets komitéhus, Høringssal 1)")
    many = {**change, "after": [{**hall, "tidspunkt": f"2026-12-0{d}T09:00:00+01:00"} for d in range(3, 8)]}
    assert digest.describe_change(many, "en").endswith(  # the first three, and how many more
        "→ Thu 3 Dec 2026 09:00, Stortingets komitéhus, Høringssal 1; Fri 4 Dec 2026 09:00, Stortingets "
        "komitéhus, Høringssal 1; Sat 5 Dec 2026 09:00, Stortingets komitéhus, Høringssal 1 (+2)")


def test_a_changed_text_says_what_changed_not_only_where():
    """"Endret: tekst" hid that a GPFG case got a hearing deadline, or that an EU
    procedure was withdrawn: the changed passage is quoted (its words between the common
    beginning and the common end, at most 25)."""
    from tracker.digest.wording import changed_passage

    spu = {"kind": "updated", "field": "body", "before": {"body": "Status: mottatt\nKomité: Finanskomiteen"},
           "after": {"body": "Status: til behandling\nKomité: Finanskomiteen\nHøringsfrist i saken: 07.12.2026"}}
    assert digest.describe_change(spu, "nb") == (
        "Endret: tekst. Ny ordlyd: «… til behandling Komité: Finanskomiteen Høringsfrist i saken: 07.12.2026»")
    oeil = {"kind": "updated", "field": "summary,body",
            "before": {"summary": "Awaiting Council's 1st reading position.", "body": "x"},
            "after": {"summary": "Procedure lapsed or withdrawn.", "body": "y"}}
    assert digest.describe_change(oeil, "en") == (
        "Updated: summary, text. New wording: «Procedure lapsed or withdrawn.»")
    cut = {"kind": "updated", "field": "body", "before": {"body": "A. B. C."}, "after": {"body": "A. C."}}
    assert digest.describe_change(cut, "nb") == "Endret: tekst. Fjernet: «… B.»"
    # a title change keeps saying the old title; spacing alone quotes nothing
    assert changed_passage("a  b\nc", "a b c") is None
    long = changed_passage("Innledning.", "Innledning. " + " ".join(f"ord{n}" for n in range(40)))
    assert long == ("new", "… " + " ".join(f"ord{n}" for n in range(25)) + " …")
    # of two changes, the bigger is quoted, whole: a date moved at the top, a sentence added below
    # (the words between close changes are kept: no "… delegated»" cut from "delegated act")
    old = "Frist: 08.01.2027. Departementet foreslår endringer i loven. Se vedlegg."
    new = "Frist: 09.02.2027. Departementet foreslår endringer i loven. Nytt tilleggsnotat om Omnibus I er lagt ved. Se vedlegg."
    assert changed_passage(old, new) == ("new", "… Nytt tilleggsnotat om Omnibus I er lagt ved.")
    assert changed_passage("Follow-up document: act.", "Follow-up document: delegated act amending Annex I.") == (
        "new", "… delegated act amending Annex I.")


def test_a_document_is_named_by_its_title_else_its_file():
    from tracker.digest.wording import document_name

    row = {"documents": '[{"title": "Høringsnotat", "url": "https://x.no/a/horingsnotat.pdf"}]'}
    assert document_name(row, "https://x.no/a/horingsnotat.pdf") == "Høringsnotat"
    assert document_name(row, "https://x.no/b/vedlegg-2.pdf") == "vedlegg-2.pdf"
    assert document_name({"documents": None}, "https://x.no/c/") == "c"


def test_every_event_kind_has_a_name_and_a_sentence():
    """A watched provision found in a document was listed under "Endret" as a bare "Endret" (twice
    in the demo's day 2), and its kind was shown raw (provision_hit) in the item's history."""
    from tracker.documents.read import EVENT_PROVISION
    from tracker.documents.store import EVENT_CHANGED
    from tracker.store.changes import EVENT_KINDS
    from tracker.vocabulary import EVENT_NAMES, event_name

    assert {EVENT_PROVISION, EVENT_CHANGED} <= set(EVENT_KINDS)
    assert set(EVENT_NAMES) == set(EVENT_KINDS)
    assert all(event_name(k, "nb") != k for k in EVENT_KINDS)
    change = {"kind": "provision_hit", "field": "csddd-art-8", "before": None, "after": "CSDDD art. 8"}
    assert digest.describe_change(change, "nb") == "Et dokument i saken berører CSDDD art. 8"
    assert digest.describe_change(change, "en") == "A document touches CSDDD Article 8"


def test_clean_and_safe_url():
    assert digest.clean("a\u202eb\x00c\ud800 d\n\te") == "ab c\ufffd d e"  # NUL → space
    assert digest.safe_url("javascript:alert(1)") is None
    assert digest.safe_url("data:text/html,x") is None
    assert digest.safe_url("/relative") is None
    assert digest.safe_url('https://x.no/a"b') == "https://x.no/a%22b"


def test_a_sources_first_crawl_is_not_reported_as_stage_changes(db):
    from tracker.store import health

    build_world(db, others=False)  # eu_oeil's first crawl is the test's
    item = {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0269(COD)",
            "title": "Prohibiting products made with forced labour",
            "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0269(COD)"}
    first = store.start_run(db, as_of=DAY1, mode="test", sources=["eu_oeil"])
    store.apply_scrape(db, run_id=first, as_of=DAY1, source="eu_oeil", items=[item])
    health.record(db, first, health.SourceRun(source="eu_oeil", items_seen=1), DAY1.isoformat())
    assert _build(db).eu["stage"] == []  # first seen in the backfill: not a change
    second = store.start_run(db, as_of=DAY2, mode="test", sources=["eu_oeil"])
    store.apply_scrape(db, run_id=second, as_of=DAY2, source="eu_oeil",
                       items=[{**item, "summary": "Council position adopted"}])
    (entry,) = _build(db).eu["stage"]
    assert [c["kind"] for c in entry["changes"]] == ["updated"]


def test_a_digest_of_an_earlier_day_shows_that_days_checks(db):
    """Day 1's digest written again after day 2 showed day 2's health ("Sjekket tir. 24.11.2026"
    under "Stand man. 23.11.2026"; a source red on day 2 red on day 1 too)."""
    from test_digest_world import DAY1, DAY2, ST

    build_world(db)  # day 2: the Storting's committee hearings fail
    day1 = digest.build_digest(db, as_of=DAY1, profile="ncp")
    assert {h.checked for h in day1.health_rows} == {"man. 23.11.2026 kl. 06.00"}
    assert all(h.status != "red" for h in day1.health_rows) and not day1.red
    day2 = digest.build_digest(db, as_of=DAY2, profile="ncp")
    assert {h.checked for h in day2.health_rows} == {"tir. 24.11.2026 kl. 06.00"}
    assert [h["source"] for h in day2.red] == [ST]


def test_a_digest_of_an_earlier_day_shows_the_items_as_they_stood_that_day(db):
    """Day 1's digest written again after day 2 listed day 2's items under "Trenger innspill" (a
    hearing first seen on day 2 in a digest of day 1), day 2's moved deadline, and left out the
    hearings closed, withdrawn or gone on day 2 that were open on day 1."""
    build_world(db, days=1)
    then = digest.build_digest(db, as_of=DAY1, profile="ncp")
    assert {r["id"] for r in then.needs_input} >= {iid("3100001"), iid("3100004")}  # open on day 1
    build_world_day2(db)
    again = digest.build_digest(db, as_of=DAY1, profile="ncp")
    for render in (digest.render_markdown, digest.render_html):
        assert render(again) == render(then)
    assert iid("3100010") not in {r["id"] for r in again.needs_input}  # first seen on day 2
    (moved,) = [r for r in again.needs_input if r["id"] == iid("3100001")]
    assert moved["deadline_day"] == "2026-12-04"  # moved to the 11th on day 2
    # and the present is as it stands
    now = digest.build_digest(db, as_of=DAY2, profile="ncp")
    assert iid("3100010") in {r["id"] for r in now.needs_input}
    assert iid("3100004") not in {r["id"] for r in now.needs_input}  # withdrawn on day 2


def test_the_feed_of_an_earlier_day_gives_its_new_items_deadlines_of_that_day(db):
    """The Atom feed of day 1, written after day 2, gave a new hearing the deadline it was moved
    to on day 2. (It needs input on day 1: its one entry is «Trenger innspill», as in the digest.)"""
    import xml.etree.ElementTree as ET

    build_world(db)
    atom = ET.fromstring(digest.render_atom(db, as_of=DAY1, profile="ncp"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [(e.findtext("a:title", namespaces=ns) or "", e.findtext("a:summary", namespaces=ns) or "")
               for e in atom.findall("a:entry", ns)]
    ((title, summary),) = [(t, s) for t, s in entries if "endringer i åpenhetsloven (gjennomføring" in t]
    assert title.startswith("Trenger innspill: ")
    assert "04.12.2026" in summary and "11.12.2026" not in summary, summary
    # answered (set aside): its «Ny» entry, with the deadline of that day too
    with db.conn:
        db["triage"].insert({"item_id": iid("3100001"), "state": "submitted", "updated_at": "2026-11-23T05:00:00+00:00"},
                            replace=True)
    atom = ET.fromstring(digest.render_atom(db, as_of=DAY1, profile="ncp"))
    entries = [(e.findtext("a:title", namespaces=ns) or "", e.findtext("a:summary", namespaces=ns) or "")
               for e in atom.findall("a:entry", ns)]
    ((title, summary),) = [(t, s) for t, s in entries if "endringer i åpenhetsloven (gjennomføring" in t]
    assert title.startswith("Ny: ") and "04.12.2026" in summary and "11.12.2026" not in summary, summary


def test_an_eu_procedures_changed_forecasts_read_as_moves():
    """A moved plenary date was a line in the body's «new wording» only; it now says what moved."""
    before = json.dumps([{"date": "2026-12-15", "event": "Indicative plenary sitting date"},
                         {"date": "2028-07-26", "event": "Deadline for transposition"}])
    after = [{"date": "2027-01-20", "event": "Indicative plenary sitting date"},
             {"date": "2027-06-01", "event": "Application"}]
    change = {"kind": "forecasts_changed", "field": "forecasts", "before": before, "after": json.dumps(after)}
    assert digest.describe_change(change, "nb") == (
        "Prognoser: Indicative plenary sitting date: tir. 15.12.2026 → ons. 20.01.2027; Application: tir. "
        "01.06.2027 (ny); Deadline for transposition: ikke lenger varslet (var ons. 26.07.2028)")
    assert digest.describe_change(change, "en").startswith(
        "Forecasts: Indicative plenary sitting date: Tue 15 Dec 2026 → Wed 20 Jan 2027; Application: Tue 1 Jun 2027 (new)")


def test_a_hearing_whose_own_page_was_never_read_says_why_its_deadline_is_unknown(db):
    """A hearing whose detail page was blocked read «Frist: ingen frist kjent», as if the ministry
    had set none: the adviser could not tell a gap in our reading from one in the hearing."""
    from test_digest_world import crawl_day, hearing

    blocked = hearing("3100099", "Høring – forslag til lov om aktsomhetsvurderinger i leverandørkjeden", None,
                      status_raw=None, extra={"detail": "blocked 403"})
    plain = hearing("3100098", "Høring – forslag til lov om ansvarlige leverandørkjeder i offentlige anskaffelser",
                    None, status_raw=None, extra={"detail": "ok"})
    read_before = hearing("3100097", "Høring – forslag til endringer i åpenhetsloven om rapportering", None,
                          status_raw=None, extra={"detail": "ok"})
    crawl_day(db, DAY1 - timedelta(days=1), [read_before])
    crawl_day(db, DAY1, [blocked, plain, {**read_before, "extra": {"detail": "blocked 403"}}])
    with db.conn:
        db.execute("update items set relevance = 0.9, relevant = 1, labels = '[\"oecd-ii\"]'")
    md = digest.render_markdown(_build(db, as_of=DAY1))
    assert md.count("Frist: ingen frist kjent – sakens egen side er ikke lest (blokkert, HTTP 403)") == 1, md
    assert md.count("Frist: ingen frist kjent\n") == 2  # pages read (one before its last try): none there
    english = digest.render_markdown(_build(db, as_of=DAY1, lang="en"))
    assert "Deadline: no deadline known – the item's own page was not read (blocked, HTTP 403)" in english


def test_a_document_the_page_no_longer_links_is_listed_under_changed(db, tmp_path):
    """A hearing's page (read in full) linked a draft høringsnotat on day 1 and, on day 2, the
    final one in its place: «Endret» said only «Nye dokumenter (1): Høringsnotat»."""
    from test_digest_world import RG, day1_items, day2_items

    draft = {"title": "Høringsnotat (utkast)", "url": "https://www.regjeringen.no/contentassets/abc/utkast.pdf"}

    def page_read(as_of, item, documents):
        run = store.start_run(db, as_of=as_of, mode="test", sources=[RG])
        store.apply_scrape(db, run_id=run, as_of=as_of, source=RG,
                           items=[{**item, "extra": {"detail": "ok"}, "documents": documents}])
        store.finish_run(db, run, 0)

    build_world(db, days=1)
    page_read(DAY1, next(i for i in day1_items() if i["native_id"] == "3100001"), [draft])
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    build_world_day2(db)
    final = next(i for i in day2_items() if i["native_id"] == "3100001")
    page_read(DAY2, final, final["documents"])
    md = digest.render_markdown(_build(db))
    changed = md[md.index("## Endret"):]
    entry = changed[changed.index("endringer i åpenhetsloven"):][:1200]
    assert "Ikke lenger lenket fra sakens side (1): Høringsnotat (utkast)" in entry, entry
    assert "Nye dokumenter (1): Høringsnotat" in entry


@pytest.mark.parametrize(("lang", "group", "summary", "changed"), [
    ("nb", "### Endringer i overvåkede EU-saker siste uke (1)", r"- (\d+) endringer? i saker Kontaktpunktet følger\.",
     r"## Endret \((\d+)\)"),
    ("en", "### Changes to watched EU files in the last week (1)", r"- (\d+) changes? to items the NCP follows\.",
     r"## Changed \((\d+)\)"),
])
def test_the_eu_watchlist_and_the_items_the_ncp_follows_are_named_apart(db, lang, group, summary, changed):
    """The summary's «14 endringer i saker Kontaktpunktet følger» counts «Endret», while the EU
    group was headed «Endringer i fulgte saker siste uke (11)» — the EU watchlist, another set under
    the same word; and English said «this week» where Bokmål said «siste uke» (the last 7 days). The
    watchlist is «overvåkede EU-saker», as the workbench's page «Overvåkede EU-saker» names it."""
    import re

    _watched_csddd_changes(db, extra={"stage": "Procedure completed"})
    md = digest.render_markdown(_build(db, lang=lang))
    assert group + "\n" in md and "fulgte" not in md and "files this week" not in md
    assert re.search(summary, md).group(1) == re.search(changed, md).group(1)


def test_a_backfill_of_a_watched_eu_file_is_not_this_weeks_news(db):
    """`ncp-tracker backfill --source eu_oeil` the day after the source's first crawl stores a
    watched procedure's history: its events are a backfill run's (history found later), and the EU
    section's «changes to watched EU files this week» must not list them — a procedure from 2019
    entering the store is not a stage change of this week. A daily run's change still is."""
    from tracker.store import health

    build_world(db, others=False)  # eu_oeil's first crawl is the test's
    item = {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2022/0269(COD)",
            "title": "Prohibiting products made with forced labour",
            "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2022/0269(COD)"}
    old = {"source": "eu_oeil", "kind": "eu_procedure", "native_id": "2019/0001(COD)",
           "title": "An old file", "url": "https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference=2019/0001(COD)"}
    first = store.start_run(db, as_of=DAY1, mode="test", sources=["eu_oeil"])
    store.apply_scrape(db, run_id=first, as_of=DAY1, source="eu_oeil", items=[item])
    health.record(db, first, health.SourceRun(source="eu_oeil", items_seen=1), DAY1.isoformat())
    walk = store.start_run(db, as_of=DAY1 + timedelta(hours=4), mode="test", sources=["eu_oeil"], backfill=True)
    store.apply_scrape(db, run_id=walk, as_of=DAY1 + timedelta(hours=4), source="eu_oeil",
                       items=[old, {**item, "summary": "Committee report tabled (2023)"}])
    health.record(db, walk, health.SourceRun(source="eu_oeil", items_seen=2), DAY1.isoformat())
    assert _build(db).eu["stage"] == []
    second = store.start_run(db, as_of=DAY2, mode="test", sources=["eu_oeil"])
    store.apply_scrape(db, run_id=second, as_of=DAY2, source="eu_oeil",
                       items=[{**item, "summary": "Council position adopted"}])
    (entry,) = _build(db).eu["stage"]
    assert entry["title"] == item["title"]
    assert [c["after"] for c in entry["changes"]] == [{"summary": "Council position adopted"}]


def test_a_consultee_list_that_now_names_the_ncp_says_so_under_changed():
    """«Endret: consultees» (the field's code, in a Bokmål digest) hid the one change of a list that
    is news for the NCP: asked by name (or no longer). Other changes of the list are named only.
    Every field an `updated` event can name has a name."""
    from tracker.store.changes import CONTENT_FIELDS, DATA_FIELDS
    from tracker.vocabulary import field_name

    assert all(field_name(f, "nb") != f for f in (*CONTENT_FIELDS, *DATA_FIELDS))
    ncp = json.dumps([{"name": "Datatilsynet", "orgnr": None},
                      {"name": "Kontaktpunktet for ansvarlig næringsliv", "orgnr": None}], ensure_ascii=False)
    other = json.dumps([{"name": "Datatilsynet", "orgnr": None}])
    def change(before, after):
        return {"kind": "updated", "field": "consultees", "before": {"consultees": before},
                "after": {"consultees": after}}

    assert digest.describe_change(change(None, ncp), "nb") == (
        "Endret: høringsinstanser. Kontaktpunktet er nå oppført som høringsinstans")
    assert digest.describe_change(change(other, ncp), "en") == (
        "Updated: consultees. The NCP is now listed as a consultee")
    assert digest.describe_change(change(ncp, other), "nb") == (
        "Endret: høringsinstanser. Kontaktpunktet er ikke lenger oppført som høringsinstans")
    assert digest.describe_change(change(None, other), "nb") == "Endret: høringsinstanser"
    assert digest.describe_change(change(ncp, ncp.replace("Datatilsynet", "Norad")), "nb") == (
        "Endret: høringsinstanser")


def test_a_hearing_of_this_week_a_backfill_reached_first_is_still_new_in_the_digest(db, tmp_path):
    """`ncp-tracker backfill` walks regjeringen.no's listing newest first: its first page holds the
    hearings of the last days too. One published yesterday that the walk stored before the next
    morning's run saw it was history to the digest (a backfill's "new" event) and known to that
    run: no digest ever listed it as new. A backfill's item published in the last week is news;
    one published years ago stays history."""
    from test_digest_world import tag

    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    walk = DAY1 + timedelta(hours=8)
    run = store.start_run(db, as_of=walk, mode="test", sources=["no_regjeringen_horinger"], backfill=True)
    hearing = {"source": "no_regjeringen_horinger", "kind": "hearing", "status_raw": "På høring",
               "owner": "Barne- og familiedepartementet", "deadline": "2027-02-26T23:59:00+01:00"}
    store.apply_scrape(db, run_id=run, as_of=walk, source="no_regjeringen_horinger", items=[
        {**hearing, "native_id": "3172399", "published": "2026-11-23T11:00:00+01:00",
         "title": "Høring – forskrift til åpenhetsloven om offentliggjøring av produksjonssteder",
         "url": "https://www.regjeringen.no/no/dokumenter/forskrift-apenhetsloven/id3172399/"},
        {**hearing, "native_id": "2477095", "published": "2016-03-01T10:00:00+01:00", "deadline": None,
         "status_raw": "Ferdigbehandlet", "title": "Høring – evalueringen av offentleglova (åpenhetsloven)",
         "url": "https://www.regjeringen.no/no/dokumenter/hoyring---evalueringen-av-offentleglova/id2477095/"}],
        listing={"complete": False})
    store.finish_run(db, run, 0)
    build_world_day2(db)
    tag(db)
    d = _build(db)
    new = {r["title"] for r in d.new}
    assert "Høring – forskrift til åpenhetsloven om offentliggjøring av produksjonssteder" in new
    assert not any("offentleglova" in t for t in new)


def test_a_deadline_move_a_backfill_saw_first_is_still_in_the_digest(db, tmp_path):
    """A backfill that re-reads an open hearing's page (the walk's newest page, or the retry of
    pages never read) may see its deadline moved before the morning run does; that run then finds
    the new deadline known and writes no event. Hidden as history, the move reached no digest. What
    a backfill sees change on a live consultation (its deadline, times, documents, status) is news."""
    from test_digest_world import day2_items, tag

    build_world(db, days=1)
    digest.write_for_run(db, as_of=DAY1, out_dir=tmp_path)
    walk = DAY1 + timedelta(hours=8)
    moved = next(i for i in day2_items() if i["native_id"] == "3100001")
    run = store.start_run(db, as_of=walk, mode="test", sources=["no_regjeringen_horinger"], backfill=True)
    store.apply_scrape(db, run_id=run, as_of=walk, source="no_regjeringen_horinger", items=[moved],
                       listing={"complete": False})
    store.finish_run(db, run, 0)
    build_world_day2(db)
    tag(db)
    changed = {r["id"]: r for r in _build(db).changed}
    kinds = [c["kind"] for c in changed[iid("3100001")]["changes"]]
    assert "deadline_changed" in kinds and "documents_added" in kinds  # the høringsnotat it links now
    # the same day's digest made again once the hearing has closed: it was live when the walk saw it
    with db.conn:
        db["items"].update(iid("3100001"), {"status": "closed"})
    again = {r["id"]: r for r in _build(db).changed}
    assert [c["kind"] for c in again[iid("3100001")]["changes"]] == kinds


@pytest.mark.parametrize(("lang", "summary", "out_of_date"), [
    ("nb", "- Kilder: 1 feiler (Stortingets komitéhøringer); 12 utdaterte (EU-tidende (Cellar), EU: Si din mening "
           "(Have your say), ", "**utdatert (siste sjekk: "),
    ("en", "- Sources: 1 failing (Storting committee hearings); 12 out of date (EU Official Journal (Cellar), EU Have "
           "your say, ", "**out of date (last check: "),
])
def test_the_summary_counts_the_sources_as_the_health_table_shows_them(db, lang, summary, out_of_date):
    """With the data two days old the summary said «Kilder: 1 med advarsel (EU: Si din mening …)»
    while «Kildenes helse» marked that source and regjeringen.no «**utdatert (siste sjekk: …)**»
    (red): the summary counted the last check's status and passed over its age."""
    import re

    build_world(db)
    md = digest.render_markdown(_build(db, as_of=DAY2 + timedelta(days=2), lang=lang))
    assert summary in md  # every source the daily runs checked (tests/support.py: others_checked) but the failing one
    table = md.split("\n| ", 1)[1]
    assert len(re.findall(re.escape(out_of_date), table)) == 12
    # and a fresh day's summary is as it was: the warning is a warning
    fresh = digest.render_markdown(_build(db, lang=lang))
    assert ("1 med advarsel (EU: Si din mening" if lang == "nb" else "1 with warnings (EU Have your say") in fresh


@pytest.mark.parametrize(("lang", "needs", "new", "note"), [
    ("nb", "## Trenger innspill", "## Nytt", "_2 nye saker står under «Trenger innspill» (merket NY)._"),
    ("en", "## Needs input", "## New since", "_2 new items are listed under “Needs input” (marked NEW)._"),
])
def test_a_new_consultation_needing_input_is_never_behind_the_cap(db, tmp_path, data_dir, lang, needs, new, note):
    """Day 2 of the demo said «2 nye saker står under «Trenger innspill» (merket NY)» but showed
    one: the other (Greenwashing, due 04.01.2027) ranked below the window's cap and waited behind
    «+13 til i arbeidsbenken» while the consultations of the day before stayed in view. A window
    takes its new ones first, then the rest by rank, up to the cap."""
    import re

    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nneeds_input_cap = 2\n", "utf-8")
    _day1_digest_then_day2(db, tmp_path)
    md = digest.render_markdown(_build(db, lang=lang))
    section = md[md.index(needs):md.index(new)]
    later = section.split("\n### ")[-1]
    # «Senere»: the new one (relevance 0.74) in view beside the most relevant one (0.92), in rank order
    titles = re.findall(r"^- (?:\*\*(?:NY|NEW)\*\* )?\*\*\[([^\]]+)\]", later, re.M)
    assert [t[:40] for t in titles] == ["Høring – endringer i åpenhetsloven (gjen", "Høring – forslag til lov om ansvarlige l"]
    assert re.search(r"_\+3 (til i arbeidsbenken|more in the workbench)_", later)
    assert len(re.findall(r"^- \*\*(?:NY|NEW)\*\* ", section, re.M)) == 2
    assert note in md


def test_when_new_ones_fill_a_window_the_note_says_how_many_are_shown(db, data_dir):
    """The first digest of a store: every consultation is new, more than a window's cap; «Nytt»
    says how many of them «Trenger innspill» shows, not that they are all there."""
    import re

    (data_dir / "profiles.toml").write_text("[profiles.ncp]\nneeds_input_cap = 2\n", "utf-8")
    build_world(db, days=1)
    for lang, line in (("nb", r"_(\d+) nye saker trenger innspill: (\d+) står under «Trenger innspill» \(merket NY\), "
                              r"resten i arbeidsbenken\._"),
                       ("en", r"_(\d+) new items need input: (\d+) listed under “Needs input” \(marked NEW\), the rest "
                              r"in the workbench\._")):
        md = digest.render_markdown(_build(db, as_of=DAY1, lang=lang))
        total, shown = map(int, re.search(line, md).groups())
        needs = md.split("\n## ")[1]
        assert total == len(digest.build_digest(db, as_of=DAY1).needs_input) > shown
        assert shown == len(re.findall(r"^- \*\*(?:NY|NEW)\*\* ", needs, re.M))
    # with the workbench's address, the note leads to its first page: the inbox, «Trenger innspill» in
    # full (it said «resten i arbeidsbenken» with no way there)
    built = _build(db, as_of=DAY1, workbench_url="https://ncp.example.org/arbeidsbenk/")
    md = digest.render_markdown(built)
    assert re.search(r"_\[\d+ nye saker trenger innspill: \d+ står under «Trenger innspill» \(merket NY\), resten i "
                     r"arbeidsbenken\.\]\(<https://ncp\.example\.org/arbeidsbenk/>\)_", md)
    html = digest.render_html(built)
    assert re.search(r'<a href="https://ncp\.example\.org/arbeidsbenk/">\d+ nye saker trenger innspill: ', html)


@pytest.mark.parametrize(("lang", "words"), [
    ("nb", {"summary": "* 2 relevante høringer er varslet, men ikke åpnet ennå; den første skulle åpne man. 30.11.2026 "
                       f"({SCREENING}).",
            "late": "Skulle åpne: man. 30.11.2026 (ikke sett åpnet ennå)", "ahead": "Åpner: fre. 04.12.2026"}),
    ("en", {"summary": "* 2 relevant consultations are announced but not open yet; the first was to open "
                       f"Mon 30 Nov 2026 ({SCREENING}).",
            "late": "Was to open: Mon 30 Nov 2026 (not seen open yet)", "ahead": "Opens: Fri 4 Dec 2026"}),
])
def test_an_announced_consultation_whose_opening_day_has_passed_reads_late_not_ahead(db, lang, words):
    """The source, when last read, still called a consultation announced whose opening day is
    before the digest's (the Commission opened it late, or the sources were not read since): the
    digest said «den åpner man. 30.11.2026» on 2 December, a day in the past as if ahead. Now it
    says it was to open that day and has not been seen open; a day ahead reads as before."""
    build_world(db)
    _announce(db, "18920", SCREENING, "2026-11-30T00:00:00+01:00", "2027-02-26T23:59:59+01:00")
    _announce(db, "18911", CLAUSES, "2026-12-04T00:00:00+01:00", "2027-01-26T23:59:59+01:00")
    text = digest.render_text(_build(db, lang=lang, as_of=datetime(2026, 12, 2, 7, 0, tzinfo=OSLO)))
    lines = [line.strip() for line in text.splitlines()]
    assert words["summary"] in lines
    assert words["late"] in lines and words["ahead"] in lines
    assert "Åpner: man. 30.11.2026" not in lines and "Opens: Mon 30 Nov 2026" not in lines
