"""The dossier as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

One file an analyst can mail or archive and open offline. Jinja2 autoescapes every value;
the two SVG fragments are passed as markup because svg.py has escaped their text already.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, Template
from markupsafe import Markup

from corroborate.records import TimelineKind
from corroborate.report.bidi import isolated_html
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
from corroborate.report.svg import coverage_svg, provenance_svg, timeline_svg

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="corroborate dossier {{ d.schema_version }}">
<title>Dossier: {{ d.title }}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#222;max-width:1180px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{margin-top:2em;border-bottom:1px solid #ddd}
.meta{color:#555} table{border-collapse:collapse;width:100%;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f5f5f5} .verdict{font-weight:600;white-space:nowrap}
.conflict{color:#a61b1b} .disputed{color:#a6561b} .developing{color:#6b4fa0}
.agree{color:#2d7a3e} .single_outlet{color:#555}
tr.discrepancy{background:#fff6f3} .mark{display:inline-block;border-radius:3px;
padding:0 .35em;margin:0 .2em .2em 0;font-size:.85em;background:#eee}
.mark.single{background:#fbeccb} .mark.hedged{background:#e9e1f5} .mark.denied{background:#f8d7d7}
blockquote{margin:.6em 0;padding:.3em .8em;border-left:3px solid #3b6ea5;background:#f7f9fc}
cite,.cite{color:#555;font-size:.85em;font-style:normal} details{margin:.2em 0}
svg.provenance,svg.timeline{max-width:100%;height:auto} svg.provenance{max-height:85vh;width:100%}
ol.versions{margin:.3em 0} .figure{overflow-x:auto}
</style>
</head>
<body>
<h1>Dossier: {{ d.title }}</h1>
<p class="meta">Story {{ d.story_id }} · {{ d.articles|length }} articles from
{{ d.outlets|length }} outlets ({{ d.outlets|join(", ") }}){% if d.first_seen %} · {{
when(d.first_seen) }} → {{ when(d.last_seen) }}{% endif %}<br>
{{ d.facts|length }} facts: {% for v in order %}{{ d.verdict_counts[v.value] }}
{{ labels[v] }}{% if not loop.last %} · {% endif %}{% endfor %}.
Rests on {{ d.independent_origins }} independent origin{{ "s" if d.independent_origins != 1 }}
across its main facts (wires, shared texts and named sources counted once, however many outlets
carry them). Currency amounts agree within {{ "%g"|format(d.tolerance * 100) }} % after
conversion at the ECB rate of the publication day.</p>

<h2>What happened</h2>
{% for s in d.summary %}
<blockquote>“{{ s.text }}”<br><span class="cite">[{{ s.citation }}] — {{ s.fact_id }}:
{{ s.outlets }} outlet(s), {{ s.independent_sources }} independent source(s){% if s.hedged %},
hedged{% endif %}</span></blockquote>
{% else %}<p>No statement is reported by its outlets without dispute.</p>{% endfor %}

<h2>Coverage</h2>
<p class="meta">Who reported it and when: each outlet's reports, earliest publisher first, each
headline linked to the original; syndicated copies listed under the report they copy.</p>
{% if coverage %}<div class="figure">{{ coverage }}</div>{% endif %}
<table class="coverage">
<thead><tr><th>Outlet</th><th>First report</th><th>Reports</th></tr></thead><tbody>
{% for row in d.coverage %}<tr><td>{{ row.outlet }}</td><td>{{ when(row.first) }}</td><td>
{% for r in row.reports %}{{ link(r.url, r.title or "(untitled)") }} <span class="cite">({{
when(r.published) }}; article {{ r.article_id }}{% if r.origin %}; carries {{ r.origin }}{%
endif %})</span>{% for c in r.copies %}<br>&nbsp;&nbsp;↳ syndicated copy: {{ c.outlet }}, {{
link(c.url, c.title or "(untitled)") }} <span class="cite">(article {{ c.article_id
}})</span>{% endfor %}{% if not loop.last %}<br>{% endif %}{% endfor %}{% if row.copies_only
%}{% if row.reports %}<br>{% endif %}<span class="cite">syndicated {{ "copies" if
row.copies_only|length > 1 else "copy" }}, listed under the report copied</span>{% endif %}
</td></tr>
{% endfor %}</tbody></table>
<p class="meta">{% if d.not_covered_by %}Not covered by: {{ d.not_covered_by|join(", ") }}
(each reports at least two, and a third, of the {{ d.related_stories }} stories sharing this
one's main entities or places).{% elif d.related_stories %}Every outlet that usually covers
the {{ d.related_stories }} related stories reports this one.{% endif %}</p>

<h2>Key figures</h2>
<p class="meta">Each measured thing two or more outlets report, discrepancies first: every
outlet's figure as written, when it published, whose word it is, and the verdict on that
measure alone.</p>
{% if d.key_figures %}
<table class="key-figures">
<thead><tr><th>Fact</th><th>Measure</th><th>Verdict</th><th>Outlet: figure (published;
source)</th><th>Why</th></tr></thead><tbody>
{% for f in d.key_figures %}<tr class="{{ 'discrepancy' if f.verdict in discrepancies }}">
<td><a href="#{{ f.id }}">{{ f.id }}</a></td><td>{{ f.measure }}</td>
<td class="verdict {{ f.verdict.value }}">{{ labels[f.verdict] }}</td>
<td>{% for v in f.versions %}{{ v.outlet }}: <b>{{ figure(v) }}</b> ({{ when(v.published) }};
{{ v.primary_source }}){% if not loop.last %}<br>{% endif %}{% endfor %}</td>
<td>{{ f.reason }}</td></tr>
{% endfor %}</tbody></table>
{% else %}<p>No figure is reported by two outlets.</p>{% endif %}

<h2>Facts</h2>
<p class="meta">Discrepancies first (conflict, disputed, developing), then agreement, then facts
only one outlet reports. Open a fact for its reason, sources and each outlet's sentence.</p>
<table class="facts">
<thead><tr><th>Fact</th><th>Verdict</th><th>Statement</th><th>Outlets</th>
<th>Independent sources</th><th>Marks</th></tr></thead>
<tbody>
{% for f in d.facts %}
<tr id="{{ f.id }}" class="{{ 'discrepancy' if f.verdict in discrepancies }}">
<td>{{ f.id }}</td><td class="verdict {{ f.verdict.value }}">{{ labels[f.verdict] }}</td>
<td><details><summary>{{ f.statement }}{% if f.detail_of %} <span class="cite">(detail of
<a href="#{{ f.detail_of }}">{{ f.detail_of }}</a>)</span>{% endif %}</summary>
<p>{{ f.reason }}</p>
<ul>{% for s in f.sources %}<li>source <b>{{ s.name }}</b> {{ 'denies it' if s.denies
else 'asserts it' }}{% if s.cited %}, citing {{ s.cited|join(", ") }}{% endif %}; carried by
{{ s.outlets|join(", ") }}</li>{% endfor %}</ul>
<ol class="versions">{% for v in f.versions %}<li><b>{{ v.outlet }}</b>{% if v.copy_of
is not none %} (copy of article {{ v.copy_of }}){% endif %}: “{{ v.sentence }}”
<span class="cite">[{{ cite(v) }}] — {{ v.certainty.value }}{% if v.cues %}
({{ v.cues|join(", ") }}){% endif %}; {% for a in v.chain %}{{ a.name or a.source }}{% if
not loop.last %} → {% endif %}{% endfor %}</span></li>{% endfor %}</ol>
</details></td>
<td>{{ f.outlets|length }}: {{ f.outlets|join(", ") }}</td>
<td>{{ f.independent_sources }}: {{ asserting(f)|join(", ") }}</td>
<td>{% for m in marks(f) %}<span class="mark {{ mark_class(m) }}">{{ m }}</span>{% endfor %}</td>
</tr>
{% endfor %}
</tbody></table>

<h2>Sources</h2>
<p class="meta">Each independent origin the main facts rest on, widest reach first: the outlets
carrying it, the facts, and why several outlets' versions count as this one.</p>
<table class="origins">
<thead><tr><th>Origin</th><th>Kind</th><th>Carried by</th><th>Facts</th><th>Why one origin</th>
</tr></thead><tbody>
{% for o in d.origins %}<tr><td>{{ o.name }}</td><td>{{ o.kind }}</td>
<td>{{ o.outlets|length }}: {{ o.outlets|join(", ") }}</td>
<td>{% for fid in o.facts %}<a href="#{{ fid }}">{{ fid }}</a> {% endfor %}</td>
<td>{{ o.why|join("; ") or "—" }}</td></tr>
{% endfor %}</tbody></table>

<h2>Provenance</h2>
<p class="meta">Who the claims rest on: outlets (left) → intermediaries → primary sources
(right). Hover an arrow for its cue words and facts.{% if d.origins_not_drawn %} The
{{ d.origins_not_drawn }} origins of narrowest reach are listed above, not drawn.{% endif %}</p>
<div class="figure">{{ provenance }}</div>

<h2>Timeline of the event</h2>
<div class="figure">{{ timeline }}</div>
{% for part, entries in (("", d.timeline|reject("in", d.background)|list),
                         ("Background: earlier dates the articles recall", d.background)) %}
{% if entries %}{% if part %}<h3>{{ part }}</h3>{% endif %}
<table class="timeline">
<thead><tr><th>When</th><th>Kind</th><th>What</th><th>Outlets</th><th>Sources</th>
<th>Facts</th></tr></thead><tbody>
{% for e in entries %}<tr><td>{{ e.label }}</td><td>{{ 'published' if e.kind == publication
else (e.granularity.value if e.granularity else 'event') }}</td><td>{{ e.what }}{% if e.mentions
%} <span class="cite">(“{{ e.mentions|join("”, “") }}”)</span>{% endif %}</td>
<td>{{ e.outlets|join(", ") }}</td><td>{{ e.sources|join(", ") or "—" }}</td>
<td>{% for fid in e.facts %}<a href="#{{ fid }}">{{ fid }}</a> {% endfor %}</td></tr>
{% endfor %}</tbody></table>{% endif %}
{% endfor %}

<h2>Articles</h2>
<table class="articles">
<thead><tr><th>Article</th><th>Outlet</th><th>Published</th><th>Title</th><th>Copy of</th>
<th>Claims</th></tr></thead><tbody>
{% for a in d.articles %}<tr><td>{{ a.article_id }}</td><td>{{ a.outlet }}</td>
<td>{{ when(a.published) }}</td><td>{{ a.title or "(untitled)" }}</td>
<td>{{ a.copy_of if a.copy_of is not none else "—" }}</td><td>{{ a.claims }}</td></tr>
{% endfor %}</tbody></table>
</body>
</html>
"""


