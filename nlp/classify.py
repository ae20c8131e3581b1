"""JSON Lines in -> JSON Lines out: ``python -m nlp.classify [FILE|-]``.

Each input line is a record (id, title, summary|description, text|body, language, source); each
output line is ``TagResult.to_json()``. A broken line is reported on the error stream with its line
number and skipped; the rest are still classified.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO


def _records(in_stream: TextIO, err_stream: TextIO, bad: list[int]) -> Iterator[dict[str, Any]]:
    for lineno, line in enumerate(in_stream, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            bad.append(lineno)
            print(f"line {lineno}: invalid JSON: {exc}", file=err_stream)
            continue
        if not isinstance(rec, dict):
            bad.append(lineno)
            print(f"line {lineno}: expected a JSON object, got {type(rec).__name__}",
                  file=err_stream)
            continue
        yield rec


def classify_stream(in_stream: TextIO, out_stream: TextIO, err_stream: TextIO,
                    tagger: Any | None = None) -> int:
    """Classify JSON Lines from ``in_stream`` to ``out_stream``; return the number of bad lines."""
    if tagger is None:
        from .tagger import Tagger

        tagger = Tagger.load()
    bad: list[int] = []
    for res in tagger.tag_many(_records(in_stream, err_stream, bad)):
        out_stream.write(json.dumps(res.to_json(), ensure_ascii=False) + "\n")
    out_stream.flush()
    return len(bad)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "-"
    if path == "-":
        bad = classify_stream(sys.stdin, sys.stdout, sys.stderr)
    else:
        with open(path, encoding="utf-8", errors="replace") as f:
            bad = classify_stream(f, sys.stdout, sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
