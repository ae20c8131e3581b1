"""Running spiders and storing what they saw: live, replayed or recorded.

Scrapy's reactor starts once per process, so a whole plan — one or more days,
each a set of sources — runs inside one `CrawlerProcess`: the sources of a day
crawl concurrently, days run in order, and after each day an optional callback
(tagging, documents, digest) runs before the next day starts. The callback runs in a thread of
its own while the reactor keeps running, so that it can crawl too — the documents of the day's
items are fetched by the same process (:func:`running_crawls`), not by a child process.

Each spider's items go through the store pipeline (tracker/jobs/storing.py), which writes them
when the spider closes, in one transaction per source, together with its health row: a crawl
killed half-way leaves the store as it was before that source started. Replay is switched on by
one Scrapy setting, REPLAY_DIR, and recording by RECORD_DIR, exactly as with plain `scrapy crawl`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from crawlers.dates import OSLO
from tracker.config import SCHEMA, log_level_problem
from tracker.store import health
from tracker.store import merge as store
from tracker.store.db import open_db, resolve_path
from tracker.store.files import write_whole
from tracker.store.instants import now_iso
from tracker.store.runlock import exclusive_run

logger = logging.getLogger(__name__)


@dataclass
class Step:
    """One crawl: these sources, at this time, live or from a recorded day."""

    sources: list[str]
    as_of: datetime
    replay_dir: str | None = None
    record_dir: str | None = None
    label: str = ""
    #: extra spider arguments, as `scrapy crawl -a NAME=VALUE` would give them
    spider_args: dict[str, str] = field(default_factory=dict)
    #: a walk through history (`ncp-tracker backfill`): the run is marked, its events are no news
    backfill: bool = False
    #: spider classes used instead of the project's for these sources (same `name`; e.g. the
    #: backfill spiders of crawlers/backfill.py, which the spider loader does not list)
    spider_classes: dict[str, Any] = field(default_factory=dict)
    #: sources the run expects that its replayed day has no recording of: not crawled, and red
    #: ("no recorded responses"), so that the day's health and digest never show yesterday's
    unrecorded: list[str] = field(default_factory=list)


def unrecorded_reason(day: str) -> str:
    """The health reason of a source the replayed `day` (its folder's name) has no recording of."""
    return f"no recorded responses: the replayed day {day} has no recording of this source"


class ReactorCrawls:
    """Crawls started from run_plan's after-step thread on the reactor that is running the plan;
    the thread waits for each crawl to end. Scrapy's reactor starts once per process, so this is
    how work that runs after a day's crawl (the documents of its items) crawls in the same
    process."""

    def __init__(self, process: Any, reactor: Any) -> None:
        self.process, self.reactor = process, reactor

    def crawl(self, spider: str | type, settings: Any, **kwargs: Any) -> Any:
        """Run `spider` (a name or a class) with `settings` (a Scrapy Settings object) and spider
        arguments `kwargs`; blocks the calling thread until the crawl ends and raises what the
        crawl raised; returns the finished Crawler (its stats). Never call it from the reactor's
        own thread."""
        from scrapy.crawler import Crawler
        from scrapy.settings import Settings

        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("ReactorCrawls.crawl is called from the after-step thread only")
        done = threading.Event()
        outcome: list[Any] = []
        crawler: list[Any] = []

        def start() -> None:
            try:
                cls = self.process.spider_loader.load(spider) if isinstance(spider, str) else spider
                # its log lines where the plan's go (its LOG_FILE, crawl_log): a Crawler re-installs
                # Scrapy's root handler from its own settings
                own = settings.copy() if isinstance(settings, Settings) else Settings(settings)
                for key in ("LOG_FILE", "LOG_LEVEL", "LOG_ENABLED"):
                    own.set(key, self.process.settings.get(key), priority="cmdline")
                crawler.append(Crawler(cls, own))
                d = self.process.crawl(crawler[0], **kwargs)
            except Exception as exc:  # noqa: BLE001 - handed to the waiting thread
                outcome.append(exc)
                done.set()
                return

            def finished(result: Any) -> None:
                outcome.append(result)
                done.set()

            d.addBoth(finished)

        self.reactor.callFromThread(start)
        while not done.wait(0.5):
            if not self.reactor.running:
                raise RuntimeError("the crawl was stopped (the reactor is no longer running)")
        from twisted.python.failure import Failure

        result = outcome[0]
        if isinstance(result, Failure):
            result.raiseException()
        if isinstance(result, BaseException):
            raise result
        return crawler[0]


_STEP_THREAD = threading.local()


def running_crawls() -> ReactorCrawls | None:
    """The running plan's crawls when called from its after-step thread, else None (then there
    is no reactor to crawl with in this process, or it is busy: the caller crawls in a child)."""
    return getattr(_STEP_THREAD, "crawls", None)


def _in_step_thread(fn: Callable[[StepResult], None], result: StepResult,
                    crawls: ReactorCrawls, threads: list[threading.Thread]) -> Any:
    """Run ``fn(result)`` in a thread of its own (the reactor keeps running meanwhile; the
    thread is added to ``threads``); a Deferred that fires in the reactor's thread with its
    outcome. A daemon thread, which run_plan joins after the reactor stops: Ctrl-C during the
    after-step stops the reactor at once (a crawl the step is waiting for fails), and the step
    ends before the plan returns, never cut off half-way by the interpreter's exit."""
    from twisted.internet import defer

    d: Any = defer.Deferred()

    def body() -> None:
        _STEP_THREAD.crawls = crawls
        error: BaseException | None = None
        try:
            fn(result)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the reactor's thread
            error = exc
        # a step that ends after the reactor stopped (Ctrl-C) did not finish: a crawl it wanted
        # (the documents) may have failed for that reason alone; nobody waits for its Deferred
        if crawls.reactor.running:
            result.finished = error is None
            if error is None:
                crawls.reactor.callFromThread(d.callback, None)
            else:
                crawls.reactor.callFromThread(d.errback, error)
        elif error is not None:
            logger.error("the after-step of %s failed after the interrupt: %r",
                         result.step.label or result.step.as_of.date(), error)

    thread = threading.Thread(target=body, name=f"after-step-{result.run_id}", daemon=True)
    threads.append(thread)
    thread.start()
    return d


@dataclass
class StepResult:
    step: Step
    run_id: int
    health: list[dict[str, Any]] = field(default_factory=list)
    #: its after-step (tagging, documents, digest) ran to the end; False when the plan was
    #: interrupted (Ctrl-C) before or during it
    finished: bool = False
    #: the crawl's log file (crawl_log_path; None: the console) and the warnings and errors it got
    #: during this step, its after-step included (the fetch of its documents)
    log_path: Path | None = None
    log_warnings: int = 0
    log_errors: int = 0

    @property
    def red(self) -> list[str]:
        return [h["source"] for h in self.health if h["status"] == health.RED]

    def recording_gaps(self) -> list[str]:
        """For a recorded step: each source that recorded responses but whose manifest.json is
        missing or unreadable (its write failed; Scrapy only logs an error of a spider_closed
        handler), so that the day could not be replayed."""
        if not self.step.record_dir:
            return []
        gaps = []
        for row in self.health:
            recorded = int(json.loads(row.get("stats") or "{}").get("record/responses", 0))
            if not recorded:
                continue
            manifest = Path(self.step.record_dir) / row["source"] / "manifest.json"
            try:
                json.loads(manifest.read_text("utf-8"))["responses"]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                gaps.append(f"{row['source']}: {recorded} responses recorded, but {manifest} cannot "
                            f"be read ({type(exc).__name__}: {exc})")
        return gaps


def bundled_days() -> Path:
    """The recorded days shipped with the program (`crawlers/recorded`, a link to data/replay in the
    repository, real files in an installed wheel): what `demo` replays."""
    from importlib.resources import files

    return Path(str(files("crawlers") / "recorded"))


def replay_folder(root: str | Path) -> Path:
    """`root` as a folder to replay from; FileNotFoundError when there is no such folder."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"replay directory not found: {root}")
    return root


def replay_days(root: str | Path) -> list[Path]:
    """The recorded days under `root` (folders named YYYY-MM-DD), oldest first; or `root` itself."""
    root = replay_folder(root)
    days = sorted(p for p in root.iterdir() if p.is_dir() and p.name[:4].isdigit())
    if any(root.glob("*/manifest.json")):
        return [root]
    if not days:
        raise FileNotFoundError(f"no recorded days (YYYY-MM-DD folders) in {root}")
    return days


def write_day_clock(day: Path, as_of: datetime) -> None:
    """Give a recorded day the clock of its recording (`day.json`'s `as_of`), so that replaying it
    runs at the hour it was recorded, not at 06:00: a day recorded before six would otherwise be
    replayed at an hour still to come, and its health would not count until then. A later
    recording into the same day moves the clock on (every response in the folder existed by then);
    an earlier one leaves it."""
    meta = day / "day.json"
    try:
        previous = replay_as_of(day) if meta.exists() else None
    except ValueError:
        previous = None  # not a clock: replaced by this recording's
    if previous is not None and previous >= as_of:
        return
    day.mkdir(parents=True, exist_ok=True)
    write_whole(meta, (json.dumps({"as_of": as_of.isoformat(timespec="seconds")}) + "\n").encode("utf-8"))


def replay_as_of(day: Path) -> datetime:
    """The clock of a recorded day: day.json's `as_of`, else 06:00 Oslo on the folder's date
    (ValueError, saying what to do, when it has neither)."""
    meta = day / "day.json"
    if meta.exists():
        try:
            data = json.loads(meta.read_text("utf-8"))
            stamp = data.get("as_of") if isinstance(data, dict) else None
            if stamp:
                when = datetime.fromisoformat(stamp)
                return when if when.tzinfo else when.replace(tzinfo=OSLO)
        except (ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ValueError(f"{meta}: not a day's clock ({exc}); it holds {{\"as_of\": "
                             "\"2026-11-24T06:00:00+01:00\"}") from exc
    try:
        return datetime.fromisoformat(day.name[:10]).replace(hour=6, tzinfo=OSLO)
    except ValueError:
        raise ValueError(f"{day}: a recorded day's clock comes from its folder's name (YYYY-MM-DD) "
                         "or its day.json (as_of); this folder has neither (or give --as-of)") from None


class _Progress:
    """Ticks the progress bar once per response."""

    def __init__(self, crawler, progress):
        self.progress = progress
        crawler.signals.connect(self.response_received, signal=_signals().response_received)
        # Scrapy installs its log handler when the crawl starts: shorten its records from then on
        crawler.signals.connect(self.engine_started, signal=_signals().engine_started)

    def engine_started(self) -> None:
        _one_line_logs()

    def response_received(self, response, request, spider) -> None:
        if self.progress is not None:
            self.progress.update(1)


#: a URL in a log line is cut after this many characters (a Cellar SPARQL query in its address is
#: about 1,500: Scrapy's "Gave up retrying <GET …>" filled the screen)
LOG_URL_CHARS = 160
_LONG_URL = re.compile(r"(?=https?://)([^\s<>]{" + str(LOG_URL_CHARS) + r"})[^\s<>]+")


class _NoTraceback(logging.Filter):
    """Console log records on one readable line: the error's message stays, its traceback goes (a
    DNS failure is not a bug), and a very long URL is cut ("…"). LOG_LEVEL=DEBUG (`[tracker]
    log_level`) keeps tracebacks and whole URLs."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: the handler reports it, as without us
            return True
        short = _LONG_URL.sub(r"\1…", message)
        if record.exc_info:
            exc = record.exc_info[1]
            if exc is not None and str(exc) not in message:
                short = f"{short} ({type(exc).__name__}: {exc})"
            record.exc_info, record.exc_text = None, None
        elif short == message:
            return True
        record.msg, record.args = short, None
        return True


_KEEP_TRACEBACKS = [False]


def _one_line_logs() -> None:
    """The console's log lines on one line each; a log file (crawl_log_path) keeps whole tracebacks
    and URLs."""
    if _KEEP_TRACEBACKS[0]:
        return
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler) or not isinstance(handler, logging.StreamHandler):
            continue
        if not any(isinstance(f, _NoTraceback) for f in handler.filters):
            handler.addFilter(_NoTraceback())


