"""Who a source is: entity keys for named sources, antecedents for "the channel" and "he".

Claims are only comparable across outlets when their sources are: "The South Korean
television channel" must count as TV Chosun, or one report looks like two independent ones.
Sources are resolved in text order, each to a referent: the entity mention under its head
word when there is one; for a definite description ("the channel", "the ministry") or a
pronoun, the most recent compatible source or entity before it; otherwise a new referent.
A bare description that comes first ("South Korean TV channel reports…") is merged into the
first compatible named source that follows closely ("TV Chosun reported…").

"X cites Y as its source" is recorded on X's referent, so every claim resting on X also
rests on Y, before or after that sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from corroborate.extract.attribution import Frame
from corroborate.extract.spans import Range, char_range
from corroborate.records import Attribution, EntityKind, EntityMention

OUTLET_NOUNS = frozenset({
    "channel", "broadcaster", "network", "newspaper", "paper", "daily", "agency", "outlet",
    "station", "tabloid", "website", "site", "magazine", "publication", "television", "wire",
    "weekly", "media", "medium",
})
ORG_NOUNS = frozenset({
    "ministry", "department", "agency", "institute", "organization", "organisation", "group",
    "company", "firm", "government", "administration", "office", "committee", "council",
    "commission", "bureau", "army", "military", "alliance", "party", "campaign", "court",
    "union", "bank", "fund", "tank", "center", "centre", "foundation", "coalition",
    "authority", "authorities", "regime", "service", "command", "cabinet", "parliament",
    "embassy", "police", "university", "board", "body", "watchdog", "team",
})
# Organization nouns specific enough that "the ministry" needs a ministry before it.
_SPECIFIC_ORG = frozenset({
    "ministry", "department", "institute", "committee", "council", "commission", "bureau",
    "army", "court", "bank", "fund", "tank", "embassy", "police", "university", "parliament",
    "union", "party", "agency", "service", "command",
})
# Institution nouns general enough to stand for any organization: "the group" can be a
# union or a company; "the authority" cannot be a union.
_GENERIC_ORG = frozenset({"organization", "organisation", "group", "body"})
# Institution nouns that news uses for one another ("the administration" ... "the government").
_ORG_SYNONYMS = (
    frozenset({"government", "administration", "regime", "authorities", "authority",
               "cabinet"}),  # spaCy lemmatizes "the authorities" to "authority"
    frozenset({"company", "firm"}),
    frozenset({"army", "military"}),
    frozenset({"center", "centre"}),
    frozenset({"organization", "organisation"}),
)
PERSON_NOUNS = frozenset({
    "official", "spokesman", "spokeswoman", "spokesperson", "minister", "president",
    "senator", "leader", "candidate", "governor", "secretary", "analyst", "expert",
    "diplomat", "general", "commander", "chairman", "chairwoman", "chair", "director",
    "ambassador", "lawmaker", "congressman", "congresswoman", "representative", "mayor",
    "premier", "chancellor", "dictator", "businessman", "billionaire", "nominee", "aide",
    "adviser", "advisor", "source", "man", "woman", "officer", "economist", "researcher",
    "author", "reporter", "journalist", "correspondent", "host", "moderator", "prosecutor",
    "judge", "lawyer", "attorney", "king", "emperor", "mogul", "chief", "executive",
    "strategist", "pollster", "manager", "democrat", "republican", "frontrunner", "envoy",
})
# Words that mark a name as a media outlet when no entity mention says so.
_OUTLET_HINTS = frozenset({
    "tv", "news", "times", "post", "journal", "herald", "tribune", "radio", "press",
    "agency", "broadcasting", "television", "channel", "gazette", "daily", "telegraph",
    "network", "newspaper", "magazine", "wire",
})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
_IMPERSONAL = frozenset({"it"})
_SPACY_KINDS = {"ORG": EntityKind.ORGANIZATION, "PERSON": EntityKind.PERSON,
                "GPE": EntityKind.COUNTRY, "LOC": EntityKind.PLACE, "FAC": EntityKind.PLACE}
_MERGE_WINDOW = 800  # characters: a bare description and the name that follows it


@dataclass(slots=True, eq=False)
class Referent:
    """One source of an article, however many times and ways it is mentioned."""

    key: str | None
    name: str | None
    kind: EntityKind | None
    head: str  # lemma of the head word: "channel", "ministry", "chosun"
    text: str
    position: int  # character offset of its latest mention
    named: bool
    described: bool = False  # a bare description not yet tied to a name
    modifiers: tuple[str, ...] = ()  # noun modifiers of a description ("crisis" centre)
    behind: list[Attribution] = field(default_factory=list)
    parent: Referent | None = None

    def root(self) -> Referent:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


@dataclass(slots=True)
class Resolution:
    """Referents of each frame's source and of each "citing X", by frame index."""

    sources: list[Referent | None]
    cited: dict[tuple[int, int], Referent | None]

    def attribution(self, doc: Doc, frame_index: int, frame: Frame) -> Attribution | None:
        """The chain link for a frame, or None when the text names no source."""
        if frame.source is None:
            return None
        ref = self.sources[frame_index]
        root = ref.root() if ref is not None else None
        return Attribution(
            source=span_text(doc, frame.source), cue=cue_text(doc, frame),
            key=root.key if root else None, name=root.name if root else None)

    def behind(self, frame_index: int) -> list[Attribution]:
        """Sources the frame's source is said to rely on ("cites X as its source")."""
        ref = self.sources[frame_index]
        return list(ref.root().behind) if ref is not None else []


