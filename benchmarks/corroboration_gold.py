"""Corroboration on the development gold: verdicts, alignment and shared sources, scored.

The gold (`../shared/data/corroboration/dev_gold.json`: 8 real stories, 66 articles, facts
checked by hand, and the groups of articles that rest on one source) comes with two tools in
`../shared/tools/`: one writes each story's articles as input files, one scores dossier JSON
exports. This script joins them to the product:

    .venv/bin/python benchmarks/corroboration_gold.py [--story D03] [--verbose] [--keep DIR]

For each story: write its inputs (`corroboration_inputs.py`), cross-check *all* of its
articles as one story with `check_documents` (what `corroborate check FILES --format json`
does: the dossier of the articles given, whatever the clusterer makes of them; copies are
kept as copies), export the dossier JSON, then run `score_corroboration.py` on the folder and
print its report; the last line is the scorer's SUMMARY. Cross-check seconds per story are
printed too. Nothing is tuned here: it only measures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corroborate.pipeline import IngestOptions, check_documents
from corroborate.report import build_dossier, to_json

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
TOOLS = SHARED / "tools"
GOLD = SHARED / "data" / "corroboration" / "dev_gold.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--story", action="append", help="only this gold story (repeatable)")
    ap.add_argument("--verbose", action="store_true", help="the scorer's full report")
    ap.add_argument("--keep", type=Path, help="keep inputs and dossiers in this folder")
    args = ap.parse_args()
    if not GOLD.exists():
        sys.exit(f"the development gold is missing: {GOLD} (clone ../shared beside the repo)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="corroboration-gold-"))
    inputs, dossiers = work / "inputs", work / "dossiers"
    dossiers.mkdir(parents=True, exist_ok=True)
    stories = args.story or [s["story_id"] for s in json.loads(GOLD.read_text())]
    for story in stories:
        subprocess.run([sys.executable, str(TOOLS / "corroboration_inputs.py"), "--out",
                        str(inputs), "--story", story], check=True, stdout=subprocess.DEVNULL)
    for story in stories:
        started = time.perf_counter()
        result = check_documents([str(inputs / story)], IngestOptions(fetch=False))
        seconds = time.perf_counter() - started
        dossier = build_dossier(result.story, result.check)
        (dossiers / f"{story}.json").write_text(json.dumps(to_json(dossier), ensure_ascii=False))
        main_facts = [f for f in result.check.facts if f.detail_of is None]
        print(f"{story}: {len(result.check.articles)} articles, {len(main_facts)} facts, "
              f"extract+crosscheck {seconds:.1f} s", flush=True)
    cmd = [sys.executable, str(TOOLS / "score_corroboration.py"), str(dossiers)]
    if args.story:
        for story in args.story:
            cmd += ["--story", story]
    if args.verbose:
        cmd.append("--verbose")
    subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
