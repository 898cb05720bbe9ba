"""The dossier as Markdown: readable as plain text, renders as tables on a code forge.

Two lengths: `to_markdown` gives everything (every fact with each outlet's sentence, the
provenance, the timeline, the articles: a thousand lines for a ten-article story);
`to_short_markdown` gives what an analyst reads in thirty seconds (report/select.py chooses)
and says how many facts it left out and how to see them.

Article text is escaped so that a headline containing `<script>`, `|` or `*` shows as
written instead of becoming markup (CommonMark backslash escapes).
"""

from __future__ import annotations

import re

from corroborate.records import ArticleRef, Fact, TimelineKind, Verdict, Version
from corroborate.report.dossier import (
    DISCREPANCIES,
    VERDICT_LABELS,
    VERDICT_ORDER,
    Dossier,
    cite,
    fact_marks,
    figure_text,
    when,
)
from corroborate.report.graph import Step, provenance_paths
from corroborate.report.select import TOP_AGREED, short_view

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str | None) -> str:
    """Article-derived text, one line, with Markdown's special characters escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def to_markdown(d: Dossier) -> str:
    """The whole dossier."""
    lines: list[str] = [f"# Dossier: {md(d.title)}", ""]
    lines += _overview(d)
    lines += _coverage(d)
    lines += _summary(d)
    lines += _key_figures(d.key_figures)
    lines += ["", "## Facts", "",
              "Discrepancies first (conflict, disputed, developing), then agreement, then "
              "facts only one outlet reports. Syndicated copies count as one outlet; "
              "independent sources are the primary sources the versions rest on.", "",
              "| Fact | Verdict | Statement | Outlets | Independent sources | Marks |",
              "|---|---|---|---|---|---|"]
    lines += [_fact_row(f) for f in d.facts]
    lines += ["", "### Fact by fact", ""]
    for f in d.facts:
        lines += _fact_detail(f)
    lines += ["## Sources", "",
              "Each independent origin the main facts rest on, widest reach first: the outlets "
              "carrying it, the facts, and why several outlets' versions count as this one.",
              "", "| Origin | Kind | Carried by | Facts | Why one origin |",
              "|---|---|---|---|---|"]
    lines += [f"| {md(o.name)} | {o.kind} | {len(o.outlets)}: {md(', '.join(o.outlets))} | "
              f"{', '.join(o.facts)} | {md('; '.join(o.why)) or '—'} |" for o in d.origins]
    lines += ["", "## Provenance", "",
              "Who each outlet's claims rest on: outlet → intermediaries → primary source "
              "(cue words; facts).", ""]
    paths = provenance_paths(d.provenance)
    lines += [f"- {' → '.join(_step(s) for s in path)}" for path in paths] or \
        ["- every claim is the outlets' own statement"]
    if d.origins_not_drawn:
        lines.append(f"- … and {_count(d.origins_not_drawn, 'more origin')} of narrower reach "
                     "(listed under Sources)")
    lines += ["", "## Timeline", "", "| When | Kind | What | Outlets | Sources | Facts |",
              "|---|---|---|---|---|---|"]
    for e in d.timeline:
        kind = "published" if e.kind is TimelineKind.PUBLICATION else (
            str(e.granularity) if e.granularity else "event")
        said = f" (“{'”, “'.join(md(m) for m in e.mentions)}”)" if e.mentions else ""
        lines.append(f"| {md(e.label)} | {kind} | {md(e.what)}{said} | "
                     f"{md(', '.join(e.outlets))} | {md(', '.join(e.sources)) or '—'} | "
                     f"{', '.join(e.facts) or '—'} |")
    lines += ["", "## Articles", "", "| Article | Outlet | Published | Title | Copy of | Claims |",
              "|---|---|---|---|---|---|"]
    lines += [_article_row(a) for a in d.articles]
    return "\n".join(lines) + "\n"


def to_short_markdown(d: Dossier, agreed: int = TOP_AGREED, more: str = "`--full`",
                      selection: str | None = None) -> str:
    """The dossier in brief: header, summary, key figures, where outlets part ways, the
    `agreed` best-supported agreed facts, the widest origins, and what was left out (`more`
    says how to see it, in the words of the shell that prints this). `selection` says that
    `d` holds only the facts a reader chose ("4 of 67 facts (--verdict conflict)"): it is
    shown, and sections the choice left empty are left out instead of explained."""
    view = short_view(d, agreed=agreed)
    lines: list[str] = [f"# Dossier: {md(d.title)}", ""]
    lines += _overview(d)
    if selection:
        lines += ["", f"Showing {md(selection)}."]
    else:
        lines += _coverage(d)
    if d.summary or not selection:
        lines += _summary(d)
    if view.key_figures or not selection:
        lines += _key_figures(view.key_figures)
    if view.discrepancies or not selection:
        lines += ["", "## Conflicts and disputes", ""]
    if view.discrepancies:
        for f in view.discrepancies:
            lines += [f"- **{f.id} · {VERDICT_LABELS[f.verdict]}** — {md(f.statement)} "
                      f"({_count(len(f.outlets), 'outlet')}): {md(f.reason)}"]
            lines += [f"  - {md(v.outlet)}: “{md(v.sentence)}” [{md(str(cite(v)))}]"
                      for v in f.versions if v.copy_of is None]
    elif selection:
        pass
    elif any(f.verdict in DISCREPANCIES for f in view.key_figures):
        lines.append("None beyond the key figures above.")
    else:
        lines.append("No outlet contradicts another, and no source denies what another says.")
    if view.agreed or not selection:
        lines += ["", "## Agreed facts", ""]
    if view.agreed:
        lines += ["The agreed facts most outlets report (syndicated copies count once).", "",
                  "| Fact | Statement | Outlets | Independent sources |", "|---|---|---|---|"]
        for f in view.agreed:
            sources = md(", ".join(s.name for s in f.sources if not s.denies))
            lines.append(f"| {f.id} | {md(f.statement)} | {len(f.outlets)}: "
                         f"{md(', '.join(f.outlets))} | {f.independent_sources}: {sources} |")
    elif not selection:
        lines.append("No fact (other than the key figures) is reported alike by two outlets.")
    lines += ["", "## Sources in brief", ""]
    lines += [f"- **{md(o.name)}** ({o.kind}): carried by {_count(len(o.outlets), 'outlet')}; "
              f"{_count(len(o.facts), 'fact')}" for o in view.origins] or \
        ["- every fact is the outlets' own statement"]
    if view.origins_left:
        lines.append(f"- … and {_count(view.origins_left, 'more origin')} of narrower reach")
    lines += ["", "## Left out", ""]
    if view.left_out:
        counts = ", ".join(f"{n} {VERDICT_LABELS[Verdict(v)]}" for v, n in view.left_out.items())
        lines.append(f"This brief shows {view.shown} of {_count(len(d.facts), 'fact')}; left "
                     f"out: {counts}. Each outlet's sentences for every fact, the provenance, "
                     f"the timeline and the articles: {more}.")
    else:
        lines.append(f"Every fact{' chosen' if selection else ''} is shown; each outlet's "
                     f"sentences for the agreed ones, the provenance, the timeline and the "
                     f"articles: {more}.")
    return "\n".join(lines) + "\n"


def _summary(d: Dossier) -> list[str]:
    lines = ["", "## What happened", ""]
    if d.summary:
        lines += [f"{i}. “{md(s.text)}” [{md(str(s.citation))}] — {s.fact_id}: "
                  f"{_count(s.outlets, 'outlet')}, "
                  f"{_count(s.independent_sources, 'independent source')}"
                  f"{', hedged' if s.hedged else ''}"
                  for i, s in enumerate(d.summary, 1)]
    else:
        lines.append("No statement is reported by its outlets without dispute.")
    return lines


def _key_figures(figures: tuple[Fact, ...]) -> list[str]:
    lines = ["", "## Key figures", "",
             "Each measured thing two or more outlets report, discrepancies first: every "
             "outlet's figure as written, when it published, whose word it is, and the "
             "verdict on that measure alone.", ""]
    if not figures:
        return [*lines, "No figure is reported by two outlets."]
    lines += ["| Fact | Measure | Verdict | Outlet: figure (published; source) | Why |",
              "|---|---|---|---|---|"]
    for f in figures:
        said = "; ".join(f"{md(v.outlet)}: {md(figure_text(v))} ({when(v.published)}; "
                         f"{md(v.primary_source)})" for v in f.versions)
        lines.append(f"| {f.id} | {md(f.measure)} | **{VERDICT_LABELS[f.verdict]}** | "
                     f"{said} | {md(f.reason)} |")
    return lines


def _overview(d: Dossier) -> list[str]:
    originals = sum(a.copy_of is None for a in d.articles)
    copies = len(d.articles) - originals
    seen = f" · {when(d.first_seen)} → {when(d.last_seen)}" if d.first_seen else ""
    counts = " · ".join(f"{d.verdict_counts[str(v)]} {VERDICT_LABELS[v]}" for v in VERDICT_ORDER)
    copy_word = _plural(copies, "copy", "copies")
    lines = [f"Story {d.story_id} · {_count(len(d.articles), 'article')}"
             f"{f' ({copies} syndicated {copy_word})' if copies else ''} from "
             f"{_count(len(d.outlets), 'outlet')} ({md(', '.join(d.outlets))}){seen}  ",
             f"{_count(len(d.facts), 'fact')}: {counts}  ",
             f"Rests on {_count(d.independent_origins, 'independent origin')} across its main "
             "facts (wires, shared texts and named sources counted once, however many outlets "
             "carry them; see Sources)  ",
             f"Currency amounts agree within {d.tolerance * 100:g} % after conversion at the ECB "
             "rate of the publication day."]
    return lines


def _coverage(d: Dossier) -> list[str]:
    """Who reported it, when, with which headline (linked to the original), copies under
    the report they copy; and the usual outlets that are silent on it."""
    if not d.coverage:
        return []
    lines = ["", "## Coverage", "", "| Outlet | First report | Reports |", "|---|---|---|"]
    for row in d.coverage:
        reports = [_report_link(r.title, r.url, r.article_id)
                   + (f" (copied by {md(', '.join(c.outlet for c in r.copies))})"
                      if r.copies else "")
                   for r in row.reports]
        reports += [f"copy: {_report_link(c.title, c.url, c.article_id)}"
                    for c in row.copies_only]
        lines.append(f"| {md(row.outlet)} | {when(row.first) if row.first else '—'} | "
                     f"{'<br>'.join(reports)} |")
    if d.not_covered_by:
        lines += ["", f"Not covered by: {md(', '.join(d.not_covered_by))} (each reports at "
                  f"least two, and a third, of the {d.related_stories} stories sharing this "
                  "one's main entities or places)."]
    elif d.related_stories:
        lines += ["", f"Every outlet that usually covers the {d.related_stories} related "
                  "stories reports this one."]
    return lines


def _report_link(title: str | None, url: str | None, article_id: int) -> str:
    text = md(title or f"article {article_id}")
    if url and url.lower().startswith(("http://", "https://")):
        safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29") \
            .replace("<", "%3C").replace(">", "%3E")
        return f"[{text}]({safe})"
    return text


def _fact_row(f: Fact) -> str:
    verdict = VERDICT_LABELS[f.verdict]
    statement = md(f.statement) + (f" (detail of {f.detail_of})" if f.detail_of else "")
    sources = md(", ".join(s.name for s in f.sources if not s.denies))
    return (f"| {f.id} | **{verdict}** | {statement} | {len(f.outlets)}: "
            f"{md(', '.join(f.outlets))} | {f.independent_sources}: {sources} | "
            f"{md('; '.join(fact_marks(f))) or '—'} |")


def _fact_detail(f: Fact) -> list[str]:
    lines = [f"**{f.id} · {VERDICT_LABELS[f.verdict]}** — {md(f.statement)}  ",
             f"{md(f.reason)}"]
    for s in f.sources:
        role = "denies it" if s.denies else "asserts it"
        cited = f", citing {md(', '.join(s.cited))}" if s.cited else ""
        lines.append(f"- source **{md(s.name)}** {role}{cited}; carried by "
                     f"{md(', '.join(s.outlets))}")
    lines += [_version_line(v) for v in f.versions]
    return [*lines, ""]


def _version_line(v: Version) -> str:
    chain = " → ".join(md(a.name or a.source) for a in v.chain)
    how = str(v.certainty) + (f" ({', '.join(v.cues)})" if v.cues else "")
    copy = f", copy of article {v.copy_of}" if v.copy_of is not None else ""
    return (f"  - {md(v.outlet)}{copy}: “{md(v.sentence)}” [{md(str(cite(v)))}] — {how}; "
            f"{chain}")


def _step(step: Step) -> str:
    node, edge = step.node, step.edge
    name = f"**{md(node.name)}**" if edge is None else md(node.name)
    if edge is None:
        return name
    cues = ", ".join(edge.cues)
    facts = ", ".join(edge.facts)
    detail = "; ".join(p for p in (cues, facts) if p)
    return f"{name} ({md(detail)})" if detail else name


def _article_row(a: ArticleRef) -> str:
    copy = str(a.copy_of) if a.copy_of is not None else "—"
    return (f"| {a.article_id} | {md(a.outlet)} | {when(a.published)} | "
            f"{md(a.title) or '(untitled)'} | {copy} | {a.claims} |")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many
