"""Change tracking as tables: (before, after) → events."""

import json

import pytest

from tracker.store.changes import compare, content_hash, merge

BASE = {"title": "Høring – A", "summary": "s", "deadline": "2026-12-01T23:59:59+01:00", "status": "open",
        "owner": "BFD", "documents": '[{"url": "u1", "title": "Høringsbrev"}]'}


def ev(events):
    return [(e.kind, e.field, e.before, e.after) for e in events]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({}, []),
        ({"deadline": "2026-12-15T23:59:59+01:00"},
         [("deadline_changed", "deadline", "2026-12-01T23:59:59+01:00", "2026-12-15T23:59:59+01:00")]),
        ({"status": "closed"}, [("status_changed", "status", "open", "closed")]),
        ({"status": "withdrawn"}, [("status_changed", "status", "open", "withdrawn")]),
        ({"title": "Høring – A (ny)"},
         [("updated", "title", {"title": "Høring – A"}, {"title": "Høring – A (ny)"})]),
        ({"title": "T2", "owner": "FIN"},
         [("updated", "title,owner", {"title": "Høring – A", "owner": "BFD"}, {"title": "T2", "owner": "FIN"})]),
        ({"documents": '[{"url": "u1", "title": "Høringsbrev"}, {"url": "u2", "title": "Notat"}]'},
         [("documents_added", "documents", None, [{"url": "u2", "title": "Notat"}])]),
        ({"deadline": None}, [("deadline_changed", "deadline", "2026-12-01T23:59:59+01:00", None)]),
    ],
)
def test_compare(change, expected):
    assert ev(compare(BASE, {**BASE, **change})) == expected


def test_stage_changed():
    before = {**BASE, "extra": '{"stage": "Awaiting committee decision"}'}
    after = {**BASE, "extra": {"stage": "Awaiting Council's 1st reading position"}}
    assert ev(compare(before, after)) == [
        ("stage_changed", "stage", "Awaiting committee decision", "Awaiting Council's 1st reading position")
    ]
    assert ev(compare(before, {**BASE, "extra": {"stage": None}})) == []  # not observed is not a change


def test_a_committee_hearings_times_moving():
    """The hearing and the deadline to ask to take part are in `extra`: their moves were no event."""
    times = {"deadline_basis": "innspillsfrist", "hearing_start": "2026-12-01T09:30:00+01:00",
             "anmodningsfrist": "2026-11-24T12:00:00+01:00"}
    before = {**BASE, "extra": __import__("json").dumps(times)}
    moved = {**times, "hearing_start": "2026-12-03T10:00:00+01:00", "anmodningsfrist": "2026-11-26T12:00:00+01:00"}
    assert ev(compare(before, {**BASE, "extra": moved})) == [
        ("times_changed", "hearing_start", "2026-12-01T09:30:00+01:00", "2026-12-03T10:00:00+01:00"),
        ("times_changed", "anmodningsfrist", "2026-11-24T12:00:00+01:00", "2026-11-26T12:00:00+01:00"),
    ]
    # the same instant written another way, a time first known or not seen: no move
    same = {**times, "hearing_start": "2026-12-01T08:30:00+00:00"}
    assert ev(compare(before, {**BASE, "extra": same})) == []
    assert ev(compare({**BASE, "extra": "{}"}, {**BASE, "extra": times})) == []
    assert ev(compare(before, {**BASE, "extra": {**times, "hearing_start": None}})) == []
    # the source now gives none (""): removed, an event; never known and now none: nothing
    assert ev(compare(before, {**BASE, "extra": {**times, "anmodningsfrist": ""}})) == [
        ("times_changed", "anmodningsfrist", "2026-11-24T12:00:00+01:00", None)]
    assert ev(compare({**BASE, "extra": "{}"}, {**BASE, "extra": {**times, "anmodningsfrist": ""}})) == []
    # the deadline to ask to take part as the item's deadline: its moves are deadline_changed
    basis = {**times, "deadline_basis": "anmodningsfrist"}
    assert ev(compare({**BASE, "extra": basis}, {**BASE, "extra": {**basis, "anmodningsfrist": "2026-11-30T12:00:00+01:00"}})) == []


