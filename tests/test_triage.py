"""The triage state machine: legal and illegal moves, owners, history, closing unanswered, feedback."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawlers.dates import OSLO
from tests.browser.seed import COMMITTEE, HEARING, HEARING_FISH, seed
from tracker.workbench import triage


@pytest.fixture
def store(db):
    seed(db)
    return db


def test_untriaged_item_is_new(store):
    assert triage.get(store, HEARING)["state"] == "new"


def test_full_path_to_published_keeps_every_change(store):
    for state, owner in (("respond", None), ("assigned", "kari"), ("drafting", None),
                         ("submitted", None), ("published", None)):
        triage.set_state(store, HEARING, state, owner=owner, by="ola")
    history = triage.history(store, HEARING)
    assert [(h["state_before"], h["state_after"]) for h in history] == [
        ("new", "respond"), ("respond", "assigned"), ("assigned", "drafting"),
        ("drafting", "submitted"), ("submitted", "published")]
    assert {h["by"] for h in history} == {"ola"}
    assert triage.get(store, HEARING)["owner"] == "kari"


@pytest.mark.parametrize(("path", "bad"), [
    ((), "assigned"), ((), "published"), (("respond",), "submitted"),
    (("not_relevant",), "drafting"), (("respond", "assigned", "drafting", "submitted", "published"), "respond"),
])
def test_illegal_transitions_raise_clear_error_and_change_nothing(store, path, bad):
    for state in path:
        triage.set_state(store, HEARING, state, owner="kari" if state == "assigned" else None)
    before = triage.history(store, HEARING)
    with pytest.raises(triage.TriageError, match=r"illegal transition .* allowed from"):
        triage.set_state(store, HEARING, bad, owner="kari")
    assert triage.history(store, HEARING) == before


def test_unknown_state_and_unknown_item(store):
    with pytest.raises(triage.TriageError, match="unknown state"):
        triage.set_state(store, HEARING, "maybe")
    with pytest.raises(triage.TriageError, match="unknown item id"):
        triage.set_state(store, "no_such:1", "respond")
    assert store.execute("select count(*) from triage_history").fetchone()[0] == 0


def test_assigned_needs_an_owner(store):
    triage.set_state(store, HEARING, "respond")
    with pytest.raises(triage.TriageError, match="needs an owner"):
        triage.set_state(store, HEARING, "assigned")


def test_note_with_markup_is_stored_verbatim(store):
    note = '<script>alert("x")</script> & <b>viktig</b>'
    triage.set_state(store, HEARING, "watching", note=note)
    assert triage.get(store, HEARING)["note"] == note
    assert triage.history(store, HEARING)[-1]["note"] == note


def test_owner_change_without_state_change_is_recorded(store):
    triage.set_state(store, HEARING, "respond")
    triage.set_state(store, HEARING, "assigned", owner="kari")
    triage.set_state(store, HEARING, owner="per", by="leder")
    last = triage.history(store, HEARING)[-1]
    assert (last["state_before"], last["state_after"], last["owner"], last["by"]) == ("assigned", "assigned", "per", "leder")


def test_noop_is_not_recorded(store):
    triage.set_state(store, HEARING, "watching")
    triage.set_state(store, HEARING, "watching")
    assert len(triage.history(store, HEARING)) == 1


def test_bad_internal_deadline(store):
    with pytest.raises(triage.TriageError, match="YYYY-MM-DD"):
        triage.set_state(store, HEARING, "respond", internal_deadline="next friday")


def test_who_is_the_name_given_else_the_os_user(store):
    import getpass

    triage.set_state(store, HEARING, "watching", by="  kontaktpunktet-kari ")
    assert triage.history(store, HEARING)[-1]["by"] == "kontaktpunktet-kari"
    assert triage.current_user("explicit") == "explicit"
    assert triage.current_user() == getpass.getuser() and triage.current_user("  ") == getpass.getuser()


def test_close_unanswered_after_deadline_only_for_planned_answers(store):
    triage.set_state(store, COMMITTEE, "respond")  # deadline 2026-12-03 12:00
    triage.set_state(store, HEARING, "watching")  # deadline 2026-12-10, only watched
    triage.set_state(store, HEARING_FISH, "respond")  # deadline 2026-12-20
    assert triage.close_unanswered(store, datetime(2026, 12, 3, 11, 0, tzinfo=OSLO)) == []
    moved = triage.close_unanswered(store, datetime(2026, 12, 11, 6, 0, tzinfo=OSLO))
    assert moved == [COMMITTEE]
    assert triage.get(store, COMMITTEE)["state"] == "closed_unanswered"
    assert triage.get(store, HEARING)["state"] == "watching"
    assert triage.history(store, COMMITTEE)[-1]["by"] == triage.SYSTEM_USER
    assert triage.close_unanswered(store, datetime(2026, 12, 12, 6, 0, tzinfo=OSLO)) == []  # idempotent


def _crawled(db, as_of, deadline):
    from tracker.store import merge

    run = merge.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    merge.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=[{
        "source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3172240",
        "url": "https://www.regjeringen.no/no/dokumenter/horing/id3172240/", "status_raw": "På høring",
        "title": "Høring – forslag til endringer i åpenhetsloven", "deadline": deadline}])
    merge.finish_run(db, run, 0)
    return "regjeringen:3172240"


@pytest.mark.parametrize("state", ["respond", "drafting"])
def test_a_deadline_extended_after_it_passed_reopens_the_answer(db, state):
    """A hearing an adviser meant to answer closed unanswered when its deadline passed; three days
    later the ministry extended the deadline. It stayed closed — out of «Trenger innspill» for
    good, and no adviser could even move it back (closed_unanswered → submitted only)."""
    from tracker.attention import urgency

    day = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    item = _crawled(db, day, "2026-11-30T23:59:59+01:00")
    with db.conn:
        db.execute("update items set relevant = 1, relevance = 0.9, labels = '[\"apenhetsloven\"]'")
    triage.set_state(db, item, "respond", by="kari")
    if state == "drafting":
        triage.set_state(db, item, "assigned", owner="kari", by="kari")
        triage.set_state(db, item, "drafting", by="kari")
    closed = datetime(2026, 12, 1, 6, tzinfo=OSLO)
    assert triage.reopen_extended(db, closed) == []
    assert triage.close_unanswered(db, closed) == [item]
    # the next morning: the same deadline (nothing to reopen); then it is extended
    later = datetime(2026, 12, 3, 6, tzinfo=OSLO)
    _crawled(db, datetime(2026, 12, 2, 6, tzinfo=OSLO), "2026-11-30T23:59:59+01:00")
    assert triage.reopen_extended(db, later) == []
    _crawled(db, later, "2026-12-14T23:59:59+01:00")
    assert triage.reopen_extended(db, later) == [item]
    row = triage.get(db, item)
    assert (row["state"], row["owner"]) == (state, "kari" if state == "drafting" else None)
    last = triage.history(db, item)[-1]
    assert (last["by"], last["state_before"]) == (triage.SYSTEM_USER, "closed_unanswered")
    assert "2026-12-14" in last["note"]
    assert [r["id"] for r in urgency.needs_input(db, as_of=later)] == [item]
    assert triage.reopen_extended(db, later) == []  # once


def test_an_item_closed_unanswered_by_an_adviser_stays_closed_and_can_be_reopened_by_hand(db):
    """An adviser who closes an item before its deadline is not overruled by the next run; the
    adviser can reopen it (the department still accepts input)."""
    day = datetime(2026, 11, 24, 6, tzinfo=OSLO)
    item = _crawled(db, day, "2026-12-14T23:59:59+01:00")
    triage.set_state(db, item, "respond", by="kari")
    triage.set_state(db, item, "closed_unanswered", by="kari", note="rekker det ikke")
    assert triage.reopen_extended(db, datetime(2026, 11, 25, 6, tzinfo=OSLO)) == []
    assert triage.get(db, item)["state"] == "closed_unanswered"
    triage.set_state(db, item, "respond", by="kari")
    assert triage.get(db, item)["state"] == "respond"


def test_the_systems_moves_never_replace_an_advisers_note(store, tmp_path):
    """Closing an item unanswered replaced the adviser's working note («Kari skriver; venter på
    tall fra Ola») with «deadline … passed without an answer» on the item page; now the system's
    note goes to the history only, and the page diffs each adviser's note against the adviser's
    note before it, not against the system's."""
    from tracker.web.app import create_app

    triage.set_state(store, COMMITTEE, "respond", note="Kari skriver; venter på tall fra Ola", by="kari")
    triage.close_unanswered(store, datetime(2026, 12, 11, 6, 0, tzinfo=OSLO))
    row = triage.get(store, COMMITTEE)
    assert (row["state"], row["note"]) == ("closed_unanswered", "Kari skriver; venter på tall fra Ola")
    assert "passed without an answer" in triage.history(store, COMMITTEE)[-1]["note"]
    triage.set_state(store, COMMITTEE, "submitted", note="Kari skriver; sendt likevel", by="kari")
    path = store.conn.execute("pragma database_list").fetchone()[2]
    store.conn.commit()
    html = create_app(path, as_of=datetime(2026, 12, 11, 7, tzinfo=OSLO), data_dir=tmp_path / "data"
                      ).test_client().get(f"/item/{COMMITTEE}").get_data(as_text=True)
    history = html[html.index('id="triage-history"'):]
    assert "Kari skriver; <del>venter på tall fra Ola</del> <ins>sendt likevel</ins>" in history
    assert "fristen tor. 03.12.2026 kl. 12.00 gikk ut uten svar" in history and "<del>" not in history.split(
        "sendt likevel")[1]
    english = create_app(path, as_of=datetime(2026, 12, 11, 7, tzinfo=OSLO), data_dir=tmp_path / "data"
                         ).test_client().get(f"/item/{COMMITTEE}?lang=en").get_data(as_text=True)
    assert "deadline Thu 3 Dec 2026" in english and "passed without an answer" in english


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_note_the_system_writes_is_read_in_the_readers_language(db, lang):
    """The daily run's notes in an item's triage history (closed unanswered, reopened, published,
    reconsidered) were English on the Bokmål pages; each note the system writes is a message of
    the catalogue, its deadline in the reader's form."""
    from tracker.vocabulary import triage_note
    from tracker.workbench import answers

    item = _crawled(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), "2026-11-30T23:59:59+01:00")
    triage.set_state(db, item, "respond", by="kari")
    triage.close_unanswered(db, datetime(2026, 12, 1, 6, tzinfo=OSLO))
    _crawled(db, datetime(2026, 12, 2, 6, tzinfo=OSLO), "2026-12-14T23:59:59+01:00")
    triage.reopen_extended(db, datetime(2026, 12, 2, 6, tzinfo=OSLO))
    triage.set_state(db, item, "assigned", owner="kari", by="kari")
    triage.set_state(db, item, "drafting", by="kari")
    with db.conn:
        db["answers"].insert({"item_id": item, "responder": "Kontaktpunktet", "url": "https://www.regjeringen.no/svar/ncp.pdf",
                              "is_ncp": 1}, alter=True)
    answers.mark_published(db, datetime(2026, 12, 3, 6, tzinfo=OSLO))
    other = _listed(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), ["Fiskeridirektoratet"])
    triage.set_state(db, other, "not_relevant", by="kari", at="2026-11-24T09:00:00+01:00")
    _listed(db, datetime(2026, 11, 26, 6, tzinfo=OSLO), [NCP])
    triage.reconsider_named(db, datetime(2026, 11, 26, 6, tzinfo=OSLO))
    notes = [h["note"] for i in (item, other) for h in triage.history(db, i) if h["by"] == triage.SYSTEM_USER]
    assert len(notes) == 5  # closed, reopened, submitted and published, reconsidered
    shown = [triage_note(n, lang) for n in notes]
    if lang == "nb":
        assert all(s != n for s, n in zip(shown, notes, strict=True)), shown
        assert shown[0] == "fristen man. 30.11.2026 kl. 23.59 gikk ut uten svar"
        assert shown[2] == "Kontaktpunktets svar er publisert: https://www.regjeringen.no/svar/ncp.pdf"
    else:
        assert shown[0] == "deadline Mon 30 Nov 2026 23:59 passed without an answer"
    assert triage_note("ring Ola først", lang) == "ring Ola først"


