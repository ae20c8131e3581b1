"""Needs input: which consultations, in which order, with which facts."""

from __future__ import annotations

from datetime import datetime

from support import put_evidence
from test_digest_world import DAY2, build_world, hearing, iid

from crawlers.dates import OSLO
from tracker.attention.profiles import Profile, load_profile
from tracker.attention.urgency import WINDOWS, needs_input
from tracker.store import merge as store

NCP = Profile(name="ncp")


def _ids(rows):
    return [r["id"] for r in rows]


def test_order_is_window_then_relevance(db):
    """DAY2 is Tuesday 24 Nov: this week ends Sunday 29 Nov, next week Sunday 6 Dec."""
    build_world(db)
    rows = needs_input(db, as_of=DAY2, profile=NCP)
    windows = [r["window"] for r in rows]
    assert windows == sorted(windows, key=WINDOWS.index)
    assert _ids(rows)[:3] == [iid("3100010"), iid("h-1042"), iid("h-1043")]
    for window in WINDOWS:
        rel = [r["relevance"] for r in rows if r["window"] == window]
        assert rel == sorted(rel, reverse=True), window
    undated = next(r for r in rows if r["id"] == iid("3100005"))
    assert undated["window"] == "later" and undated["working_days_left"] is None
    first = rows[0]
    assert first["working_days_left"] == 3 and first["window"] == "this_week" and first["why"] == "relevance"


def test_a_closer_week_comes_first_and_relevance_orders_inside_it(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger", items=[
        hearing("1", "Høring – svært relevant, neste uke", "2026-12-04T23:59:59+01:00"),
        hearing("2", "Høring – lite relevant, denne uken", "2026-11-27T23:59:59+01:00"),
        hearing("3", "Høring – litt relevant, neste uke", "2026-12-01T23:59:59+01:00"),
    ])
    for native, rel in (("1", 0.9), ("2", 0.2), ("3", 0.5)):
        item_id = next(r["id"] for r in db.query("select id from items where native_id = ?", [native]))
        db["items"].update(item_id, {"relevance": rel, "relevant": 1, "labels": "[]"})
    rows = needs_input(db, as_of=DAY2, profile=NCP)
    assert [r["title"] for r in rows] == ["Høring – lite relevant, denne uken", "Høring – svært relevant, neste uke",
                                          "Høring – litt relevant, neste uke"]
    assert [r["window"] for r in rows] == ["this_week", "next_week", "next_week"]


def test_the_ncp_as_consultee_needs_input_whatever_its_relevance(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger", items=[
        hearing("1", "Høring – forskrift om noe helt annet", "2026-12-04T23:59:59+01:00")])
    item_id = next(r["id"] for r in db.query("select id from items where native_id = '1'"))
    db["items"].update(item_id, {"relevance": 0.05, "relevant": 0, "labels": "[]"})
    assert needs_input(db, as_of=DAY2, profile=NCP) == []
    db["items"].update(item_id, {"ncp_consultee": 1})
    (row,) = needs_input(db, as_of=DAY2, profile=NCP)
    assert row["why"] == "ncp_consultee"


def test_christmas_and_new_years_eve_are_not_working_days_unless_the_profile_says_so(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger", items=[
        hearing("1", "Høring – frist i romjulen", "2027-01-04T23:59:59+01:00")])
    item_id = next(r["id"] for r in db.query("select id from items where native_id = '1'"))
    db["items"].update(item_id, {"relevance": 0.9, "relevant": 1, "labels": "[]"})
    as_of = datetime(2026, 12, 23, 9, 0, tzinfo=OSLO)  # Wednesday
    (off,) = needs_input(db, as_of=as_of, profile=NCP)
    (on,) = needs_input(db, as_of=as_of, profile=Profile(name="x", eves_are_working_days=True))
    # 24 (Thu), 28, 29, 30, 31 Dec, 4 Jan; 25 Dec and 1 Jan are public holidays
    assert on["working_days_left"] == 6 and off["working_days_left"] == 4


