"""JSON Lines in -> JSON Lines out: ``python -m nlp.classify [FILE|-]``.

Each input line is a record (id, title, summary|description, text|body, language, source); each
output line is ``TagResult.to_json()``. A broken line — not UTF-8, not JSON, not an object, an
object with none of the text keys, or a text key that is not a string (null is no text) — is
reported on the error stream with its line number and skipped; the rest are still classified. A
UTF-8 byte order mark on the first line (Excel, Notepad) is read past. The exit status is 1 when a
line was skipped or the input held no record.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple, TextIO


class Counts(NamedTuple):
    classified: int
    bad: int  # lines reported on the error stream and skipped


def _lines(in_stream: IO[Any], report: Callable[[str], None], bad: list[int]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line; a bytes stream is decoded line by line, so a line that is
    not UTF-8 is reported and skipped (the lines after it are still read). A byte order mark
    before the first line is not part of it."""
    for lineno, raw in enumerate(in_stream, 1):
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad.append(lineno)
                report(f"line {lineno}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}); "
                       "save the file as UTF-8")
                continue
        else:
            line = raw
        yield lineno, (line.removeprefix("\ufeff") if lineno == 1 else line)


def _records(in_stream: IO[Any], report: Callable[[str], None], bad: list[int]) -> Iterator[dict[str, Any]]:
    from .tagger import INPUT_KEYS

    for lineno, line in _lines(in_stream, report, bad):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as exc:
            bad.append(lineno)
            report(f"line {lineno}: invalid JSON: {exc}")
            continue
        if not isinstance(rec, dict):
            bad.append(lineno)
            report(f"line {lineno}: expected a JSON object, got {type(rec).__name__}")
            continue
        wrong = [k for k in INPUT_KEYS if rec.get(k) is not None and not isinstance(rec[k], str)]
        if wrong:  # a number or a list read as text would pass for "not relevant"
            bad.append(lineno)
            report(f"line {lineno}: {wrong[0]} must be a string, not {type(rec[wrong[0]]).__name__}")
            continue
        if not any(rec.get(k) is not None for k in INPUT_KEYS):  # e.g. another crawler's field
            bad.append(lineno)  # names: read as an empty item, it would pass for "not relevant"
            report(f"line {lineno}: no text to classify (none of the keys {', '.join(INPUT_KEYS)})")
            continue
        yield rec


def classify_stream(in_stream: IO[Any], out_stream: TextIO, err_stream: TextIO,
                    tagger: Any | None = None, words: Callable[[str], str] | None = None) -> Counts:
    """Classify JSON Lines from ``in_stream`` (bytes, read as UTF-8, or text) to ``out_stream``;
    return how many records were classified and how many lines were skipped (each reported on
    ``err_stream``, in English, or in the reader's language by `words`: the English line → what
    the reader reads)."""
    if tagger is None:
        from .tagger import Tagger

        tagger = Tagger.load()
    bad: list[int] = []
    n = 0

    def report(text: str) -> None:
        print(words(text) if words else text, file=err_stream)

    for res in tagger.tag_many(_records(in_stream, report, bad)):
        out_stream.write(json.dumps(res.to_json(), ensure_ascii=False) + "\n")
        n += 1
    out_stream.flush()
    return Counts(n, len(bad))


def classify_command(in_stream: IO[Any], out_stream: TextIO, err_stream: TextIO,
                     words: Callable[[str], str] | None = None) -> int:
    """``classify_stream`` as a command (``ncp-tracker classify``, ``python -m nlp.classify``):
    its exit status, 1 when a line was skipped or the input held no record (an empty input must
    not pass for a batch with nothing relevant in it). `words`: as `classify_stream`'s."""
    counts = classify_stream(in_stream, out_stream, err_stream, words=words)
    if not counts.classified and not counts.bad:
        message = "no records in the input: nothing was classified"
        print(words(message) if words else message, file=err_stream)
        return 1
    return 1 if counts.bad else 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "-"
    if path == "-":
        return classify_command(sys.stdin.buffer, sys.stdout, sys.stderr)
    with open(path, "rb") as f:  # decoded line by line: a line that is not UTF-8 is reported
        return classify_command(f, sys.stdout, sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