def test_feedback_from_marks(store):
    triage.set_state(store, HEARING, "respond")
    triage.set_state(store, HEARING_FISH, "not_relevant")
    triage.set_state(store, COMMITTEE, "watching")
    fb = {r["item_id"]: r["marked_relevant"] for r in triage.feedback(store)}
    assert fb == {HEARING: True, HEARING_FISH: False, COMMITTEE: True}


def _listed(db, as_of, consultees):
    """A crawl of a hearing that is open until 14 December, with this consultee list (None: the
    page did not list them)."""
    from crawlers.consultees import ncp_consultee
    from tracker.store import merge

    item = {"source": "no_regjeringen_horinger", "kind": "hearing", "native_id": "3172241",
            "url": "https://www.regjeringen.no/no/dokumenter/horing/id3172241/", "status_raw": "På høring",
            "title": "Høring – endringar i forskrift om fiskeridata", "deadline": "2026-12-14T23:59:59+01:00"}
    if consultees is not None:
        listed = [{"name": name, "orgnr": None} for name in consultees]
        item.update(consultees=listed, ncp_consultee=ncp_consultee(listed))
    run = merge.start_run(db, as_of=as_of, mode="test", sources=["no_regjeringen_horinger"])
    merge.apply_scrape(db, run_id=run, as_of=as_of, source="no_regjeringen_horinger", items=[item])
    merge.finish_run(db, run, 0)
    return "regjeringen:3172241"


