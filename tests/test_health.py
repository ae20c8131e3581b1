import pytest

from tracker.store.health import SourceRun, assess


@pytest.mark.parametrize(
    "run, status, reason_part",
    [
        (SourceRun("s", items_seen=10, items_new=2), "green", "10 items, 2 new"),
        (SourceRun("s", items_seen=0), "red", "zero items"),
        (SourceRun("s", items_seen=0, may_be_empty=True), "green", "0 items"),
        (SourceRun("s", items_seen=5, finish_reason="shutdown"), "red", "ended early"),
        (SourceRun("s", items_seen=5, notes=[("red", "RSS answered HTTP 500")]), "red", "HTTP 500"),
        (SourceRun("s", items_seen=5, notes=[("amber", "fallback channel in use")]), "amber", "fallback"),
        (SourceRun("s", items_seen=8, stats={"tracker/parse_errors": 1, "tracker/parse_attempts": 9}), "amber", "1 parse error"),
        (SourceRun("s", items_seen=5, stats={"tracker/parse_errors": 5, "tracker/parse_attempts": 10}), "red", "parse errors 5/10"),
        (SourceRun("s", items_seen=5, stats={"tracker/detail_blocked": 3}), "amber", "3 detail pages blocked"),
        (SourceRun("s", items_seen=5, stats={"spider_exceptions/ValueError": 2}), "amber", "2 spider errors"),
    ],
)
def test_assess(run, status, reason_part):
    got_status, reason = assess(run)
    assert got_status == status
    assert reason_part in reason
