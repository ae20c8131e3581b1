"""eu_cellar: SPARQL JSON, OJ RSS matching, and the failure paths (SPARQL error, unknown CELEX)."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import pytest
import scrapy

from crawlers.items import TrackedItem
from crawlers.spiders.eu_cellar import OJ_RSS, EuCellarSpider, derives_from, sparql_url
from tests.conftest import file_response, make_spider

WATCHLIST = """\
[[file]]
id = "csrd"
name = "CSRD"
act = "Directive (EU) 2022/2464"
celex = "32022L2464"

[[file]]
id = "csddd"
name = "CSDDD"
act = "Directive (EU) 2024/1760"
celex = "32024L1760"

[[file]]
id = "forced_labour"
name = "Forced Labour Regulation"
act = "Regulation (EU) 2024/3015"
celex = "32024R3015"
"""
JSON = {"Content-Type": "application/sparql-results+json"}


def _started(tmp_path, known: dict | None = None) -> EuCellarSpider:
    """A spider of WATCHLIST (knowing `known` of the store), started: its first requests in
    `first_requests`."""
    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST, "utf-8")
    spider = make_spider(EuCellarSpider, watchlist=str(path), known=known)

    async def first():
        return [r async for r in spider.start()]

    spider.first_requests = asyncio.run(first())
    return spider


@pytest.fixture
def spider(tmp_path):
    return _started(tmp_path)


def _sparql(spider, index, fixture, status=200, headers=JSON):
    celex = spider.entries[index].celex
    response = file_response(f"eu_cellar/{fixture}", sparql_url(celex), status=status, headers=headers)
    return list(spider.parse_sparql(response, index=index))


def _rss(spider, fixture="oj_rss.xml", status=200):
    response = file_response(f"eu_cellar/{fixture}", OJ_RSS, status=status,
                             headers={"Content-Type": "application/rss+xml"})
    return {i["native_id"]: i for i in spider.parse_rss(response) if isinstance(i, TrackedItem)}


def _all_ok(spider):
    _sparql(spider, 0, "sparql_csrd.json")
    _sparql(spider, 1, "sparql_csddd.json")
    _sparql(spider, 2, "sparql_empty.json")
    return _rss(spider)


def test_query_binds_the_act_directly_without_a_string_scan():
    query = parse_qs(urlsplit(sparql_url("32024L1760")).query)["query"][0]
    assert "?act owl:sameAs <http://publications.europa.eu/resource/celex/32024L1760>" in query
    assert "FILTER" not in query and "STR(" not in query  # a scan over every CELEX literal times out
    assert "cdm:resource_legal_amends_resource_legal" in query


def test_a_celex_that_cannot_be_put_into_an_iri_is_refused():
    with pytest.raises(ValueError, match="not a CELEX"):
        sparql_url('32024L1760> } DROP ALL {')


def test_only_consolidated_versions_of_the_watched_act_are_kept(spider):
    _sparql(spider, 0, "sparql_csrd.json")
    _sparql(spider, 1, "sparql_csddd_other_consolidated.json")
    _sparql(spider, 2, "sparql_empty.json")
    items = _rss(spider)
    assert "02024L1760-20250417" in items  # CSDDD's own consolidated text
    assert "02019L1937-20240725" not in items  # the consolidated text of an act CSDDD amends
    assert spider.crawler.stats.get_value("tracker/consolidated_of_other_act") == 1


@pytest.mark.parametrize(("consolidated", "celex", "expected"), [
    ("02024L1760-20250417", "32024L1760", True),
    ("02024L1760", "32024L1760", True),
    ("02019L1937-20240725", "32024L1760", False),
    ("02024L17601-20250417", "32024L1760", False),
])
def test_derives_from(consolidated, celex, expected):
    assert derives_from(consolidated, celex) is expected


@pytest.mark.parametrize(("fixture", "status", "headers", "words"), [
    ("sparql_virtuoso_timeout.txt", 504, {"Content-Type": "text/plain"}, "timed out (HTTP 504)"),
    ("sparql_virtuoso_timeout.txt", 500, {"Content-Type": "text/plain"}, "timed out (HTTP 500)"),
    ("sparql_csddd.json", 200, {**JSON, "X-SQL-State": "S1TAT"}, "timed out (partial answer"),
])
def test_a_timeout_for_a_known_act_is_amber_with_the_reason(spider, fixture, status, headers, words):
    _sparql(spider, 0, "sparql_csrd.json")
    _sparql(spider, 1, fixture, status=status, headers=headers)
    _sparql(spider, 2, "sparql_empty.json")
    items = _rss(spider)
    assert "32022L2464" in items and "32024L1760" not in items  # a partial answer is not trusted
    assert ("amber", f"SPARQL for 32024L1760 (csddd): {words}") in [
        (level, reason[:len(f"SPARQL for 32024L1760 (csddd): {words}")]) for level, reason in spider.notes]
    assert {level for level, _ in spider.notes} == {"amber"}


def test_a_network_timeout_names_the_act(spider):
    from twisted.internet.error import TimeoutError as TxTimeout
    from twisted.python.failure import Failure

    request = spider.first_requests[1]
    failure = Failure(TxTimeout("took too long"))
    failure.request = request
    list(spider.sparql_failed_err(failure))
    assert any(reason.startswith("SPARQL for 32024L1760 (csddd) timed out (TimeoutError)")
               for level, reason in spider.notes if level == "amber")


def test_every_watched_celex_is_queried_at_once(spider):
    assert [r.url for r in spider.first_requests] == [
        sparql_url("32022L2464"), sparql_url("32024L1760"), sparql_url("32024R3015")]


def test_rss_follows_the_last_answer_whatever_the_order(spider):
    assert _sparql(spider, 2, "sparql_empty.json") == []
    assert _sparql(spider, 0, "sparql_csrd.json") == []
    (last,) = _sparql(spider, 1, "sparql_csddd.json")
    assert isinstance(last, scrapy.Request) and last.url == OJ_RSS


def test_watched_act_item(spider):
    items = _all_ok(spider)
    act = items["32024L1760"]
    assert act["kind"] == "eu_act_update"
    assert act["title"].startswith("Directive (EU) 2024/1760 of the European Parliament")
    assert act["summary"] == "Watched act: Directive (EU) 2024/1760 (CSDDD)."
    assert act["url"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024L1760"
    assert act["published"] == "2024-06-13T00:00:00+02:00"


def test_amending_act_names_every_watched_act(spider):
    items = _all_ok(spider)
    amending = items["32025L0794"]
    assert amending["summary"] == "Amends Directive (EU) 2022/2464 (CSRD); Amends Directive (EU) 2024/1760 (CSDDD)."
    assert amending["extra"]["watch"] == ["csddd", "csrd"]


def test_a_work_reads_the_same_whatever_order_the_queries_were_answered_in(tmp_path):
    """All queries go out at once: answered CSDDD first, the amending act's summary read «Amends
    Directive (EU) 2024/1760 (CSDDD); Amends Directive (EU) 2022/2464 (CSRD).», CSRD first the
    other way round — a change of its summary reported whenever the answers crossed. Its
    relations are in the watchlist's order now, whatever the order of the answers."""
    def crawled(order):
        spider = _started(tmp_path)
        fixtures = {0: "sparql_csrd.json", 1: "sparql_csddd.json", 2: "sparql_empty.json"}
        for index in order:
            _sparql(spider, index, fixtures[index])
        return _rss(spider)

    forward, backward = crawled([0, 1, 2]), crawled([2, 1, 0])
    assert backward["32025L0794"]["summary"] == forward["32025L0794"]["summary"] == (
        "Amends Directive (EU) 2022/2464 (CSRD); Amends Directive (EU) 2024/1760 (CSDDD).")
    assert backward["32025L0794"]["extra"] == forward["32025L0794"]["extra"]
    assert {k: v["summary"] for k, v in backward.items()} == {k: v["summary"] for k, v in forward.items()}