def span_text(doc: Doc, rng: Range) -> str:
    """A span as written, without the commas and dashes around it (not doc.text: spaCy
    builds that string anew on every access)."""
    return doc[rng[0]:rng[1]].text.strip(" ,\n\t—")


def cue_text(doc: Doc, frame: Frame) -> str:
    return span_text(doc, frame.cue).lower() if frame.lemma != ":" else ":"


def resolve_sources(doc: Doc, frames: Sequence[Frame],
                    entities: Sequence[EntityMention]) -> Resolution:
    """Referents for every frame source, in text order, plus source declarations."""
    resolver = _Resolver(doc, entities)
    declared = _declarations(doc)
    events: list[tuple[int, int, object]] = []
    for n, f in enumerate(frames):
        if f.source is not None:
            events.append((f.source[0], 0, n))
    for d in declared:
        events.append((d[0][0], 1, d))
    events.sort(key=lambda e: (e[0], e[1]))
    sources: list[Referent | None] = [None] * len(frames)
    cited: dict[tuple[int, int], Referent | None] = {}
    for _, what, item in events:
        if what == 0:
            n = item  # type: ignore[assignment]
            assert isinstance(n, int)
            frame = frames[n]
            assert frame.source is not None
            sources[n] = resolver.resolve(frame.source)
            for m, c in enumerate(frame.cited):
                cited[n, m] = resolver.resolve(c.source)
        else:
            subject, obj, cue = item  # type: ignore[misc]
            ref = resolver.resolve(subject)
            if ref is None:
                continue
            behind = resolver.resolve(obj)
            root = behind.root() if behind is not None else None
            link = Attribution(source=span_text(doc, obj), cue=span_text(doc, cue).lower(),
                               key=root.key if root else None, name=root.name if root else None)
            target = ref.root()
            if all(a.source != link.source for a in target.behind):
                target.behind.append(link)
    return Resolution(sources, cited)


def _declarations(doc: Doc) -> list[tuple[Range, Range, Range]]:
    """ "The channel cites a South Korean government official as its source."

    (subject, cited source, cue) for "X cites/quotes/names Y as its source" and for
    "X cites Y" when Y is a person-like source ("officials", "a diplomat").
    """
    out = []
    for tok in doc:
        if tok.lemma_ not in ("cite", "quote", "name", "identify") or tok.pos_ != "VERB":
            continue
        if tok.tag_ == "VBG" or any(c.dep_ == "ccomp" for c in tok.children):
            continue  # "citing X" belongs to a frame; "cites that…" is speech
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        obj = [c for c in tok.children if c.dep_ == "dobj"]
        if not subj or not obj:
            continue
        as_source = any(
            c.dep_ == "prep" and c.lower_ == "as" and any(
                g.lemma_ in ("source", "informant") for g in c.subtree)
            for c in [*tok.children, *obj[0].children])
        if not as_source and (tok.lemma_ != "cite" or obj[0].lemma_ not in PERSON_NOUNS):
            continue
        o = obj[0]
        end = o.i + 1
        for c in o.children:
            if (c.i > o.i and c.dep_ in ("compound", "amod", "appos")) or (
                    c.i > o.i and c.dep_ == "prep" and c.lower_ != "as"):
                end = max(end, c.right_edge.i + 1)
        s = subj[0]
        out.append(((s.left_edge.i, s.right_edge.i + 1), (o.left_edge.i, end),
                    (tok.i, tok.i + 1)))
    return out