def test_set_aside_closed_withdrawn_past_and_vanished_are_left_out(db):
    build_world(db)
    ids = _ids(needs_input(db, as_of=DAY2, profile=NCP))
    assert iid("3100006") not in ids  # triaged not_relevant
    assert iid("3100004") not in ids  # withdrawn
    assert iid("3100003") not in ids  # closed (and irrelevant)
    assert iid("3100008") not in ids  # deadline in the past
    assert iid("3100007") not in ids  # vanished from the listing
    assert iid("3100009") in ids  # the new hearing that replaced the withdrawn one


def test_later_clock_drops_items_whose_deadline_passed(db):
    build_world(db)
    later = datetime(2026, 11, 28, 6, 0, tzinfo=OSLO)
    assert iid("3100010") not in _ids(needs_input(db, as_of=later, profile=NCP))


def test_threshold_of_the_profile(db):
    build_world(db)
    strict = Profile(name="strict", threshold=0.85)
    ids = _ids(needs_input(db, as_of=DAY2, profile=strict))
    assert set(ids) == {iid("3100010"), iid("3100001")}


def test_scope_of_the_eu_profile(db):
    build_world(db)
    rows = needs_input(db, as_of=DAY2, profile=load_profile("eu"))
    assert _ids(rows) == [iid("14567")]


def test_row_facts_draft_due_owner_labels_evidence(db):
    build_world(db)
    rows = {r["id"]: r for r in needs_input(db, as_of=DAY2, profile=NCP)}
    urgent = rows[iid("3100010")]
    assert urgent["draft_due"] == "2026-11-20" and urgent["draft_overdue"] is True
    assert urgent["labels"] == ["oecd-iv", "oecd-ii"]
    assert urgent["snippet"]["text"] == "Menneskerettigheter"
    assert urgent["snippet"]["before"].endswith("9 ") and urgent["snippet"]["after"].startswith(" og")
    assigned = rows[iid("h-1042")]
    assert assigned["triage_state"] == "assigned" and assigned["triage_owner"] == "Kari Nordmann"
    assert assigned["draft_due"] == "2026-11-24" and assigned["draft_overdue"] is False
    assert assigned["draft_due_today"] is True and urgent["draft_due_today"] is False
    eu = rows[iid("14567")]
    assert eu["deadline_day"] == "2026-12-10" and eu["working_days_left"] == 12
    assert rows[iid("3100005")]["deadline_known"] is False


def test_internal_deadline_from_triage_wins(db):
    build_world(db)
    db["triage"].upsert({"item_id": iid("3100001"), "state": "drafting", "owner": "Ola",
                         "internal_deadline": "2026-11-23"}, pk="item_id")
    row = next(r for r in needs_input(db, as_of=DAY2, profile=NCP) if r["id"] == iid("3100001"))
    assert row["draft_due"] == "2026-11-23" and row["draft_overdue"] is True


def test_untagged_items_do_not_need_input_yet(db):
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger",
                       items=[hearing("1", "Høring – ikke merket", "2026-12-04T23:59:59+01:00")])
    assert needs_input(db, as_of=DAY2, profile=NCP) == []


def test_evidence_with_broken_offsets_still_gives_the_text(db):
    build_world(db)
    put_evidence(db, iid("3100010"), "oecd-iv", 1.0, [{"label": "oecd-iv", "field": "title", "start": 900,
                                                       "end": 910, "text": "menneskerettigheter"}])
    row = next(r for r in needs_input(db, as_of=DAY2, profile=NCP) if r["id"] == iid("3100010"))
    assert row["snippet"]["text"] == "menneskerettigheter" and row["snippet"]["before"] == ""


def test_naive_clock_is_refused(db):
    import pytest

    with pytest.raises(ValueError):
        needs_input(db, as_of=datetime(2026, 11, 24), profile=NCP)


