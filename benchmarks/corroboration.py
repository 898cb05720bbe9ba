"""Corroboration on BASIL: facts, verdicts, independent sources, and quote speakers recovered.

Why a script of our own: the crosscheck stage (align, verdicts, provenance) has no gold set
of aligned facts, but BASIL (Fan et al., EMNLP 2019: 100 events, each reported by Fox News,
the New York Times and the Huffington Post) shows what it does on real triplets, and its
annotations name the speaker of every annotated quote, which scores how many of the people
and bodies quoted we trace claims to.

    .venv/bin/python benchmarks/corroboration.py [--limit N] [--quiet]

Per event (its 3 articles): extract (spaCy, batched), crosscheck, then print
  facts        main facts (dated details apart: +d)
  verdicts     agree / conflict / disputed / developing / single outlet
  sources      independent primary sources per main fact: how many facts rest on 1, 2, 3+
               (and facts two or more outlets report resting on only one)
  speakers     quote speakers: recovered / annotated / matched, per event
  origins      distinct independent sources over the story's main facts (the story header's
               count), next to the sum over facts that older dossiers showed
  seconds      extract and crosscheck for the story
and a summary line at the end.

Source names that name no one. Over every independent source the dossier lists for a main
fact, the share whose name is a pronoun ("They"), a determiner ("Another"), a single generic
word that cannot speak ("Story", "Report"), or the dateline of its article ("LIMA, Peru —"
naming "Peru"). The word lists are this script's own (not the product's), so the figure is
not the product grading itself. Target 0.

Speakers. Annotated: the distinct `speaker` values of an article's phrase-level
annotations (quotes only), leaving out BASIL's generic other_pro / other_anti /
other_neutral, which name no one. Recovered: every source named in the attribution chains
of that article's claims (the outlet itself left out), primary or intermediary. Matching is
lenient because the two spell names differently ("Donald_Trump" vs "President Trump",
"Democratic_lawmakers" vs "Democrats"): both sides are cut into words, titles and generic
words (mr, president, senator, house, officials, campaign, ...) are dropped, and two names
match when they share a word of 4+ letters whose first five letters agree ("democratic" ~
"democrats"). Matched one to one within an article. Precision is a floor: BASIL annotates
only the sentences carrying bias, so a speaker quoted in a neutral sentence is correctly
recovered but counted as a false positive here. Recall is the figure to read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import story_sets

from corroborate.crosscheck import crosscheck
from corroborate.extract import extract_articles
from corroborate.models import embed
from corroborate.records import CrossCheck, StoredArticle, Verdict

ANNOTATIONS = story_sets.STORIES / "basil" / "annotations"
_GENERIC_SPEAKERS = {"other_pro", "other_anti", "other_neutral", "other"}
_DROP = {
    "the", "a", "an", "of", "and", "for", "mr", "mrs", "ms", "dr", "president", "presidential",
    "sen", "senator", "rep", "representative", "gov", "governor", "former", "vice", "secretary",
    "house", "senate", "white", "committee", "campaign", "party", "officials", "official",
    "lawmakers", "members", "member", "state", "department", "spokesman", "spokeswoman",
    "leader", "leaders", "aides", "aide", "administration", "people", "group", "says", "said",
}
_WORD = re.compile(r"[^\W\d_]+")
_VERDICTS = (Verdict.AGREE, Verdict.CONFLICT, Verdict.DISPUTED, Verdict.DEVELOPING,
             Verdict.SINGLE_OUTLET)


def name_words(name: str) -> set[str]:
    return {w for w in (m.casefold() for m in _WORD.findall(name.replace("_", " ")))
            if len(w) >= 4 and w not in _DROP}


def same_speaker(a: set[str], b: set[str]) -> bool:
    return any(x[:5] == y[:5] for x in a for y in b)


def match_count(annotated: list[str], recovered: list[str]) -> int:
    """One-to-one lenient matches (greedy in annotation order)."""
    free = [name_words(r) for r in recovered]
    hits = 0
    for a in annotated:
        words = name_words(a)
        for i, r in enumerate(free):
            if r and same_speaker(words, r):
                free[i] = set()
                hits += 1
                break
    return hits


def annotated_speakers(doc_id: str) -> list[str]:
    paths = list(ANNOTATIONS.glob(f"*/{doc_id}_ann.json"))
    if not paths:
        return []
    record = json.loads(paths[0].read_text(encoding="utf-8"))
    names = {a["speaker"].strip() for a in record.get("phrase-level-annotations", [])
             if a.get("speaker", "").strip()
             and a["speaker"].strip().casefold() not in _GENERIC_SPEAKERS}
    return sorted(names)


def recovered_speakers(check: CrossCheck, article_id: int) -> list[str]:
    names: dict[str, str] = {}
    for fact in check.facts:
        for v in fact.versions:
            if v.article_id != article_id:
                continue
            for link in v.chain[1:]:
                name = link.name or link.source
                if name_words(name):
                    names.setdefault(name.casefold(), name)
    return sorted(names.values())


_PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "him", "her", "them", "us", "me",
             "his", "hers", "its", "their", "theirs", "our", "who", "whom", "which", "that",
             "this", "these", "those", "one", "someone", "somebody", "anyone", "everyone",
             "nobody", "himself", "herself", "themselves", "itself"}
_DETERMINERS = {"another", "other", "others", "some", "both", "all", "each", "either",
                "neither", "many", "most", "few", "several", "such", "the", "a", "an", "any"}
_GENERIC = {"story", "stories", "report", "article", "page", "news", "update", "video",
            "photo", "image", "caption", "headline", "post", "text", "it", "thing", "things",
            "people", "time", "day", "week", "year", "today", "yesterday"}
_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z .'-]{1,40}?)(?:,\s*([A-Z][A-Za-z .'-]{1,40}?))?"
                       r"\s*(?:\([^)]{1,30}\))?\s*[—–-]")


def unusable_name(name: str, datelines: set[str]) -> str | None:
    """Why a source's name names no one, or None."""
    words = re.findall(r"[^\W_]+(?:'[a-z]+)?", name.casefold())
    if not words:
        return "empty"
    if len(words) == 1 and words[0] in _PRONOUNS:
        return "pronoun"
    if all(w in _DETERMINERS or w in _PRONOUNS for w in words):
        return "determiner"
    if len(words) == 1 and words[0] in _GENERIC:
        return "generic word"
    if name.strip().casefold() in datelines:
        return "dateline"
    return None


