"""eu_haveyoursay: both brpapi shapes, one test per field, and the blocked/odd answers."""

from __future__ import annotations

from datetime import datetime

import pytest
import scrapy
from support import FIXTURES, ROOT

from crawlers.dates import OSLO
from crawlers.items import TrackedItem
from crawlers.spiders.eu_haveyoursay import EuHaveyoursaySpider, detail_url, search_url, status_word
from tests.conftest import file_response, make_spider

JSON = {"Content-Type": "application/json"}
AS_OF = datetime(2026, 11, 24, 7, tzinfo=OSLO)


def _run(spider, fixture, page=0, status=200, headers=None):
    response = file_response(f"eu_haveyoursay/{fixture}", search_url(page), status=status,
                             headers=headers if headers is not None else JSON)
    return list(spider.parse(response, page=page))


def _items(results):
    """Items, whether yielded directly or waiting in a detail request."""
    out = []
    for r in results:
        if isinstance(r, TrackedItem):
            out.append(r)
        elif isinstance(r, scrapy.Request) and "item" in r.cb_kwargs:
            out.append(r.cb_kwargs["item"])
    return {i["native_id"]: i for i in out}


@pytest.fixture
def spider():
    return make_spider(EuHaveyoursaySpider)


@pytest.fixture
def current(spider):
    return _items(_run(spider, "search_current.json"))


def test_current_shape_ids(current):
    assert sorted(current) == ["18805", "18812", "18830"]


def test_legacy_shape(spider):
    items = _items(_run(spider, "search_legacy.json"))
    assert sorted(items) == ["14488", "18805"]
    assert items["14488"]["status_raw"] == "CLOSED"
    assert spider.notes == []


def test_title_kind_language(current):
    item = current["18805"]
    assert item["title"].startswith("Forced labour – guidelines")
    assert item["kind"] == "eu_consultation"
    assert item["language"] == "en"


def test_url_is_human_page(current):
    assert current["18805"]["url"] == (
        "https://ec.europa.eu/info/law/better-regulation/have-your-say/initiatives/"
        "18805-forced-labour-guidelines-on-the-application-of-regulation-eu-2024-3015_en")


def test_deadline_end_of_day_brussels(current):
    assert current["18805"]["deadline"] == "2026-12-14T23:59:59+01:00"
    # a feedbackEndDate at midnight means the whole day
    assert current["18812"]["deadline"] == "2026-12-08T23:59:59+01:00"


def test_status_raw_from_current_period(current):
    # the closed call for evidence in March is history; the current period is open
    assert current["18805"]["status_raw"] == "OPEN"
    assert current["18830"]["status_raw"] == "NOT_STARTED"


def test_opens_and_published(current):
    assert current["18830"]["extra"]["opens"] == "2026-12-01T00:00:00+01:00"
    assert current["18805"]["published"] == "2026-11-02T00:00:00+01:00"


def test_reference_and_extra(current):
    item = current["18805"]
    assert item["reference"] == "Ares(2026)7014840"
    assert item["extra"]["act_type"] == "COM"
    assert item["extra"]["topics"] == ["Trade", "Employment and social affairs"]


def test_listing_complete(spider):
    _run(spider, "search_current.json")
    assert spider.listing["complete"] is True


def test_next_page_requested(spider):
    results = _run(spider, "search_page0_of_2.json")
    pages = [r for r in results if isinstance(r, scrapy.Request) and r.callback == spider.parse]
    assert [r.url for r in pages] == [search_url(1)]
    assert spider.listing["complete"] is False


def test_detail_adds_summary_owner_and_com(spider, current):
    item = current["18805"]
    response = file_response("eu_haveyoursay/detail_18805.json", detail_url("18805"), headers=JSON)
    (out,) = list(spider.parse_detail(response, item=item))
    assert out["summary"].startswith("The Commission will publish guidelines")
    assert out["owner"] == "European Commission, TRADE"
    assert out["body"] == "Commission documents: COM(2022)453"
    assert out["extra"]["detail"] == "ok"
    assert len(out["documents"]) == 2


def test_detail_blocked_keeps_item(spider, current):
    response = file_response("eu_haveyoursay/challenge.html", detail_url("18805"), status=403)
    (out,) = list(spider.parse_detail(response, item=current["18805"]))
    assert out["deadline"] == "2026-12-14T23:59:59+01:00"
    assert spider.notes and spider.notes[0][0] == "amber"


def test_known_closed_skips_detail():
    spider = make_spider(EuHaveyoursaySpider, known={"18805": {"status": "closed"}})
    results = _run(spider, "search_current.json")
    assert any(isinstance(r, TrackedItem) and r["native_id"] == "18805" for r in results)
    assert detail_url("18805") not in [r.url for r in results if isinstance(r, scrapy.Request)]


@pytest.mark.parametrize(("fixture", "status", "headers", "words"), [
    ("spa_shell.html", 200, {"Content-Type": "text/html"}, "HTML instead of JSON"),
    ("challenge.html", 200, {"Content-Type": "text/html"}, "WAF/bot challenge"),
    ("challenge.html", 403, {"Content-Type": "text/html"}, "blocked (HTTP 403"),
    ("other_shape.json", 200, JSON, "unknown response shape (keys: results, status)"),
    ("broken.json", 200, JSON, "malformed JSON"),
    ("broken.json", 500, JSON, "HTTP 500"),
])
def test_bad_answers_are_red_with_reason(spider, fixture, status, headers, words):
    results = _run(spider, fixture, status=status, headers=headers)
    assert results == []
    (level, reason), = spider.notes
    assert level == "red"
    assert words in reason
    assert spider.listing["complete"] is False