HALL_1 = {"sted": "Stortingets komitéhus, Høringssal 1", "tidspunkt": "2026-12-03T09:00:00+01:00"}


@pytest.mark.parametrize("sittings, expected", [
    ([{**HALL_1, "sted": "Stortingets komitéhus, Høringssal 2"}], True),  # another room
    ([HALL_1, {"sted": HALL_1["sted"], "tidspunkt": "2026-12-04T09:00:00+01:00"}], True),  # a sitting added
    ([], True),  # every sitting removed (a hearing made written-only)
    ([{**HALL_1, "tidspunkt": "2026-12-03T08:00:00+00:00"}], False),  # the same instant written another way
    (None, False),  # not observed: the stored list is kept
])
def test_a_committee_hearings_sittings_changing(sittings, expected):
    """A committee hearing's sittings (`extra["hearing_times"]`, the horizon's and the draft's) had
    no event: a room changed or a sitting added was stored silently, and a digest of an earlier day
    showed today's sittings."""
    before = {**BASE, "extra": json.dumps({"hearing_start": HALL_1["tidspunkt"], "hearing_times": [HALL_1]})}
    after = {**BASE, "extra": {"hearing_start": HALL_1["tidspunkt"], "hearing_times": sittings}}
    assert ev(compare(before, after)) == (
        [("times_changed", "hearing_times", [HALL_1], sittings)] if expected else [])


def test_sittings_first_known_are_no_change():
    after = {**BASE, "extra": {"hearing_times": [HALL_1]}}
    assert ev(compare({**BASE, "extra": "{}"}, after)) == []
    assert ev(compare({**BASE, "extra": '{"hearing_times": []}'}, after)) == []
    # places first known (the Storting's fallback channel gives the days only): no change; a day moved is
    unplaced = {**BASE, "extra": json.dumps({"hearing_times": [{**HALL_1, "sted": None}]})}
    assert ev(compare(unplaced, after)) == []
    moved = [{**HALL_1, "tidspunkt": "2026-12-04T09:00:00+01:00"}]
    assert ev(compare(unplaced, {**BASE, "extra": {"hearing_times": moved}})) == [
        ("times_changed", "hearing_times", [{**HALL_1, "sted": None}], moved)]


def test_a_hearing_moved_with_its_sitting_is_told_once():
    """The hearing moved: its start and its one sitting move together. Both are recorded (the
    item's history, and the sittings for a digest of an earlier day); the digest and the feed tell
    "Hearing moved" once (`told`). Another room as well is news of its own."""
    from tracker.store.changes import told

    later = {**HALL_1, "tidspunkt": "2026-12-08T10:00:00+01:00"}
    before = {**BASE, "extra": json.dumps({"hearing_start": HALL_1["tidspunkt"], "hearing_times": [HALL_1]})}
    moved = {**BASE, "extra": {"hearing_start": later["tidspunkt"], "hearing_times": [later]}}
    events = [{"kind": e.kind, "field": e.field, "before": e.before, "after": e.after}
              for e in compare(before, moved)]
    assert [(e["kind"], e["field"]) for e in events] == [("times_changed", "hearing_start"),
                                                         ("times_changed", "hearing_times")]
    assert [e["field"] for e in told(events)] == ["hearing_start"]
    # as the store holds them (text), and in another order
    stored = [{**e, "before": json.dumps(e["before"]) if isinstance(e["before"], list) else e["before"],
               "after": json.dumps(e["after"]) if isinstance(e["after"], list) else e["after"]}
              for e in reversed(events)]
    assert [e["field"] for e in told(stored)] == ["hearing_start"]
    moved_room = {**BASE, "extra": {"hearing_start": later["tidspunkt"],
                                    "hearing_times": [{**later, "sted": "Digitalt"}]}}
    events = [{"kind": e.kind, "field": e.field, "before": e.before, "after": e.after}
              for e in compare(before, moved_room)]
    assert [e["field"] for e in told(events)] == ["hearing_start", "hearing_times"]
    # a sitting changed without the hearing's move is told
    assert told(events[1:]) == events[1:]
    # moved, its place first known (the day before came from the fallback channel): told once
    unplaced = {**BASE, "extra": json.dumps({"hearing_start": HALL_1["tidspunkt"], "hearing_times": [{**HALL_1, "sted": None}]})}
    events = [{"kind": e.kind, "field": e.field, "before": e.before, "after": e.after}
              for e in compare(unplaced, moved)]
    assert [e["field"] for e in events] == ["hearing_start", "hearing_times"]
    assert [e["field"] for e in told(events)] == ["hearing_start"]