NCP = "Nasjonalt kontaktpunkt for ansvarlig næringsliv"


@pytest.mark.parametrize("first_list", [["Fiskeridirektoratet"], None])
def test_an_item_set_aside_comes_back_when_the_ncp_is_named_a_consultee_after(db, first_list):
    """An adviser set a hearing aside on its title («not relevant»); two days later the ministry's
    consultee list named Kontaktpunktet. The mark kept it out of «Trenger innspill» and every
    digest for good. Now the daily run puts it back to new, and it needs input as an NCP-consultee
    hearing; the adviser's note stays, the system's reason goes to the history."""
    from tracker.attention import urgency

    item = _listed(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), first_list)
    triage.set_state(db, item, "not_relevant", note="fiskeri, ikke vårt", by="kari",
                     at="2026-11-24T09:00:00+01:00")
    day = datetime(2026, 11, 26, 6, tzinfo=OSLO)
    assert triage.reconsider_named(db, day) == []  # nothing changed since the mark
    _listed(db, day, ["Fiskeridirektoratet", NCP])
    assert urgency.needs_input(db, as_of=day) == []
    assert triage.reconsider_named(db, day) == [item]
    row = triage.get(db, item)
    assert (row["state"], row["note"]) == ("new", "fiskeri, ikke vårt")
    last = triage.history(db, item)[-1]
    assert (last["by"], last["state_before"], last["state_after"]) == (triage.SYSTEM_USER, "not_relevant", "new")
    assert "named a consultee" in last["note"]
    assert [(r["id"], r["why"]) for r in urgency.needs_input(db, as_of=day)] == [(item, "ncp_consultee")]
    assert triage.reconsider_named(db, day) == []  # once
    # marked not relevant again, knowing the NCP is named: the adviser's word stands
    triage.set_state(db, item, "not_relevant", by="kari", at="2026-11-26T10:00:00+01:00")
    _listed(db, datetime(2026, 11, 27, 6, tzinfo=OSLO), ["Fiskeridirektoratet", NCP, "Sjømat Norge"])
    assert triage.reconsider_named(db, datetime(2026, 11, 27, 6, tzinfo=OSLO)) == []
    assert triage.get(db, item)["state"] == "not_relevant"


