"""Shared fixtures: a migrated temporary database, a frozen clock. Helpers live in `support.py`
(re-exported here for modules that still import them from conftest)."""

from __future__ import annotations

from datetime import datetime

import pytest
from support import FIXTURES, ROOT, file_response, make_spider  # noqa: F401

from crawlers.dates import OSLO


@pytest.fixture
def db(tmp_path):
    from tracker.db import open_db

    database = open_db(tmp_path / "test.db")
    yield database
    database.close()


@pytest.fixture
def as_of() -> datetime:
    return datetime(2026, 11, 24, 6, 0, tzinfo=OSLO)