@cache
def _template() -> Template:
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                      finalize=isolated_html)
    return env.from_string(_PAGE)


def to_html(d: Dossier) -> str:
    """The full standalone page."""
    return _template().render(
        d=d,
        order=VERDICT_ORDER,
        labels=VERDICT_LABELS,
        discrepancies=DISCREPANCIES,
        publication=TimelineKind.PUBLICATION,
        provenance=Markup(provenance_svg(d)),  # escaped by svg.py
        timeline=Markup(timeline_svg(d)),
        coverage=Markup(coverage_svg(d)),
        cite=cite,
        figure=figure_text,
        marks=fact_marks,
        mark_class=_mark_class,
        asserting=lambda f: [s.name for s in f.sources if not s.denies],
        when=when,
        link=_link,
    )


def _link(url: str | None, text: str) -> Markup:
    """A headline linked to its original, where the URL may be a link (http or https)."""
    scheme = (url or "").strip().split(":", 1)[0].lower()
    if url and scheme in ("http", "https"):
        return Markup('<a href="{}" rel="noopener noreferrer">{}</a>').format(
            url.strip(), isolated_html(text))
    return Markup("{}").format(isolated_html(text))


def _mark_class(mark: str) -> str:
    return mark.split()[0] if mark.split()[0] in ("single", "hedged", "denied") else ""
