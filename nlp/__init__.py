"""Topic tagging for the NCP tracker (OECD RBC chapters, åpenhetsloven, GPFG).

Importing this package is cheap: spaCy, lingua and the lemma tables load lazily on first use.

    from nlp import Tagger
    tagger = Tagger.load()
    tagger.tag({"id": "x", "title": "Høring - endringer i åpenhetsloven"}).labels
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Evidence", "TagResult", "Tagger", "classify_stream"]

if TYPE_CHECKING:  # pragma: no cover
    from .classify import classify_stream
    from .tagger import Evidence, Tagger, TagResult


def __getattr__(name: str) -> Any:
    if name in ("Tagger", "TagResult", "Evidence"):
        from . import tagger

        return getattr(tagger, name)
    if name == "classify_stream":
        from .classify import classify_stream

        return classify_stream
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
