"""Build tune.jsonl / heldout.jsonl from items.psv (deterministic split by a hash of the title).

Run: python data/devset/build.py
"""

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent
CODES = {"apl": "apenhetsloven", "gpfg": "gpfg"}


def label(code: str) -> str:
    return CODES.get(code, f"oecd-{code}")


def main() -> None:
    tune, held = [], []
    for n, line in enumerate((HERE / "items.psv").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        lang, source, labels, title, desc = (p.strip() for p in line.split("|"))
        labs = sorted(label(c.strip()) for c in labels.split(",") if c.strip())
        h = int(hashlib.sha1(title.encode()).hexdigest()[:8], 16)
        split = "heldout" if h % 3 == 0 else "tune"
        item = {
            "id": f"dev-{n:04d}",
            "language": lang,
            "source": source,
            "title": title,
            "description": desc,
            "labels": labs,
            "relevant": bool(labs),
            "split": split,
        }
        (held if split == "heldout" else tune).append(item)
    for name, items in (("tune", tune), ("heldout", held)):
        with open(HERE / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for it in items:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        rel = sum(i["relevant"] for i in items)
        langs = {lg: sum(i["language"] == lg for i in items) for lg in ("nb", "nn", "en")}
        print(f"{name}: {len(items)} items, relevant {rel}, irrelevant {len(items) - rel}, {langs}")


if __name__ == "__main__":
    main()