def test_a_work_keeps_the_relations_the_store_holds(tmp_path):
    """A crawl whose CSRD query failed (amber: the OJ RSS stands in) found the amending act through
    CSDDD alone, and its summary lost «Amends … (CSRD)» for a day — a change reported, and reported
    back the next day. The relations the store holds for it (`known`, tracker.store.merge.
    known_items with eu_cellar's `known_extra`) are kept beside the ones found; one to an act no
    longer watched, or not a relation at all, is passed over."""
    stored = [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
              {"relation": "amends", "watch": "taxonomy", "celex": "32020R0852"},  # not watched any more
              {"relation": 7}, "amends"]
    spider = _started(tmp_path, known={"32025L0794": {"relations": stored}})
    assert EuCellarSpider.known_extra == ("relations",)
    _sparql(spider, 0, "sparql_csrd.json", status=504, headers={})  # CSRD's query fails
    _sparql(spider, 1, "sparql_csddd.json")
    _sparql(spider, 2, "sparql_empty.json")
    amending = _rss(spider)["32025L0794"]
    assert amending["summary"] == "Amends Directive (EU) 2022/2464 (CSRD); Amends Directive (EU) 2024/1760 (CSDDD)."
    assert amending["extra"]["relations"] == [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
                                              {"relation": "amends", "watch": "csddd", "celex": "32024L1760"}]
    assert amending["extra"]["watch"] == ["csddd", "csrd"]


