"""Advisers' decisions on items: the triage state machine, owner, notes, internal deadline.

States and the moves between them::

    new ──► watching | not_relevant | respond
    respond ──► assigned ──► drafting ──► submitted ──► published
    respond | assigned | drafting ──► closed_unanswered   (deadline passed, no answer)
    closed_unanswered ──► respond | assigned | drafting    (the deadline extended after it passed)
    not_relevant ──► new                                  (to be looked at again)

plus the corrections an adviser needs (watching ⇄ respond, not_relevant → watching | respond,
assigned → respond to unassign, drafting → assigned, a late answer after closed_unanswered).
The daily run closes and reopens by itself: `close_unanswered` when a deadline passes,
`reopen_extended` when the deadline of an item it closed is moved to a day not yet passed, and
`reconsider_named` when the NCP is named a consultee of an item marked not relevant before that.
Everything else is an illegal transition and raises `TriageError` with the allowed moves.

Every change is kept in ``triage_history`` with who and when; *who* is ``--by``, else
the OS user (the web workbench passes the logged-in account or the remembered name). Notes are stored as plain text (escaped when shown).

The marks are also the tagger's feedback: `feedback()` turns ``not_relevant`` into a negative
and ``watching``/``respond`` (and every later stage of an answer) into a positive.
"""

from __future__ import annotations

import getpass
import json
import re
import unicodedata
from datetime import date, datetime
from typing import Any

import sqlite_utils

from tracker.store.deadlines import deadline_day, deadline_time
from tracker.store.instants import now_iso, stored, to_stored_text
from tracker.store.labels import marks_of, with_marks
from tracker.store.queries import consultee_list, loads_json
from tracker.vocabulary import NOTE_CLOSED, NOTE_RECONSIDERED, NOTE_REOPENED, system_note

NEW, WATCHING, NOT_RELEVANT, RESPOND = "new", "watching", "not_relevant", "respond"
ASSIGNED, DRAFTING, SUBMITTED, PUBLISHED = "assigned", "drafting", "submitted", "published"
CLOSED_UNANSWERED = "closed_unanswered"

STATES = (NEW, WATCHING, NOT_RELEVANT, RESPOND, ASSIGNED, DRAFTING, SUBMITTED, PUBLISHED,
          CLOSED_UNANSWERED)  # fmt: skip

#: legal moves (state → states it may go to)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    NEW: (WATCHING, NOT_RELEVANT, RESPOND),
    WATCHING: (RESPOND, NOT_RELEVANT),
    NOT_RELEVANT: (WATCHING, RESPOND, NEW),  # new: undecided again (see reconsider_named)
    RESPOND: (ASSIGNED, WATCHING, NOT_RELEVANT, CLOSED_UNANSWERED),
    ASSIGNED: (DRAFTING, RESPOND, CLOSED_UNANSWERED),
    DRAFTING: (SUBMITTED, ASSIGNED, CLOSED_UNANSWERED),
    SUBMITTED: (PUBLISHED,),
    PUBLISHED: (),
    # a late answer the department still accepted; the deadline extended: back to answering
    CLOSED_UNANSWERED: (SUBMITTED, RESPOND, ASSIGNED, DRAFTING),
}

#: states in which an answer was intended but not yet sent (these close when the deadline passes)
OPEN_ANSWER_STATES = (RESPOND, ASSIGNED, DRAFTING)
#: states that need a named owner
OWNED_STATES = (ASSIGNED, DRAFTING)
#: feedback for the tagger: True = the item was relevant to the NCP
FEEDBACK = {NOT_RELEVANT: False, WATCHING: True, RESPOND: True, ASSIGNED: True, DRAFTING: True,
            SUBMITTED: True, PUBLISHED: True, CLOSED_UNANSWERED: True}  # fmt: skip

SYSTEM_USER = "ncp-tracker"
NOTE_MAX = 4000

#: a name written into the triage — the adviser an item is assigned to, and the web's «Endret av»
#: without accounts: letters, digits, spaces and a few marks, so no markup, line breaks, control or
#: invisible characters (a zero-width space pasted with «Kari» made a second «Kari» in the inbox's
#: list of advisers); a comma for «Nordmann, Kari»
NAME_RE = re.compile(r"^[\w .,'@-]{1,80}$")
NAME_MAX = 80


