"""Helpers shared by test modules (import as `from support import …`; `conftest` is ambiguous
because tests/browser has its own)."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def file_response(path: str | Path, url: str, status: int = 200, headers: dict | None = None,
                  meta: dict | None = None) -> TextResponse:
    """A Scrapy response built from a fixture file (City Bureau's `file_response`)."""
    path = Path(path)
    if not path.is_absolute():
        path = FIXTURES / path
    body = path.read_bytes()
    suffix = path.suffix.lower()
    cls = HtmlResponse if suffix in (".html", ".htm") else XmlResponse if suffix in (".xml", ".rss") else TextResponse
    return cls(url=url, body=body, status=status, headers=headers or {}, encoding="utf-8",
               request=Request(url=url, meta=meta or {}))


def make_spider(spider_cls, as_of: str = "2026-11-24T06:00:00+01:00", **kwargs):
    """A spider bound to a test crawler (stats work), with a frozen `as_of`."""
    crawler = get_crawler(spider_cls)
    spider = spider_cls.from_crawler(crawler, as_of=as_of, **kwargs)
    crawler.spider = spider
    return spider


def run_spider(name: str, responses: list[dict], tmp_path: Path, *, as_of: str = "2026-07-06T06:00:00+02:00",
               args: dict | None = None, settings: dict | None = None, timeout: int = 120) -> dict:
    """Run spider `name` through the real Scrapy engine (downloader middlewares with robots.txt,
    the replay middleware, spider callbacks, item pipelines) on the given responses.

    `responses`: replay manifest entries ({"url", "file", "status", "headers"} or {"url", "error"});
    a relative `file` is under tests/fixtures. A URL not listed answers 404 (the replay middleware's
    "not recorded"). Returns {"items", "notes", "listing", "stats", "requested", "finish_reason"}:
    `requested` is every URL that got an answer (robots.txt included; a request refused by
    robots.txt never gets one).
    """
    import json
    import subprocess
    import sys

    day = Path(tmp_path) / f"replay-{name}"
    (day / name).mkdir(parents=True, exist_ok=True)
    entries = []
    for entry in responses:
        entry = dict(entry)
        if entry.get("file"):
            path = Path(entry["file"])
            entry["file"] = str(path if path.is_absolute() else FIXTURES / path)
            assert Path(entry["file"]).is_file(), entry["file"]
        entries.append(entry)
    manifest = {"source": name, "recorded_at": as_of, "constructed": False, "responses": entries}
    (day / name / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    config = {"spider": name, "replay_dir": str(day), "as_of": as_of, "args": args or {}, "settings": settings or {}}
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "engine_runner.py"), json.dumps(config)],
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def others_checked(db, run_id: int, when: str) -> None:
    """Green health rows in run `run_id` for every scheduled source it has none for: a store built
    by hand for a test holds a few sources; a daily run checks them all (and the sources' health
    says «never checked» of any no daily run has checked: tracker.digest.build.health)."""
    from tracker.attention.profiles import scheduled_sources

    have = {r[0] for r in db.execute("select source from health where run_id = ?", [run_id]).fetchall()}
    with db.conn:
        db["health"].insert_all([{"run_id": run_id, "source": source, "status": "green", "channel": "rss",
                                  "reason": "0 items, 0 new, 0 changed", "items_seen": 0, "items_new": 0,
                                  "items_changed": 0, "parse_errors": 0, "requests": 1, "finished": when,
                                  "notes": "[]"}
                                 for source in scheduled_sources() if source not in have], pk=("run_id", "source"))


def crawled(db, as_of, source: str, items: list[dict]) -> None:
    """Store `items` of `source` as a successful crawl at `as_of` leaves them: a run, its items
    (with their events), the source's green health, the run finished."""
    from tracker.store import health
    from tracker.store import merge as store
    from tracker.store.instants import stored

    run = store.start_run(db, as_of=as_of, mode="test", sources=[source])
    store.apply_scrape(db, run_id=run, as_of=as_of, source=source, items=[{"source": source, **i} for i in items])
    with db.conn:
        health.record(db, run, health.SourceRun(source=source, items_seen=len(items)), stored(as_of))
    store.finish_run(db, run, 0)


def put_evidence(db, item_id: str, label: str, strength: float | None, spans) -> None:
    """Write one label's strength and evidence spans into ``items.evidence`` as the tagger does
    (``spans`` is a list, or a JSON string of one), adding the label to ``items.labels``."""
    import json

    row = db["items"].get(item_id)
    evidence = json.loads(row.get("evidence") or "{}")
    if isinstance(spans, str):
        try:
            spans = json.loads(spans)
        except ValueError:
            spans = []
    evidence[label] = {"strength": strength, "instrument": "", "evidence": spans if isinstance(spans, list) else []}
    labels = json.loads(row.get("labels") or "[]")
    if label not in labels:
        labels.append(label)
    db["items"].update(item_id, {"evidence": json.dumps(evidence, ensure_ascii=False),
                                 "labels": json.dumps(labels)})


def run_together(fn, n: int) -> tuple[list, list[BaseException]]:
    """`fn(i)` for i in range(n), each in its own thread, all released at once by a barrier (to
    provoke races): the results returned and the exceptions raised, each in the order they came."""
    import threading

    barrier = threading.Barrier(n)
    results: list = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            results.append(fn(i))
        except BaseException as exc:  # noqa: BLE001 - collected for the caller's assertions
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def devset_texts() -> list[str]:
    """Every text field of the development sets (constructed and real): real-sounding Norwegian and
    English to test a fast path against the rule it stands in for."""
    import json

    out = []
    for path in [*(ROOT / "data" / "devset").glob("*.jsonl"), *(ROOT / "data" / "devset" / "real").glob("*.jsonl")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out += [v for v in json.loads(line).values() if isinstance(v, str)]
    return out


def libreoffice_fodt(docx: str | Path, tmp_path: Path) -> str:
    """A .docx as LibreOffice reads it: converted to flat ODF text (.fodt) by a headless soffice
    with its own profile under `tmp_path`. Skips the test where LibreOffice is not installed."""
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the conversion is not checked")
    out = tmp_path / "fodt"
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                             "--convert-to", "fodt", "--outdir", str(out), str(docx)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return (out / (Path(docx).stem + ".fodt")).read_text("utf-8")


def fodt_span_languages(fodt: str) -> dict[str, str]:
    """The words of each text span of a .fodt whose text style sets a language → that language
    (fo:language: "nn", "en"), as LibreOffice spell-checks them."""
    import re

    styles = dict(re.findall(r'<style:style style:name="(T\d+)" style:family="text">(.*?)</style:style>', fodt, re.S))
    spans = re.findall(r'<text:span text:style-name="(T\d+)">([^<]*)</text:span>', fodt)
    return {text: m.group(1) for name, text in spans
            if (m := re.search(r'fo:language="(\w+)"', styles.get(name, "")))}
