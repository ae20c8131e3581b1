"""Replay (conditional requests, per-source recordings, recorded errors) and backoff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import JsonResponse, XmlResponse
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost

from crawlers.middlewares import (
    BackoffRetryMiddleware,
    RecordMiddleware,
    ReplayDay,
    ReplayMiddleware,
)

URL = "https://example.org/feed.xml"


@pytest.fixture
def day(tmp_path):
    def write(source, entries, files=None):
        folder = tmp_path / source
        folder.mkdir()
        for name, body in (files or {}).items():
            (folder / name).write_text(body, "utf-8")
        (folder / "manifest.json").write_text(json.dumps({"source": source, "responses": entries}))

    write("a", [{"url": URL, "status": 200, "file": "a.xml",
                 "headers": {"Content-Type": "text/xml", "ETag": '"v2"', "Last-Modified": "Tue, 24 Nov 2026 05:00:00 GMT"}},
                {"url": "https://example.org/reset", "error": "connection_reset"}],
          {"a.xml": "<a/>"})
    write("b", [{"url": URL, "status": 403, "file": "b.html", "headers": {"Content-Type": "text/html"}}],
          {"b.html": "blocked"})
    return tmp_path


def middleware(day, spider_name="a"):
    crawler = get_crawler(Spider, {"REPLAY_DIR": str(day)})
    crawler.spider = Spider(spider_name)
    crawler.stats.open_spider()
    return ReplayMiddleware.from_crawler(crawler), crawler


def test_each_source_replays_its_own_recording(day):
    mw_a, _ = middleware(day, "a")
    mw_b, _ = middleware(day, "b")
    assert mw_a.process_request(Request(URL)).status == 200
    assert mw_b.process_request(Request(URL)).status == 403
    assert ReplayDay(day).sources == ["a", "b"]


def test_a_replayed_answer_has_the_class_a_live_one_gets(day):
    """The response class follows the recorded Content-Type, as in a live crawl: a JSON answer was
    a plain TextResponse (its class guessed from its bytes), so replay and live differed."""
    folder = day / "c"
    folder.mkdir()
    (folder / "c.json").write_text('{"a": 1}')
    (folder / "manifest.json").write_text(json.dumps({"source": "c", "responses": [
        {"url": URL, "status": 200, "file": "c.json", "headers": {"Content-Type": "application/json;charset=UTF-8"}}]}))
    mw, _ = middleware(day, "c")
    assert type(mw.process_request(Request(URL))) is JsonResponse
    mw, _ = middleware(day, "a")
    assert type(mw.process_request(Request(URL))) is XmlResponse


def test_matching_etag_gives_304(day):
    mw, crawler = middleware(day)
    assert mw.process_request(Request(URL, headers={"If-None-Match": '"v2"'})).status == 304
    assert crawler.stats.get_value("replay/not_modified") == 1


def test_other_etag_gives_the_body_even_if_modified_since_is_recent(day):
    mw, _ = middleware(day)
    response = mw.process_request(Request(URL, headers={
        "If-None-Match": '"v1"', "If-Modified-Since": "Wed, 25 Nov 2026 05:00:00 GMT"}))
    assert response.status == 200 and response.body == b"<a/>"


def test_if_modified_since_alone(day):
    mw, _ = middleware(day)
    assert mw.process_request(Request(URL, headers={"If-Modified-Since": "Wed, 25 Nov 2026 05:00:00 GMT"})).status == 304
    assert mw.process_request(Request(URL, headers={"If-Modified-Since": "Mon, 23 Nov 2026 05:00:00 GMT"})).status == 200


def test_unrecorded_url_is_404_and_counted(day):
    mw, crawler = middleware(day)
    assert mw.process_request(Request("https://example.org/other")).status == 404
    assert crawler.stats.get_value("replay/miss") == 1


def test_misses_past_the_first_few_are_one_line(day, caplog):
    from crawlers.middlewares import MISSES_LISTED

    mw, crawler = middleware(day)
    with caplog.at_level("WARNING", logger="crawlers.middlewares"):
        for i in range(MISSES_LISTED + 4):
            assert mw.process_request(Request(f"https://example.org/doc{i}.pdf")).status == 404
        mw.spider_closed()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[:MISSES_LISTED] == [f"replay: no recorded response for https://example.org/doc{i}.pdf"
                                     for i in range(MISSES_LISTED)]
    assert lines[MISSES_LISTED:] == [f"replay: {MISSES_LISTED + 4} requests had no recorded response "
                                     f"(404 for each; the first {MISSES_LISTED} are listed above)"]
    assert crawler.stats.get_value("replay/miss") == MISSES_LISTED + 4


def test_recorded_connection_reset(day):
    mw, _ = middleware(day)
    with pytest.raises(ConnectionLost):
        mw.process_request(Request("https://example.org/reset"))


def test_a_cut_off_recording_keeps_the_previous_manifest(tmp_path, monkeypatch):
    """Re-recording a day whose manifest write fails half-way (a full disk) keeps the previous
    manifest whole — half of one would fail that day's replay — and leaves no temporary file."""
    folder = tmp_path / "a"
    folder.mkdir()
    before = json.dumps({"source": "a", "responses": [{"url": URL, "status": 200, "file": "x.xml"}]})
    (folder / "manifest.json").write_text(before, "utf-8")
    crawler = get_crawler(Spider, {"RECORD_DIR": str(tmp_path)})
    recorder = RecordMiddleware.from_crawler(crawler)
    recorder.entries = {"a": {URL: {"url": URL, "status": 200, "file": "y.xml", "headers": {}}}}
    real_write = Path.write_text

    def disk_full(self, data, *args, **kwargs):
        real_write(self, data[: len(data) // 2], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(OSError, match="No space left"):
        recorder.spider_closed(Spider("a"))
    monkeypatch.undo()
    assert (folder / "manifest.json").read_text("utf-8") == before
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]
    recorder.spider_closed(Spider("a"))  # with room on the disk, the new manifest replaces it
    assert json.loads((folder / "manifest.json").read_text("utf-8"))["responses"][0]["file"] == "y.xml"


def test_backoff_honours_retry_after_with_a_cap():
    crawler = get_crawler(Spider, {"RETRY_AFTER_MAX": 60, "RETRY_BACKOFF_BASE": 2})
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    from scrapy.http import Response

    request = Request(URL)
    assert mw._delay(request, Response(URL, status=429, headers={"Retry-After": "30"})) == 30
    assert mw._delay(request, Response(URL, status=429, headers={"Retry-After": "3600"})) == 60
    assert mw._delay(request, Response(URL, status=503)) == 2
    assert mw._delay(Request(URL, meta={"retry_times": 3}), Response(URL, status=503)) == 16


def _policy(as_of="2026-11-24T06:00:00+01:00", hours=12):
    from scrapy.settings import Settings

    from crawlers.middlewares import TrackerCachePolicy

    return TrackerCachePolicy(Settings({"TRACKER_AS_OF": as_of, "MIN_REFETCH_HOURS": hours}))


def _cached(stamp, **headers):
    from scrapy.http import Response

    return Response(URL, status=200, headers={"X-Tracker-Fetched-At": stamp, **headers})


REVALIDATE = {"Cache-Control": "max-age=0"}


@pytest.mark.parametrize("stamp, fresh", [
    ("2026-11-24T05:00:00+01:00", True),   # an hour ago, same day: not downloaded again
    ("2026-11-23T06:00:00+01:00", False),  # yesterday's run: downloaded again
    ("2026-11-25T06:00:00+01:00", False),  # from the future (a clock mix-up): downloaded again
])
def test_pages_without_validators_are_refetched_at_most_every_12_hours(stamp, fresh):
    assert _policy().is_cached_response_fresh(_cached(stamp), Request(URL, headers=REVALIDATE)) is fresh


def test_pages_with_validators_are_always_revalidated():
    request = Request(URL, headers=REVALIDATE)
    cached = _cached("2026-11-24T05:59:00+01:00", ETag='"v1"')
    assert _policy().is_cached_response_fresh(cached, request) is False
    assert request.headers.get("If-None-Match") == b'"v1"'


def test_fresh_flag_refetches_everything():
    assert _policy(hours=0).is_cached_response_fresh(_cached("2026-11-24T05:59:00+01:00"),
                                                     Request(URL, headers=REVALIDATE)) is False


def test_a_server_error_is_never_masked_by_an_old_copy():
    from scrapy.http import Response

    policy = _policy()
    cached = _cached("2026-11-23T06:00:00+01:00", ETag='"v1"')
    assert policy.is_cached_response_valid(cached, Response(URL, status=500), Request(URL)) is False
    assert policy.is_cached_response_valid(cached, Response(URL, status=304), Request(URL)) is True


def test_validator_less_pages_are_stored_only_when_stamped():
    from scrapy.http import Response

    policy = _policy()
    assert policy.should_cache_response(_cached("2026-11-24T06:00:00+01:00"), Request(URL))
    assert not policy.should_cache_response(Response(URL, status=200), Request(URL))
    assert not _policy(hours=0).should_cache_response(_cached("2026-11-24T06:00:00+01:00"), Request(URL))
