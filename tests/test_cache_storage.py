"""crawlers.middlewares.SqliteCacheStorage: the HTTP cache in one SQLite file per spider."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.settings import Settings
from scrapy.utils.request import RequestFingerprinter

from crawlers.middlewares import SqliteCacheStorage


def storage(tmp_path, expiration: int = 0) -> tuple[SqliteCacheStorage, SimpleNamespace]:
    settings = Settings({"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_EXPIRATION_SECS": expiration})
    # what the storage reads of a spider: its name and its crawler's request fingerprinter
    spider = SimpleNamespace(name="cache_test", crawler=SimpleNamespace(request_fingerprinter=RequestFingerprinter()))
    store = SqliteCacheStorage(settings)
    store.open_spider(spider)
    return store, spider


def test_a_stored_response_comes_back_unchanged(tmp_path):
    store, spider = storage(tmp_path)
    request = Request("https://example.org/høring?id=1")
    body = "<html><body>Høring om åpenhetsloven</body></html>".encode()
    response = HtmlResponse("https://example.org/final", status=200, body=body, request=request,
                            headers={"ETag": '"abc"', "Set-Cookie": ["a=1", "b=2"],
                                     "Content-Type": "text/html; charset=utf-8"})
    assert store.retrieve_response(spider, request) is None
    store.store_response(spider, request, response)
    store.close_spider(spider)
    store, spider = storage(tmp_path)  # a new crawl reads the same file
    cached = store.retrieve_response(spider, Request("https://example.org/høring?id=1"))
    assert isinstance(cached, TextResponse) and cached.url == "https://example.org/final"
    assert cached.status == 200 and cached.body == body and "åpenhetsloven" in cached.text
    assert cached.headers.getlist("Set-Cookie") == [b"a=1", b"b=2"] and cached.headers["ETag"] == b'"abc"'
    assert store.retrieve_response(spider, Request("https://example.org/høring?id=2")) is None
    assert (tmp_path / "cache" / "cache_test.sqlite").exists()


def test_an_expired_response_is_not_served(tmp_path):
    store, spider = storage(tmp_path, expiration=60)
    request = Request("https://example.org/a")
    store.store_response(spider, request, TextResponse("https://example.org/a", body=b"x", request=request))
    assert store.retrieve_response(spider, request) is not None
    store.conn.execute("update responses set stored = stored - 120")
    assert store.retrieve_response(spider, request) is None


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def test_an_unreadable_cache_file_is_set_aside_and_a_new_one_started(tmp_path, caplog):
    """A cache file SQLite cannot read once turned its source red every day ("feed failed
    (AttributeError)") until someone deleted it; the cache is disposable, the old file is kept."""
    cache = tmp_path / "cache"
    cache.mkdir()
    broken = b"\x13\x37 not a database " * 300
    (cache / "cache_test.sqlite").write_bytes(broken)
    settings = Settings({"HTTPCACHE_DIR": str(cache), "HTTPCACHE_EXPIRATION_SECS": 0})
    stats = _Stats()
    spider = SimpleNamespace(name="cache_test", crawler=SimpleNamespace(request_fingerprinter=RequestFingerprinter(),
                                                                         stats=stats))
    store = SqliteCacheStorage(settings)
    with caplog.at_level("WARNING"):
        store.open_spider(spider)
    aside = [p for p in cache.iterdir() if p.name.startswith("cache_test.sqlite.unreadable-")]
    assert len(aside) == 1 and aside[0].read_bytes() == broken
    assert "could not be read" in caplog.text and aside[0].name in caplog.text
    assert stats.values == {"httpcache/reset": 1}
    request = Request("https://example.org/a")
    store.store_response(spider, request, TextResponse("https://example.org/a", body=b"x", request=request))
    assert store.retrieve_response(spider, request).body == b"x"


def test_a_response_that_cannot_be_stored_is_only_not_cached(tmp_path, caplog):
    store, spider = storage(tmp_path)
    spider.crawler.stats = _Stats()
    store.conn.execute("pragma query_only = 1")  # every write now fails, as on a full disk
    request = Request("https://example.org/a")
    with caplog.at_level("WARNING"):
        for _ in range(3):
            store.store_response(spider, request, TextResponse("https://example.org/a", body=b"x", request=request))
    assert spider.crawler.stats.values == {"httpcache/store_error": 3}
    assert caplog.text.count("could not be stored in the HTTP cache") == 1
    assert store.retrieve_response(spider, request) is None


def test_a_locked_cache_file_is_not_set_aside(tmp_path, monkeypatch):
    """Only a file SQLite finds broken is replaced: one another process holds locked is a
    different failure, and stays as it is (the error goes on: the source turns red)."""
    import sqlite3

    import pytest

    store, spider = storage(tmp_path)
    store.close_spider(spider)
    # a real "database is locked" from SQLite: a second writer while another holds the lock
    path = tmp_path / "lock.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin exclusive")
    try:
        sqlite3.connect(path, timeout=0, isolation_level=None).execute("insert into t values (1)")
    except sqlite3.OperationalError as exc:
        locked = exc
    holder.rollback()
    assert locked.sqlite_errorname == "SQLITE_BUSY"

    def busy(path):
        raise locked

    monkeypatch.setattr(SqliteCacheStorage, "_connect", staticmethod(busy))
    other = SqliteCacheStorage(Settings({"HTTPCACHE_DIR": str(tmp_path / "cache"), "HTTPCACHE_EXPIRATION_SECS": 0}))
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        other.open_spider(spider)
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["cache_test.sqlite"]