def test_an_item_set_aside_while_the_ncp_was_named_stays_aside(db):
    """The adviser saw Kontaktpunktet on the list and still set the hearing aside: a later change
    of the list that keeps the NCP on it does not overrule that; nor does any change to an item
    whose list never names the NCP."""
    named = _listed(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), ["Fiskeridirektoratet", NCP])
    triage.set_state(db, named, "not_relevant", by="kari", at="2026-11-24T09:00:00+01:00")
    triage.set_state(db, named, note="sjekket med Ola", by="kari", at="2026-11-25T09:00:00+01:00")
    day = datetime(2026, 11, 26, 6, tzinfo=OSLO)
    _listed(db, day, ["Fiskeridirektoratet", NCP, "Sjømat Norge"])
    assert triage.reconsider_named(db, day) == []
    assert triage.get(db, named)["state"] == "not_relevant"


def test_not_relevant_can_be_put_back_to_new_by_hand(store):
    triage.set_state(store, HEARING, "not_relevant", by="kari")
    assert "new" in triage.allowed("not_relevant")
    assert triage.set_state(store, HEARING, "new", by="kari")["state"] == "new"


def test_the_daily_run_reconsiders(db):
    from tracker.jobs import daily

    item = _listed(db, datetime(2026, 11, 24, 6, tzinfo=OSLO), ["Fiskeridirektoratet"])
    triage.set_state(db, item, "not_relevant", by="kari", at="2026-11-24T09:00:00+01:00")
    day = datetime(2026, 11, 26, 6, tzinfo=OSLO)
    _listed(db, day, [NCP])
    summary = daily.after_crawl(db, day, tag=False)
    assert summary["reconsidered"] == 1 and triage.get(db, item)["state"] == "new"


