"""Split the real labelled set ONCE into a tuning and a held-out part: ``real-split.json``.

Run once (it refuses to overwrite an existing split): ``python data/devset/split_real.py``.
Stratified by relevance, ~60 % tune / 40 % held-out, with a fixed seed. The held-out part is
never read while tuning lexicons, the instrument register or weights (``python -m nlp.eval``
prints only its aggregate figures; the error listing is for the tuning part).
"""

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20261202
HELDOUT_SHARE = 0.4


def main() -> int:
    out = HERE / "real-split.json"
    if out.exists() and "--force" not in sys.argv:
        print(f"{out} exists: the split is made once", file=sys.stderr)
        return 1
    items = [json.loads(x) for x in (HERE / "real" / "devset-real.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    rng = random.Random(SEED)
    tune, held = [], []
    for relevant in (True, False):
        ids = sorted(it["id"] for it in items if it["relevant"] is relevant)
        rng.shuffle(ids)
        k = round(len(ids) * HELDOUT_SHARE)
        held += ids[:k]
        tune += ids[k:]
    data = {
        "source": "data/devset/real/devset-real.jsonl (verbatim copy of "
                  "shared/real-samples/labelled/devset-real.jsonl)",
        "seed": SEED,
        "method": "random.Random(seed); per relevance class: sorted ids shuffled, first 40 % held out",
        "note": "Made once, before any tuning on the real set. Tune lexicons, register and weights "
                "on 'tune' only; never read the items of 'heldout' while tuning.",
        "tune": sorted(tune),
        "heldout": sorted(held),
    }
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"tune {len(tune)}, heldout {len(held)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