class _Resolver:
    """Keeps the referents seen so far and finds antecedents among them."""

    def __init__(self, doc: Doc, entities: Sequence[EntityMention]) -> None:
        self.doc = doc
        self.entities = sorted(entities, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.entities]
        self.referents: list[Referent] = []
        self.by_key: dict[str, Referent] = {}
        self.seen: dict[Range, Referent | None] = {}

    def resolve(self, rng: Range) -> Referent | None:
        """The referent of a source span (the same span twice gives the same referent)."""
        if rng in self.seen:
            ref = self.seen[rng]
            return ref.root() if ref is not None else None
        ref = self._resolve(rng)
        self.seen[rng] = ref
        return ref

    def _resolve(self, rng: Range) -> Referent | None:
        doc = self.doc
        span = doc[rng[0]:rng[1]]
        if not len(span):
            return None
        if len(span) == 1 and span[0].lower_ in _RELATIVE and span[0].head.dep_ == "relcl":
            noun = span[0].head.head  # "Smith, who said…": the noun the clause hangs on
            if noun.i < span.start:
                return self.resolve((noun.left_edge.i, noun.i + 1))
        head = _head(span)
        start, _ = char_range(doc, rng)
        heads = [head, *(c for c in head.children if c.dep_ == "conj" and c.i < rng[1])]
        # "the Flemish broadcaster Radio Scheldeland": the name is an apposition of the head
        mentions = self._mentions_at(heads) or self._mentions_at(
            [c for c in head.children if c.dep_ == "appos" and c.i < rng[1]])
        if mentions:
            return self._from_mentions(mentions, span, head, start)
        lower = head.lower_
        if len(span) == 1 and lower in _PERSONAL:
            return self._latest(start, lambda r: r.kind is EntityKind.PERSON,
                                EntityKind.PERSON)
        if len(span) == 1 and lower in _IMPERSONAL:
            return self._latest(start, lambda r: r.kind in (EntityKind.OUTLET,
                                                            EntityKind.ORGANIZATION), None)
        # "The US administration" names one; "The South Korean television channel" does not
        # (a lower-case "proper noun" is the small model's mistake: "the harbour union")
        named = any(t.pos_ == "PROPN" and t.ent_type_ != "NORP" and t.text[:1].isupper()
                    for t in span)
        lemma = head.lemma_.lower()
        if not named and span[0].lower_ in _DEFINITE and _describes(lemma):
            # "the crisis centre" is not any earlier organization: a noun modifier of an
            # organization or person description must appear in what it refers back to.
            # (Outlets are exempt: "the television channel" names TV Chosun.)
            modifiers = _modifiers(span, lemma)
            found = self._latest(
                start,
                lambda r: _compatible(lemma, r) and all(m in r.text.lower() for m in modifiers),
                _kind_of_noun(lemma), lemma)
            if found is not None:
                found.position = start
                return found
        text = _clean(span.text)
        kind = _guess_kind(span, head)
        for ref in reversed(self.referents):
            if ref.text.lower() == text.lower() and (named or ref.described is False):
                ref.position = start
                return ref.root()
        ref = Referent(key=None, name=text if named else None, kind=kind, head=lemma,
                       text=text, position=start, named=named,
                       described=not named and _describes(lemma) and head.tag_ != "NNS"
                       and lemma not in ("media", "medium"),
                       modifiers=() if named else _modifiers(span, lemma))
        if named:
            self._merge_descriptions(ref)
        self.referents.append(ref)
        return ref

    # -- entity mentions

    def _mentions_at(self, heads: Sequence[Token]) -> list[EntityMention]:
        found: list[EntityMention] = []
        for tok in heads:
            pos = bisect.bisect_right(self.starts, tok.idx) - 1
            for k in range(pos, max(pos - 4, -1), -1):
                m = self.entities[k]
                if m.start <= tok.idx < m.end:
                    if all(f.key != m.key for f in found):
                        found.append(m)
                    break
        return found

    def _from_mentions(self, mentions: Sequence[EntityMention], span: Span, head: Token,
                       start: int) -> Referent:
        if len(mentions) == 1:
            m = mentions[0]
            ref = self.by_key.get(m.key)
            if ref is None:
                ref = Referent(m.key, m.name, m.kind, head.lemma_.lower(), m.name, start,
                               named=True)
                self._merge_descriptions(ref)
                self.by_key[m.key] = ref
                self.referents.append(ref)
            ref.position = start
            return ref.root()
        # "Russia and North Korea": several entities speak together; no single key
        name = " and ".join(m.name for m in mentions)
        ref = Referent(None, name, mentions[0].kind, head.lemma_.lower(), _clean(span.text),
                       start, named=True)
        self.referents.append(ref)
        return ref

    def _entity_before(self, start: int, test: object) -> Referent | None:
        pos = bisect.bisect_left(self.starts, start) - 1
        for k in range(pos, max(pos - 200, -1), -1):
            m = self.entities[k]
            probe = Referent(m.key, m.name, m.kind, m.name.split()[-1].lower(), m.name,
                             m.start, named=True)
            if test(probe):  # type: ignore[operator]
                ref = self.by_key.get(m.key)
                if ref is None:
                    ref = probe
                    self.by_key[m.key] = ref
                    self.referents.append(ref)
                return ref.root()
        return None

    # -- antecedents

    def _latest(self, start: int, test: object, kind: EntityKind | None,
                lemma: str | None = None) -> Referent | None:
        """The closest earlier compatible source, or entity mention, whichever is nearer."""
        best: Referent | None = None
        if lemma is not None:  # the same head noun first: "the channel" after "TV channel"
            for ref in reversed(self.referents):
                if ref.position < start and ref.root().head == lemma:
                    best = ref.root()
                    break
        if best is None:
            for ref in reversed(self.referents):
                root = ref.root()
                if ref.position < start and test(root):  # type: ignore[operator]
                    best = root
                    break
        entity = self._entity_before(start, test) if kind is not None or lemma else None
        if entity is not None and (best is None or (entity.position > best.position
                                                     and best.key != entity.key)):
            best = entity
        return best

    def _merge_descriptions(self, named: Referent) -> None:
        """Tie a bare description just before ("South Korean TV channel") to this name."""
        for ref in reversed(self.referents):
            if named.position - ref.position > _MERGE_WINDOW:
                break
            if ref.named and ref.parent is None and _same_class(ref, named):
                return  # a compatible name in between: the description was not this one
            if (ref.described and ref.parent is None and _compatible(ref.head, named)
                    and all(m in named.text.lower() for m in ref.modifiers)):
                ref.parent = named
                ref.described = False
                named.behind.extend(a for a in ref.behind if a not in named.behind)
                return


