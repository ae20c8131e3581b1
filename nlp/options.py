"""Run-time options of the tagger, passed explicitly (``Tagger.load(options=...)``).

``nlp/`` reads no environment variables: the tracker fills these from the ``[nlp]`` table of its
configuration (``tracker/config.py``); other callers pass them or take the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NlpOptions:
    """``cache_dir``: the directory of the compact Norsk Ordbank lemma table (None:
    ``~/.cache/ncp-tracker``)."""

    cache_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.cache_dir is not None and not isinstance(self.cache_dir, Path):
            object.__setattr__(self, "cache_dir", Path(self.cache_dir))

    @property
    def lemma_cache_dir(self) -> Path:
        """The directory that holds the lemma cache."""
        return self.cache_dir if self.cache_dir is not None else Path.home() / ".cache" / "ncp-tracker"


DEFAULT_OPTIONS = NlpOptions()