def test_new_item():
    assert ev(compare(None, BASE)) == [("new", None, None, "Høring – A")]


def test_reappeared():
    assert ev(compare({**BASE, "vanished_at": "2026-11-24"}, {**BASE, "vanished_at": None})) == [
        ("reappeared", None, "2026-11-24", None)
    ]


def test_merge_never_erases_what_the_scrape_did_not_see():
    merged = merge(BASE, {"title": "Høring – A", "deadline": None, "summary": "", "documents": []})
    assert merged["deadline"] == BASE["deadline"]
    assert merged["summary"] == "s"


def test_merge_accumulates_documents():
    merged = merge(BASE, {"documents": [{"url": "u2", "title": "Notat"}]})
    assert {d["url"] for d in merged["documents"]} == {"u1", "u2"}
    assert not any(d.get("unlisted") for d in merged["documents"])  # a list from a feed marks none


def test_a_page_read_in_full_marks_the_documents_it_no_longer_links():
    """A høringsnotat replaced by a corrected one (a new address) stayed among the item's
    documents as if current: drafts quoted both. A page read in full (documents_complete) marks
    the one it no longer links; a document linked again loses the mark; nothing is deleted."""
    replaced = merge(BASE, {"documents": [{"url": "u2", "title": "Notat (revidert)"}]}, documents_complete=True)
    assert {d["url"]: bool(d.get("unlisted")) for d in replaced["documents"]} == {"u1": True, "u2": False}
    # the item's content is what its page links now: the hash changes (it is tagged again)
    assert content_hash(replaced) == content_hash({**BASE, "documents": [{"url": "u2"}]})
    again = merge(replaced, {"documents": [{"url": "u1", "title": "Notat"}]}, documents_complete=True)
    assert {d["url"]: bool(d.get("unlisted")) for d in again["documents"]} == {"u1": False, "u2": True}
    # a page that gave no documents (blocked, or a feed) says nothing about them
    assert merge(replaced, {"documents": []}, documents_complete=True)["documents"] == replaced["documents"]


def test_a_document_no_longer_linked_is_a_change_and_is_set_back_for_an_earlier_day():
    """The digest said «Nye dokumenter: Notat (revidert)» and nothing of the notat it replaced:
    a document the page no longer links is a `documents_removed` event (once), and the item as it
    stood before it has the document linked."""
    from tracker.store.changes import revert

    replaced = merge(BASE, {"documents": [{"url": "u2", "title": "Notat (revidert)"}]}, documents_complete=True)
    assert ev(compare(BASE, replaced)) == [
        ("documents_added", "documents", None, [{"url": "u2", "title": "Notat (revidert)"}]),
        ("documents_removed", "documents", None, [{"url": "u1", "title": "Høringsbrev"}])]
    assert ev(compare(replaced, merge(replaced, {"documents": [{"url": "u2"}]}, documents_complete=True))) == []
    stored = {**replaced, "documents": json.dumps(replaced["documents"])}
    rows = [e.as_row() for e in compare(BASE, replaced)]
    assert json.loads(revert(stored, rows)["documents"]) == [{"url": "u1", "title": "Høringsbrev"}]


def test_hash_ignores_document_order_but_not_deadline():
    a = {**BASE, "documents": [{"url": "a"}, {"url": "b"}]}
    b = {**BASE, "documents": [{"url": "b"}, {"url": "a"}]}
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "deadline": "2027-01-01T23:59:59+01:00"})