@pytest.mark.parametrize("bad", ["2026-12-10garbage", "2026-12-10T12:00", "20261210", "10.12.2026"])
def test_a_draft_by_day_is_a_whole_date(store, bad):
    """«2026-12-10garbage» was stored as 10 December (its first ten characters read)."""
    with pytest.raises(triage.TriageError, match="internal deadline must be a date YYYY-MM-DD"):
        triage.set_state(store, HEARING, "respond", internal_deadline=bad)
    assert triage.get(store, HEARING)["internal_deadline"] is None


def test_a_draft_by_day_after_the_items_deadline_is_refused(store):
    triage.set_state(store, HEARING, "respond", internal_deadline="2026-12-10")  # the deadline's own day
    with pytest.raises(triage.TriageError, match="internal deadline 2026-12-11 is after the item's deadline 2026-12-10"):
        triage.set_state(store, HEARING, internal_deadline="2026-12-11")
    # a day before the caller's today (the command's clock, the web's) is refused; the system's
    # moves, which give no today, are not asked
    with pytest.raises(triage.TriageError, match="internal deadline 2026-11-01 is before today 2026-11-24"):
        triage.set_state(store, HEARING, internal_deadline="2026-11-01", today=date(2026, 11, 24))
    triage.set_state(store, HEARING, internal_deadline="2026-11-24", today=date(2026, 11, 24))
    assert triage.get(store, HEARING)["internal_deadline"] == "2026-11-24"


def test_a_draft_by_day_is_removed_by_an_empty_one(store):
    triage.set_state(store, HEARING, "respond", internal_deadline="2026-12-01", by="kari")
    triage.set_state(store, HEARING, internal_deadline=None, note="unchanged day")
    assert triage.get(store, HEARING)["internal_deadline"] == "2026-12-01"
    triage.set_state(store, HEARING, internal_deadline="", by="kari")
    assert triage.get(store, HEARING)["internal_deadline"] is None



def test_a_label_mark_the_item_has_already_writes_nothing(store):
    """`triage --label +oecd-iv` twice wrote a second history row though nothing changed."""
    assert triage.mark_labels(store, HEARING, ["+oecd-iv"], by="kari") == {"oecd-iv": "+"}
    assert triage.mark_labels(store, HEARING, ["+oecd-iv"], by="kari") == {"oecd-iv": "+"}
    assert [h["label_mark"] for h in triage.history(store, HEARING)] == ["+oecd-iv"]
    triage.mark_labels(store, HEARING, ["-oecd-iv", "+oecd-iv"], by="kari")  # a change and back: both kept
    assert [h["label_mark"] for h in triage.history(store, HEARING)] == ["+oecd-iv", "-oecd-iv", "+oecd-iv"]
