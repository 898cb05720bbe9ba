"""The report stage: a story's cross-check as a dossier an analyst reads.

`build_dossier(story, check)` chooses what comes first (discrepancies, the best-supported
sentences); the renderers only format it:

    dossier.py      the Dossier record: summary, ordered facts, marks
    markdown.py     Markdown
    html.py         one self-contained HTML page (inline CSS and SVG, all text escaped)
    svg.py          the provenance graph, the timeline and the coverage as SVG fragments
    graph.py        the provenance graph as paths and layered columns
    json_export.py  JSON, shaped as docs/dossier.schema.json says
"""

from __future__ import annotations

from corroborate.report.dossier import (
    DOSSIER_SCHEMA_VERSION,
    Citation,
    Dossier,
    SummarySentence,
    build_dossier,
)
from corroborate.report.html import to_html
from corroborate.report.json_export import to_json
from corroborate.report.markdown import to_markdown
from corroborate.report.svg import coverage_svg, provenance_svg, timeline_svg

__all__ = [
    "DOSSIER_SCHEMA_VERSION",
    "Citation",
    "Dossier",
    "SummarySentence",
    "build_dossier",
    "coverage_svg",
    "provenance_svg",
    "timeline_svg",
    "to_html",
    "to_json",
    "to_markdown",
]