def _modifiers(span: Span, lemma: str) -> tuple[str, ...]:
    """Noun modifiers that a name must share to be what an org/person description means.

    "the crisis centre" is not Scheldt Bulk Storage; outlets are exempt, since "the
    television channel" does name TV Chosun.
    """
    if lemma in OUTLET_NOUNS:
        return ()
    return tuple(t.lower_ for t in span if t.dep_ == "compound" and t.pos_ == "NOUN")


def _head(span: Span) -> Token:
    """The word the span's parse hangs from (spans here are subtrees, so one root)."""
    for tok in span:
        if tok.head.i < span.start or tok.head.i >= span.end or tok.head.i == tok.i:
            return tok
    return span[-1]


def _clean(text: str) -> str:
    return " ".join(text.strip(" ,\n\t—").split())


def _describes(lemma: str) -> bool:
    return lemma in OUTLET_NOUNS or lemma in ORG_NOUNS or lemma in PERSON_NOUNS


def _kind_of_noun(lemma: str) -> EntityKind | None:
    if lemma in OUTLET_NOUNS:
        return EntityKind.OUTLET
    if lemma in ORG_NOUNS:
        return EntityKind.ORGANIZATION
    if lemma in PERSON_NOUNS:
        return EntityKind.PERSON
    return None


def _compatible(lemma: str, ref: Referent) -> bool:
    """Can "the <lemma>" refer to this referent?"""
    text = ref.text.lower()
    if ref.head == lemma:
        return True
    if ref.kind is not EntityKind.OUTLET and not _heads_agree(lemma, ref.head):
        return False  # outlets are exempt: "the agency" may be a news service
    if lemma in OUTLET_NOUNS and (ref.kind is EntityKind.OUTLET or ref.head in OUTLET_NOUNS):
        return True
    if lemma in ORG_NOUNS and ref.kind is EntityKind.ORGANIZATION:
        return lemma not in _SPECIFIC_ORG or lemma in text
    if lemma in ("government", "administration", "authorities", "regime"):
        return ref.kind is EntityKind.COUNTRY
    return lemma in PERSON_NOUNS and ref.kind is EntityKind.PERSON and lemma not in (
        "source", "expert", "analyst", "official")


def _heads_agree(lemma: str, head: str) -> bool:
    """Does an organization description's head noun agree with the head of a name?

    A name whose own head is an institution noun says what kind of body it is: "the port
    authority" is not the Port Workers Union, though both are organizations sharing a word.
    Generic nouns ("the group") and synonyms ("the government" for "the US administration")
    still agree; a name headed by a proper noun ("Scheldt Bulk Storage") says nothing.
    """
    if lemma == head or lemma not in ORG_NOUNS or head not in ORG_NOUNS:
        return True
    if lemma in _GENERIC_ORG:
        return True
    return any(lemma in family and head in family for family in _ORG_SYNONYMS)


def _same_class(a: Referent, b: Referent) -> bool:
    return a.kind is not None and a.kind is b.kind


def _guess_kind(span: Span, head: Token) -> EntityKind | None:
    """Kind of a source no entity mention covers: outlet words, then spaCy's label."""
    words = {t.lower_ for t in span}
    lemma = head.lemma_.lower()
    if any(t.pos_ == "PROPN" for t in span) and words & _OUTLET_HINTS:
        return EntityKind.OUTLET
    noun_kind = _kind_of_noun(lemma)
    if noun_kind is not None:
        return noun_kind
    return _SPACY_KINDS.get(head.ent_type_)