def test_a_relation_a_whole_answer_no_longer_names_goes(tmp_path):
    """The relations the store holds were kept beside the ones found whatever the queries got: one
    that Cellar corrected (the amending act named CSRD wrongly, or a corrigendum of CSDDD) stayed
    in the summary for ever. A query that came back whole is the truth for its act: a stored
    relation to that act it no longer names goes; one to an act whose query failed, and one the
    OJ RSS found (no query names those), stay."""
    import json

    from scrapy.http import TextResponse

    from tests.support import FIXTURES

    stored = [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
              {"relation": "corrigendum", "watch": "csddd", "celex": "32024L1760"},
              {"relation": "rss", "watch": "csrd", "celex": "32022L2464"}]

    def crawl(csrd_answers: bool) -> list[dict]:
        spider = _started(tmp_path, known={"32025L0794": {"relations": stored}})
        if csrd_answers:  # whole, and no longer naming the amending act
            answer = json.loads((FIXTURES / "eu_cellar" / "sparql_csrd.json").read_text("utf-8"))
            answer["results"]["bindings"] = [b for b in answer["results"]["bindings"]
                                             if b["celex"]["value"] != "32025L0794"]
            url = sparql_url(spider.entries[0].celex)
            list(spider.parse_sparql(TextResponse(url, body=json.dumps(answer).encode(), headers=JSON), index=0))
        else:
            _sparql(spider, 0, "sparql_csrd.json", status=504, headers={})
        _sparql(spider, 1, "sparql_csddd.json")  # whole: «amends», no corrigendum
        _sparql(spider, 2, "sparql_empty.json")
        return _rss(spider)["32025L0794"]["extra"]["relations"]

    assert crawl(csrd_answers=True) == [{"relation": "rss", "watch": "csrd", "celex": "32022L2464"},
                                        {"relation": "amends", "watch": "csddd", "celex": "32024L1760"}]
    assert crawl(csrd_answers=False) == [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
                                         {"relation": "rss", "watch": "csrd", "celex": "32022L2464"},
                                         {"relation": "amends", "watch": "csddd", "celex": "32024L1760"}]


