"""Default locations of the tagger's data files."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEXICON_DIR = REPO / "data" / "lexicons"
DEVSET_DIR = REPO / "data" / "devset"