# ---------------------------------------------------------------------------- revert: compare's inverse

def _rows(events):
    """Events as the store holds them (before/after as text)."""
    return [e.as_row() for e in events]


@pytest.mark.parametrize("change", [
    {"deadline": "2026-12-15T23:59:59+01:00"},
    {"status": "closed"},
    {"title": "T2", "owner": "FIN", "summary": "s2"},
    {"documents": '[{"url": "u1", "title": "Høringsbrev"}, {"url": "u2", "title": "Notat"}]'},
    {"deadline": None},
    {"extra": '{"stage": "Awaiting Council", "hearing_start": "2026-12-09T09:00:00+01:00"}'},
])
def test_revert_gives_the_item_before_the_change(change):
    from tracker.store.changes import revert

    before = {**BASE, "extra": '{"stage": "Awaiting committee", "hearing_start": "2026-12-03T09:00:00+01:00"}'}
    after = {**before, **change}
    events = _rows(compare(before, after))
    assert events  # a change the store records
    old = revert(after, events)
    for key in ("title", "summary", "owner", "deadline", "status"):
        assert old.get(key) == before.get(key), key
    assert json.loads(old["extra"]) == json.loads(before["extra"])
    assert [d["url"] for d in json.loads(old["documents"])] == ["u1"]


def test_revert_takes_the_value_before_the_first_of_several_changes():
    from tracker.store.changes import revert

    mid = {**BASE, "deadline": "2026-12-15T23:59:59+01:00", "title": "T2"}
    last = {**mid, "deadline": "2027-01-15T23:59:59+01:00", "title": "T3", "status": "withdrawn"}
    old = revert(last, _rows(compare(BASE, mid)) + _rows(compare(mid, last)))
    assert (old["deadline"], old["title"], old["status"]) == (BASE["deadline"], BASE["title"], "open")


def test_revert_of_a_stage_first_known_later_removes_it():
    from tracker.store.changes import revert

    after = {**BASE, "extra": '{"stage": "Awaiting Council"}'}
    assert json.loads(revert(after, _rows(compare({**BASE, "extra": "{}"}, after)))["extra"]) == {}


def test_revert_of_vanishing_and_reappearing():
    from tracker.store.changes import Event, revert

    gone = {**BASE, "vanished_at": "2026-11-24T05:00:00+00:00"}
    assert revert(gone, _rows([Event("vanished", None, None, gone["vanished_at"])]))["vanished_at"] is None
    back = {**BASE, "vanished_at": None}
    events = _rows(compare(gone, back))
    assert revert(back, events)["vanished_at"] == gone["vanished_at"]


def test_an_item_first_recorded_later_did_not_stand_then():
    from tracker.store.changes import revert

    assert revert(BASE, _rows(compare(None, BASE))) is None


def test_revert_skips_an_event_it_cannot_read():
    """An `updated` event whose before is not the store's JSON (written by hand, by another
    program) stopped a digest of an earlier day with a JSONDecodeError."""
    from tracker.store.changes import revert

    after = {**BASE, "title": "T2", "deadline": "2027-01-01T23:59:59+01:00"}
    rows = [{"kind": "updated", "field": "title", "before": "a", "after": "b"},
            {"kind": "documents_added", "field": "documents", "before": None, "after": "not json"},
            *_rows(compare(BASE, after))[1:]]  # the deadline's event, readable
    old = revert(after, rows)
    assert old["title"] == "T2" and old["deadline"] == BASE["deadline"]


