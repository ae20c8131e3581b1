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