#: a crawl log larger than this at a run's start is moved to `<log>.1` (the one before it dropped)
LOG_ROTATE_BYTES = 10_000_000


def crawl_log_path(db_path: str | Path | None, settings: dict[str, Any]) -> Path | None:
    """Where the crawl's log lines (Scrapy's, the spiders' and the store's: WARNING and up unless
    LOG_LEVEL says otherwise) go: `-s LOG_FILE=…`, else beside the database it feeds (`<db>.log`,
    appended run after run). None when LOG_FILE is given empty: the console, as plain Scrapy. The
    console then keeps the reader's words alone: the health table says each problem, and a line
    names this file when the crawl logged any (the CLI)."""
    if "LOG_FILE" in settings:
        chosen = settings["LOG_FILE"]
        return Path(chosen).resolve() if chosen else None
    return Path(resolve_path(db_path)).resolve().with_suffix(".log")


class LogUnwritable(OSError):
    """The crawl's log file cannot be written: its path is `filename`, the system's error the cause."""


def open_crawl_log(path: Path, header: str) -> None:
    """Ready `path` for a run's lines: moved to `<path>.1` when larger than LOG_ROTATE_BYTES, then
    `header` appended (a line telling the runs apart). LogUnwritable (a folder in the way, no
    permission) before anything is crawled."""
    try:
        if path.is_file() and path.stat().st_size > LOG_ROTATE_BYTES:
            path.replace(path.with_name(path.name + ".1"))
        with path.open("a", encoding="utf-8") as log:
            log.write(header.rstrip("\n") + "\n")
    except OSError as exc:
        raise LogUnwritable(exc.errno, exc.strerror, str(path)) from exc


