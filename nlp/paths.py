"""Default locations of the tagger's data files.

Shipped data (lexicons, instrument register, weights) lives inside the ``nlp`` package
(``nlp/lexicons/``) and is found with ``importlib.resources``, so a wheel install works. The
development sets in ``data/devset/`` are repository-relative (dev-only).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

LEXICON_DIR = Path(str(resources.files("nlp.lexicons")))
REPO = Path(__file__).resolve().parent.parent
DEVSET_DIR = REPO / "data" / "devset"