# ------------------------------------------------------------------ real answers, through the engine

REAL = "real/eu_haveyoursay/"
HYS = "eu_haveyoursay"


def _real_run(tmp_path, listing: str = REAL + "parlmonitor_hys-initiatives_2026-09-01.json", **kw):
    from support import run_spider

    return run_spider(HYS, [
        {"url": search_url(0), "file": listing, "headers": JSON},
        {"url": detail_url("18805"), "file": REAL + "parlmonitor_hys-detail-18805_2026-09-01.json", "headers": JSON},
    ], tmp_path, as_of="2026-09-01T12:00:00+02:00", **kw)  # fmt: skip


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    return _real_run(tmp_path_factory.mktemp("hys"))


@pytest.mark.slow
def test_real_listing_page_gives_its_three_initiatives(real_run):
    items = {i["native_id"]: i for i in real_run["items"]}
    assert set(items) == {"18805", "18806", "14778"}  # float ids in the listing, plain ids here
    ngt = items["18805"]
    assert ngt["title"] == "Plants obtained by new genomic techniques: information requirements and verification of category 1 status"
    assert ngt["deadline"] == "2026-09-28T23:59:59+02:00" and ngt["status_raw"] == "OPEN"
    assert ngt["reference"] == "Ares(2026)7014840" and ngt["extra"]["act_type"] == "REG_DEL"
    assert ngt["extra"]["topics"] == ["Food safety"]
    assert items["14778"]["deadline"] == "2026-11-19T23:59:59+01:00"
    assert "tracker/parse_errors" not in real_run["stats"]


@pytest.mark.slow
def test_real_detail(real_run):
    ngt = next(i for i in real_run["items"] if i["native_id"] == "18805")
    assert ngt["extra"]["detail"] == "ok" and ngt["owner"] == "European Commission, SANTE"
    assert ngt["summary"].startswith("This initiative supplements Regulation (EU) 2026/1388")
    assert "\n" in ngt["summary"] and "<" not in ngt["summary"]  # plain text keeps its paragraphs
    assert ngt["extra"]["policy_areas"] == ["Food Safety"]
    assert ngt["extra"]["com"] == [] and "body" not in ngt  # real publications carry Ares numbers only
    assert ngt["extra"]["ares"] == ["Ares(2026)7014840", "Ares(2026)8283054"]
    # the planned stages (publishedDate null) are not documents
    assert ngt["extra"]["planned_stages"] == ["REG_DEL_DRAFT", "REG_DEL"]
    assert [d["type"] for d in ngt["documents"]] == ["init_planned", "call_for_evidence"]
    # as people read them (the item page, the digest): the stage's name, not the portal's code
    from tracker.vocabulary import document_title, document_type_name

    assert [document_title(d) for d in ngt["documents"]] == ["Planned initiative Ares(2026)7014840",
                                                              "Call for evidence Ares(2026)8283054"]
    assert document_type_name("call_for_evidence", "nb") == "Innspillsrunde (call for evidence)"


@pytest.mark.slow
def test_real_listing_is_one_of_1367_pages(real_run):
    # the capture was page 0 of size 3: the spider asks for page 1 (not recorded → 404, amber)
    assert search_url(1) in real_run["requested"]
    assert real_run["listing"]["complete"] is False
    assert any("searchInitiatives page 1: HTTP 404" in r for _, r in real_run["notes"])
    # the two details without a recording failed: amber with the reason, items kept
    assert any("initiative details" in r and "404" in r for _, r in real_run["notes"])


@pytest.mark.slow
def test_initiative_without_current_status_or_end_date_is_kept_without_deadline(tmp_path):
    import json

    data = json.loads((FIXTURES / REAL / "parlmonitor_hys-initiatives_2026-09-01.json").read_text("utf-8"))
    content = data["initiativeResultDtoPage"]["content"]
    del content[1]["currentStatuses"]  # as some real initiatives are
    content[2]["currentStatuses"][0]["feedbackEndDate"] = None
    del content[2]["foreseenActType"]
    changed = tmp_path / "listing.json"
    changed.write_text(json.dumps(data), "utf-8")
    run = _real_run(tmp_path, listing=str(changed))
    items = {i["native_id"]: i for i in run["items"]}
    assert set(items) == {"18805", "18806", "14778"}
    assert "deadline" not in items["18806"] and "deadline" not in items["14778"]
    assert "tracker/parse_errors" not in run["stats"] and run["stats"]["tracker/no_feedback_end_date"] == 2
    # no feedback period in a normal answer: none known (and why: its detail was not recorded), not
    # "could not be read"
    assert items["18806"]["extra"]["deadline_unread"] == ""
    line, lines = _deadline_of(items["18806"])
    assert line == "Frist: ingen frist kjent – sakens egen side er ikke lest (HTTP 404)"
    assert lines[0].startswith("ingen frist kjent")


def _deadline_of(item, as_of=datetime(2026, 9, 1, 12, tzinfo=OSLO)):
    """An item's deadline as the digest and the web's item page say it (Bokmål)."""
    from tracker.digest.wording import deadline_line
    from tracker.web.display import deadline_lines

    return deadline_line(item, as_of, "nb"), deadline_lines(item, "nb", as_of)