class CrawlLog(logging.Handler):
    """A crawl's log file (`path`; None: the console) and the warnings and errors logged while it
    is open (at the file's level or above), counted on the root logger."""

    def __init__(self, path: Path | None, level: int) -> None:
        super().__init__(max(level, logging.WARNING))
        self.path = path
        self.warnings = 0
        self.errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.errors += 1
        else:
            self.warnings += 1

    def since(self, mark: tuple[int, int]) -> tuple[int, int]:
        """The warnings and errors logged since `mark` (an earlier `(warnings, errors)`)."""
        return self.warnings - mark[0], self.errors - mark[1]


@contextlib.contextmanager
def crawl_log(db_path: str | Path | None, chosen: dict[str, Any], base: Any, header: str) -> Iterator[CrawlLog]:
    """The crawl's log for a process's crawls of `db_path`: its file (crawl_log_path of the
    `chosen` settings) opened with `header` — LogUnwritable now, before anything is crawled — and
    set as LOG_FILE in `base` (the Scrapy settings the process and its crawlers are made of);
    yields the counter of its warnings and errors. Scrapy's root handler stays installed after a
    process's crawls: the file is closed at the end (a later crawl of this process opens its own)."""
    path = crawl_log_path(db_path, chosen)
    if path is not None:
        open_crawl_log(path, header)
        base.set("LOG_FILE", str(path), priority="cmdline")
    log = CrawlLog(path, log_level(base.get("LOG_LEVEL") or "WARNING"))
    logging.root.addHandler(log)
    try:
        yield log
    finally:
        logging.root.removeHandler(log)
        for handler in list(logging.root.handlers):
            if path is not None and isinstance(handler, logging.FileHandler) and Path(handler.baseFilename) == path:
                logging.root.removeHandler(handler)
                handler.close()