class TriageError(ValueError):
    """A triage change that cannot be made (unknown item, illegal transition, bad value)."""


class StaleTriage(TriageError):
    """A change made on what the item was before someone else changed it (`set_state`'s `base`
    is no longer the item's `version`): refused, with the changes made since (`changes`, the
    triage history's rows after `base`, oldest first) and the adviser the item had at `base`
    (`owner_before`), so the adviser can look them over; `at_base`: the item's state, owner and
    draft-by day at `base` (what the adviser's form was loaded with; None when `base` is no
    version the history knows), so a form sent again can tell the adviser's own changes from
    the values it merely carried."""

    def __init__(self, item_id: str, base: int, changes: list[dict[str, Any]],
                 owner_before: str | None = None, at_base: dict[str, Any] | None = None) -> None:
        self.item_id, self.base, self.changes, self.owner_before = item_id, base, changes, owner_before
        self.at_base = at_base
        who = ", ".join(dict.fromkeys(str(c["by"]) for c in changes)) or "someone"
        super().__init__(f"{item_id} was changed by {who} after it was loaded; look the changes over and save again")


def current_user(by: str | None = None) -> str:
    """Who makes a change: `by`, else the OS user."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def refused_chars(name: str) -> str:
    """The characters of `name` that `NAME_RE` does not take, each once, an invisible one by its
    code ('\\u200b')."""
    bad = dict.fromkeys(c for c in name if not NAME_RE.match(c))
    return " ".join(c if c.isprintable() else repr(c) for c in bad)


def check_owner(owner: str) -> str:
    """`owner` as a name an item can be assigned to (`NAME_RE`); TriageError otherwise."""
    if len(owner) > NAME_MAX:
        raise TriageError(f"owner name too long ({len(owner)} characters, at most {NAME_MAX})")
    if not NAME_RE.match(owner):
        raise TriageError(f"owner name cannot contain {refused_chars(owner)}: use letters, digits, spaces and . , ' @ -")
    return owner


def item_exists(db: sqlite_utils.Database, item_id: str) -> bool:
    return db.execute("select 1 from items where id = ?", [item_id]).fetchone() is not None


def owners(db: sqlite_utils.Database) -> list[str]:
    """The advisers items are assigned to, each once (names compared case-insensitively, as the
    inbox's owner filter compares them), in alphabetical order."""
    names: dict[str, str] = {}
    for (name,) in db.execute("select distinct owner from triage where owner is not null order by owner"):
        if name.strip():
            names.setdefault(name.strip().casefold(), name.strip())
    return sorted(names.values(), key=str.casefold)


def has_owned(db: sqlite_utils.Database, name: str) -> bool:
    """Whether any item is or ever was assigned to the adviser `name` (compared case-insensitively,
    as the owner filters compare): a name no item has ever had is a typo or a stranger, and a
    filter on it would list nothing as if that were the answer."""
    wanted = name.strip().casefold()
    return any((owner or "").strip().casefold() == wanted for (owner,) in db.execute(
        "select distinct owner from triage where owner is not null "
        "union select distinct owner from triage_history where owner is not null"))


def get(db: sqlite_utils.Database, item_id: str) -> dict[str, Any]:
    """The item's triage row; an untriaged item is in state ``new``."""
    row = db.execute(
        "select item_id, state, owner, note, internal_deadline, updated_at, updated_by "
        "from triage where item_id = ?", [item_id],
    ).fetchone()  # fmt: skip
    if row is None:
        return {"item_id": item_id, "state": NEW, "owner": None, "note": None,
                "internal_deadline": None, "updated_at": None, "updated_by": None}  # fmt: skip
    keys = ("item_id", "state", "owner", "note", "internal_deadline", "updated_at", "updated_by")
    return dict(zip(keys, row, strict=True))


def version(db: sqlite_utils.Database, item_id: str) -> int:
    """What the item's triage is at: the id of its latest change (0: never triaged). A form
    carries it as its `base` (`set_state`). Label marks are not counted: each is a mark of its
    own, replacing nothing another adviser set (`mark_labels`)."""
    row = db.execute("select max(id) from triage_history where item_id = ? and label_mark is null",
                     [item_id]).fetchone()
    return int(row[0] or 0)


def history(db: sqlite_utils.Database, item_id: str) -> list[dict[str, Any]]:
    """Every triage change of an item, oldest first: the state before and after, the owner and
    the note after it, the draft-by day before and after it; a label mark (`label_mark`
    ``+oecd-vii``) is a row of its own that changes nothing else (its owner is the owner then)."""
    return list(db.query(
        "select id, item_id, at, by, state_before, state_after, owner, note, internal_deadline_before, "
        "internal_deadline_after, label_mark from triage_history where item_id = ? order by id", [item_id],
    ))  # fmt: skip


def allowed(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def _check_deadline(value: str | None) -> str | None:
    """The internal deadline as stored (YYYY-MM-DD); None when `value` is empty (no deadline).
    Only a date, written whole: "2026-12-10garbage" is refused, not read as its first ten
    characters."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise TriageError(f"internal deadline must be a date YYYY-MM-DD, not {value!r}") from exc


def _check_before_deadline(db: sqlite_utils.Database, item_id: str, internal_deadline: str) -> None:
    """A draft due after the item's own deadline is of no use: refused, naming the deadline (the
    last day an answer is in time, tracker.store.deadlines.deadline_day)."""
    row = db.execute("select deadline from items where id = ?", [item_id]).fetchone()
    last = deadline_day(row[0]) if row else None
    if last is not None and date.fromisoformat(internal_deadline) > last:
        raise TriageError(f"internal deadline {internal_deadline} is after the item's deadline {last.isoformat()}")


def set_state(
    db: sqlite_utils.Database,
    item_id: str,
    state: str | None = None,
    *,
    owner: str | None = None,
    note: str | None = None,
    internal_deadline: str | None = None,
    by: str | None = None,
    at: str | None = None,
    keep_note: bool = False,
    base: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Change an item's triage (state and/or owner, note, internal deadline) and keep the history.

    `state=None` (or the current state) changes only owner/note/deadline; `internal_deadline=""`
    removes the deadline, None leaves it as it is. Raises `TriageError`
    for an unknown item, an unknown state, an illegal transition, an ownerless assignment or a new
    owner that is no name (`check_owner`).
    `keep_note`: the item's note stays as it is and `note` goes to the history only (the moves the
    system makes by itself never replace an adviser's note).
    `base`: the `version` the change was made on (a form's values as loaded); when the item was
    changed since, `StaleTriage` is raised and nothing is written (the second of two advisers
    saving the same item silently put back the owner and day the first had just set). Call it
    inside one write transaction (tracker.store.db.write_transaction), so nothing comes in between.
    `today`: the day of the caller's clock (the command's, the web's); a new draft-by day before it
    is refused (an adviser's «due» that has already passed); None: not checked (the system's moves).
    """
    if not item_exists(db, item_id):
        raise TriageError(f"unknown item id: {item_id!r} (see `ncp-tracker search` or `items`)")
    if base is not None and version(db, item_id) != base:
        rows = history(db, item_id)
        at_base = next((h for h in rows if h["id"] == base and not h.get("label_mark")), None)
        loaded = ({"state": at_base["state_after"], "owner": at_base["owner"],
                   "internal_deadline": at_base["internal_deadline_after"]} if at_base
                  else {"state": NEW, "owner": None, "internal_deadline": None} if base == 0 else None)
        raise StaleTriage(item_id, base, [h for h in rows if h["id"] > base and not h.get("label_mark")],
                          owner_before=at_base["owner"] if at_base else None, at_base=loaded)
    current = get(db, item_id)
    before = current["state"]
    target = before if state in (None, "") else state.strip().lower()
    if target not in STATES:
        raise TriageError(f"unknown state {state!r}; states: {', '.join(STATES)}")
    if target != before and target not in allowed(before):
        moves = ", ".join(allowed(before)) or "none (final state)"
        raise TriageError(f"illegal transition {before} → {target} for {item_id}; allowed from {before}: {moves}")
    # composed (NFC): «Kåre» typed decomposed on a Mac is the same adviser as «Kåre», not a second
    new_owner = current["owner"] if owner is None else (unicodedata.normalize("NFC", owner).strip() or None)
    if new_owner and new_owner != current["owner"]:  # a kept one is not asked again
        check_owner(new_owner)
    if target in OWNED_STATES and not new_owner:
        raise TriageError(f"state {target} needs an owner (--owner NAME)")
    if note is not None:
        note = note.strip()
        if len(note) > NOTE_MAX:
            raise TriageError(f"note too long ({len(note)} characters, at most {NOTE_MAX})")
    new_deadline = current["internal_deadline"] if internal_deadline is None else _check_deadline(internal_deadline)
    if new_deadline and new_deadline != current["internal_deadline"]:  # a kept one is not asked again
        if today is not None and date.fromisoformat(new_deadline) < today:
            raise TriageError(f"internal deadline {new_deadline} is before today {today.isoformat()}")
        _check_before_deadline(db, item_id, new_deadline)
    changed = (target != before or new_owner != current["owner"] or bool(note)
               or new_deadline != current["internal_deadline"])  # fmt: skip
    if not changed:
        return current
    who = current_user(by)
    when = to_stored_text(at) if at else now_iso()  # a given instant, stored in UTC
    row = {
        "item_id": item_id, "state": target, "owner": new_owner,
        "note": note if note and not keep_note else current["note"],
        "internal_deadline": new_deadline, "updated_at": when, "updated_by": who,
    }  # fmt: skip
    with db.atomic():  # inside a caller's transaction, part of it (tracker.store.db.write_transaction)
        db["triage"].upsert(row, pk="item_id")
        db["triage_history"].insert({
            "item_id": item_id, "at": when, "by": who, "state_before": before,
            "state_after": target, "owner": new_owner, "note": note or None,
            "internal_deadline_before": current["internal_deadline"], "internal_deadline_after": new_deadline,
        })  # fmt: skip
    return get(db, item_id)


def close_unanswered(db: sqlite_utils.Database, as_of: datetime, *, by: str = SYSTEM_USER) -> list[str]:
    """Move items whose deadline passed while an answer was intended to ``closed_unanswered``.

    Runs after crawls (and before the inbox is shown); idempotent. Returns the item ids moved.
    """
    at = stored(as_of)
    placeholders = ",".join("?" for _ in OPEN_ANSWER_STATES)
    rows = list(db.query(
        # the triage rows lead (CROSS JOIN): SQLite otherwise scanned every item (1.5 s at a million)
        f"select t.item_id, i.deadline from triage t cross join items i on i.id = t.item_id "
        f"where t.state in ({placeholders}) and i.deadline is not null",
        list(OPEN_ANSWER_STATES),
    ))  # fmt: skip
    moved = []
    for row in rows:
        deadline = deadline_time(row["deadline"])  # naive: Oslo time; a day alone: its end
        if deadline is None:
            continue
        if deadline < as_of:
            set_state(db, row["item_id"], CLOSED_UNANSWERED, by=by, at=at, keep_note=True,
                      note=system_note(NOTE_CLOSED, deadline=row["deadline"]))
            moved.append(row["item_id"])
    return moved


def reopen_extended(db: sqlite_utils.Database, as_of: datetime, *, by: str = SYSTEM_USER) -> list[str]:
    """Move items closed unanswered back to the state they were closed from (respond, assigned,
    drafting) when their deadline was moved, after the close, to a time not yet passed: a
    hearing's deadline extended after it passed can still be answered, and is back in «Trenger
    innspill». A deadline that did not move since the close (an adviser closed the item before
    it) reopens nothing. Runs after crawls with `close_unanswered`; idempotent. Returns the
    item ids moved."""
    at = stored(as_of)
    rows = list(db.query(
        "select t.item_id, i.deadline from triage t cross join items i on i.id = t.item_id "
        "where t.state = ? and i.deadline is not null", [CLOSED_UNANSWERED],
    ))  # fmt: skip
    moved = []
    for row in rows:
        deadline = deadline_time(row["deadline"])
        if deadline is None or deadline < as_of:
            continue
        closing = db.execute(
            "select at, state_before from triage_history where item_id = ? and state_after = ? "
            "order by id desc limit 1", [row["item_id"], CLOSED_UNANSWERED]).fetchone()
        if closing is None or db.execute(
                "select 1 from events where item_id = ? and kind = 'deadline_changed' and at > ? limit 1",
                [row["item_id"], closing[0]]).fetchone() is None:
            continue
        back = closing[1] if closing[1] in OPEN_ANSWER_STATES else RESPOND
        set_state(db, row["item_id"], back, by=by, at=at, keep_note=True,
                  note=system_note(NOTE_REOPENED, deadline=row["deadline"]))
        moved.append(row["item_id"])
    return moved


def reconsider_named(db: sqlite_utils.Database, as_of: datetime, *, by: str = SYSTEM_USER) -> list[str]:
    """Move items marked not relevant back to new when the NCP was named a consultee after the
    mark: Kontaktpunktet asked by name to answer is a fact the adviser did not have (a hearing
    set aside on its title, whose consultee list later names the NCP, stayed out of «Trenger
    innspill» and every digest for good). The list as it stood at the mark is the `before` of
    its first change after the mark; an item marked while the NCP was already named stays as the
    adviser left it. Runs after crawls; idempotent. Returns the item ids moved."""
    from crawlers.consultees import ncp_consultee

    rows = list(db.query(
        "select t.item_id from triage t cross join items i on i.id = t.item_id "
        "where t.state = ? and i.ncp_consultee = 1", [NOT_RELEVANT]))
    moved = []
    for row in rows:
        mark = db.execute(
            "select at from triage_history where item_id = ? and state_after = ? and state_before != ? "
            "order by id desc limit 1", [row["item_id"], NOT_RELEVANT, NOT_RELEVANT]).fetchone()
        if mark is None:
            continue
        change = db.execute(
            "select before from events where item_id = ? and kind = 'updated' and at > ? "
            "and (',' || field || ',') like '%,consultees,%' order by id limit 1",
            [row["item_id"], mark[0]]).fetchone()
        if change is None or ncp_consultee(_consultees_in(change[0])):
            continue
        set_state(db, row["item_id"], NEW, by=by, at=stored(as_of), keep_note=True,
                  note=system_note(NOTE_RECONSIDERED))
        moved.append(row["item_id"])
    return moved


def _consultees_in(before: str | None) -> list[dict[str, Any]] | None:
    """The consultee list in an `updated` event's `before` (JSON of the changed fields); None when
    it was not known."""
    fields = loads_json(before, {})
    return consultee_list(fields.get("consultees")) if isinstance(fields, dict) else None


def parse_label_marks(marks: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    """``["+oecd-iv", "-Kap. V", "+åpenhetsloven"]`` → ``[("+", "oecd-iv"), ("-", "oecd-v"),
    ("+", "apenhetsloven")]``; a label in any spelling people use; TriageError otherwise."""
    from nlp.labels import parse_label

    out = []
    for mark in marks:
        text = (mark or "").strip()
        if text[:1] not in ("+", "-") or not text[1:].strip():
            raise TriageError(f"a label mark is +LABEL or -LABEL (e.g. +oecd-iv, -Kap. V), not {mark!r}")
        try:
            out.append((text[0], parse_label(text[1:].strip())))
        except ValueError as exc:
            raise TriageError(str(exc)) from exc
    return out


def mark_labels(db: sqlite_utils.Database, item_id: str, marks: list[str] | tuple[str, ...], *,
                by: str | None = None, at: str | None = None) -> dict[str, str]:
    """Record an adviser's label marks on an item (the latest mark per label counts; each mark is
    also kept in triage_history; a mark the item has already is no change and writes nothing).
    Returns the item's marks ``{label: "+"|"-"}``."""
    parsed = parse_label_marks(marks)
    if not item_exists(db, item_id):
        raise TriageError(f"unknown item id: {item_id!r} (see `ncp-tracker search` or `items`)")
    who, when = current_user(by), (to_stored_text(at) if at else now_iso())
    current = get(db, item_id)
    state = current["state"]
    with db.atomic():
        marked = label_marks(db, item_id)
        for sign, label in parsed:
            if marked.get(label) == sign:  # marked so already: nothing changes, no history row
                continue
            marked[label] = sign
            db["label_marks"].upsert({"item_id": item_id, "label": label, "mark": sign, "at": when, "by": who},
                                     pk=("item_id", "label"))
            # a row of its own: the state, owner and day stay as they are, the item's note untouched
            db["triage_history"].insert({
                "item_id": item_id, "at": when, "by": who, "state_before": state, "state_after": state,
                "owner": current["owner"], "note": None, "label_mark": f"{sign}{label}",
                "internal_deadline_before": current["internal_deadline"],
                "internal_deadline_after": current["internal_deadline"]})
        # the item's labels as marked, at once (tracker.store.labels): lists, search and drafts read them
        labels = loads_json(db["items"].get(item_id)["labels"], [])
        db["items"].update(item_id, {"labels": json.dumps(with_marks(labels, label_marks(db, item_id)))})
    return label_marks(db, item_id)


def label_marks(db: sqlite_utils.Database, item_id: str) -> dict[str, str]:
    """The item's marks ``{label: "+"|"-"}`` in label order (tracker.store.labels.marks_of)."""
    return marks_of(db, [item_id]).get(item_id, {})


def feedback(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Advisers' marks: one row per item with a relevance mark (a triage state in FEEDBACK) or label
    marks. ``marked_relevant`` comes from the state, else from whether labels remain after the
    marks; ``label_marks`` is ``{"added": [...], "removed": [...]}`` or None (labels not marked)."""
    marks: dict[str, dict[str, list[str]]] = {}
    for r in db.query("select item_id, label, mark from label_marks order by item_id, label"):
        entry = marks.setdefault(r["item_id"], {"added": [], "removed": []})
        entry["added" if r["mark"] == "+" else "removed"].append(r["label"])
    rows = []
    for row in db.query(
        "select i.id as item_id, t.state, t.updated_at, t.updated_by, i.source, i.kind, i.title, "
        "i.summary, i.body, i.language, i.labels, i.relevant, i.relevance "
        "from items i left join triage t on t.item_id = i.id "
        "where t.item_id is not null or i.id in (select item_id from label_marks) order by i.id"
    ):
        label_mark = marks.get(row["item_id"])
        if row["state"] in FEEDBACK:
            row["marked_relevant"] = FEEDBACK[row["state"]]
        elif label_mark:
            import json

            tagged = set(json.loads(row["labels"] or "[]"))
            row["marked_relevant"] = bool((tagged | set(label_mark["added"])) - set(label_mark["removed"]))
        else:
            continue
        row["label_marks"] = label_mark
        rows.append(row)
    return rows


def _owned_by(rows: list[dict], owner: str | None) -> list[dict]:
    """`rows` of one adviser (names compared case-insensitively: "kari" finds "Kari"); all without."""
    if not owner:
        return rows
    wanted = owner.strip().casefold()
    return [r for r in rows if (r.get("triage_owner") or "").strip().casefold() == wanted]


def inbox_rows(db: sqlite_utils.Database, as_of: datetime,
               owner: str | None = None) -> tuple[list[dict], list[dict]]:
    """The inbox's two lists, from one read of the consultations (`urgency.needs_and_announced`):
    needs input, most urgent first (decided in tracker.attention.urgency), a consultation sent on
    a new hearing with the earlier one as `resent_of`; and those that will need input once they
    open — announced, not open yet — by the day they open (the digest's «Varslet, ikke åpnet
    ennå»). Optionally one adviser's items only (owner names compared case-insensitively: "kari"
    finds "Kari")."""
    from tracker.attention.urgency import needs_and_announced, resent

    needs, upcoming = needs_and_announced(db, as_of=as_of)
    rows = _owned_by(needs, owner)
    earlier = resent(db, rows)
    for row in rows:
        if row["id"] in earlier:
            row["resent_of"] = earlier[row["id"]]
    return rows, _owned_by(upcoming, owner)
