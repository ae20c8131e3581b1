import pytest

from tracker.store.health import SourceRun, assess


@pytest.mark.parametrize(
    "run, status, reason_part",
    [
        (SourceRun("s", items_seen=10, items_new=2), "green", "10 items, 2 new"),
        (SourceRun("s", items_seen=0), "red", "zero items"),
        # zero items: what the site answered instead is the cause (robots.txt's own 404 is not one)
        (SourceRun("s", items_seen=0, stats={
            "downloader/response_count": 16, "downloader/response_status_count/403": 15,
            "downloader/response_status_count/404": 1, "robotstxt/response_status_count/404": 1}),
         "red", "zero items (15 of 16 responses: HTTP 403)"),
        (SourceRun("s", items_seen=0, stats={
            "downloader/response_count": 9, "downloader/response_status_count/200": 3,
            "downloader/response_status_count/500": 4, "downloader/response_status_count/403": 2,
            "tracker/detail_blocked": 5}),
         "red", "zero items (9 of 9 responses: HTTP 500 ×4, challenge page ×3, HTTP 403 ×2)"),
        (SourceRun("s", items_seen=0, stats={
            "downloader/response_count": 4, "downloader/response_status_count/404": 4, "replay/miss": 4,
            "robotstxt/response_status_count/404": 1}),
         "red", "zero items (3 of 4 responses: not in the recording)"),
        (SourceRun("s", items_seen=0, stats={"downloader/response_count": 5, "downloader/response_status_count/200": 5}),
         "red", "zero items (no items; 5 responses)"),
        (SourceRun("s", items_seen=0, may_be_empty=True), "green", "0 items"),
        (SourceRun("s", items_seen=5, finish_reason="shutdown"), "red", "ended early"),
        (SourceRun("s", items_seen=5, notes=[("red", "RSS answered HTTP 500")]), "red", "HTTP 500"),
        (SourceRun("s", items_seen=5, notes=[("amber", "fallback channel in use")]), "amber", "fallback"),
        (SourceRun("s", items_seen=8, stats={"tracker/parse_errors": 1, "tracker/parse_attempts": 9}), "amber", "1 parse error"),
        (SourceRun("s", items_seen=5, stats={"tracker/parse_errors": 5, "tracker/parse_attempts": 10}), "red", "parse errors 5/10"),
        (SourceRun("s", items_seen=5, stats={"tracker/detail_blocked": 3}), "amber", "3 detail pages blocked"),
        (SourceRun("s", items_seen=5, stats={"spider_exceptions/ValueError": 2}), "amber", "2 spider errors"),
        # far fewer items than usual: a changed page that parses without errors
        (SourceRun("s", items_seen=3, usual_items=40), "amber", "3 items, usually about 40 (a changed page?)"),
        (SourceRun("s", items_seen=25, usual_items=40), "green", "25 items"),
        (SourceRun("s", items_seen=1, usual_items=5), "green", "1 item"),  # too few to judge
        (SourceRun("s", items_seen=1, usual_items=40, may_be_empty=True), "green", "1 item"),
    ],
)
def test_assess(run, status, reason_part):
    got_status, reason = assess(run)
    assert got_status == status
    assert reason_part in reason