@pytest.mark.slow
def test_a_listing_without_current_statuses_reads_could_not_be_read_not_no_deadline(tmp_path):
    """`currentStatuses` renamed in every initiative of the listing (the real answer, derived:
    tests/fixtures/eu_haveyoursay/README.md): the source was red, but each initiative read «Frist:
    ingen frist kjent» below it, as if it simply had no feedback period, and was counted so. Now
    the deadline is read from the initiative's own detail where it answers (18805, the real
    detail), and the others say their deadline could not be read."""
    from tracker.vocabulary import health_reason

    run = _real_run(tmp_path, listing="eu_haveyoursay/search_real_statuses_renamed.json")
    items = {i["native_id"]: i for i in run["items"]}
    assert set(items) == {"18805", "18806", "14778"}
    assert items["18805"]["deadline"] == "2026-09-28T23:59:59+02:00"
    assert items["18805"]["extra"]["deadline_unread"] == ""
    # the period's other fields from the detail too, as the real listing gives them (its status
    # was None: the item «ukjent» while open for feedback)
    whole = {i["native_id"]: i for i in _real_run(tmp_path / "whole")["items"]}["18805"]
    assert items["18805"]["status_raw"] == whole["status_raw"] == "OPEN"
    assert items["18805"]["published"] == whole["published"] is not None
    assert [items["18805"]["extra"][k] for k in ("opens", "stage")] == [whole["extra"][k] for k in ("opens", "stage")]
    assert whole["extra"]["stage"]
    for native_id in ("18806", "14778"):  # their details were not recorded (404): no deadline from there
        assert "deadline" not in items[native_id]
        assert items[native_id]["extra"]["deadline_unread"] == "currentStatuses missing"
        assert _deadline_of(items[native_id]) == ("Frist: kunne ikke leses fra kilden", ["kunne ikke leses fra kilden"])
    assert "tracker/no_feedback_end_date" not in run["stats"]  # never counted as "no deadline"
    assert run["stats"]["tracker/current_statuses_field_missing"] == 3
    reds = [reason for level, reason in run["notes"] if level == "red"]
    assert INITIATIVE_NOTE.format("currentStatuses") in reds
    from_detail = ("searchInitiatives: initiatives without 'currentStatuses': deadlines read from each initiative's "
                   "groupInitiatives answer (publications[].endDate) instead")
    assert from_detail in reds
    assert health_reason(from_detail, "nb") == (
        "searchInitiatives: initiativene mangler feltet «currentStatuses»: fristene ble i stedet lest fra svaret "
        "groupInitiatives for hvert initiativ (publications[].endDate)")


#: a search result with every field the real one has (tests/fixtures/real/eu_haveyoursay)
FULL = {"id": 18805.0, "shortTitle": "Forced labour", "reference": "Ares(2026)7014840", "initiativeStatus": "ACTIVE",
        "foreseenActType": "COM", "topics": [{"code": "TRADE", "label": "Trade"}],
        "currentStatuses": [{"frontEndStage": "OPC_LAUNCHED", "receivingFeedbackStatus": "OPEN",
                             "feedbackStartDate": "2026/11/02 00:00:00", "feedbackEndDate": "2026/12/14 23:59:59",
                             "isCurrent": True}]}


def _json_page(spider, page, content, total_pages, **counts):
    import json

    from scrapy.http import TextResponse

    body = json.dumps({"initiativeResultDtoPage": {"content": content, "totalPages": total_pages, **counts}})
    response = TextResponse(search_url(page), body=body.encode(), headers=JSON, encoding="utf-8",
                            request=scrapy.Request(search_url(page)))
    return list(spider.parse(response, page=page))


def test_an_empty_page_before_the_last_is_incomplete_and_says_why(spider):
    out = _json_page(spider, 1, [], 5)  # the rest is unknown, and health says why
    assert not [r for r in out if isinstance(r, scrapy.Request) and "page" in r.cb_kwargs]
    assert ("amber", "searchInitiatives has 5 pages; page 2 was empty, so the pages after it were "
                     "not read") in spider.notes
    assert spider.listing["complete"] is False


def test_a_listing_longer_than_max_pages_is_incomplete_and_says_so(spider, monkeypatch):
    from crawlers.spiders import eu_haveyoursay as mod

    monkeypatch.setattr(mod, "MAX_PAGES", 2)
    out = _json_page(spider, 1, [FULL], 5)
    assert not [r for r in out if isinstance(r, scrapy.Request) and "page" in r.cb_kwargs]
    assert ("amber", "searchInitiatives has 5 pages; only 2 read") in spider.notes
    assert spider.listing["complete"] is False


def test_the_last_announced_page_completes_the_listing(spider):
    _json_page(spider, 4, [FULL], 5)
    assert spider.notes == [] and spider.listing["complete"] is True


