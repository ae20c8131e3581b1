"""Shared fixtures: a migrated temporary database, a frozen clock. Helpers live in `support.py`
(re-exported here for modules that still import them from conftest)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import settings
from support import FIXTURES, ROOT, file_response, make_spider  # noqa: F401

from crawlers.dates import OSLO

# property tests assert what holds, never how fast one example runs: Hypothesis's default deadline
# (200 ms an example) failed test_deadlines' first example on a loaded machine (the holiday tables
# it builds once), a failure that says nothing of the code
settings.register_profile("ncp-tracker", deadline=None)
settings.load_profile("ncp-tracker")


@pytest.fixture(autouse=True)
def fresh_config():
    """Each test reads the configuration anew (so monkeypatched environment variables count)."""
    from tracker.config import set_config

    set_config(None)
    yield
    set_config(None)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A user data directory of the test's own, named by a configuration file ($NCP_TRACKER_CONFIG)."""
    directory = tmp_path / "userdata"
    directory.mkdir()
    config = tmp_path / "ncp-tracker.toml"
    config.write_text(f'[tracker]\ndata_dir = "{directory}"\n', "utf-8")
    monkeypatch.setenv("NCP_TRACKER_CONFIG", str(config))
    return directory


@pytest.fixture
def db(tmp_path):
    from tracker.store.db import open_db

    database = open_db(tmp_path / "test.db")
    yield database
    database.close()


@pytest.fixture
def db_path(tmp_path) -> str:
    """The workbench's seeded store (tests/browser/seed.py) as a path: the web tests' database
    (`web_support.make_app` serves it)."""
    from tests.browser.seed import seed
    from tracker.store.db import open_db

    path = tmp_path / "w.db"
    database = open_db(path)
    seed(database)
    database.close()
    return str(path)


@pytest.fixture
def world(tmp_path):
    """The recorded digest world (tests/test_digest_world.py, every day of it) as a database path:
    the store the digest commands read. A module's own `world` fixture wins over this one."""
    from test_digest_world import build_world

    from tracker.store.db import open_db

    path = tmp_path / "t.db"
    database = open_db(path)
    build_world(database)
    database.close()
    return path


@pytest.fixture
def as_of() -> datetime:
    return datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)


@pytest.fixture
def morning_after():
    """The machine's clock (datetime.now, time.time: time-machine) at 08:00 Oslo on Tuesday 24
    November 2026, two hours after the last crawl of the recorded worlds (tests/test_digest_world.py),
    so that what defaults to "now" sees a fresh store; the clock ticks on from there."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 24, 8, 0, tzinfo=OSLO)):
        yield
