"""Build tune.jsonl / heldout.jsonl from items.psv.

Run: python data/devset/build.py

1. Deterministic split by a hash of the title (about 1/3 held out).
2. Decontamination (issue 12): a held-out item moves to ``tune`` when
   * it contains a lexicon phrase, a lexicon head or an instrument name / abbreviation of the
     register that occurs in no tuning item (such a phrase was evidently written from the held-out
     item), or
   * its title (or a line of 30+ characters of it) is used in a test case in tests/nlp_cases/.
   Phrases match case-insensitively at the start of a word (so inflected forms count too).
   Re-run after changing a lexicon or the register: the held-out part only ever shrinks for
   reasons printed here.
"""

import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).parent
REPO = HERE.parent.parent
LEXICONS = REPO / "nlp" / "lexicons"
CASES = REPO / "tests" / "nlp_cases"
CODES = {"apl": "apenhetsloven", "gpfg": "gpfg"}


def label(code: str) -> str:
    return CODES.get(code, f"oecd-{code}")


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def lexicon_phrases() -> set[str]:
    phrases: set[str] = set()
    for path in sorted(LEXICONS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for term in data.get("terms", []):
            for key in ("nb", "nn", "en", "heads"):
                phrases.update(norm(p) for p in term.get(key, []) if len(p.strip()) >= 3)
        for ins in data.get("instrument", []):
            for names in ins.get("names", {}).values():
                phrases.update(norm(p) for p in names if len(p.strip()) >= 3)
            phrases.update(norm(p) for p in ins.get("abbreviations", []) if len(p) >= 3)
    return phrases


def case_lines() -> list[str]:
    out = []
    for path in sorted(CASES.glob("*.txt")):
        body = path.read_text(encoding="utf-8").partition("\n\n")[2]
        out += [norm(x) for x in body.splitlines() if x.strip()]
    return out


def contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase), text) is not None


def main() -> None:
    items = []
    for n, line in enumerate((HERE / "items.psv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, source, labels, title, desc = (p.strip() for p in line.split("|"))
        labs = sorted(label(c.strip()) for c in labels.split(",") if c.strip())
        h = int(hashlib.sha1(title.encode()).hexdigest()[:8], 16)
        items.append({
            "id": f"dev-{n:04d}", "language": lang, "source": source, "title": title,
            "description": desc, "labels": labs, "relevant": bool(labs),
            "split": "heldout" if h % 3 == 0 else "tune",
        })
    texts = {it["id"]: norm(it["title"] + " \n " + it["description"]) for it in items}
    tune_text = "\n".join(texts[it["id"]] for it in items if it["split"] == "tune")
    only_heldout = {p for p in lexicon_phrases() if not contains(tune_text, p)}
    lines = case_lines()
    moved: dict[str, list[str]] = {}
    for it in items:
        if it["split"] != "heldout":
            continue
        t, title = texts[it["id"]], norm(it["title"])
        why = [f"phrase {p!r}" for p in sorted(only_heldout) if contains(t, p)]
        if any(ln == title or (len(ln) >= 30 and (ln in t or title in ln)) for ln in lines):
            why.append("used in a test case")
        if why:
            it["split"] = "tune"
            moved[it["id"]] = why
    tune = [it for it in items if it["split"] == "tune"]
    held = [it for it in items if it["split"] == "heldout"]
    for name, part in (("tune", tune), ("heldout", held)):
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for it in part:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        rel = sum(i["relevant"] for i in part)
        langs = {lg: sum(i["language"] == lg for i in part) for lg in ("nb", "nn", "en")}
        print(f"{name}: {len(part)} items, relevant {rel}, irrelevant {len(part) - rel}, {langs}")
    print(f"moved from heldout to tune (decontamination): {len(moved)}", file=sys.stderr)
    for iid, why in moved.items():
        print(f"  {iid}: {'; '.join(why)}", file=sys.stderr)


if __name__ == "__main__":
    main()