def datelines_of(texts: list[str]) -> set[str]:
    """Place names the articles open with as a dateline ("WASHINGTON —", "LIMA, Peru -")."""
    out: set[str] = set()
    for text in texts:
        for line in text.splitlines()[:3]:
            m = _DATELINE.match(line)
            if m:
                out.update(g.strip().casefold() for g in m.groups() if g)
    return out


def stored(i: int, doc: story_sets.GoldDoc) -> StoredArticle:
    return StoredArticle(id=i, article=doc.article, text_hash=doc.doc_id,
                         near_duplicate_of=None, near_duplicate_similarity=None,
                         ingested_at=datetime(2000, 1, 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N events")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    parser.add_argument("--conflicts", type=Path,
                        help="write every conflict with its versions here (JSON lines), to "
                             "read by hand")
    args = parser.parse_args()
    conflicts_out = args.conflicts.open("w", encoding="utf-8") if args.conflicts else None

    events: dict[str, list[story_sets.GoldDoc]] = {}
    for doc in story_sets.basil():
        events.setdefault(doc.gold, []).append(doc)
    chosen = sorted(events.items())
    if args.limit:
        chosen = chosen[: args.limit]

    extract_articles([chosen[0][1][0].article])  # load spaCy and the embedding model
    embed(["warm-up"])  # before timing anything
    totals: Counter[str] = Counter()
    indep: Counter[str] = Counter()
    spk = Counter[str]()
    seconds_extract = seconds_check = 0.0
    names = Counter[str]()  # independent sources listed for main facts, and the unusable
    bad_names = Counter[str]()
    bad_examples: list[str] = []
    if not args.quiet:
        print(f"{'event':10} {'arts':>4} {'facts':>8}  agr con dis dev one  "
              f"{'src 0/1/2/3+':>13} {'multi@1':>7}  {'spk rec/ann/hit':>15}  {'extr s':>6} "
              f"{'check s':>7}")
    for gold, docs in chosen:
        t0 = time.perf_counter()
        extractions = extract_articles([d.article for d in docs])
        t1 = time.perf_counter()
        pairs = [(stored(i, d), x) for i, (d, x) in enumerate(zip(docs, extractions,
                                                                   strict=True), 1)]
        check = crosscheck(pairs)
        t2 = time.perf_counter()
        seconds_extract += t1 - t0
        seconds_check += t2 - t1
        main_facts = [f for f in check.facts if f.detail_of is None]
        details = len(check.facts) - len(main_facts)
        verdicts = Counter(f.verdict for f in main_facts)
        if conflicts_out is not None:
            for f in main_facts:
                if f.verdict is Verdict.CONFLICT:
                    conflicts_out.write(json.dumps({
                        "event": gold, "fact": f.id, "measure": f.measure, "reason": f.reason,
                        "versions": [{"outlet": v.outlet, "claim": v.claim}
                                     for v in f.versions]}, ensure_ascii=False) + "\n")
        buckets = Counter(min(f.independent_sources, 3) for f in main_facts)  # 0: all deny
        multi_one = sum(len(f.outlets) >= 2 and f.independent_sources <= 1 for f in main_facts)
        datelines = datelines_of([d.article.text for d in docs])
        origins = set()
        for f in main_facts:
            for src in f.sources:
                if src.denies:
                    continue
                origins.add(src.key)
                names["all"] += 1
                why = unusable_name(src.name, datelines)
                if why:
                    bad_names[why] += 1
                    if len(bad_examples) < 12:
                        bad_examples.append(f"{src.name!r} ({why})")
        totals["origins"] += len(origins)
        totals["source_sum"] += sum(f.independent_sources for f in main_facts)
        rec = ann = hit = 0
        for i, d in enumerate(docs, 1):
            annotated = annotated_speakers(d.doc_id)
            recovered = recovered_speakers(check, i)
            rec, ann = rec + len(recovered), ann + len(annotated)
            hit += match_count(annotated, recovered)
        totals["events"] += 1
        totals["articles"] += len(docs)
        totals["facts"] += len(main_facts)
        totals["details"] += details
        totals["multi_at_one"] += multi_one
        for v in _VERDICTS:
            totals[v] += verdicts[v]
        for k in (0, 1, 2, 3):
            indep[str(k)] += buckets[k]
        spk.update(recovered=rec, annotated=ann, hit=hit)
        if not args.quiet:
            print(f"{gold[:10]:10} {len(docs):>4} {len(main_facts):>4} +{details:<3} "
                  f"{verdicts[Verdict.AGREE]:>4}{verdicts[Verdict.CONFLICT]:>4}"
                  f"{verdicts[Verdict.DISPUTED]:>4}{verdicts[Verdict.DEVELOPING]:>4}"
                  f"{verdicts[Verdict.SINGLE_OUTLET]:>4}  "
                  f"{buckets[0]:>2}/{buckets[1]:>3}/{buckets[2]:>2}/{buckets[3]:>2} "
                  f"{multi_one:>7}  "
                  f"{rec:>5}/{ann:>3}/{hit:>3}  {t1 - t0:>6.2f} {t2 - t1:>7.2f}", flush=True)

    n = max(totals["events"], 1)
    precision = spk["hit"] / spk["recovered"] if spk["recovered"] else 0.0
    recall = spk["hit"] / spk["annotated"] if spk["annotated"] else 0.0
    print(f"\nBASIL: {totals['events']} events, {totals['articles']} articles; "
          f"{totals['facts']} facts (+{totals['details']} dated details), "
          f"{totals['facts'] / n:.1f} per event")
    print("verdicts: " + ", ".join(f"{v} {totals[v]}" for v in _VERDICTS))
    print(f"independent sources per fact: 0: {indep['0']}, 1: {indep['1']}, "
          f"2: {indep['2']}, 3+: {indep['3']}; "
          f"facts reported by 2+ outlets resting on one source: {totals['multi_at_one']}")
    print(f"quote speakers: {spk['recovered']} recovered, {spk['annotated']} annotated, "
          f"{spk['hit']} matched: precision {precision:.3f} (a floor, see the docstring), "
          f"recall {recall:.3f}")
    bad = sum(bad_names.values())
    print(f"source names that name no one: {bad} of {names['all']} "
          f"({bad / max(names['all'], 1):.3f}): "
          + (", ".join(f"{k} {v}" for k, v in bad_names.most_common()) or "none")
          + (f"; e.g. {', '.join(bad_examples)}" if bad_examples else ""))
    print(f"independent sources per story (distinct over main facts): "
          f"{totals['origins'] / n:.1f}; summed over facts: {totals['source_sum'] / n:.1f}")
    print(f"seconds per story: {(seconds_extract + seconds_check) / n:.2f} "
          f"(extract {seconds_extract / n:.2f}, crosscheck {seconds_check / n:.2f})")


if __name__ == "__main__":
    main()
