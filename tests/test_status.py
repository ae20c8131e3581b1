from datetime import datetime, timedelta

import pytest

from crawlers.dates import OSLO
from tracker.store.status import derive_status

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)
LATER = NOW + timedelta(days=20)
EARLIER = NOW - timedelta(days=1)


@pytest.mark.parametrize(
    "raw, deadline, opens, expected",
    [
        ("På høring", LATER, None, "open"),
        ("På høyring", LATER, None, "open"),
        ("På høring", EARLIER, None, "closed"),  # deadline passed, page not yet updated
        ("Under behandling", LATER, None, "closed"),
        ("Ferdigbehandlet", None, None, "closed"),
        ("Trukket", LATER, None, "withdrawn"),
        ("Høringen er trukket", EARLIER, None, "withdrawn"),
        ("Avlyst", LATER, None, "withdrawn"),
        ("Avholdt", None, None, "closed"),
        (None, LATER, None, "open"),
        (None, None, None, "unknown"),
        ("OPEN", LATER, None, "open"),
        ("CLOSED", LATER, None, "closed"),
        (None, LATER, NOW + timedelta(days=3), "upcoming"),
        ("upcoming", LATER, None, "upcoming"),
        ("", EARLIER, None, "closed"),
        ("Ope", LATER, None, "open"),
        ("mottatt", None, None, "open"),
        ("til_behandling", None, None, "open"),
        ("behandlet", None, None, "closed"),
        ("European Parliament: awaiting committee decision", None, None, "unknown"),  # not "ope(n)"
        ("Åpenhetsloven", None, None, "unknown"),  # not "åpen"
        ("Høringen er avsluttet", LATER, None, "closed"),
        # Nynorsk hearings on regjeringen.no
        ("Ferdigbehandla", None, None, "closed"),
        ("Under handsaming", LATER, None, "closed"),
        ("Høyringa er trekt", LATER, None, "withdrawn"),
    ],
)
def test_derive_status(raw, deadline, opens, expected):
    assert derive_status(raw, deadline, NOW, opens=opens) == expected


def test_deadline_today_is_open_until_midnight():
    deadline = datetime(2026, 11, 24, 23, 59, 59, tzinfo=OSLO)
    assert derive_status("På høring", deadline, NOW) == "open"
    assert derive_status("På høring", deadline, deadline + timedelta(seconds=1)) == "closed"


@pytest.mark.parametrize(
    "raw, unknown",
    [
        ("På høring", False), ("Høringen er trukket", False), ("OPEN", False), ("til_behandling", False),
        (None, False), ("", False), ("  ", False),
        # known words that carry no status: the deadline decides, nothing to report
        ("DISABLED", False), ("Submitted", False),
        # words the module has never met: the deadline decides, and that may be wrong
        ("Avbrutt", True), ("Suspended", True), ("Åpenhetsloven", True), ("disabled for now", True),
    ],
)
def test_unrecognised_status_words(raw, unknown):
    from tracker.store.status import unrecognised

    assert unrecognised(raw) is unknown