def test_revert_gives_a_committee_hearings_sittings_as_they_stood():
    from tracker.store.changes import revert

    first = {**BASE, "extra": json.dumps({"hearing_start": HALL_1["tidspunkt"], "hearing_times": [HALL_1]})}
    moved = {**HALL_1, "tidspunkt": "2026-12-08T10:00:00+01:00"}
    mid = {**BASE, "extra": json.dumps({"hearing_start": moved["tidspunkt"], "hearing_times": [moved]})}
    last = {**BASE, "extra": json.dumps({"hearing_start": moved["tidspunkt"],
                                         "hearing_times": [moved, {**moved, "tidspunkt": "2026-12-09T10:00:00+01:00"}]})}
    later = _rows(compare(first, mid))
    later2 = _rows(compare(mid, last))
    assert [e["field"] for e in later2] == ["hearing_times"]
    assert json.loads(revert(last, later + later2)["extra"]) == json.loads(first["extra"])
    assert json.loads(revert(last, later2)["extra"]) == json.loads(mid["extra"])
    # an event whose sittings cannot be read is not set back (the digest goes on)
    broken = [{**later2[0], "before": "not json"}]
    assert json.loads(revert(last, broken)["extra"]) == json.loads(last["extra"])


def test_the_further_days_a_committee_hearing_sits():
    """A hearing over two days (the second in another room) is named with both; several sittings on
    one day (its speakers' slots) are one day, named by its start; sittings without a readable time
    and a hearing without a start add none."""
    from tracker.store.changes import later_sitting_days
    from tracker.store.deadlines import to_datetime

    day2 = [{"sted": "Høringssal 2", "tidspunkt": "2026-12-04T10:00:00+01:00"},
            {"sted": None, "tidspunkt": "2026-12-04T09:00:00+01:00"}]
    slots = [{"sted": "Høringssal 1", "tidspunkt": "2026-12-03T09:40:00+01:00"}, HALL_1]
    extra = {"hearing_start": HALL_1["tidspunkt"], "hearing_times": [*day2, *slots, {"tidspunkt": None}, "?"]}
    assert later_sitting_days(extra) == [(to_datetime("2026-12-04T09:00:00+01:00"), None)]
    assert later_sitting_days({**extra, "hearing_times": slots}) == []
    late = {"sted": "Høringssal 3", "tidspunkt": "2026-12-07T23:30:00+00:00"}  # Oslo: 8 December
    assert [(w.isoformat(), p) for w, p in later_sitting_days({**extra, "hearing_times": [late, day2[0]]})] == [
        ("2026-12-04T10:00:00+01:00", "Høringssal 2"), ("2026-12-08T00:30:00+01:00", "Høringssal 3")]
    assert later_sitting_days({"hearing_times": day2}) == []
    # every day it sits, the start first; without a start, from its first sitting
    from tracker.store.changes import sitting_days

    assert [(w.isoformat(), p) for w, p in sitting_days(extra)] == [
        ("2026-12-03T09:00:00+01:00", HALL_1["sted"]), ("2026-12-04T09:00:00+01:00", None)]
    assert [(w.isoformat(), p) for w, p in sitting_days({"hearing_times": [*day2, *slots]})] == [
        ("2026-12-03T09:00:00+01:00", HALL_1["sted"]), ("2026-12-04T09:00:00+01:00", None)]
    assert sitting_days({"hearing_times": [{"tidspunkt": None}]}) == [] and sitting_days({}) == []


def test_where_a_committee_hearing_is_held():
    from tracker.store.changes import hearing_place

    second = {"sted": "Høringssal 2", "tidspunkt": "2026-12-04T09:00:00+01:00"}
    assert hearing_place({"hearing_start": "2026-12-03T08:00:00+00:00", "hearing_times": [second, HALL_1]}) == HALL_1["sted"]
    assert hearing_place({"hearing_times": [{"sted": None, "tidspunkt": None}, second, HALL_1]}) == "Høringssal 2"
    assert hearing_place({"hearing_start": HALL_1["tidspunkt"], "hearing_times": [{**HALL_1, "sted": ""}, second]}) == (
        "Høringssal 2")  # the sitting at its start names no place: the first that does
    assert hearing_place({"hearing_times": [{"sted": None, "tidspunkt": HALL_1["tidspunkt"]}]}) is None
    assert hearing_place({}) is None and hearing_place({"hearing_times": "?"}) is None


PLENARY = {"date": "2026-12-15", "event": "Indicative plenary sitting date"}


