"""Instants — when the tracker saw, changed, ran or wrote something — as stored and as read.

The one place that decides how an instant is written to the database:

- **Stored in UTC**, as ISO 8601 with seconds and an explicit ``+00:00`` offset
  (``2026-11-23T05:00:00+00:00``). Every stored instant has the same form, so SQL compares
  them as text correctly (``at >= ?``), across the summer-time changes too — which an Oslo
  offset (+01:00 in winter, +02:00 in summer) does not allow.
- **Shown in Europe/Oslo**: readers parse with :func:`tracker.store.deadlines.to_datetime`,
  which returns Oslo time, and the display filters (``tracker.i18n``) format Oslo time.
- A query bound compared with a stored instant goes through :func:`stored` as well.

Not instants, and stored as published: an item's ``published`` date and its ``deadline`` (civil
dates and times of the publisher, with their own offset), an answer's ``date``, a digest's ``date``
(an Oslo calendar day).

``INSTANT_COLUMNS`` names every stored instant column; a test checks each one in a demo
database and that no instant-looking column is missing from it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time

from crawlers.dates import OSLO
from tracker.store.deadlines import deadline_time, to_datetime

#: table → its columns holding instants (in UTC)
INSTANT_COLUMNS: dict[str, tuple[str, ...]] = {
    "items": ("first_seen", "last_seen", "last_changed", "vanished_at"),
    "runs": ("started", "finished", "as_of", "completed"),
    "events": ("at",),
    "health": ("finished",),
    "digests": ("generated_at",),
    "triage": ("updated_at",),
    "triage_history": ("at",),
    "label_marks": ("at",),
    "users": ("created_at", "updated_at"),
    "backfill_checkpoints": ("finished",),
    "documents": ("checked_at", "fetched_at", "changed_at"),
    "document_files": ("first_seen", "read_at"),
    "document_versions": ("seen_at",),
    "provision_hits": ("found_at",),
    "document_stages": ("found_at",),
    "drafts": ("created_at",),
    "answers": ("first_seen", "last_seen"),
    "answer_checks": ("checked_at",),
    "companies": ("first_seen",),
}


def stored(when: datetime | date) -> str:
    """The stored form of an instant: UTC, seconds, ``+00:00``.

    A naive datetime is read as Oslo time; a date as the start of that Oslo day (for bounds
    such as "since 2026-11-01").
    """
    if not isinstance(when, datetime):
        when = datetime.combine(when, time(0), tzinfo=OSLO)
    elif when.tzinfo is None:
        when = when.replace(tzinfo=OSLO)
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


def now_iso() -> str:
    """Now, in the stored form."""
    return stored(datetime.now(UTC))


def to_stored_text(value: str | None) -> str | None:
    """A stored instant written in any ISO form (an Oslo offset, naive Oslo, ``Z``) in the stored
    form; ``None`` and text that is not an ISO instant are returned unchanged (used by the
    migration that moved older databases to UTC)."""
    if value is None or not isinstance(value, str) or len(value.strip()) < 11:
        return value
    parsed = to_datetime(value)
    return value if parsed is None else stored(parsed)


def oslo_day_text(value: str | None) -> str | None:
    """``YYYY-MM-DD``: the Oslo calendar day of a stored instant (SQL ``ncp_oslo_day``)."""
    if not value:
        return None
    parsed = to_datetime(value)  # Oslo time
    return value[:10] if parsed is None else parsed.date().isoformat()


def instant_text(value: str | None) -> str | None:
    """An instant in any ISO form (a publisher's offset, naive Oslo, ``Z``) in the stored form, as
    `to_datetime` reads it; ``None`` for anything else (SQL ``ncp_instant``: an instant compared
    with a clock as Python compares them; a deadline: `deadline_text`)."""
    parsed = to_datetime(value) if isinstance(value, str) else None
    return None if parsed is None else stored(parsed)


def deadline_text(value: str | None) -> str | None:
    """A deadline in the stored form of an instant, as `deadline_time` reads it (a day alone,
    «2026-11-24», is 23:59:59 that day in Oslo); ``None`` for anything else (SQL ``ncp_deadline``:
    a deadline compared with a clock as Python compares them)."""
    parsed = deadline_time(value) if isinstance(value, str) else None
    return None if parsed is None else stored(parsed)


def register(conn: sqlite3.Connection) -> None:
    """Add ``ncp_oslo_day(instant)`` to a connection, for SQL that groups or filters by Oslo day,
    ``ncp_instant(text)`` (`instant_text`), for SQL that compares an instant with a clock, and
    ``ncp_deadline(text)`` (`deadline_text`), for SQL that compares a deadline with one."""
    conn.create_function("ncp_oslo_day", 1, oslo_day_text, deterministic=True)
    conn.create_function("ncp_instant", 1, instant_text, deterministic=True)
    conn.create_function("ncp_deadline", 1, deadline_text, deterministic=True)
