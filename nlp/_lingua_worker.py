"""Helper process for :mod:`nlp.langdetect`: lingua on the second CPU core.

Started by ``nlp.langdetect`` as ``python _lingua_worker.py [--low-accuracy] BOKMAL NYNORSK ...`` (run as a script,
so it imports lingua only, never the ``nlp`` package or the caller's main module). Frames on
stdin/stdout are a 4-byte little-endian length plus UTF-8 JSON. After loading the models it writes
``"ready"``; then, for every request ``[id, texts]``, in order, it writes one reply ``[id, values]``:
per text the list of ``[language name, confidence]`` pairs in lingua's order, or ``null`` for
``values`` if lingua failed on the request (the caller then treats every text of that request as
undecided, as in-process detection does). It exits when stdin closes.
"""

from __future__ import annotations

import json
import struct
import sys
from typing import Any, BinaryIO


def _read(stream: BinaryIO) -> Any:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (n,) = struct.unpack("<I", head)
    body = stream.read(n)
    if len(body) < n:
        return None
    return json.loads(body.decode("utf-8"))


def _write(stream: BinaryIO, obj: Any) -> None:
    body = json.dumps(obj, ensure_ascii=True).encode("utf-8")
    stream.write(struct.pack("<I", len(body)) + body)
    stream.flush()


def main(names: list[str]) -> int:
    from lingua import Language, LanguageDetectorBuilder

    low = "--low-accuracy" in names
    langs = [getattr(Language, name) for name in names if name != "--low-accuracy"]
    builder = LanguageDetectorBuilder.from_languages(*langs)
    if low:
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    _write(stdout, "ready")
    while True:
        request = _read(stdin)
        if request is None:
            return 0
        rid, texts = request
        try:
            reply: Any = [[[cv.language.name, cv.value]
                           for cv in detector.compute_language_confidence_values(t)]
                          for t in texts]
        except Exception:  # noqa: BLE001 - reported to the caller as a failed request
            reply = None
        _write(stdout, [rid, reply])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