def test_a_backfills_whole_history_of_its_act_is_the_truth_for_that_act_only(tmp_path):
    """The backfill's unit is one act's history, read whole (every page): a stored relation to
    that act it no longer names goes, one to another watched act (not queried) stays."""
    from crawlers.backfill import CellarActHistory

    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST, "utf-8")
    stored = [{"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
              {"relation": "corrigendum", "watch": "csddd", "celex": "32024L1760"}]
    spider = make_spider(CellarActHistory, watchlist=str(path), unit="32024L1760", since=2025,
                         known={"32025L0794": {"relations": stored}})

    async def first():
        return [r async for r in spider.start()]

    assert len(asyncio.run(first())) == 1
    response = file_response("eu_cellar/sparql_csddd.json", sparql_url("32024L1760", since=2025), headers=JSON)
    items = {i["native_id"]: i for i in spider.parse_history(response, offset=0) if isinstance(i, TrackedItem)}
    assert items["32025L0794"]["extra"]["relations"] == [
        {"relation": "amends", "watch": "csrd", "celex": "32022L2464"},
        {"relation": "amends", "watch": "csddd", "celex": "32024L1760"}]


def test_consolidated_version_title(spider):
    items = _all_ok(spider)
    assert items["02024L1760-20250417"]["title"] == (
        "Consolidated text (2025-04-17): Consolidated version of Directive (EU) 2024/1760 (CSDDD) "
        "(CELEX 02024L1760-20250417)")


def test_corrigendum(spider):
    items = _all_ok(spider)
    assert items["32024L1760R(01)"]["summary"] == "Corrigendum to Directive (EU) 2024/1760 (CSDDD)."


def test_rss_match_by_act_number(spider):
    items = _all_ok(spider)
    delegated = items["32026R2187"]
    assert delegated["summary"] == "Official Journal: cites Regulation (EU) 2024/3015 (Forced Labour Regulation)."
    assert delegated["channel"] == "rss"
    assert delegated["published"] == "2026-11-23T00:00:00+01:00"


def test_rss_unrelated_entry_ignored(spider):
    items = _all_ok(spider)
    assert "32026R2190" not in items


def test_rss_corrigendum_celex_from_link(spider):
    items = _all_ok(spider)
    assert "32024L1760R(02)" in items


def test_unknown_celex_is_amber_with_entry_name(spider):
    _all_ok(spider)
    assert ("amber", "SPARQL for 32024R3015 (forced_labour) answered nothing, not even the act: typo in "
                     "data/watchlist.toml, not published yet, or an endpoint problem?") in spider.notes


@pytest.mark.parametrize(("fixture", "status", "words", "cause"), [
    ("sparql_error.txt", 400, "HTTP 400", "HTTP 400"),
    ("sparql_error.txt", 500, "HTTP 500", "HTTP 500"),
    ("sparql_truncated.json", 200, "malformed SPARQL JSON", "malformed answer"),
    ("sparql_error.txt", 200, "malformed SPARQL JSON", "malformed answer"),
])
def test_every_sparql_query_failing_is_red_naming_the_cause_and_the_rss_is_read(spider, fixture, status, words, cause):
    """Every query failing (the endpoint down) was amber, as on an ordinary day; it is red now, its
    reason naming what the queries got, and the OJ RSS is still read."""
    for index in range(3):
        _sparql(spider, index, fixture, status=status)
    items = _rss(spider)
    assert sorted(items) == ["32024L1760R(02)", "32026R2187"]
    assert any(words in reason and "OJ RSS used as fallback" in reason for _, reason in spider.notes)
    red = [reason for level, reason in spider.notes if level == "red"]
    assert red == [f"SPARQL endpoint failed for every watched act (3 queries: {cause}): OJ RSS is the only channel"]
    assert spider.listing["complete"] is False and spider.listing["channel"] == "rss"


def _health_reason(spider, items: int, lang: str = "nb") -> tuple[str, str]:
    from tracker.store.health import SourceRun, assess
    from tracker.vocabulary import health_reason

    status, reason = assess(SourceRun("eu_cellar", notes=spider.notes, items_seen=items))
    return status, health_reason(reason, lang)


def test_a_dead_endpoint_reads_red_in_the_digests_words(spider):
    from twisted.internet.error import TimeoutError as TxTimeout
    from twisted.python.failure import Failure

    _sparql(spider, 0, "sparql_error.txt", status=500)
    _sparql(spider, 1, "sparql_error.txt", status=500)
    failure = Failure(TxTimeout("took too long"))
    failure.request = spider.first_requests[2]
    list(spider.sparql_failed_err(failure))
    items = _rss(spider)
    assert _health_reason(spider, len(items)) == (
        "red", "SPARQL-tjenesten feilet for alle overvåkede rettsakter (3 spørringer: HTTP 500 ×2, tidsavbrudd ×1): "
               "EU-tidendes RSS er eneste kanal")


def test_every_query_answering_nothing_is_the_endpoint_not_a_typo_in_the_watchlist(spider):
    """Every query answered an empty result: each watched act was called a possible typo in the
    watchlist, amber. Not one act found is the endpoint's failure: red, no act blamed."""
    for index in range(3):
        _sparql(spider, index, "sparql_empty.json")
    _rss(spider)
    assert not any("typo" in reason for _, reason in spider.notes), spider.notes
    assert [r for level, r in spider.notes if level == "red"] == [
        "SPARQL endpoint failed for every watched act (3 queries: no results): OJ RSS is the only channel"]
    status, shown = _health_reason(spider, 2)
    assert status == "red" and "skrivefeil" not in shown and "(3 spørringer: ingen treff)" in shown


def test_the_only_watched_act_answering_nothing_may_be_a_typo(tmp_path):
    """One act watched and its query empty: the watchlist's entry or the endpoint — amber, as before."""
    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST.split("\n\n[[file]]")[0] + "\n", "utf-8")
    spider = make_spider(EuCellarSpider, watchlist=str(path))

    async def first():
        return [r async for r in spider.start()]

    asyncio.run(first())
    _sparql(spider, 0, "sparql_empty.json")
    _rss(spider)
    assert {level for level, _ in spider.notes} == {"amber"}
    assert any("typo in data/watchlist.toml" in reason for _, reason in spider.notes)


def test_rss_failure_keeps_sparql_items(spider):
    _sparql(spider, 0, "sparql_csrd.json")
    _sparql(spider, 1, "sparql_csddd.json")
    _sparql(spider, 2, "sparql_empty.json")
    items = _rss(spider, "sparql_error.txt", status=503)
    assert "32025L0794" in items
    assert any("OJ RSS answered HTTP 503" in reason for _, reason in spider.notes)


def test_invalid_watchlist_is_red(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[file]]\nid = "x"\nname = "X"\ncelex = "2024L1760"\n', "utf-8")
    spider = make_spider(EuCellarSpider, watchlist=str(path))

    async def first():
        return [r async for r in spider.start()]

    assert asyncio.run(first()) == []
    (level, reason), = spider.notes
    assert level == "red" and "bad.toml:4" in reason and "'celex'" in reason