def test_a_source_that_finds_far_fewer_items_than_usual_turns_amber_and_stays_so(db, as_of):
    """A page whose layout changed often still parses without an error: 3 items where there
    were 40 is a warning in the digest, in Bokmål, and the low runs do not become the usual."""
    from datetime import timedelta

    import tracker.digest as digest
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store
    from tracker.vocabulary import health_reason

    source = "no_forbrukertilsynet"

    def crawl(n: int, day: int, *, channel: str = "html", backfill: bool = False) -> dict:
        when = as_of + timedelta(days=day)
        run = store.start_run(db, as_of=when, mode="test", sources=[source], backfill=backfill)
        items = [{"source": source, "kind": "regulator_news", "native_id": str(i), "url": f"https://e.org/{i}",
                  "title": f"Nyhet {i}"} for i in range(n)]
        row = store_crawl(db, run_id=run, as_of=when, report=Report(source=source, channel=channel), items=items)
        store.finish_run(db, run, 0)
        store.complete_run(db, run)
        return row

    assert [crawl(40, d)["status"] for d in range(3)] == ["green"] * 3  # nothing usual to judge by yet
    low = crawl(3, 3)
    assert (low["status"], low["reason"]) == ("amber", "3 items, usually about 40 (a changed page?)")
    assert health_reason(low["reason"], "nb") == "3 saker, vanligvis rundt 40 (endret side?)"
    assert crawl(3, 4)["status"] == crawl(3, 5)["status"] == crawl(3, 6)["status"] == "amber"  # still broken
    health = digest.render_markdown(digest.build_digest(db, as_of=as_of + timedelta(days=6, hours=1)))
    assert "3 saker, vanligvis rundt 40 (endret side?)" in health.split("## Kildenes helse", 1)[1]
    # another channel has its own usual; a backfill's units are pages of the past, never judged
    assert crawl(3, 7, channel="rss")["status"] == "green"
    assert crawl(3, 8, backfill=True)["status"] == "green"
    # a drop that lasts (a new Storting session's few hearings) is amber for two weeks, then usual
    assert crawl(3, 14)["status"] == "amber"  # days 0–2 (40 each) are within its 14 days
    assert crawl(3, 15)["status"] == "green"  # day 0 is not: two ordinary runs are too few


def test_unrecognised_words_are_the_sources_unknown_status_words_most_first(db):
    from tracker.store.health import unrecognised_words

    rows = [("a", "Avbrutt"), ("b", " Avbrutt "), ("c", "Stengt midlertidig"), ("d", "På høring"),
            ("e", "DISABLED"), ("f", None), ("g", ""), ("h", "Avbrutt")]
    base = {"kind": "hearing", "native_id": "1", "url": "https://example.org/", "title": "t",
            "first_seen": "2026-11-24T05:00:00+00:00", "last_seen": "2026-11-24T05:00:00+00:00"}
    db["items"].insert_all([{**base, "id": f"x:{i}", "source": "no_regjeringen_horinger", "status_raw": w}
                            for i, w in rows]
                           + [{**base, "id": "y:1", "source": "eu_haveyoursay", "status_raw": "Suspended"}])
    assert unrecognised_words(db, "no_regjeringen_horinger") == [("Avbrutt", 3), ("Stengt midlertidig", 1)]
    assert unrecognised_words(db, "eu_haveyoursay") == [("Suspended", 1)]
    assert unrecognised_words(db, "no_lovdata") == []


def test_a_backfill_never_hides_the_daily_runs_red(db, as_of):
    """The morning's run finds regjeringen.no's feed broken (red); an adviser then walks the
    source's history (`ncp-tracker backfill`), whose pages of the past answer fine. The health the
    digest and the web page show is the daily channel's: still red, with its reason — a green
    backfill row must not stand in for it. The backfill's own row stays in the store (its command
    reports it)."""
    from datetime import timedelta

    import tracker.digest as digest
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import health
    from tracker.store import merge as store

    source = "no_forbrukertilsynet"

    def crawl(n: int, when, *, backfill: bool = False, notes=()) -> dict:
        run = store.start_run(db, as_of=when, mode="test", sources=[source], backfill=backfill)
        items = [{"source": source, "kind": "regulator_news", "native_id": str(i), "url": f"https://e.org/{i}",
                  "title": f"Nyhet {i}"} for i in range(n)]
        row = store_crawl(db, run_id=run, as_of=when, items=items,
                          report=Report(source=source, channel="rss", notes=list(notes)))
        store.finish_run(db, run, 0)
        store.complete_run(db, run)
        return row

    daily = crawl(5, as_of, notes=[("red", "feed answered HTTP 503")])
    assert daily["status"] == "red"
    assert crawl(40, as_of + timedelta(hours=3), backfill=True)["status"] == "green"
    later = as_of + timedelta(hours=4)
    [row] = [r for r in health.latest(db, later) if r["source"] == source]
    assert (row["status"], row["run_id"]) == ("red", daily["run_id"])
    md = digest.render_markdown(digest.build_digest(db, as_of=later))
    assert "| Forbrukertilsynet | **FEILER** | 5 |" in md.split("## Kildenes helse", 1)[1]
    # the backfill's row is kept: the source's history (health.history) has both
    assert db.execute("select count(*) from health where source = ?", [source]).fetchone()[0] == 2


