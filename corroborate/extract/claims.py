"""Claims: each statement of fact or estimate, with the chain of sources it rests on.

A story is only as strong as its independent sources, so every claim says who it rests on,
outermost first: the outlet itself, then each source the text cites ("TV Chosun reported,
citing a South Korean government official, that…" gives outlet → TV Chosun → the
official). Attribution frames (attribution.py) nest: a frame whose cue lies inside another
frame's content is reported through it ("…, according to the report" around "The Pentagon
believes…"). What no frame covers is the outlet's own voice. Each piece of content is cut
into clauses where a sentence joins several claims with "and" or ";", and each clause gets
its certainty (hedging.py). A denial ("Russia and North Korea denied these allegations")
is a claim of its own and also marks the claims it answers as DENIED.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc

from corroborate.extract.attribution import CueKind, Frame, read_attributions
from corroborate.extract.hedging import Through, assess
from corroborate.extract.sources import Resolution, resolve_sources, span_text
from corroborate.extract.spans import Range, char_range, minus, roots
from corroborate.records import Attribution, Certainty, Claim, EntityKind, EntityMention

# A "sentence" this long, or with this many frames, is a list or a dump, not prose: its
# frames are not worked out (only its clauses, in the outlet's voice), so the work stays
# linear in its length.
_MAX_SEGMENT = 1000
_MAX_FRAMES = 64
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
_ANAPHORIC = frozenset({"these", "those", "the", "this", "that", "such", "it", "them",
                        "they", "both", "all"})
_DENIABLE = frozenset({"allegation", "accusation", "charge", "claim", "report", "rumor",
                       "rumour", "suggestion", "assertion", "story", "speculation", "it",
                       "this", "that", "them", "accusations", "allegations", "claims",
                       "reports", "suspicion", "idea", "notion", "which"})
_EDGE_WORDS = frozenset({"that", "and", "but", "or", "so", "while", "whereas"})
_DENIAL_LOOKBACK = 3  # sentences back in which a denial looks for what it denies


@dataclass(slots=True)
class _Draft:
    """A claim before it is frozen: token range, chain, how it was reported, certainty."""

    start: int
    end: int
    segment: Range
    chain: tuple[Attribution, ...]
    frame: Frame | None
    certainty: Certainty = Certainty.ASSERTED
    cues: list[str] = field(default_factory=list)


def find_claims(doc: Doc, entities: Sequence[EntityMention], outlet: str | None) -> list[Claim]:
    """Every statement of fact or estimate in a parsed article, in text order.

    `entities` are the article's entity mentions (character offsets into doc.text); they
    name sources and fill each claim's `entities`. `outlet` heads every chain.
    """
    if not len(doc) or not doc.has_annotation("DEP"):
        return []  # no parse, no sentences: nothing to read a statement off
    reading = read_attributions(doc)
    frames, segs, partners = reading.frames, reading.segments, reading.partners
    resolution = resolve_sources(doc, frames, entities)
    outlet_link = _outlet_attribution(outlet, entities)
    index = {id(f): n for n, f in enumerate(frames)}
    by_segment: dict[int, list[Frame]] = {}
    starts = [s for s, _ in segs]
    for f in frames:
        k = bisect.bisect_right(starts, f.cue[0]) - 1
        if k >= 0 and f.cue[0] < segs[k][1]:
            by_segment.setdefault(k, []).append(f)
    drafts: list[_Draft] = []
    for k, seg in enumerate(segs):
        builder = _SegmentClaims(doc, seg, by_segment.get(k, []), resolution, index,
                                 outlet_link, partners)
        drafts.extend(builder.drafts())
    _apply_denials(doc, drafts)
    ents = sorted(entities, key=lambda m: (m.start, m.end))
    ent_starts = [m.start for m in ents]
    return [_freeze(doc, d, ents, ent_starts) for d in drafts]


def _outlet_attribution(outlet: str | None, entities: Sequence[EntityMention]) -> Attribution:
    """The outlet at the head of every chain, with its entity key when it is mentioned."""
    if outlet is None:
        return Attribution(source="the outlet", cue=None)
    wanted = outlet.casefold()
    for m in entities:
        if m.kind is EntityKind.OUTLET and wanted in (m.name.casefold(), m.text.casefold()):
            return Attribution(source=outlet, cue=None, key=m.key, name=m.name)
    return Attribution(source=outlet, cue=None, name=outlet)


class _SegmentClaims:
    """The claims of one sentence: frames nested by containment, content cut into clauses."""

    def __init__(self, doc: Doc, seg: Range, frames: Sequence[Frame], resolution: Resolution,
                 index: dict[int, int], outlet_link: Attribution,
                 partners: dict[int, int]) -> None:
        self.doc = doc
        self.partners = partners
        self.seg = seg
        self.resolution = resolution
        self.index = index
        self.outlet_link = outlet_link
        # Frames that carry a statement and name its source; the others ("criticized X",
        # "is expected to") stay part of the clause they are in.
        self.frames = [f for f in frames if f.source is not None and f.content
                       and f.kind not in (CueKind.STANCE, CueKind.CITATION)
                       and (f.clausal or f.kind in (CueKind.DENIAL, CueKind.ALLEGATION))]
        if seg[1] - seg[0] > _MAX_SEGMENT or len(self.frames) > _MAX_FRAMES:
            self.frames = []
        self.parent: dict[int, Frame | None] = self._nest()

    def _nest(self) -> dict[int, Frame | None]:
        parent: dict[int, Frame | None] = {id(f): None for f in self.frames}
        for f in self.frames:
            best: Frame | None = None
            for g in self.frames:
                if g is f or not any(a <= f.cue[0] < b for a, b in g.content):
                    continue
                if best is None or _width(g) < _width(best):
                    best = g
            parent[id(f)] = best
        return parent

    def _chain(self, frame: Frame | None, depth: int = 0) -> tuple[Attribution, ...]:
        if frame is None or depth > 8:
            return (self.outlet_link,)
        chain = list(self._chain(self.parent.get(id(frame)), depth + 1))
        n = self.index[id(frame)]
        link = self.resolution.attribution(self.doc, n, frame)
        if link is not None:
            if link.key is None and frame.source is not None:
                link = _unnamed_media(self.doc, frame.source, link)
            chain.append(link)
        for m, c in enumerate(frame.cited):
            ref = self.resolution.cited.get((n, m))
            root = ref.root() if ref is not None else None
            chain.append(Attribution(
                source=span_text(self.doc, c.source), cue=self.doc[c.cue[0]].lower_,
                key=root.key if root else None, name=root.name if root else None))
        if depth == 0:  # "X cites Y as its source": Y is behind X's own statements only
            for behind in self.resolution.behind(n):
                if all(not _same_source(behind, a) for a in chain):
                    chain.append(behind)
        return tuple(chain)

    def _through(self, frame: Frame | None) -> list[Through]:
        out: list[Through] = []
        node = frame
        while node is not None and len(out) < 8:
            cue = self.doc[node.cue[0]]
            source = ""
            if node.source is not None:
                source = self.doc[node.source[0]:node.source[1]].text
            out.append(Through(node.kind, self.doc[node.cue[0]:node.cue[1]].text.lower(),
                               node.negated, cue.tag_ == "VBD", source))
            node = self.parent.get(id(node))
        return out[::-1]

    def drafts(self) -> list[_Draft]:
        out: list[_Draft] = []
        children: dict[int, list[Frame]] = {}
        for f in self.frames:
            p = self.parent[id(f)]
            children.setdefault(id(p) if p is not None else 0, []).append(f)
        # the outlet's own voice: the sentence without its top-level frames
        top = children.get(0, [])
        holes = [r for f in top for r in self._holes(f)]
        for piece in minus([self.seg], holes):
            out.extend(self._clauses(piece, None, need_subject=True))
        for f in self.frames:
            holes = [r for c in children.get(id(f), []) for r in self._holes(c)]
            for piece in minus(f.content, holes):
                out.extend(self._clauses(piece, f, need_subject=False))
        out.sort(key=lambda d: d.start)
        return out

    def _holes(self, f: Frame) -> list[Range]:
        """What a frame takes out of the clause around it: cue, content, "citing X", and its
        source when that is the cue's own subject (not one shared with the verb before:
        "X commented on the deal, stating …" keeps "X commented on the deal")."""
        out = [f.cue, *f.content, *((c.cue[0], c.source[1]) for c in f.cited)]
        if f.source is not None and (f.lemma == ":" or any(
                f.cue[0] <= self.doc[i].head.i < f.cue[1] + 1
                for i in range(f.source[0], f.source[1]))):
            out.append(f.source)
        return out

    def _clauses(self, piece: Range, frame: Frame | None, need_subject: bool) -> list[_Draft]:
        """Claims in one stretch of content: one per clause joined by "and" or ";"."""
        doc = self.doc
        piece = _trim(doc, *piece, self.partners)
        if piece[1] - piece[0] < 2 and not (frame and frame.kind is CueKind.DENIAL):
            return []
        chain: tuple[Attribution, ...] | None = None
        through: list[Through] | None = None
        out = []
        for part in _split(doc, piece):
            start, end = _trim(doc, *part, self.partners)
            if not _is_claim(doc, start, end, frame, need_subject):
                continue
            if chain is None:
                chain = self._chain(frame)
                through = self._through(frame)
            certainty, cues = assess(doc, (start, end), through or ())
            out.append(_Draft(start, end, self.seg, chain, frame, certainty, list(cues)))
        return out


def _split(doc: Doc, piece: Range) -> list[Range]:
    """Cut at clauses coordinated with the piece's main clause that have their own subject,
    and after semicolons, so "A has 10 brigades, and B could receive…" gives two claims."""
    start, end = piece
    cuts: set[int] = set()
    todo = roots(doc, start, end, 16)
    seen = 0
    while todo and seen < 64:
        tok = todo.pop()
        seen += 1
        for c in tok.children:
            if c.dep_ == "conj" and start <= c.i < end and c.pos_ in ("VERB", "AUX"):
                todo.append(c)
                if any(g.dep_ in _SUBJECTS for g in c.children):
                    cuts.add(c.left_edge.i)
    for i in range(start, end):
        if doc[i].text == ";" and _depth_zero(doc, i, start, end):
            cuts.add(i + 1)
    bounds = [start, *sorted(c for c in cuts if start < c < end), end]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _depth_zero(doc: Doc, i: int, start: int, end: int) -> bool:
    """A semicolon that separates clauses of the piece, not items inside a quotation."""
    head = doc[i].head
    return not start <= head.head.i < end or head.head.i == head.i or head.dep_ in (
        "ROOT", "conj", "ccomp", "parataxis")


def _trim(doc: Doc, start: int, end: int, partners: dict[int, int]) -> Range:
    """Content only: no leading "that"/"and", no quotation marks around the whole of it, no
    trailing punctuation; a quotation that opens inside keeps its closing mark."""
    while start < end:
        tok = doc[start]
        if tok.is_space or tok.is_punct or (tok.lower_ in _EDGE_WORDS and tok.dep_ in (
                "mark", "cc", "advmod")):
            start += 1
        else:
            break
    while end > start:
        tok = doc[end - 1]
        if tok.is_space or (tok.is_punct and tok.text not in (")", "%", "]")) or (
                tok.dep_ == "cc" and tok.lower_ in _EDGE_WORDS):
            end -= 1
        else:
            break
    for i in range(start, end):
        j = partners.get(i)
        if j is not None and j >= end and j - end < 3:
            end = j + 1  # «would become “cannon fodder,”»
        elif j is not None and j < start and start - j < 3:
            start = j
    return start, end


def _is_claim(doc: Doc, start: int, end: int, frame: Frame | None, need_subject: bool) -> bool:
    """A statement needs a verb; the outlet's own ones also a subject (not headings, not
    imperatives like "Read also")."""
    if end <= start:
        return False
    if frame is not None and frame.kind is CueKind.DENIAL and not frame.clausal:
        return True  # "denied these allegations": the denial itself is the claim
    words = 0
    verbs = []
    for tok in doc[start:end]:  # one pass: indexing a Doc token by token costs
        if not tok.is_punct and not tok.is_space:
            words += 1
        if tok.pos_ in ("VERB", "AUX"):
            verbs.append(tok)
    if words < 3 or not verbs:
        return False
    if not need_subject:
        return True
    subjects = [c for v in verbs for c in v.children if c.dep_ in _SUBJECTS and start <= c.i < end
                and (v.dep_ not in ("amod", "acl", "relcl") or v.head.i < start)]
    if not subjects:
        return False
    # the outlet talking to its readers ("You could join our community") states no fact
    main = min(subjects, key=lambda t: t.i)
    return main.lower_ not in ("you", "we", "i")


def _apply_denials(doc: Doc, drafts: list[_Draft]) -> None:
    """ "X denied these allegations": the allegations of the sentences before are DENIED.

    The nearest earlier sentence with a claim reported through an allegation ("accused",
    "claimed") wins; failing that, one reported through any source; failing that, the
    sentence just before. A plural ("denied the claims") reaches back over the run of
    sentences before that report other sources' words, not just the nearest one. "…, which
    X denies" answers the statement it follows in its own sentence.
    """
    for n, d in enumerate(drafts):
        f = d.frame
        if f is None or f.kind is not CueKind.DENIAL or f.clausal or f.negated:
            continue
        if not _anaphoric(doc, f):
            continue
        if doc[f.content[0][0]].lower_ == "which":
            earlier = [e for e in drafts[:n] if e.segment == d.segment and e.end <= d.start]
        else:
            earlier = [e for e in drafts[:n] if e.segment[0] < d.segment[0]]
        cue = doc[f.cue[0]:f.cue[1]].text.lower()
        for e in _denied(earlier, d.chain[-1], _plural(doc, f)):
            e.certainty = Certainty.DENIED
            if cue not in e.cues:
                e.cues.insert(0, cue)


def _denied(earlier: list[_Draft], denier: Attribution, plural: bool) -> list[_Draft]:
    """What a denial answers among the claims before it (see _apply_denials)."""
    segs = sorted({e.segment for e in earlier}, reverse=True)[:_DENIAL_LOOKBACK]
    picks = (lambda e: e.frame is not None and e.frame.kind is CueKind.ALLEGATION,
             lambda e: e.frame is not None and len(e.chain) > 1
             and not _same_source(e.chain[-1], denier),
             lambda e: True)
    for tier, pick in enumerate(picks):
        if tier == len(picks) - 1:
            segs = segs[:1]  # the last resort is only the sentence just before
        for k, seg in enumerate(segs):
            target = [e for e in earlier if e.segment == seg and pick(e)]
            if not target:
                continue
            for more in segs[k + 1:] if plural else ():
                run = [e for e in earlier if e.segment == more and pick(e)]
                if not run:
                    break  # the run of reported sentences ends
                target += run
            return target
    return []


def _plural(doc: Doc, frame: Frame) -> bool:
    """ "denied the claims", "rejected them": more than the last thing said."""
    start, end = frame.content[0]
    return any(doc[i].tag_ == "NNS" or doc[i].lower_ in ("these", "those", "them", "they")
               for i in range(start, end))


def _anaphoric(doc: Doc, frame: Frame) -> bool:
    """Does the denied thing point back ("these allegations", "it", "the claims")?"""
    start, end = frame.content[0]
    words = [doc[i] for i in range(start, end) if not doc[i].is_punct]
    if not words or len(words) > 6:
        return False
    head = max(words, key=lambda t: t.dep_ in ("dobj", "pobj", "nsubj", "ROOT"))
    for tok in words:
        if tok.head.i < start or tok.head.i >= end:
            head = tok
    lemma = head.lemma_.lower()
    return lemma in _DENIABLE and (
        head.pos_ == "PRON" or any(t.lower_ in _ANAPHORIC for t in words))


def _freeze(doc: Doc, d: _Draft, ents: Sequence[EntityMention], starts: list[int]) -> Claim:
    start, end = char_range(doc, (d.start, d.end))
    s_start, s_end = char_range(doc, d.segment)
    keys: list[str] = []
    k = bisect.bisect_left(starts, start)
    while k < len(ents) and ents[k].start < end:
        m = ents[k]
        if m.end <= end and m.key not in keys:
            keys.append(m.key)
        k += 1
    # the span's own text, not doc.text[...]: spaCy rebuilds doc.text on every access
    return Claim(start=start, end=end, text=doc[d.start:d.end].text, sentence_start=s_start,
                 sentence_end=s_end, chain=d.chain, certainty=d.certainty,
                 cues=tuple(d.cues), entities=tuple(keys))


_PRESS = frozenset({"media", "medium", "press"})


def _unnamed_media(doc: Doc, source: Range, link: Attribution) -> Attribution:
    """ "South Korean media", "Unofficial media reports": the press, unnamed. They get a key
    of their own ("media:south korean", "media:unnamed"), so that the chain says who the
    claim rests on, but no name: which outlet they are is for the story to tell (one
    article citing one outlet means that outlet's reports)."""
    span = doc[source[0]:source[1]]
    head = next((t for t in span if not source[0] <= t.head.i < source[1] or t.head.i == t.i),
                span[-1])
    lemma = head.lemma_.lower()
    press = lemma in _PRESS or (lemma == "report" and any(
        c.lemma_.lower() in _PRESS for c in head.children))
    if not press or any(t.pos_ == "PROPN" and t.ent_type_ not in ("NORP", "GPE")
                        for t in span):
        return link
    whose = " ".join(t.lower_ for t in span if t.ent_type_ in ("NORP", "GPE"))
    return Attribution(link.source, link.cue, f"media:{whose or 'unnamed'}", link.name)


def _width(f: Frame) -> int:
    return sum(b - a for a, b in f.content)


def _same_source(a: Attribution, b: Attribution) -> bool:
    if a.key is not None and a.key == b.key:
        return True
    return a.source.casefold() == b.source.casefold()