def _committee_hearing(db, ask: str | None, written: str) -> str:
    """A Storting committee hearing as the spider stores it (written-input deadline as the
    deadline, the deadline to ask to speak in `extra`), relevant; its item id."""
    from test_digest_world import ST

    run = store.start_run(db, as_of=DAY2, mode="test", sources=[ST])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source=ST, items=[{
        "source": ST, "kind": "committee_hearing", "native_id": "sak-99002",
        "title": "Komitéhøring: Endringer i åpenhetsloven – Prop. 25 L (2026–2027)",
        "url": "https://www.stortinget.no/no/Hva-skjer-pa-Stortinget/Horing/?p=99002",
        "owner": "Familie- og kulturkomiteen", "deadline": written, "status_raw": "Planlagt",
        "channel": "api", "extra": {"deadline_basis": "innspillsfrist", "anmodningsfrist": ask,
                                    "innspillsfrist": written}}])  # fmt: skip
    item_id = next(r["id"] for r in db.query("select id from items where native_id = 'sak-99002'"))
    db["items"].update(item_id, {"relevance": 0.6, "relevant": 1, "labels": "[]"})
    return item_id


def test_a_committee_hearing_is_due_in_the_week_of_its_deadline_to_ask_to_speak(db):
    """Written input by Tuesday next week, but the NCP must ask to speak by Thursday: the hearing
    is due this week (it sat under "Next week" while its asking deadline came and went)."""
    item_id = _committee_hearing(db, "2026-11-26T12:00:00+01:00", "2026-12-01T12:00:00+01:00")
    (row,) = needs_input(db, as_of=DAY2, profile=NCP)
    assert row["id"] == item_id and row["window"] == "this_week"
    assert (row["next_due"], row["next_due_what"]) == ("2026-11-26T12:00:00+01:00", "request_to_speak")
    # the deadline itself and what is counted from it stay the written-input deadline's; the
    # inbox's column counts to what is due first (Thursday: 2 working days from Tuesday)
    assert row["deadline_day"] == "2026-12-01" and row["working_days_left"] == 5
    assert row["working_days_to_next_due"] == 2
    assert row["draft_due"] == "2026-11-24"
    # once the asking deadline has passed, the written-input deadline's week counts
    after = datetime(2026, 11, 26, 12, 1, tzinfo=OSLO)
    (row,) = needs_input(db, as_of=after, profile=NCP)
    assert row["window"] == "next_week" and row["next_due_what"] == "deadline"
    assert row["next_due"] == "2026-12-01T12:00:00+01:00"


def test_a_hearing_whose_only_deadline_is_the_ask_to_speak_is_named_so(db):
    """No written-input deadline: the deadline is the deadline to ask to speak (the spider's
    `deadline_basis`), and the summary names it as such, not as a bare "frist"."""
    item_id = _committee_hearing(db, "2026-11-26T12:00:00+01:00", "2026-11-26T12:00:00+01:00")
    (row,) = needs_input(db, as_of=DAY2, profile=NCP)
    assert row["id"] == item_id and row["next_due_what"] == "request_to_speak" and row["window"] == "this_week"


def test_the_deadline_to_ask_to_speak_orders_a_week_and_names_the_first_deadline(db):
    """Inside a window, the earlier next due time comes first among equally relevant items, and the
    summary's "first deadline this week" is the asking deadline, named as such."""
    import tracker.digest as digest

    item_id = _committee_hearing(db, "2026-11-25T12:00:00+01:00", "2026-12-01T12:00:00+01:00")
    run = store.start_run(db, as_of=DAY2, mode="test", sources=["no_regjeringen_horinger"])
    store.apply_scrape(db, run_id=run, as_of=DAY2, source="no_regjeringen_horinger", items=[
        hearing("1", "Høring – frist fredag", "2026-11-27T23:59:59+01:00")])
    other = next(r["id"] for r in db.query("select id from items where native_id = '1'"))
    db["items"].update(other, {"relevance": 0.6, "relevant": 1, "labels": "[]"})
    assert _ids(needs_input(db, as_of=DAY2, profile=NCP)) == [item_id, other]
    nb = digest.render_markdown(digest.build_digest(db, as_of=DAY2, profile="ncp"))
    assert ("2 frister denne uken; den første: be om å delta innen ons. 25.11.2026 kl. 12.00 "
            "(Komitéhøring: Endringer i åpenhetsloven") in nb
    en = digest.render_text(digest.build_digest(db, as_of=DAY2, profile="ncp", lang="en"))
    assert "2 deadlines this week; the first: request to speak by Wed 25 Nov 2026 12:00 (Komitéhøring" in en
    # "Kommende frister" lists it by the same time, first, named as such
    coming = nb[nb.index("## Kommende frister"):]
    assert coming.index("be om å delta innen ons. 25.11.2026 kl. 12.00 — [Komitéhøring") < coming.index(
        "Høring – frist fredag")


