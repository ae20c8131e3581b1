"""Change tracking as tables: (before, after) → events."""

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


def test_hash_ignores_document_order_but_not_deadline():
    a = {**BASE, "documents": [{"url": "a"}, {"url": "b"}]}
    b = {**BASE, "documents": [{"url": "b"}, {"url": "a"}]}
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({**a, "deadline": "2027-01-01T23:59:59+01:00"})