def test_an_eu_procedures_forecasts_moved_added_or_dropped_are_a_change_and_revert():
    """OEIL's forecasts (a planned plenary vote, an application date) had no event of their own: a
    moved plenary date was only a line in the body's new wording, and an earlier day's horizon showed
    today's forecasts."""
    from tracker.store.changes import forecast_moves, revert

    def item(*forecasts):
        return {**BASE, "kind": "eu_procedure", "extra": json.dumps({"stage": "s", "forecasts": list(forecasts)})}

    first = item(PLENARY)
    moved = item({**PLENARY, "date": "2027-01-20"}, {"date": "2027-06-01", "event": "Application"})
    dropped = item({"date": "2027-06-01", "event": "Application"})
    assert ev(compare(first, item(PLENARY))) == []
    assert ev(compare(moved, item({"date": "2027-06-01", "event": "Application"}, {**PLENARY, "date": "2027-01-20"}))) == []
    (change,) = compare(first, moved)
    assert (change.kind, change.field) == ("forecasts_changed", "forecasts")
    assert forecast_moves(change.before, change.after) == [
        ("Indicative plenary sitting date", "2026-12-15", "2027-01-20"), ("Application", None, "2027-06-01")]
    assert forecast_moves(json.loads(moved["extra"])["forecasts"], json.loads(dropped["extra"])["forecasts"]) == [
        ("Indicative plenary sitting date", "2027-01-20", None)]
    # none at first, then one: a forecast added
    (added,) = compare(item(), first)
    assert forecast_moves(added.before, added.after) == [("Indicative plenary sitting date", None, "2026-12-15")]
    # set back for an earlier day, also to none
    later = _rows(compare(first, moved)) + _rows(compare(moved, dropped))
    assert json.loads(revert(dropped, later)["extra"])["forecasts"] == [PLENARY]
    assert json.loads(revert(first, _rows(compare(item(), first)))["extra"])["forecasts"] == []


def test_a_storting_cases_hearing_deadline_set_moved_or_removed_is_a_change_and_reverts():
    """A representantforslag's hearing deadline (its saksgang's HOERFRIST, no_stortinget_spu) came
    into `extra` with no event: a digest of the day before, written later, showed it already."""
    from tracker.digest import describe_change
    from tracker.store.changes import revert

    def case(**times):
        return {**BASE, "kind": "storting_case", "deadline": None, "extra": json.dumps({"topic": "gpfg", **times})}

    none, dec7 = case(), case(hearing_deadline="2026-12-07T00:00:00+01:00")
    (first,) = compare(none, dec7)
    assert (first.kind, first.field, first.before, first.after) == (
        "times_changed", "hearing_deadline", None, "2026-12-07T00:00:00+01:00")
    assert describe_change(first.as_row(), "nb") == "Høringsfrist i saken satt: man. 07.12.2026"  # the day itself
    assert describe_change(first.as_row(), "en") == "Hearing deadline of the case set: Mon 7 Dec 2026"
    moved = case(hearing_deadline="2026-12-09T00:00:00+01:00", hearing="2026-12-15T00:00:00+01:00")
    assert [describe_change(e.as_row(), "nb") for e in compare(dec7, moved)] == [
        "Høringsfristen i saken er flyttet: man. 07.12.2026 → ons. 09.12.2026",
        "Høring i komiteen satt: tir. 15.12.2026"]
    assert [describe_change(e.as_row(), "nb") for e in compare(dec7, case(hearing_deadline=""))] == [
        "Ingen høringsfrist i saken lenger (var man. 07.12.2026)"]
    # the same day written another way: no change; a committee hearing's first-known times stay none
    assert ev(compare(dec7, case(hearing_deadline="2026-12-06T23:00:00+00:00"))) == []
    assert ev(compare({**none, "kind": "committee_hearing"}, {**dec7, "kind": "committee_hearing"})) == []
    # an earlier day's view: set back, also to none
    assert "hearing_deadline" not in json.loads(revert(moved, _rows(compare(none, dec7)) + _rows(compare(dec7, moved)))["extra"])
    assert json.loads(revert(moved, _rows(compare(dec7, moved)))["extra"])["hearing_deadline"] == "2026-12-07T00:00:00+01:00"
