"""The one place an item's status is decided: open, closed, withdrawn, upcoming or unknown.

Inputs are the source's own status words (``status_raw``), the deadline and the
day of the crawl. Explicit words win over dates (a hearing marked "Trukket" is
withdrawn even if its deadline lies ahead); an open-looking hearing whose
deadline has passed is closed. A word it does not know leaves the deadline to decide, and the
store says so in the source's health (`unrecognised`).
"""

from __future__ import annotations

import re
from datetime import datetime

OPEN, CLOSED, WITHDRAWN, UPCOMING, UNKNOWN = "open", "closed", "withdrawn", "upcoming", "unknown"
STATUSES = (OPEN, CLOSED, WITHDRAWN, UPCOMING, UNKNOWN)

# checked in order; the first phrase found in the lower-cased raw status decides
_WORDS: tuple[tuple[str, str], ...] = (
    ("trukket", WITHDRAWN), ("tilbaketrukket", WITHDRAWN), ("avlyst", WITHDRAWN),
    ("withdrawn", WITHDRAWN), ("cancelled", WITHDRAWN), ("utgår", WITHDRAWN),
    ("ferdigbehandlet", CLOSED), ("under behandling", CLOSED), ("avsluttet", CLOSED),
    ("avholdt", CLOSED), ("lukket", CLOSED), ("closed", CLOSED), ("frist utløpt", CLOSED),
    ("på høring", OPEN), ("på høyring", OPEN), ("åpen", OPEN), ("ope", OPEN),
    ("open", OPEN), ("planlagt", OPEN), ("active", OPEN),
    # OECD database of specific instances (oecd_ncp_cases; words unverified)
    ("concluded", CLOSED), ("not accepted", CLOSED), ("in progress", OPEN),
    # Stortinget cases (eksport/saker `status`): received / under consideration / dealt with
    ("behandlet", CLOSED), ("mottatt", OPEN), ("til_behandling", OPEN), ("til behandling", OPEN),
    ("upcoming", UPCOMING), ("kommende", UPCOMING), ("not_started", UPCOMING), ("planned", UPCOMING),
    # the Nynorsk forms of regjeringen.no's words (its Nynorsk hearings: "På høyring" above)
    ("trekt", WITHDRAWN), ("ferdigbehandla", CLOSED), ("under handsaming", CLOSED),
    ("avslutta", CLOSED), ("lukka", CLOSED), ("planlagd", OPEN),
)  # fmt: skip


# whole words only: "ope" (nynorsk: open) must not match "European" or "cooperation"
_PATTERNS = tuple((phrase, re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)"), status) for phrase, status in _WORDS)

#: status words a source uses that say nothing of open or closed: the deadline decides, and they
#: are not reported. Have your say's DISABLED (real captures: a stage whose feedback is switched
#: off); the OECD database's "Submitted" (a case filed, not yet assessed; words unverified)
NEUTRAL_WORDS = frozenset({"disabled", "submitted"})


def _word(raw: str) -> str | None:
    """The status the first known phrase in `raw` (lower-cased) names, if any."""
    return next((status for _phrase, pattern, status in _PATTERNS if pattern.search(raw)), None)


def unrecognised(status_raw: str | None) -> bool:
    """Whether a source gave a status word this module does not know ("Avbrutt", "Suspended").
    The item's status then follows its deadline alone, which may be wrong (a cancelled hearing
    shown as open): the store reports such words in the source's health, never silently.

    >>> unrecognised("På høring"), unrecognised(None), unrecognised("DISABLED"), unrecognised("Avbrutt")
    (False, False, False, True)
    """
    raw = (status_raw or "").strip().lower()
    return bool(raw) and raw not in NEUTRAL_WORDS and _word(raw) is None


def derive_status(
    status_raw: str | None,
    deadline: datetime | None,
    as_of: datetime,
    *,
    opens: datetime | None = None,
) -> str:
    """Status of an item on `as_of`.

    >>> from datetime import datetime, timezone
    >>> now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    >>> derive_status("På høring", datetime(2026, 12, 1, tzinfo=timezone.utc), now)
    'open'
    >>> derive_status("På høring", datetime(2026, 11, 1, tzinfo=timezone.utc), now)
    'closed'
    """
    raw = (status_raw or "").strip().lower()
    word = _word(raw) if raw else None
    if word == WITHDRAWN:
        return WITHDRAWN
    if word == CLOSED:
        return CLOSED
    if deadline is not None and deadline < as_of:
        return CLOSED
    if word == UPCOMING or (opens is not None and opens > as_of):
        return UPCOMING
    if word == OPEN or deadline is not None:
        return OPEN
    return UNKNOWN