def test_the_real_detail_as_a_search_result_gives_the_real_search_results_item(spider):
    """A backfill reads again a detail that failed, with no search result beside it: the detail
    alone must give the item the register gives. The one real pair (initiative 18805, both
    captured on 2026-09-01) says which of its publications is the search result's status."""
    import json

    from crawlers.spiders.eu_haveyoursay import as_search_result

    folder = FIXTURES / "real" / "eu_haveyoursay"
    listing = json.loads((folder / "parlmonitor_hys-initiatives_2026-09-01.json").read_text("utf-8"))
    detail = json.loads((folder / "parlmonitor_hys-detail-18805_2026-09-01.json").read_text("utf-8"))
    (raw,) = [r for r in listing["initiativeResultDtoPage"]["content"] if int(r["id"]) == 18805]
    from_search, from_detail = spider._item(raw), spider._item(as_search_result(detail))
    assert dict(from_detail) == dict(from_search)
    assert from_detail["deadline"] == "2026-09-28T23:59:59+02:00" and from_detail["status_raw"] == "OPEN"
    assert from_detail["extra"]["opens"] == from_search["extra"]["opens"] is not None
    # planned stages (publishedDate null) are no status
    assert [s["frontEndStage"] for s in as_search_result(detail)["currentStatuses"]] == [
        "INIT_PLANNED", "PLANNING_WORKFLOW"]


# ------------------------------------------------------------------ a changed answer (schema drift)


def _fixture_json(path: str):
    import json

    return json.loads((FIXTURES / path).read_text("utf-8"))


def _parse_data(spider, data, page=0):
    import json

    from scrapy.http import TextResponse

    response = TextResponse(search_url(page), body=json.dumps(data).encode(), headers=JSON, encoding="utf-8",
                            request=scrapy.Request(search_url(page)))
    return list(spider.parse(response, page=page))


def _renamed(data, field, *, in_periods=False):
    """The listing with `field` renamed (as `<field>V2`) in every initiative, or every feedback period."""
    for raw in data["initiativeResultDtoPage"]["content"]:
        for row in raw.get("currentStatuses") or [] if in_periods else [raw]:
            row[field + "V2"] = row.pop(field)
    return data


PERIOD_NOTE = ("searchInitiatives: no feedback period (currentStatuses) read has the field '{}' (schema changed?): "
               "stored values kept")
INITIATIVE_NOTE = "searchInitiatives: no initiative read has the field '{}' (schema changed?): stored values kept"


@pytest.mark.parametrize(("field", "in_periods", "note", "unread"), [
    ("feedbackEndDate", True, PERIOD_NOTE, "deadline"),
    ("receivingFeedbackStatus", True, PERIOD_NOTE, "status_raw"),
    ("currentStatuses", False, INITIATIVE_NOTE, "deadline"),
    ("reference", False, INITIATIVE_NOTE, "reference"),
])
def test_a_renamed_listing_field_is_red_naming_it_and_never_read_as_empty(spider, field, in_periods, note, unread):
    """A renamed `feedbackEndDate` left the source green and every deadline unknown (the digest:
    «Frist: ingen frist kjent»): the answer changed, and health must say which field."""
    items = _items(_parse_data(spider, _renamed(_fixture_json("eu_haveyoursay/search_current.json"), field,
                                                in_periods=in_periods)))
    assert sorted(items) == ["18805", "18812", "18830"]
    assert ("red", note.format(field)) in spider.notes
    # not observed (None): the store keeps what it holds (tracker.store.changes.merge)
    assert [items[i].get(unread) for i in sorted(items)] == [None, None, None]
    assert spider.listing["complete"] is True  # every initiative is still there: vanished works


def test_a_renamed_topics_field_keeps_the_stored_topics(spider):
    items = _items(_parse_data(spider, _renamed(_fixture_json("eu_haveyoursay/search_current.json"), "topics")))
    assert ("red", INITIATIVE_NOTE.format("topics")) in spider.notes
    assert items["18805"]["extra"]["topics"] is None  # not [], which would erase the stored ones


def test_the_real_listing_and_its_legitimately_missing_fields_are_no_changed_answer(spider):
    """The real answer: an initiative may lack `currentStatuses` or `foreseenActType`, and a
    `feedbackEndDate` may be null — kept without a deadline, not a changed answer."""
    data = _fixture_json(REAL + "parlmonitor_hys-initiatives_2026-09-01.json")
    page = data["initiativeResultDtoPage"]
    page.update(totalPages=1, totalElements=3)  # as if the register held these three only
    del page["content"][1]["currentStatuses"]
    page["content"][2]["currentStatuses"][0]["feedbackEndDate"] = None
    del page["content"][2]["foreseenActType"]
    items = _items(_parse_data(spider, data))
    assert set(items) == {"18805", "18806", "14778"}
    assert items["18805"]["deadline"] == "2026-09-28T23:59:59+02:00"
    assert spider.notes == [] and spider.listing["complete"] is True


def test_the_real_detail_is_no_changed_answer(spider):
    items = _items(_parse_data(spider, _fixture_json(REAL + "parlmonitor_hys-initiatives_2026-09-01.json")))
    response = file_response(REAL + "parlmonitor_hys-detail-18805_2026-09-01.json", detail_url("18805"), headers=JSON)
    (out,) = list(spider.parse_detail(response, item=items["18805"]))
    assert spider.notes == []
    assert out["extra"]["ares"] == ["Ares(2026)7014840", "Ares(2026)8283054"]


def _drop_publications(d):
    d["pubs"] = d.pop("publications")


def _drop_published_dates(d):
    for pub in d["publications"]:
        pub["published"] = pub.pop("publishedDate")


def _drop_reference(d):
    d["ref"] = d.pop("reference")