def test_a_same_titled_consultation_is_a_new_hearing_only_when_the_earlier_one_is_recent(db):
    """The same title years apart is a yearly or standing hearing, not one sent on a new hearing:
    it read «Sendt på ny høring; forrige: …» under a hearing of two years before. A title sent
    within `RESEND_WITHIN_DAYS` (by `published`: a backfilled hearing of years ago is first seen
    today), or the source's own pointer at any age, still says so."""
    from datetime import timedelta

    from tracker.attention.urgency import RESEND_WITHIN_DAYS, resent

    def crawl(at: datetime, *items: dict) -> None:
        run = store.start_run(db, as_of=at, mode="test", sources=["no_regjeringen_horinger"])
        store.apply_scrape(db, run_id=run, as_of=at, source="no_regjeringen_horinger", items=list(items))
        store.finish_run(db, run, 0)

    def sent(native_id: str, title: str, when: datetime, **extra) -> dict:
        return {**hearing(native_id, title, (when + timedelta(days=90)).isoformat(), **extra),
                "published": when.isoformat()}

    yearly = "Høring – forslag til endringer i forskrift om offentlige anskaffelser"
    supply = "Høring – forslag til lov om åpenhet i leverandørkjeder"
    tax = "Høring – forslag til endringer i skatteforvaltningsloven"
    backfilled = "Høring – forslag til endringer i forskrift om opplysningsplikt"
    long_ago = DAY2 - timedelta(days=RESEND_WITHIN_DAYS + 30)
    crawl(long_ago, sent("4100001", yearly, long_ago), sent("4100002", supply, long_ago))
    crawl(DAY2 - timedelta(days=200), sent("4100003", tax, DAY2 - timedelta(days=200)))
    # a backfill of today's run: hearings of years ago, first seen today
    crawl(DAY2 - timedelta(hours=1), sent("4100007", backfilled, long_ago - timedelta(days=400)))
    crawl(DAY2, sent("4100004", yearly, DAY2),
          sent("4100005", supply + " (ny høring)", DAY2,
               extra={"previous_hearing": "https://www.regjeringen.no/no/dokumenter/hoering/id4100002/"}),
          sent("4100006", tax + " (ny høring)", DAY2), sent("4100008", backfilled, DAY2))
    native = {r["id"]: r["native_id"] for r in db.query("select id, native_id from items")}
    rows = [dict(r) for r in db.query("select * from items where native_id in ('4100004', '4100005', '4100006', '4100008')")]
    got = {native[new]: native[earlier["id"]] for new, earlier in resent(db, rows).items()}
    assert got == {"4100005": "4100002", "4100006": "4100003"}, got


def test_of_two_spans_at_one_place_the_snippet_is_the_longer(db):
    """«Carbon» (a lexicon word) and «Carbon Border Adjustment Mechanism» (the instrument's name)
    start at the same place: the inbox and the digest showed the word, which says less."""
    build_world(db)
    title = db["items"].get(iid("3100010"))["title"]
    name = title[:20]
    put_evidence(db, iid("3100010"), "oecd-iv", 9.0, [
        {"label": "oecd-iv", "field": "title", "start": 0, "end": 6, "text": title[:6]},
        {"label": "oecd-iv", "field": "title", "start": 0, "end": 20, "text": name, "instrument": "x"},
        {"label": "oecd-iv", "field": "summary", "start": 0, "end": 3, "text": "abc"}])
    row = next(r for r in needs_input(db, as_of=DAY2, profile=NCP) if r["id"] == iid("3100010"))
    assert row["snippet"]["text"] == name and row["snippet"]["field"] == "title"