@pytest.mark.parametrize(("reason", "shown"), [
    ("zero items (15 of 16 responses: HTTP 403)", "ingen saker (15 av 16 svar: HTTP 403)"),
    ("zero items (9 of 9 responses: HTTP 500 ×4, challenge page ×3, not in the recording ×2)",
     "ingen saker (9 av 9 svar: HTTP 500 ×4, robotsjekkside ×3, mangler i opptaket ×2)"),
])
def test_the_cause_of_zero_items_reads_in_bokmal(reason, shown):
    from tracker.vocabulary import health_reason

    assert health_reason(reason, "nb") == shown


def test_blocked_detail_pages_are_named_in_health_first_few_and_how_many_more(db, as_of):
    """Health said «5 detaljsider blokkert (403/utfordring)» and named no page: the adviser could not
    tell which hearings kept only the listing's fields. It names the first three by title (the
    spider's), and how many more, in the reader's language — from the spider to the digest."""
    import json

    import tracker.digest as digest
    from crawlers.report import build_report
    from crawlers.spiders.no_eos_notater import NoEosNotaterSpider
    from tests.support import file_response, make_spider
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store
    from tracker.vocabulary import health_reason

    spider = make_spider(NoEosNotaterSpider)
    titles = ["Aktsomhetsdirektivet", "Batteriforordningen", "Avskogingsforordningen", "Taksonomien", "CSRD"]
    items = []
    for n, title in enumerate(titles):
        item = spider.make_item(native_id=str(n), url=f"https://www.regjeringen.no/no/id{n}/", title=title)
        blocked = file_response("no_eos_notater/aktsomhetsdirektivet.html", item["url"], status=403)
        assert not spider.detail_usable(blocked, item)
        items.append(dict(item))
    # the report travels as JSON (a feed export, `ncp-tracker ingest`), as the crawl's does
    report = Report.from_item(json.loads(json.dumps(dict(build_report(spider, spider.crawler.stats.get_stats())))))
    run = store.start_run(db, as_of=as_of, mode="test", sources=[spider.name])
    row = store_crawl(db, run_id=run, as_of=as_of, report=report, items=items)
    store.finish_run(db, run, 0)
    store.complete_run(db, run)
    assert (row["status"], row["reason"]) == (
        "amber", "5 detail pages blocked (403/challenge): «Aktsomhetsdirektivet», «Batteriforordningen», "
                 "«Avskogingsforordningen» and 2 more")
    nb = "5 detaljsider blokkert (403/utfordring): «Aktsomhetsdirektivet», «Batteriforordningen», " \
         "«Avskogingsforordningen» og 2 til"
    assert health_reason(row["reason"], "nb") == nb
    health = digest.render_markdown(digest.build_digest(db, as_of=as_of)).split("## Kildenes helse", 1)[1]
    assert nb in health
    # one page: named, nothing more counted
    assert assess(SourceRun("s", items_seen=5, stats={"tracker/detail_blocked": 1,
                                                       "tracker/detail_blocked_pages": ["«Taksonomien»"]})) == (
        "amber", "1 detail page blocked (403/challenge): «Taksonomien»")