@pytest.mark.parametrize(("change", "field"), [
    (_drop_publications, "publications"),
    (_drop_published_dates, "publications[].publishedDate"),
    (_drop_reference, "reference"),
])
def test_a_detail_without_an_expected_field_is_red_and_keeps_the_stored_references(spider, current, change, field):
    """A renamed `publications` gave `extra.com: []` and `extra.ares` without the stages' numbers,
    erasing what the store held, and the source stayed green."""
    import json

    from scrapy.http import TextResponse

    data = _fixture_json("eu_haveyoursay/detail_18805.json")
    change(data)
    response = TextResponse(detail_url("18805"), body=json.dumps(data).encode(), headers=JSON, encoding="utf-8",
                            request=scrapy.Request(detail_url("18805")))
    (out,) = list(spider.parse_detail(response, item=current["18805"]))
    assert spider.notes == [("red", f"groupInitiatives: the answer for initiative 18805 lacks the field '{field}' "
                                    "(schema changed?): stored values kept")]
    assert out["extra"]["ares"] is None  # unknown this run, not "none"
    if field != "reference":
        assert out["extra"]["com"] is None and out["extra"]["planned_stages"] is None
        assert "documents" not in out and "body" not in out
    else:
        assert out["extra"]["com"] == ["COM(2022)453"] and len(out["documents"]) == 2
    assert out["owner"] == "European Commission, TRADE"  # what the answer still has is read


def test_a_second_detail_without_the_field_adds_no_second_note(spider, current):
    import json

    from scrapy.http import TextResponse

    data = _fixture_json("eu_haveyoursay/detail_18805.json")
    _drop_publications(data)
    for native_id in ("18805", "18812"):
        response = TextResponse(detail_url(native_id), body=json.dumps(data).encode(), headers=JSON,
                                encoding="utf-8", request=scrapy.Request(detail_url(native_id)))
        list(spider.parse_detail(response, item=current[native_id]))
    assert len(spider.notes) == 1 and "initiative 18805" in spider.notes[0][1]


@pytest.mark.parametrize(("note", "nb"), [
    (PERIOD_NOTE.format("feedbackEndDate"),
     "searchInitiatives: ingen av innspillsperiodene (currentStatuses) som ble lest, har feltet «feedbackEndDate» "
     "(er svaret endret?): de lagrede verdiene er beholdt"),
    (INITIATIVE_NOTE.format("currentStatuses"),
     "searchInitiatives: ingen av initiativene som ble lest, har feltet «currentStatuses» (er svaret endret?): de "
     "lagrede verdiene er beholdt"),
    ("groupInitiatives: the answer for initiative 18805 lacks the field 'publications' (schema changed?): stored "
     "values kept",
     "groupInitiatives: svaret for initiativ 18805 mangler feltet «publications» (er svaret endret?): de lagrede "
     "verdiene er beholdt"),
])
def test_a_changed_answer_reads_in_bokmal(note, nb):
    from tracker.vocabulary import health_reason

    assert health_reason(note, "nb") == nb


# ------------------------------------------------------------------ a listing holding fewer than it announces

CUT_NOTE = ("searchInitiatives page 0 holds 16 initiatives but says numberOfElements 21 (cut short?): none marked "
            "vanished")
SHORT_NOTE = ("searchInitiatives: {} of the {} initiatives it announces (totalElements) read: listing incomplete, "
              "none marked vanished")


def test_a_page_cut_short_is_red_and_the_listing_incomplete(spider):
    """Day 2's listing cut to 16 of its 21 initiatives (numberOfElements and totalElements still
    21) was green, and the 5 missing ones were marked vanished («Forsvant fra kildens liste»)."""
    data = _fixture_json(str(ROOT / "data/replay/2026-11-24/eu_haveyoursay/search_page0.json"))
    page = data["initiativeResultDtoPage"]
    page["content"] = page["content"][:16]
    assert len(_items(_parse_data(spider, data))) == 16
    assert spider.listing["complete"] is False  # tracker.store.merge._mark_vanished marks none
    assert spider.notes == [("red", CUT_NOTE), ("amber", SHORT_NOTE.format(16, 21))]


@pytest.mark.parametrize("fixture", ["search_current.json", "search_legacy.json"])
def test_fewer_initiatives_than_the_listings_total_is_incomplete_and_says_so(spider, fixture):
    """Both shapes give `totalElements` (the HAL one in `page`), neither this page's count."""
    data = _fixture_json(f"eu_haveyoursay/{fixture}")
    rows = (data["initiativeResultDtoPage"]["content"] if "initiativeResultDtoPage" in data
            else data["_embedded"]["initiativeResultDtoes"])
    total = len(rows)
    del rows[0]
    _parse_data(spider, data)
    assert spider.notes == [("amber", SHORT_NOTE.format(total - 1, total))]
    assert spider.listing["complete"] is False


def test_pages_holding_together_what_the_listing_announces_complete_it(spider):
    _items(_run(spider, "search_page0_of_2.json"))  # 2 of totalElements 3
    assert spider.listing["complete"] is False and spider.notes == []
    _json_page(spider, 1, [{**FULL, "id": 18840.0}], 2, totalElements=3, numberOfElements=1)
    assert spider.notes == [] and spider.listing["complete"] is True


def test_a_later_page_cut_short_is_amber(spider):
    _items(_run(spider, "search_page0_of_2.json"))
    _json_page(spider, 1, [], 2, totalElements=3, numberOfElements=1)
    assert ("amber", "searchInitiatives page 1 holds 0 initiatives but says numberOfElements 1 (cut short?): none "
                     "marked vanished") in spider.notes
    assert ("amber", SHORT_NOTE.format(2, 3)) in spider.notes
    assert spider.listing["complete"] is False


