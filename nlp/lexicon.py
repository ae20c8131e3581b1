"""Lexicons and weights as data: one TOML file per label in nlp/lexicons/, plus weights.toml
(and the instrument register instruments.toml, read by nlp.instruments)."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .labels import LABELS
from .paths import LEXICON_DIR

__all__ = ["LABELS", "FIELDS", "Lexicon", "Weights", "load_lexicon", "load_weights",
           "save_weights"]

FIELDS = ("title", "summary", "text")
NOT_LABEL_FILES = ("weights.toml", "instruments.toml", "relevance.toml")


@dataclass
class Lexicon:
    """All label files of a lexicon directory, parsed."""

    labels: dict[str, dict[str, Any]]
    extra_lemmas: list[str]
    version: str
    digest: str
    files: list[str] = field(default_factory=list)

    def term(self, label: str, term_id: str) -> dict[str, Any]:
        return self.labels[label]["terms_by_id"][term_id]

    def to_data(self) -> dict[str, Any]:
        """Plain JSON-serialisable form (used by the spaCy component's to_disk)."""
        labels = {k: {kk: vv for kk, vv in v.items() if kk != "terms_by_id"}
                  for k, v in self.labels.items()}
        return {"labels": labels, "extra_lemmas": self.extra_lemmas, "version": self.version,
                "digest": self.digest}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Lexicon:
        labels = copy.deepcopy(data["labels"])
        for spec in labels.values():
            spec["terms_by_id"] = {t["id"]: t for t in spec["terms"]}
        return cls(labels, list(data["extra_lemmas"]), data["version"], data["digest"])


def _check_label(path: Path, spec: dict[str, Any]) -> None:
    label = spec.get("label")
    if label != path.stem:
        raise ValueError(f"{path}: label {label!r} must equal the file name")
    ids = set()
    for t in spec.get("terms", []):
        if "id" not in t or t["id"] in ids:
            raise ValueError(f"{path}: every term needs a unique id ({t.get('id')!r})")
        ids.add(t["id"])
        for lang in ("nb", "nn", "en"):
            if not isinstance(t.get(lang, []), list):
                raise ValueError(f"{path}: term {t['id']}: {lang} must be a list")
    for rule in spec.get("context", []):
        unknown = set(rule.get("terms", [])) - ids
        if unknown:
            raise ValueError(f"{path}: context rule {rule.get('id')} names unknown terms {unknown}")


def load_lexicon(lexicon_dir: str | Path | None = None) -> Lexicon:
    """Read every ``<label>.toml`` (and ``nn_lemmas.txt``) in ``lexicon_dir``."""
    d = Path(lexicon_dir) if lexicon_dir else LEXICON_DIR
    h = hashlib.sha256()
    labels: dict[str, dict[str, Any]] = {}
    versions = []
    files = []
    for path in sorted(d.glob("*.toml")):
        if path.name in NOT_LABEL_FILES:
            if path.name != "weights.toml":  # the register and relevance rules are versioned too
                h.update(path.name.encode() + b"\0" + path.read_bytes())
            continue
        raw = path.read_bytes()
        h.update(path.name.encode() + b"\0" + raw)
        spec = tomllib.loads(raw.decode("utf-8"))
        _check_label(path, spec)
        spec.setdefault("terms", [])
        spec.setdefault("context", [])
        for t in spec["terms"]:
            t.setdefault("weight", 1.0)
            t.setdefault("heads", [])
            for lang in ("nb", "nn", "en"):
                t.setdefault(lang, [])
        spec["terms_by_id"] = {t["id"]: t for t in spec["terms"]}
        labels[spec["label"]] = spec
        versions.append(str(spec.get("version", "0")))
        files.append(str(path))
    if not labels:
        raise FileNotFoundError(f"no lexicon files (*.toml) in {d}")
    extra: list[str] = []
    nn = d / "nn_lemmas.txt"
    if nn.exists():
        raw = nn.read_bytes()
        h.update(b"nn_lemmas.txt\0" + raw)
        extra = [ln.strip() for ln in raw.decode("utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
        files.append(str(nn))
    return Lexicon(labels, extra, max(versions), h.hexdigest(), files)


@dataclass
class Weights:
    """Scoring parameters (see weights.toml for the formula)."""

    fields: dict[str, float]
    label_min: float
    relevance_threshold: float
    repeat_bonus: float
    repeat_cap: int
    labels: dict[str, dict[str, float]]
    version: str = "0"
    extra_min: float = 0.9
    anchor_fields: dict[str, float] = field(
        default_factory=lambda: {"title": 1.0, "summary": 0.9, "text": 0.7})

    def label_weight(self, label: str) -> float:
        return float(self.labels.get(label, {}).get("weight", 1.0))

    def priority(self, label: str) -> float:
        return float(self.labels.get(label, {}).get("priority", 1.0))

    def copy(self) -> Weights:
        return copy.deepcopy(self)

    def canonical(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    def to_toml(self) -> str:
        out = ["# Scoring weights for nlp.Tagger (see nlp/README.md); written by nlp.calibrate.",
               f'version = "{self.version}"', "", "[fields]"]
        out += [f"{k} = {v:.6g}" for k, v in self.fields.items()]
        out += ["", "[scoring]", f"label_min = {self.label_min:.6g}",
                f"relevance_threshold = {self.relevance_threshold:.6g}",
                f"repeat_bonus = {self.repeat_bonus:.6g}", f"repeat_cap = {int(self.repeat_cap)}",
                f"extra_min = {self.extra_min:.6g}",
                "", "[anchor_fields]"]
        out += [f"{k} = {v:.6g}" for k, v in self.anchor_fields.items()]
        for label in sorted(self.labels):
            out += ["", f"[labels.{label}]"]
            out += [f"{k} = {float(v):.6g}" for k, v in sorted(self.labels[label].items())]
        return "\n".join(out) + "\n"


def load_weights(path: str | Path | None = None) -> Weights:
    """The weights in `path` (default: the shipped ones); ValueError naming the file when it is
    not valid TOML or holds a value that is not a number."""
    p = Path(path) if path else LEXICON_DIR / "weights.toml"
    try:
        return _weights(tomllib.loads(p.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, TypeError, AttributeError, OSError) as exc:
        # OSError: a folder, a link to nothing or a file it may not read under its name
        raise ValueError(f"weights file {p} cannot be read ({type(exc).__name__}: {exc}); it is written by "
                         "`ncp-tracker calibrate`: restore it, or remove it to tag with the shipped "
                         "weights") from exc


def _weights(data: dict[str, Any]) -> Weights:
    sc = data.get("scoring", {})
    fields = {f: float(data.get("fields", {}).get(f, d)) for f, d in zip(FIELDS, (1.0, 0.7, 0.4), strict=True)}
    return Weights(
        fields=fields,
        label_min=float(sc.get("label_min", 0.5)),
        relevance_threshold=float(sc.get("relevance_threshold", 0.4)),
        repeat_bonus=float(sc.get("repeat_bonus", 0.1)),
        repeat_cap=int(sc.get("repeat_cap", 3)),
        extra_min=float(sc.get("extra_min", 0.9)),
        labels={k: {kk: float(vv) for kk, vv in v.items()} for k, v in data.get("labels", {}).items()},
        version=str(data.get("version", "0")),
        anchor_fields={f: float(data.get("anchor_fields", {}).get(f, d))
                       for f, d in zip(FIELDS, (1.0, 0.9, 0.7), strict=True)},
    )


def save_weights(weights: Weights, path: str | Path) -> Path:
    """Write ``weights`` as TOML to ``path`` (used after ``nlp.calibrate``), whole or not at all:
    through a temporary file renamed into place, so an interrupted write leaves the previous
    weights, never a cut-off file that stops every later tagging run."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(f".{p.name}.{os.getpid()}.part")
    try:
        tmp.write_text(weights.to_toml(), encoding="utf-8")
        os.replace(tmp, p)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return p