def test_many_oeil_procedures_blocked_are_one_line_naming_the_first_few(db, as_of):
    """OEIL with many watched procedures blocked wrote a note per procedure, and the digest's source
    status one clause each («lovgivningsobservatoriet blokkerte forespørselen (HTTP 403) for …:
    stadiet er ikke oppdatert; …» ×6). One line now, as every spider's blocked pages: how many,
    the first few named, and what was not updated."""
    import tracker.digest as digest
    from crawlers.report import build_report
    from crawlers.spiders.eu_oeil import EuOeilSpider, procedure_url
    from tests.support import file_response, make_spider
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store
    from tracker.vocabulary import health_reason

    refs = ["2022/0051(COD)", *(f"2023/00{n}(COD)" for n in range(80, 86))]
    spider = make_spider(EuOeilSpider, procedures=",".join(refs))
    items = list(spider.parse(file_response("eu_oeil/csddd.html", procedure_url(refs[0])), reference=refs[0]))
    for ref in refs[1:]:
        blocked = file_response("eu_oeil/no_structure.html", procedure_url(ref), status=403)
        assert list(spider.parse(blocked, reference=ref)) == []
    report = Report.from_item(dict(build_report(spider, spider.crawler.stats.get_stats())))
    run = store.start_run(db, as_of=as_of, mode="test", sources=[spider.name])
    row = store_crawl(db, run_id=run, as_of=as_of, report=report, items=[dict(i) for i in items])
    store.finish_run(db, run, 0)
    store.complete_run(db, run)
    assert (row["status"], row["reason"]) == (
        "amber", "6 OEIL procedure files blocked (403/challenge), stage not updated: 2023/0080(COD), 2023/0081(COD), "
                 "2023/0082(COD) and 3 more")
    nb = ("6 prosedyrefiler i lovgivningsobservatoriet blokkert (403/utfordring), stadiene er ikke oppdatert: "
          "2023/0080(COD), 2023/0081(COD), 2023/0082(COD) og 3 til")
    assert health_reason(row["reason"], "nb") == nb
    health = digest.render_markdown(digest.build_digest(db, as_of=as_of)).split("## Kildenes helse", 1)[1]
    assert nb in health and health.count("lovgivningsobservatoriet") == 1, health


def test_blocked_answer_lists_are_one_line_saying_what_was_not_updated_and_which(db, as_of):
    """A blocked answer list showed two lines saying one thing twice, half each: «svarlistene
    blokkert (HTTP 403/429/robotsjekk): svarene er ikke oppdatert; 1 detaljside blokkert
    (403/utfordring): https://www.regjeringen.no/…?showSvar=true…» — the list called a detail page,
    named by its address. One line now: how many lists, that their answers were not updated, and
    which hearings (their titles, as `ncp-tracker answers` passes them)."""
    from crawlers.report import build_report
    from crawlers.spiders.no_regjeringen_horingssvar import NoRegjeringenHoringssvarSpider
    from tests.support import file_response, make_spider
    from tracker.jobs.storing import Report, store_crawl
    from tracker.store import merge as store
    from tracker.vocabulary import health_reason

    read = "https://www.regjeringen.no/no/dokumenter/hoyring---evalueringen-av-offentleglova/id2477095/"
    hearings = {str(n): {"url": f"https://www.regjeringen.no/no/dokumenter/id{n}/", "status": "closed",
                         "title": f"Høring om endringer i forskrift nr. {n}"} for n in (2477096, 2477097)}
    spider = make_spider(NoRegjeringenHoringssvarSpider, hearings={**hearings, "2477095": {"url": read}})
    for n, info in hearings.items():
        page = file_response("no_regjeringen_horingssvar/list_page1.html", info["url"] + "?showSvar=true", status=403)
        assert list(spider.parse(page, hearing_id=n, detail_url=info["url"])) == []
    for page in (1, 2):
        answers = file_response(f"no_regjeringen_horingssvar/list_page{page}.html",
                                f"{read}?showSvar=true&consterm=&page={page}&isFilterOpen=true")
        list(spider.parse(answers, hearing_id="2477095", detail_url=read, page=page))
    report = Report.from_item(dict(build_report(spider, spider.crawler.stats.get_stats())))
    run = store.start_run(db, as_of=as_of, mode="test", sources=[spider.name])
    row = store_crawl(db, run_id=run, as_of=as_of, report=report, items=[])
    assert row["status"] == "amber", row
    shown = health_reason(row["reason"], "nb").split("; ")
    assert shown[0] == ("2 svarlister blokkert (403/utfordring), svarene er ikke oppdatert: «Høring om endringer i "
                        "forskrift nr. 2477096», «Høring om endringer i forskrift nr. 2477097»"), shown
    assert not [part for part in shown[1:] if "blokkert" in part], shown  # said once