@pytest.mark.parametrize(("note", "nb"), [
    (CUT_NOTE, "searchInitiatives side 0 inneholder 16 initiativer, men oppgir selv 21 (numberOfElements; avkortet "
               "svar?): ingen er merket som forsvunnet"),
    (SHORT_NOTE.format(16, 21), "searchInitiatives: 16 av de 21 initiativene svaret oppgir (totalElements), ble "
                                "lest: listen er ufullstendig, ingen er merket som forsvunnet"),
])
def test_an_incomplete_listing_reads_in_bokmal(note, nb):
    from tracker.vocabulary import health_reason

    assert health_reason(note, "nb") == nb


# ------------------------------------------------------------------ a doctored day, end to end


def _doctored_days(tmp_path, change):
    """The bundled days of this source, day 2's listing changed by `change` (its validators
    dropped, as a changed body would have none in common with day 1's)."""
    import json
    import shutil

    days = tmp_path / "days"
    for day in ("2026-11-23", "2026-11-24"):
        shutil.copytree(ROOT / "data/replay" / day / HYS, days / day / HYS)
    folder = days / "2026-11-24" / HYS
    listing = folder / "search_page0.json"
    data = json.loads(listing.read_text("utf-8"))
    change(data)
    listing.write_text(json.dumps(data), "utf-8")
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    for entry in manifest["responses"]:
        entry["headers"] = {k: v for k, v in entry["headers"].items() if k.lower() not in ("etag", "last-modified")}
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    return days


