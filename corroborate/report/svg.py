"""The provenance graph and the timeline as SVG fragments, drawn on the server.

Server-side so the dossier needs no script and no outside resource: the HTML file and the
web page embed the same markup. Every name and sentence comes from articles, so every one
is escaped; long ones are shortened on the drawing and kept whole in a <title> tooltip.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from corroborate.records import NodeKind, ProvenanceNode, TimelineKind
from corroborate.report.bidi import isolated_text
from corroborate.report.dossier import Dossier
from corroborate.report.graph import columns

_NODE_W, _NODE_H, _ROW, _GAP, _PAD, _HEAD, _LOOP = 210, 30, 44, 110, 16, 28, 40
_FILL = {"outlet": "#dbe8f6", "intermediary": "#fbeccb", "primary": "#d9f0dd"}
_STROKE = {"outlet": "#3b6ea5", "intermediary": "#b7862b", "primary": "#3f8f51"}
_FONT = "font-family=\"system-ui, sans-serif\""


def _e(text: str | None) -> str:
    return escape(isolated_text(text or ""), quote=True)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def provenance_svg(d: Dossier) -> str:
    """Outlets → intermediaries → primary sources, one column each, edges as arrows."""
    cols = columns(d.provenance)
    if not cols:
        return ('<svg xmlns="http://www.w3.org/2000/svg" class="provenance" width="320" '
                f'height="40" role="img"><text x="8" y="24" {_FONT} font-size="13">'
                "no attributed sources</text></svg>")
    cites = {e.source for e in d.provenance.edges}
    place: dict[str, tuple[float, float]] = {}
    parts: list[str] = []
    rows = max(len(c) for c in cols)
    width = _PAD * 2 + _LOOP + len(cols) * _NODE_W + (len(cols) - 1) * _GAP
    height = _PAD * 2 + _HEAD + rows * _ROW
    for c, col in enumerate(cols):
        x = _PAD + _LOOP + c * (_NODE_W + _GAP)
        header = ("outlets" if c == 0 else "primary sources" if c == len(cols) - 1
                  else "intermediaries")
        parts.append(f'<text x="{x}" y="{_PAD + 12}" {_FONT} font-size="12" '
                     f'font-weight="600" fill="#555">{header}</text>')
        for r, node in enumerate(col):
            y = _PAD + _HEAD + r * _ROW
            place[node.key] = (x, y)
            parts.append(_node(node, x, y, _role(node, cites)))
    names = {n.key: n.name for n in d.provenance.nodes}
    edges: list[str] = []
    for e in d.provenance.edges:
        if e.source not in place or e.target not in place or e.source == e.target:
            continue
        (x1, y1), (x2, y2) = place[e.source], place[e.target]
        if x2 > x1:  # forward: right side of the source to the left side of the target
            a, b = (x1 + _NODE_W, y1 + _NODE_H / 2), (x2, y2 + _NODE_H / 2)
            bend = max(40.0, abs(b[0] - a[0]) / 2)
        else:  # within a column or backwards (a copy citing its original): loop on the left
            a, b = (x1, y1 + _NODE_H / 2), (x2, y2 + _NODE_H / 2)
            bend = -_LOOP
        tip = f"{names[e.source]} → {names[e.target]}: {', '.join(e.cues) or 'cites'}"
        facts = f" ({', '.join(e.facts)})" if e.facts else ""
        edges.append(
            f'<path d="M{a[0]:.0f},{a[1]:.0f} C{a[0] + bend:.0f},{a[1]:.0f} '
            f'{b[0] - abs(bend):.0f},{b[1]:.0f} {b[0] - 4:.0f},{b[1]:.0f}" fill="none" '
            f'stroke="#888" stroke-width="1.4" marker-end="url(#corroborate-arrow)">'
            f"<title>{_e(tip + facts)}</title></path>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="provenance" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">'
            "<title>Provenance: outlets, intermediaries, primary sources</title>"
            '<defs><marker id="corroborate-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>'
            + "".join(edges) + "".join(parts) + "</svg>")


def _role(node: ProvenanceNode, cites: set[str]) -> str:
    if node.kind is NodeKind.OUTLET:
        return "outlet"
    return "intermediary" if node.key in cites else "primary"


def _node(node: ProvenanceNode, x: float, y: float, role: str) -> str:
    facts = f" — facts {', '.join(node.facts)}" if node.facts else ""
    return (f'<g class="node {role}"><title>{_e(node.name)} ({role}){_e(facts)}</title>'
            f'<rect x="{x}" y="{y}" width="{_NODE_W}" height="{_NODE_H}" rx="6" '
            f'fill="{_FILL[role]}" stroke="{_STROKE[role]}"/>'
            f'<text x="{x + 8}" y="{y + 19}" {_FONT} font-size="12.5" fill="#222">'
            f"{_e(_short(node.name, 30))}</text></g>")


_LINE, _AXIS, _TL_W = 26, 170, 980


def timeline_svg(d: Dossier) -> str:
    """The story's dated events and publications, top to bottom in time, on one axis (the
    background dates its articles recall are listed, not drawn)."""
    background = {id(e) for e in d.background}
    drawn = [e for e in d.timeline if id(e) not in background]
    n = len(drawn)
    height = _PAD * 2 + max(n, 1) * _LINE
    parts = [f'<line x1="{_AXIS}" y1="{_PAD}" x2="{_AXIS}" y2="{height - _PAD}" '
             'stroke="#bbb" stroke-width="2"/>']
    for i, entry in enumerate(drawn):
        y = _PAD + i * _LINE + _LINE / 2
        published = entry.kind is TimelineKind.PUBLICATION
        who = ", ".join(entry.outlets)
        text = (f"published by {who}: {entry.what}" if published
                else f"{entry.what} — {who}" + (f" (source: {', '.join(entry.sources)})"
                                                if entry.sources else ""))
        dot = ('fill="#fff" stroke="#3b6ea5" stroke-width="2"' if published
               else 'fill="#b7862b"')
        parts.append(
            f'<g class="entry {entry.kind}"><title>{_e(entry.label)}: {_e(text)}</title>'
            f'<text x="{_AXIS - 12}" y="{y + 4:.0f}" text-anchor="end" {_FONT} '
            f'font-size="12.5" font-weight="600" fill="#333">{_e(entry.label)}</text>'
            f'<circle cx="{_AXIS}" cy="{y:.0f}" r="5" {dot}/>'
            f'<text x="{_AXIS + 14}" y="{y + 4:.0f}" {_FONT} font-size="12.5" fill="#222">'
            f"{_e(_short(text, 120))}</text></g>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
            f'viewBox="0 0 {_TL_W} {height}" width="{_TL_W}" height="{height}">'
            "<title>Timeline</title>"
            + "".join(parts) + "</svg>")


_CV_LABEL, _CV_W, _CV_ROW = 220, 980, 20


def coverage_svg(d: Dossier) -> str:
    """Outlets × time: one row per outlet, a dot per report at its publication time (a ring
    for a syndicated copy). Empty when fewer than two distinct times are known: a strip of
    dots on one point says nothing the table does not."""
    points = [(row.outlet, r.published, r.title or f"article {r.article_id}", False)
              for row in d.coverage for r in row.reports] + \
             [(c.outlet, c.published, c.title or f"article {c.article_id}", True)
              for row in d.coverage for c in row.copies_only]
    times = sorted({_utc(p[1]) for p in points if p[1] is not None})
    if len(times) < 2:
        return ""
    first, last = times[0], times[-1]
    span = (last - first).total_seconds()
    rows = {row.outlet: i for i, row in enumerate(d.coverage)}
    height = _PAD * 2 + _HEAD + len(rows) * _CV_ROW
    x0, x1 = _CV_LABEL, _CV_W - _PAD
    parts = [f'<text x="{x0}" y="{_PAD + 12}" {_FONT} font-size="12" fill="#444">'
             f'{_e(_stamp(first))}</text>',
             f'<text x="{x1}" y="{_PAD + 12}" text-anchor="end" {_FONT} font-size="12" '
             f'fill="#444">{_e(_stamp(last))}</text>']
    for outlet, i in rows.items():
        y = _PAD + _HEAD + i * _CV_ROW + _CV_ROW / 2
        parts.append(f'<text x="{x0 - 10}" y="{y + 4:.0f}" text-anchor="end" {_FONT} '
                     f'font-size="12" fill="#222">{_e(_short(outlet, 30))}</text>'
                     f'<line x1="{x0}" y1="{y:.0f}" x2="{x1}" y2="{y:.0f}" stroke="#e3e6ec"/>')
    for outlet, when, title, copy in points:
        if when is None:
            continue
        x = x0 + (x1 - x0) * (_utc(when) - first).total_seconds() / span
        y = _PAD + _HEAD + rows[outlet] * _CV_ROW + _CV_ROW / 2
        dot = 'fill="#fff" stroke="#3b6ea5" stroke-width="2"' if copy else 'fill="#3b6ea5"'
        kind = "syndicated copy" if copy else "report"
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" {dot}><title>'
                     f"{_e(outlet)}, {_e(_stamp(when))} ({kind}): {_e(title)}</title>"
                     "</circle>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="coverage" role="img" '
            f'viewBox="0 0 {_CV_W} {height}" width="{_CV_W}" height="{height}">'
            "<title>Coverage: each outlet's reports over time</title>"
            + "".join(parts) + "</svg>")


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo is None else when.astimezone(UTC).replace(tzinfo=None)


def _stamp(when: datetime) -> str:
    when = _utc(when)
    return when.strftime("%Y-%m-%d") if (when.hour, when.minute) == (0, 0) else \
        when.strftime("%Y-%m-%d %H:%M")
