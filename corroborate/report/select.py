"""Which of a dossier's facts to show: a reader's filter (`--verdict`, `--top`) and the short
dossier an analyst reads in thirty seconds.

A ten-article story has dozens of facts, most of them one outlet's detail; printed whole its
dossier runs to a thousand lines. The short one keeps what decides a reading: the key figures,
where the outlets part ways, the few facts most outlets agree on, and the origins of widest
reach, and it says how many facts it left out. Pure functions of the Dossier: the cross-check
decided every verdict, this only chooses.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from corroborate.records import Fact, OriginRow, Verdict
from corroborate.report.dossier import DISCREPANCIES, VERDICT_ORDER, Dossier

TOP_AGREED = 5  # agreed facts the short dossier shows
TOP_ORIGINS = 5  # origins it names


def support_rank(facts: tuple[Fact, ...]) -> list[Fact]:
    """Facts most worth reading first: discrepancies before agreement before one outlet's
    word (the dossier's order), a fact before its dated details, then the most outlets and
    the most independent sources; ties keep the dossier's order."""
    verdict_rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    order = {f.id: i for i, f in enumerate(facts)}
    return sorted(facts, key=lambda f: (verdict_rank.get(f.verdict, len(verdict_rank)),
                                        f.detail_of is not None, -len(f.outlets),
                                        -f.independent_sources, order[f.id]))


def select_facts(d: Dossier, verdicts: Collection[Verdict] = (),
                 top: int | None = None) -> Dossier:
    """The dossier with only the facts of these verdicts (all when none is given), at most
    `top` of them (the best supported, see `support_rank`), kept in the dossier's order.

    The summary keeps the sentences of the facts kept; the story's other sections (sources,
    provenance, timeline, articles) stay whole: they describe the story, not the selection.
    """
    chosen = [f for f in d.facts if not verdicts or f.verdict in verdicts]
    if top is not None:
        chosen = support_rank(tuple(chosen))[:top]
    kept = {f.id for f in chosen}
    return replace(d, facts=tuple(f for f in d.facts if f.id in kept),
                   summary=tuple(s for s in d.summary if s.fact_id in kept))


@dataclass(frozen=True, slots=True)
class ShortView:
    """What the short dossier shows, beyond its header and summary."""

    key_figures: tuple[Fact, ...]  # measured things two or more outlets report
    discrepancies: tuple[Fact, ...]  # conflict, disputed, developing: those not key figures
    agreed: tuple[Fact, ...]  # agreed facts most outlets report, not key figures
    origins: tuple[OriginRow, ...]  # widest reach first
    origins_left: int
    left_out: dict[str, int]  # facts not shown, per verdict (only verdicts with some)

    @property
    def shown(self) -> int:
        return len(self.key_figures) + len(self.discrepancies) + len(self.agreed)


def short_view(d: Dossier, agreed: int = TOP_AGREED, origins: int = TOP_ORIGINS) -> ShortView:
    """The short dossier's choice: every key figure and every discrepancy (the reason to read
    a dossier at all), the `agreed` best-supported agreed facts that are not details, and
    the `origins` widest origins."""
    figures = d.key_figures
    in_figures = {f.id for f in figures}
    apart = tuple(f for f in d.facts if f.verdict in DISCREPANCIES and f.id not in in_figures)
    candidates = tuple(f for f in d.facts if f.verdict is Verdict.AGREE
                       and f.id not in in_figures and f.detail_of is None)
    best = {f.id for f in support_rank(candidates)[:agreed]}
    top_agreed = tuple(f for f in support_rank(candidates) if f.id in best)
    shown = in_figures | {f.id for f in apart} | best
    left: dict[str, int] = {}
    for f in d.facts:
        if f.id not in shown:
            left[str(f.verdict)] = left.get(str(f.verdict), 0) + 1
    return ShortView(key_figures=figures, discrepancies=apart, agreed=top_agreed,
                     origins=d.origins[:origins], origins_left=max(0, len(d.origins) - origins),
                     left_out={str(v): left[str(v)] for v in VERDICT_ORDER if str(v) in left})