def test_blocked_pages_keep_what_else_the_notes_tell():
    """With pages counted as blocked, health dropped every other note holding the word "blocked":
    a watched EU file's «stage not updated» (OEIL), a blocked page of Have your say's listing, a
    page robots.txt forbids — the adviser read only «1 detaljside blokkert». Only the notes the
    count says again are left out (a detail page's «fields kept from the listing»); the count is
    left out where the notes name each page it counts."""
    from crawlers.spiders.eu_oeil import EuOeilSpider, procedure_url
    from tests.support import file_response, make_spider
    from tracker.vocabulary import health_reason

    # OEIL: one procedure read, one blocked — its note says which and what was not updated
    spider = make_spider(EuOeilSpider, procedures="2022/0051(COD),2023/0085(COD)")
    read = file_response("eu_oeil/csddd.html", procedure_url("2022/0051(COD)"))
    blocked = file_response("eu_oeil/no_structure.html", procedure_url("2023/0085(COD)"), status=403)
    seen = [*spider.parse(read, reference="2022/0051(COD)"), *spider.parse(blocked, reference="2023/0085(COD)")]
    status, reason = assess(SourceRun("eu_oeil", items_seen=len(seen), notes=spider.notes,
                                      stats=spider.crawler.stats.get_stats()))
    assert (status, health_reason(reason, "nb")) == (
        "amber", "1 prosedyrefil i lovgivningsobservatoriet blokkert (403/utfordring), stadiet er ikke oppdatert: "
                 "2023/0085(COD)")
    # a listing page and robots.txt besides the detail pages: each said once
    run = SourceRun("eu_haveyoursay", items_seen=40, stats={
        "tracker/detail_blocked": 2, "tracker/detail_blocked_pages": ["«Batterier»", "«Emballasje»"]}, notes=[
        ("amber", "searchInitiatives page 2: blocked (HTTP 403); brpapi access is disputed and may need a browser "
                  "context"),
        ("amber", "initiative details (COM references, DG) blocked (HTTP 403/429/challenge): fields kept from the "
                  "listing and earlier runs"),
        ("amber", "detail pages blocked by robots.txt (not fetched): fields kept from the listing")])
    assert health_reason(assess(run)[1], "nb") == (
        "searchInitiatives side 2: blokkert (HTTP 403); tilgangen til brpapi er omstridt og kan kreve en nettleser; "
        "detaljsider blokkert av robots.txt (ikke hentet): feltene beholdt fra oversikten; "
        "2 detaljsider blokkert (403/utfordring): «Batterier», «Emballasje»")


def test_a_day_without_a_recording_is_named_as_the_folder_a_person_types():
    """«den avspilte dagen tir. 24.11.2026 har ikke noe opptak av denne kilden»: the folder to
    record into or to give `--replay` is named 2026-11-24, which the reader had to work out. The
    folder's name is said now, and its day beside it."""
    from tracker.jobs.crawl import unrecorded_reason
    from tracker.vocabulary import health_reason

    reason = unrecorded_reason("2026-11-24")
    assert health_reason(reason, "nb") == ("ingen innspilte svar: den avspilte dagen 2026-11-24 (tir. 24.11.2026) har "
                                           "ikke noe opptak av denne kilden")
    assert health_reason(reason, "en").startswith("no recorded responses: the replayed day 2026-11-24 (Tue")