def _cli(tmp_path, *args):
    import os
    import subprocess
    import sys

    config = tmp_path / "ncp-tracker.toml"
    if not config.exists():
        config.write_text(f'[tracker]\ndata_dir = "{tmp_path / "data"}"\n', "utf-8")
    env = {**os.environ, "NCP_TRACKER_DB": str(tmp_path / "t.db"), "NCP_TRACKER_CONFIG": str(config)}
    return subprocess.run([sys.executable, "-m", "tracker", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=400)


def _crawl_both_days(tmp_path, change):
    days = _doctored_days(tmp_path, change)
    first = _cli(tmp_path, "crawl", "--replay", str(days / "2026-11-23"), "--source", HYS, "--no-progress")
    assert first.returncode == 0, first.stderr[-2000:]
    return _cli(tmp_path, "crawl", "--replay", str(days / "2026-11-24"), "--source", HYS, "--no-progress")


def _stored(tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "t.db")
    try:
        items = {r[0]: r[1:] for r in conn.execute(
            "select id, deadline, status_raw, vanished_at from items where source = ?", [HYS])}
        events = [r for r in conn.execute(
            "select e.kind, e.item_id from events e join items i on i.id = e.item_id "
            "where i.source = ? and e.at >= '2026-11-24'", [HYS])]
    finally:
        conn.close()
    return items, events


@pytest.mark.slow
def test_a_renamed_feedback_end_date_turns_the_source_red_and_keeps_every_deadline(tmp_path):
    def rename(data):
        for raw in data["initiativeResultDtoPage"]["content"]:
            for status in raw["currentStatuses"]:
                status["feedbackEnd"] = status.pop("feedbackEndDate")

    second = _crawl_both_days(tmp_path, rename)
    assert second.returncode == 2, second.stderr[-2000:]  # a red source fails the job visibly
    items, events = _stored(tmp_path)
    # the initiatives in day 2's listing keep day 1's deadlines: no false deadline_changed event; the
    # one the recorded day really moves (18834, 3 → 17 December) is read from its detail instead
    assert items["eu_haveyoursay:18804"][0] == "2026-12-14T23:59:59+01:00"
    assert [e for e in events if e[0] in ("deadline_changed", "vanished")] == [
        ("deadline_changed", "eu_haveyoursay:18834")]
    assert items["eu_haveyoursay:18834"][0] == "2026-12-17T23:59:59+01:00"
    health = _cli(tmp_path, "health", "--as-of", "2026-11-24T07:00:00+01:00")
    assert health.returncode == 2
    assert ("EU: Si din mening (Have your say) (searchInitiatives: ingen av innspillsperiodene (currentStatuses) "
            "som ble lest, har feltet «feedbackEndDate» (er svaret endret?): de lagrede verdiene er beholdt"
            in health.stderr)


@pytest.mark.slow
def test_a_listing_cut_short_marks_nothing_vanished_and_says_so(tmp_path):
    def cut(data):
        page = data["initiativeResultDtoPage"]
        page["content"] = page["content"][:16]  # totalElements and numberOfElements still say 21

    second = _crawl_both_days(tmp_path, cut)
    assert second.returncode == 2, second.stderr[-2000:]
    items, events = _stored(tmp_path)
    assert [e for e in events if e[0] == "vanished"] == []
    assert [i for i, (_deadline, _status, vanished_at) in items.items() if vanished_at] == []
    health = _cli(tmp_path, "health", "--as-of", "2026-11-24T07:00:00+01:00")
    assert health.returncode == 2
    assert ("(searchInitiatives side 0 inneholder 16 initiativer, men oppgir selv 21 (numberOfElements; avkortet "
            "svar?): ingen er merket som forsvunnet)") in health.stderr


# ------------------------------------------------------------------ a renamed deadline field, as the adviser reads it


def _rename_end_date(data):
    for raw in data["initiativeResultDtoPage"]["content"]:
        for status in raw.get("currentStatuses") or []:
            status["feedbackEnd"] = status.pop("feedbackEndDate")


def _doctor_detail(days, native_id, change):
    """Day 2's recorded detail of `native_id` changed by `change` (its validators dropped)."""
    import json

    folder = days / "2026-11-24" / HYS
    path = folder / "detail" / f"{native_id}.json"
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")


def _deadline_as_read(tmp_path, item_id):
    """The stored item's deadline as the digest and the item page say it."""
    import sqlite3

    from tracker.digest.wording import deadline_line
    from tracker.web.display import deadline_lines

    conn = sqlite3.connect(tmp_path / "t.db")
    conn.row_factory = sqlite3.Row
    try:
        row = dict(conn.execute("select * from items where id = ?", [item_id]).fetchone())
    finally:
        conn.close()
    return deadline_line(row, AS_OF, "nb"), deadline_lines(row, "nb", AS_OF)


def _rename_current_statuses(data):
    for raw in data["initiativeResultDtoPage"]["content"]:
        raw["currentStatusList"] = raw.pop("currentStatuses", None)


def _crawl_doctored(tmp_path, change_detail=None, change_listing=_rename_end_date):
    days = _doctored_days(tmp_path, change_listing)
    if change_detail:
        _doctor_detail(days, "18915", change_detail)
    first = _cli(tmp_path, "crawl", "--replay", str(days / "2026-11-23"), "--source", HYS, "--no-progress")
    assert first.returncode == 0, first.stderr[-2000:]
    return _cli(tmp_path, "crawl", "--replay", str(days / "2026-11-24"), "--source", HYS, "--no-progress")


@pytest.mark.slow
def test_a_new_initiative_on_the_day_its_deadline_field_is_renamed_takes_its_deadline_from_the_detail(tmp_path):
    """Initiative 18915, first seen on the day `feedbackEndDate` was renamed, read «Frist: ingen
    frist kjent» although its own detail (publications[].endDate) gives the feedback period's end."""
    second = _crawl_doctored(tmp_path)
    assert second.returncode == 2, second.stderr[-2000:]  # still red: the listing's field is gone
    items, _events = _stored(tmp_path)
    assert items["eu_haveyoursay:18915"][0] == "2027-01-04T23:59:59+01:00"
    assert _deadline_as_read(tmp_path, "eu_haveyoursay:18915") == (
        "Frist: man. 04.01.2027", ["man. 04.01.2027"])
    health = _cli(tmp_path, "health", "--as-of", "2026-11-24T07:00:00+01:00")
    assert ("searchInitiatives: innspillsperiodene mangler feltet «feedbackEndDate»: fristene ble i stedet lest fra "
            "svaret groupInitiatives for hvert initiativ (publications[].endDate)") in health.stdout, health.stdout


@pytest.mark.slow
def test_a_deadline_neither_answer_gives_reads_unreadable_not_none_known(tmp_path):
    """When the detail cannot give the period's end either, the item says its deadline could not be
    read («Frist: kunne ikke leses fra kilden»), not that the initiative has none («ingen frist
    kjent»)."""
    def drop_end(data):
        for pub in data["publications"]:
            pub["end"] = pub.pop("endDate")

    second = _crawl_doctored(tmp_path, drop_end)
    assert second.returncode == 2, second.stderr[-2000:]
    items, _events = _stored(tmp_path)
    assert items["eu_haveyoursay:18915"][0] is None
    assert _deadline_as_read(tmp_path, "eu_haveyoursay:18915") == (
        "Frist: kunne ikke leses fra kilden", ["kunne ikke leses fra kilden"])


@pytest.mark.slow
def test_a_renamed_current_statuses_and_a_detail_without_the_end_reads_unreadable_not_none_known(tmp_path):
    """`currentStatuses` renamed for the whole listing: initiative 18915, first seen that day, whose
    detail cannot give the period's end either, was stored reading «Frist: ingen frist kjent» (the
    source red above it); now the digest and its page say the deadline could not be read. The
    others keep their stored deadlines."""
    def drop_end(data):
        for pub in data["publications"]:
            pub["end"] = pub.pop("endDate")

    second = _crawl_doctored(tmp_path, drop_end, change_listing=_rename_current_statuses)
    assert second.returncode == 2, second.stderr[-2000:]
    items, events = _stored(tmp_path)
    assert items["eu_haveyoursay:18915"][0] is None
    assert _deadline_as_read(tmp_path, "eu_haveyoursay:18915") == (
        "Frist: kunne ikke leses fra kilden", ["kunne ikke leses fra kilden"])
    assert items["eu_haveyoursay:18804"][0] == "2026-12-14T23:59:59+01:00"
    assert [e for e in events if e[0] == "vanished"] == []


def test_an_unreadable_deadline_is_said_so_in_both_languages_and_on_the_item_page():
    from datetime import datetime

    from crawlers.dates import OSLO
    from tracker.digest.wording import deadline_line
    from tracker.web.display import deadline_lines

    row = {"kind": "eu_consultation", "deadline": None, "extra": '{"deadline_unread": "feedbackEndDate missing"}'}
    now = datetime(2026, 11, 24, 7, tzinfo=OSLO)
    assert deadline_line(row, now, "nb") == "Frist: kunne ikke leses fra kilden"
    assert deadline_line(row, now, "en") == "Deadline: could not be read from the source"
    assert deadline_lines(row, "nb", now) == ["kunne ikke leses fra kilden"]
    # read again on a later day: "" clears it, and a missing deadline is then "none known"
    assert deadline_line({**row, "extra": '{"deadline_unread": ""}'}, now, "nb") == "Frist: ingen frist kjent"


# ------------------------------------------------------------------ a renamed isCurrent: the period by its dates


def _periods(*periods):
    return [{"frontEndStage": stage, "receivingFeedbackStatus": status, "feedbackStartDate": start,
             "feedbackEndDate": end} for stage, status, start, end in periods]


@pytest.mark.parametrize("order", [1, -1])
def test_without_is_current_the_open_period_is_picked_by_its_dates_not_its_place(spider, order):
    """With `isCurrent` renamed, the period picked was the last open-looking one in the list: here
    the closed call for evidence listed after the open consultation gave its past deadline."""
    spider.as_of = AS_OF
    periods = _periods(("OPC_LAUNCHED", "OPEN", "2026/11/02 00:00:00", "2026/12/14 23:59:59"),
                       ("CFE_CLOSED", "OPEN", "2026/03/01 00:00:00", "2026/03/29 23:59:59"))[::order]
    items = _items(_json_page(spider, 0, [{**FULL, "currentStatuses": periods}], 1))
    item = items["18805"]
    assert item["deadline"] == "2026-12-14T23:59:59+01:00" and item["extra"]["stage"] == "OPC_LAUNCHED"
    assert ("red", "searchInitiatives: without 'isCurrent', the current feedback period of 1 initiative(s) with "
                     f"several was picked by its dates as of {spider.today.isoformat()}") in spider.notes
    assert ("red", PERIOD_NOTE.format("isCurrent")) in spider.notes


def test_without_is_current_the_next_period_to_open_is_picked_when_none_is_open(spider):
    spider.as_of = AS_OF
    periods = _periods(("CFE", "CLOSED", "2026/03/01 00:00:00", "2026/03/29 23:59:59"),
                       ("OPC", "NOT_STARTED", "2027/02/01 00:00:00", "2027/04/26 23:59:59"),
                       ("DRAFT", "NOT_STARTED", "2027/09/01 00:00:00", "2027/09/29 23:59:59"))
    item = _items(_json_page(spider, 0, [{**FULL, "currentStatuses": periods}], 1))["18805"]
    assert item["extra"]["stage"] == "OPC" and item["deadline"] == "2027-04-26T23:59:59+02:00"


def test_the_pick_by_dates_reads_in_bokmal():
    from tracker.vocabulary import health_reason

    assert health_reason("searchInitiatives: without 'isCurrent', the current feedback period of 2 initiative(s) "
                         "with several was picked by its dates as of 2026-11-24") == (
        "searchInitiatives: feltet «isCurrent» mangler, så gjeldende innspillsperiode for 2 initiativer med flere "
        "perioder ble valgt ut fra datoene per tir. 24.11.2026")


def test_a_detail_without_is_current_gives_the_deadline_by_its_publications_dates(spider):
    """The listing's period lacks `feedbackEndDate`, and the detail's publications lack
    `isCurrent`: the current publication is the one open on the crawl's day, and health says so."""
    import json

    from scrapy.http import TextResponse

    raw = {**FULL, "currentStatuses": [{k: v for k, v in FULL["currentStatuses"][0].items() if k != "feedbackEndDate"}]}
    item = _items(_json_page(spider, 0, [raw], 1))["18805"]
    assert "deadline" not in item and item["extra"]["deadline_unread"] == "feedbackEndDate missing"
    detail = _fixture_json(REAL + "parlmonitor_hys-detail-18805_2026-09-01.json")
    for pub in detail["publications"]:
        pub["current"] = pub.pop("isCurrent")
    detail["publications"].reverse()  # its order says nothing
    response = TextResponse(detail_url("18805"), body=json.dumps(detail).encode(), headers=JSON, encoding="utf-8",
                            request=scrapy.Request(detail_url("18805")))
    spider.as_of = spider.as_of.replace(year=2026, month=9, day=10)
    (out,) = list(spider.parse_detail(response, item=item))
    assert out["deadline"] == "2026-09-28T23:59:59+02:00" and out["extra"]["deadline_unread"] == ""
    assert ("red", "searchInitiatives: feedback periods without 'feedbackEndDate': deadlines read from each "
                     "initiative's groupInitiatives answer (publications[].endDate) instead, the current publication "
                     "picked by its dates as of 2026-09-10 (no 'isCurrent')") in spider.notes


def test_an_initiative_closed_without_an_open_period_says_closed():
    """initiativeStatus CLOSED with no feedback period (or one not open) is the item's status word;
    ACTIVE (real: open and closed periods alike) and an open period are left as they were."""
    assert status_word({}, "CLOSED") == "CLOSED"
    assert status_word({"receivingFeedbackStatus": "DISABLED"}, "CLOSED") == "CLOSED"
    assert status_word({"receivingFeedbackStatus": "OPEN"}, "CLOSED") == "OPEN"
    assert status_word({}, "ACTIVE") is None
    assert status_word({"receivingFeedbackStatus": "CLOSED"}, "ACTIVE") == "CLOSED"