def _signals():
    from scrapy import signals

    return signals


def tracker_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The tracker's Scrapy settings: its configuration (`[crawl]`, tracker/config.py), then the
    command line's `-s NAME=VALUE` pairs (`overrides`), which win."""
    from crawlers.watchlist_file import WATCHLIST_SETTING
    from tracker.config import get_config
    from tracker.links.watchlist import configured_path

    # the EU spiders read the watchlist the tracker reads (the data directory's copy wins)
    settings = {WATCHLIST_SETTING: str(configured_path()), **get_config().scrapy_settings(), **(overrides or {})}
    lock_wait(settings)  # a `-s TRACKER_LOCK_WAIT=x` that is no number: refused now, as the bad input it is
    if isinstance(settings.get("LOG_LEVEL"), str):  # `-s LOG_LEVEL=verbose` too; «info» as Scrapy needs it: INFO
        settings["LOG_LEVEL"] = setting_value("LOG_LEVEL", settings["LOG_LEVEL"])
    return settings


def log_level(value: Any) -> int:
    """The number of a log level (LOG_LEVEL: a name, any case, or a number); ValueError, listing
    the levels, for a name logging does not know («verbose» crashed the crawl with a TypeError)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if problem := log_level_problem(str(value).strip()):  # the configuration's own check of the setting
        raise ValueError(f"LOG_LEVEL {problem}, not {value!r}")
    return logging.getLevelNamesMapping()[str(value).strip().upper()]


def lock_wait(settings: dict[str, Any]) -> float:
    """Seconds a crawl waits for another crawl of the same database (TRACKER_LOCK_WAIT, `[crawl]
    lock_wait`); ValueError when it is no number."""
    value = settings.get("TRACKER_LOCK_WAIT", SCHEMA["crawl"]["lock_wait"].default)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"TRACKER_LOCK_WAIT must be a number of seconds, not {value!r}") from None


def parse_setting_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`-s NAME=VALUE` pairs as Scrapy's own command line takes them, each value as Scrapy will
    read it (`setting_value`); ValueError when a pair is malformed or a value is one Scrapy cannot
    use — said now, before anything runs or is written."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"expected -s NAME=VALUE, got {pair!r}")
        out[name.strip()] = setting_value(name.strip(), value)
    return out


#: how Scrapy (or a spider) reads a setting the project sets (crawlers/settings.py, the [crawl]
#: table, a backfill's polite settings) or documents (the backfills' page sizes) whose value is a
#: number or true/false: `-s DOWNLOAD_DELAY=abc` ran, and every source crashed on it
#: (tests/test_cli.py checks every such setting of crawlers/settings.py is here)
SETTING_TYPES: dict[str, type] = {
    "CONCURRENT_REQUESTS": int, "CONCURRENT_ITEMS": int, "CONCURRENT_REQUESTS_PER_DOMAIN": int,
    "DOWNLOAD_DELAY": float, "DOWNLOAD_TIMEOUT": float, "DOWNLOAD_MAXSIZE": int, "DOWNLOAD_WARNSIZE": int,
    "AUTOTHROTTLE_ENABLED": bool, "AUTOTHROTTLE_START_DELAY": float, "AUTOTHROTTLE_MAX_DELAY": float,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": float, "CLOSESPIDER_TIMEOUT": float,
    "RETRY_ENABLED": bool, "RETRY_TIMES": int, "RETRY_BACKOFF_BASE": float, "RETRY_AFTER_MAX": float,
    "ROBOTSTXT_OBEY": bool, "HTTPCACHE_ENABLED": bool, "HTTPERROR_ALLOW_ALL": bool, "MIN_REFETCH_HOURS": float,
    "TELNETCONSOLE_ENABLED": bool, "REMOTE_CONTROL_ENABLED": bool, "WARN_ON_GENERATOR_RETURN_VALUE": bool,
    "REGJERINGEN_LISTING_MAX_PAGES": int, "REGJERINGEN_BACKFILL_DETAILS_MAX": int,
    "HAVEYOURSAY_BACKFILL_PAGE_SIZE": int, "HAVEYOURSAY_BACKFILL_DETAILS_MAX": int, "CELLAR_BACKFILL_ROWS": int,
}  # fmt: skip
#: what Scrapy's getbool takes besides a whole number
_TRUE_FALSE = {"True": True, "true": True, "False": False, "false": False}


def setting_value(name: str, value: str) -> Any:
    """The value of `-s NAME=VALUE` as Scrapy will read it: a number or true/false for a setting of
    SETTING_TYPES (within its [crawl] key's range, tracker.config), LOG_LEVEL in capitals, any other
    setting as typed; ValueError, in the words `vocabulary.COMMAND_REFUSALS` has, for a value
    Scrapy could not use."""
    import math

    from tracker.config import SCRAPY_NAMES

    if name == "LOG_LEVEL":
        log_level(value)
        return value.strip().upper()
    kind = SETTING_TYPES.get(name)
    if kind is None:
        return value
    try:
        if kind is bool:
            read: Any = bool(int(value)) if value.strip().lstrip("+-").isdigit() else _TRUE_FALSE[value.strip()]
        else:
            read = kind(value)
            if not math.isfinite(read):
                raise ValueError(value)
    except (KeyError, ValueError):
        wanted = {bool: "true or false (1 or 0)", int: "a whole number", float: "a number"}[kind]
        raise ValueError(f"{name} must be {wanted}, not {value!r}") from None
    key = next((k for k, scrapy_name in SCRAPY_NAMES.items() if scrapy_name == name), None)
    check = SCHEMA["crawl"][key].check if key in SCHEMA["crawl"] else None
    if check and (wrong := check(read)):
        raise ValueError(f"{name} {wrong}, not {value!r}")
    return read


def http_cache_dir(db_path: str | Path | None, settings: dict[str, Any]) -> str:
    """Where the HTTP cache (for conditional requests) lives: `-s HTTPCACHE_DIR=…`, else
    `[crawl] httpcache_dir` (both in `settings`, tracker_settings()), else beside the database it
    feeds (`<db>.httpcache`: a cache shared by two databases would mix their crawls)."""
    chosen = settings.get("HTTPCACHE_DIR")
    if chosen:
        return str(Path(chosen).resolve())
    return str(Path(resolve_path(db_path)).resolve().with_suffix(".httpcache"))


def base_settings(overrides: dict[str, Any] | None = None):
    """crawlers/settings.py with `overrides` on top (at Scrapy's command-line priority)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def step_settings(base, step: Step, cache_dir: str | None, *, db_path: str | Path | None = None,
                  run_id: int | None = None):
    """The settings of one crawl of `step`: its clock, replay or record folder, HTTP cache folder,
    and the store pipeline (when `run_id` is given)."""
    from tracker.jobs.storing import AS_OF_SETTING, DB_SETTING, RUN_SETTING

    settings = base.copy()
    settings.set(AS_OF_SETTING, step.as_of.isoformat(timespec="seconds"), priority="cmdline")
    if step.replay_dir:
        settings.set("REPLAY_DIR", str(step.replay_dir), priority="cmdline")
    if step.record_dir:
        settings.set("RECORD_DIR", str(step.record_dir), priority="cmdline")
    if cache_dir:
        settings.set("HTTPCACHE_DIR", cache_dir, priority="cmdline")
    if run_id is not None:
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        pipelines["tracker.jobs.storing.StorePipeline"] = 900
        settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
        settings.set(DB_SETTING, str(resolve_path(db_path)), priority="cmdline")
        settings.set(RUN_SETTING, run_id, priority="cmdline")
    return settings


def check_contact(plan: list[Step], settings) -> None:
    """A live step without a contact address must not start (ValueError saying how to set one)."""
    if any(not step.replay_dir for step in plan) and not (settings.get("CONTACT") or "").strip():
        raise ValueError(
            "no contact address for the crawler's User-Agent: a live crawl needs one. Set `contact` "
            "in the [crawl] table of ncp-tracker.toml, $NCP_TRACKER_CONTACT, or pass -s CONTACT=you@example.org "
            "(replays need none)."
        )


def _say_waiting(holder: str) -> None:
    sys.stderr.write(f"waiting for the crawl that is writing this database to end ({holder}) …\n")
    sys.stderr.flush()


def check_replay_order(db, plan: list[Step]) -> None:
    """ValueError, naming both clocks, when a daily (not backfill) step of `plan` runs at a clock
    earlier than the store's latest daily run: a replayed day's items would move back to that day —
    deadlines, statuses and texts of the older recording, the newer items "vanished" — and the
    digest would report it as news; a live crawl at a past `--as-of` would store today's pages as of
    that day, before what the store already holds. `crawl`/`run --allow-older` skip this check."""
    from tracker.store.queries import latest_daily_clock

    latest = latest_daily_clock(db)
    if latest is None:
        return
    for step in plan:
        if step.backfill or step.as_of >= latest:
            continue
        if step.replay_dir:
            raise ValueError(
                f"refusing to replay {step.label or step.replay_dir} at {step.as_of.isoformat()}: the store's "
                f"latest daily run is at {latest.isoformat()}, later (replaying an older day would roll its "
                "items back); use another --db, or --allow-older to replay it anyway")
        raise ValueError(
            f"refusing to crawl at {step.as_of.isoformat()}: the store's latest daily run is at "
            f"{latest.isoformat()}, later (a crawl stored at an earlier clock would roll its items back); "
            "use another --db, or --allow-older to crawl at that clock anyway")


def run_plan(
    db_path: str | Path | None,
    plan: list[Step],
    *,
    after_step: Callable[[StepResult], None] | None = None,
    progress: bool = True,
    settings: dict[str, Any] | None = None,
    cache_dir: str | None = None,
    refuse_older: bool = False,
    waiting: Callable[[str], None] | None = None,
    lang: str = "nb",
) -> list[StepResult]:
    """Run every step of `plan` in this process (Scrapy's reactor starts once).

    `settings` are Scrapy settings on top of crawlers/settings.py (the CLI passes
    `tracker_settings(-s pairs)`); a live step needs CONTACT among them. The database's run lock
    is held throughout (tracker.store.runlock): a second crawl of the same store waits up to
    TRACKER_LOCK_WAIT seconds (`[crawl] lock_wait`) for it, then raises RunLocked before it
    fetches or writes anything. With `refuse_older` (`crawl`, `run`, `record`, `demo`), a step
    (a replayed day, a live crawl at a past `--as-of`) whose clock is earlier than the store's
    latest daily run is refused (ValueError, before anything is written): it would roll the
    store's items back (check_replay_order). `waiting(holder)` says once whom it waits for (default:
    a line on stderr in English; the CLI says it in the reader's words). `lang`: the words of the
    progress bars (the reader's: the CLI passes them)."""
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.reactor import install_reactor
    from tqdm import tqdm
    from twisted.internet import defer

    from tracker.i18n import gettext
    from tracker.jobs.storing import STORE_ERROR_STAT

    chosen = tracker_settings() if settings is None else settings
    base = base_settings(chosen)
    _KEEP_TRACEBACKS[0] = str(base.get("LOG_LEVEL", "")).upper() == "DEBUG"
    install_reactor(base["TWISTED_REACTOR"] or "twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    loader = SpiderLoader.from_settings(base)
    available = set(loader.list())
    for step in plan:
        unknown = [s for s in step.sources if s not in available]
        if unknown:
            raise ValueError(f"unknown source(s): {', '.join(unknown)} (known: {', '.join(sorted(available))})")
    check_contact(plan, base)
    wait = lock_wait(chosen)
    header = f"==== {now_iso()} ncp-tracker: {len(plan)} step(s) into {resolve_path(db_path)}"
    # one crawl at a time per database: wait for the one running, then RunLocked (tracker.store.runlock);
    # then its log (the one running writes there too)
    with exclusive_run(resolve_path(db_path), wait=wait, waiting=waiting or _say_waiting), \
            crawl_log(db_path, chosen, base, header) as log:
        db = open_db(db_path)
        if refuse_older:
            try:
                check_replay_order(db, plan)
            except ValueError:
                db.close()
                raise
        cache = cache_dir or http_cache_dir(db_path, chosen)
        process = CrawlerProcess(base)
        results: list[StepResult] = []
        failure: list[BaseException] = []
        step_threads: list[threading.Thread] = []

        @defer.inlineCallbacks
        def go():
            from twisted.internet import reactor

            try:
                for step in plan:
                    mode = f"replay:{step.replay_dir}" if step.replay_dir else "live"
                    mode = f"backfill:{step.label}+{mode}" if step.backfill else mode
                    run_id = store.start_run(db, as_of=step.as_of, mode=mode, sources=step.sources + step.unrecorded,
                                             replay_dir=str(step.replay_dir) if step.replay_dir else None,
                                             backfill=step.backfill)
                    health_rows: list[dict[str, Any]] = []
                    if log.path is not None:
                        open_crawl_log(log.path, f"---- {now_iso()} run {run_id}: {mode} ({', '.join(step.sources)})")
                    logged = (log.warnings, log.errors)
                    bar = tqdm(desc=gettext(lang, "crawl %(step)s", step=step.label or step.as_of.date()),
                               unit=gettext(lang, " pages"), disable=not progress, leave=True, dynamic_ncols=True)
                    crawls = []
                    # signal receivers are weak references: keep the progress hooks alive
                    hooks = []
                    crawlers = []
                    for source in step.sources:
                        spider_class = step.spider_classes.get(source) or loader.load(source)
                        crawler = Crawler(spider_class, step_settings(base, step, cache, db_path=db_path, run_id=run_id))
                        crawlers.append(crawler)
                        hooks.append(_Progress(crawler, bar))
                        # what it may know of the store, and the keys of its items' extra it asks for
                        known = store.known_items(db, source, extra_keys=spider_class.known_extra)
                        crawls.append(process.crawl(crawler, as_of=step.as_of.isoformat(), known=known,
                                                    **step.spider_args))
                    outcomes = yield defer.DeferredList(crawls, consumeErrors=True)
                    bar.close()
                    # the store pipeline wrote each source's health row when its spider closed
                    health_rows.extend(db.query("select * from health where run_id = ?", [run_id]))
                    stored = {h["source"] for h in health_rows}
                    for source, crawler, (ok, value) in zip(step.sources, crawlers, outcomes, strict=True):
                        if not ok:  # the crawler itself failed to start or crashed: a red source
                            logger.error("crawl of %s failed: %s", source, value.getTraceback())
                            run = health.SourceRun(source=source, finish_reason=f"crashed: {value.value!r}"[:200])
                        elif source not in stored:
                            # crawled, but its store step raised before its health row was written (a
                            # full disk, a database that cannot be opened): Scrapy only logs that
                            stats = dict(crawler.stats.get_stats())
                            why = stats.get(STORE_ERROR_STAT) or "no health row was written"
                            run = health.SourceRun(source=source, stats=stats,
                                                   notes=[("red", f"storing failed: {why}")])
                        else:
                            continue
                        with db.conn:
                            health_rows.append(health.record(db, run_id, run, now_iso()))
                    for source in step.unrecorded:  # expected, but the replayed day holds none of it
                        day = step.label or Path(str(step.replay_dir)).name
                        run = health.SourceRun(source=source, notes=[("red", unrecorded_reason(day))])
                        with db.conn:
                            health_rows.append(health.record(db, run_id, run, now_iso()))
                    if step.record_dir:  # replaying the day runs at the hour it was recorded
                        write_day_clock(Path(step.record_dir), step.as_of)
                    result = StepResult(step, run_id, sorted(health_rows, key=lambda h: h["source"]), log_path=log.path)
                    # the crawl's own lines now (what an interrupted after-step leaves), its after-step's below
                    result.log_warnings, result.log_errors = log.since(logged)
                    store.finish_run(db, run_id, 1 if result.red else 0)
                    results.append(result)
                    if after_step is not None:
                        # an interrupt (Ctrl-C) stops the reactor and this never resumes: the run
                        # keeps `completed` empty, so a replayed day is replayed again, not skipped
                        yield _in_step_thread(after_step, result, ReactorCrawls(process, reactor),
                                              step_threads)
                    else:
                        result.finished = True
                    result.log_warnings, result.log_errors = log.since(logged)
                    store.complete_run(db, run_id)
            except BaseException as exc:  # re-raised after the reactor stops
                failure.append(exc)
            finally:
                from twisted.internet.error import ReactorNotRunning

                with contextlib.suppress(ReactorNotRunning):  # Ctrl-C: Scrapy's signal handler stopped it
                    reactor.stop()

        from twisted.internet import reactor

        reactor.callWhenRunning(go)
        process.start(stop_after_crawl=False)
        for thread in step_threads:  # stopped by Ctrl-C during an after-step: let it end
            thread.join()
        db.close()
        if failure:
            raise failure[0]
        return results
