"""Every claim of a story's articles, prepared for alignment: identity, role, figures, dates.

A claim either asserts something (through its chain of sources) or, when a source of its
chain denies ("Scheldt Bulk Storage denied the allegation"), denies something. A denial whose
words only point back ("these allegations", "which") is attached to what it denies, the claims
the extract stage marked DENIED just before it; a denial with content of its own ("rejected
accusations that inspections had been postponed") is aligned like any claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from corroborate.crosscheck.chains import (
    Node,
    SourceResolver,
    cited_outlets,
    words,
)
from corroborate.crosscheck.origins import SharedOrigin, article_origins, text_links
from corroborate.outlets import OutletIdentity, fold_name, outlet_table
from corroborate.records import (
    AmountMention,
    ArticleRef,
    Certainty,
    Claim,
    Extraction,
    Granularity,
    StoredArticle,
    TimeMention,
)

DENIAL_CUES = frozenset({"deny", "denies", "denied", "denying", "reject", "rejects", "rejected",
                         "rejecting", "dismiss", "dismisses", "dismissed", "refute", "refuted",
                         "dispute", "disputed", "disputes", "rebut", "rebutted", "contradict",
                         "contradicted", "repudiated", "disavowed"})
_ANAPHORA = re.compile(
    r"^(?:(?:the|these|those|this|that|such|all|both|its|their)\s+)?(?:allegations?|claims?|"
    r"accusations?|charges?|reports?|assertions?|suggestions?|statements?|figures?|accounts?)$"
    r"|^(?:which|it|this|that|them|these|those|so)$",
    re.IGNORECASE,
)
_LOCAL_TIME_GUESS = "publication day assumed"


@dataclass(slots=True)
class Statement:
    """One claim of one article, with what alignment and the verdicts need."""

    index: int
    ref: ArticleRef
    order: int  # article order in the story (by publication time)
    claim: Claim
    text: str  # the article's clean text
    sentence: str
    paragraph: int
    outlet_id: str  # outlet key; a syndicated copy takes its original's
    original_outlet: str  # the outlet's name; a syndicated copy's original's
    published: datetime | None  # naive UTC; a copy takes its original's
    path: tuple[Node, ...]  # resolved chain after the outlet (empty: the outlet's own)
    denies: bool
    anaphoric: bool
    amounts: tuple[AmountMention, ...]
    times: tuple[TimeMention, ...]  # firm dates of the claim itself
    context_times: tuple[TimeMention, ...]  # inherited from the paragraph when it has none
    sentence_entities: frozenset[str] = frozenset()  # entity keys anywhere in its sentence
    denied_targets: list[int] = field(default_factory=list)  # for anaphoric denials
    negated: bool = False  # its main verb is negated ("was not born"); set by align's parse
    predicate: str | None = None  # that main verb's lemma ("bear"); None for light verbs
    subject: str | None = None  # that verb's subject's head lemma ("house"), when it has one

    @property
    def article_id(self) -> int:
        return self.ref.article_id

    @property
    def is_copy(self) -> bool:
        return self.ref.copy_of is not None

    @property
    def hedged(self) -> bool:
        return self.claim.certainty in (Certainty.HEDGED, Certainty.CONDITIONAL,
                                        Certainty.QUESTIONED)

    @property
    def dated(self) -> tuple[TimeMention, ...]:
        return self.times or self.context_times


def outlet_identity(stored: StoredArticle) -> OutletIdentity:
    """The publisher: a known outlet's name, else the name given, else the web domain, else
    the article number when nothing says.
    """
    identity = outlet_table().identify(stored.article.outlet, stored.article.url)
    if identity.key == "outlet:unknown":
        return OutletIdentity(f"outlet:article-{stored.id}", f"article {stored.id}")
    return identity


def naive_utc(value: datetime | None) -> datetime | None:
    """Publication times mix aware and naive values; compare them all as naive UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _identities(articles: Sequence[tuple[StoredArticle, Extraction]]) -> list[OutletIdentity]:
    identities = [outlet_identity(stored) for stored, _ in articles]
    # a bare outlet name that another article of the story gives with its web domain
    with_domain = {fold_name(i.name): i for i in identities if i.domain}
    return [i if i.domain else with_domain.get(fold_name(i.name), i) for i in identities]


def _copies(articles: Sequence[tuple[StoredArticle, Extraction]]) -> dict[int, int]:
    """Near-duplicate copy → its original, both in the story."""
    present = {stored.id for stored, _ in articles}
    return {stored.id: stored.near_duplicate_of for stored, _ in articles
            if stored.near_duplicate_of is not None and stored.near_duplicate_of in present
            and stored.near_duplicate_of != stored.id}


def shared_origins(articles: Sequence[tuple[StoredArticle, Extraction]],
                   identities: Sequence[OutletIdentity] | None = None,
                   ) -> dict[int, SharedOrigin]:
    """The wire or shared text behind each article that has one (see origins.py)."""
    copies = _copies(articles)
    identities = identities if identities is not None else _identities(articles)
    return article_origins([(stored.id, identity.name, stored.article.text, copies.get(stored.id))
                            for (stored, _), identity in zip(articles, identities, strict=True)])


def article_refs(articles: Sequence[tuple[StoredArticle, Extraction]],
                 origins: dict[int, SharedOrigin] | None = None) -> list[ArticleRef]:
    """The story's articles in publication order (undated last), ties broken by id, each with
    its outlet's identity and the shared origin it carries (`origins`, computed if None)."""
    identities = _identities(articles)
    copies = _copies(articles)
    origins = origins if origins is not None else shared_origins(articles, identities)
    links = text_links([(stored.id, stored.article.text) for stored, _ in articles])
    refs = []
    for (stored, extraction), identity in zip(articles, identities, strict=True):
        origin = origins.get(stored.id)
        copy_of = copies.get(stored.id)
        if origin is not None and copy_of in origin.articles:
            copy_of = None  # both carry a text others carry too: co-carriers, not a copy
        refs.append(ArticleRef(
            article_id=stored.id,
            outlet=identity.name,
            outlet_key=identity.key,
            host=identity.domain,
            origin=origin.key if origin is not None else None,
            title=stored.article.title,
            published=stored.article.published,
            published_via=stored.article.published_via,
            url=stored.article.url,
            copy_of=copy_of,
            claims=len(extraction.claims) if extraction.skipped is None else 0,
            shares_text_with=tuple(sorted(links.get(stored.id, ()))),
        ))
    return sorted(refs, key=lambda r: (naive_utc(r.published) or datetime.max, r.article_id))


def build_statements(articles: Sequence[tuple[StoredArticle, Extraction]],
                     refs: Sequence[ArticleRef],
                     origins: dict[int, SharedOrigin] | None = None) -> list[Statement]:
    """Every claim as a statement whose chain runs through the article's shared origin (the
    credited wire, or the text it shares with other outlets) when it has one."""
    origins = origins or {}
    by_id = {stored.id: (stored, extraction) for stored, extraction in articles}
    ref_by_id = {r.article_id: r for r in refs}
    usable = [(by_id[r.article_id], r) for r in refs if by_id[r.article_id][1].skipped is None]
    resolver = SourceResolver([c.chain for (_, ex), _ in usable for c in ex.claims],
                              {r.outlet_key: r.outlet for r in refs})
    out: list[Statement] = []
    for order, ((stored, extraction), ref) in enumerate(usable):
        original = ref_by_id[ref.copy_of] if ref.copy_of is not None else ref
        published = naive_utc(original.published)
        text = stored.article.text
        paragraphs = _paragraph_starts(text)
        cited = cited_outlets([c.chain for c in extraction.claims], ref.outlet_key)
        first = len(out)
        shared = origins.get(ref.article_id) if ref.origin else None
        via = shared.key if shared is not None else original.outlet_key
        claims = extraction.claims
        paths: list[tuple[Node, ...]] = [()] * len(claims)
        previous: Node | None = None  # the source the article named last, for "It", "They"
        for i in sorted(range(len(claims)), key=lambda k: (claims[k].start, k)):
            c = claims[i]
            paths[i] = resolver.resolve(c.chain, via, cited,
                                        text[c.sentence_start:c.sentence_end], previous)
            previous = next((n for n in reversed(paths[i]) if n.key != via), previous)
        for claim, path in zip(extraction.claims, paths, strict=True):
            if shared is not None and (not path or path[0].key != shared.key):
                path = (Node(shared.key, shared.name, shared.name, "carries", True, shared.why),
                        *path)
            denial = next((i for i in range(len(path) - 1, -1, -1)
                           if _is_denial_cue(path[i].cue)), None)
            if denial is not None:
                path = path[denial:]  # who denies: the denier and whom it cites, if anyone
            out.append(Statement(
                index=len(out),
                ref=ref,
                order=order,
                claim=claim,
                text=text,
                sentence=text[claim.sentence_start:claim.sentence_end],
                paragraph=_paragraph_of(paragraphs, claim.sentence_start),
                outlet_id=original.outlet_key,
                original_outlet=original.outlet,
                published=published,
                path=path,
                denies=denial is not None,
                anaphoric=denial is not None and bool(_ANAPHORA.match(claim.text.strip(" .,"))),
                amounts=_amounts(claim, extraction),
                times=_firm_times(claim, extraction, published),
                context_times=(),
                sentence_entities=frozenset(
                    m.key for m in extraction.entities
                    if claim.sentence_start <= m.start < claim.sentence_end),
            ))
        _inherit_paragraph_dates(out[first:])
        _attach_denials(out[first:])
    return out


def _is_denial_cue(cue: str | None) -> bool:
    return bool(cue) and any(w in DENIAL_CUES for w in words(cue or ""))


def _paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*", text)]


def _paragraph_of(starts: list[int], offset: int) -> int:
    return sum(1 for s in starts if s <= offset) - 1


def _amounts(claim: Claim, extraction: Extraction) -> tuple[AmountMention, ...]:
    """The claim's amounts in text order."""
    found = [extraction.amounts[i] for i in claim.amounts if 0 <= i < len(extraction.amounts)]
    return tuple(sorted(found, key=lambda a: a.start))


def _firm_times(claim: Claim, extraction: Extraction,
                published: datetime | None) -> tuple[TimeMention, ...]:
    """Dates that can be compared: resolved, not durations, not a clock time guessed later
    than the publication itself ("11 p.m." placed on the publication day of a morning report).
    """
    out = []
    for i in claim.times:
        if not 0 <= i < len(extraction.times):
            continue
        t = extraction.times[i]
        if not firm(t, published):
            continue
        out.append(t)
    return tuple(out)


def firm(t: TimeMention, published: datetime | None) -> bool:
    if t.earliest is None or t.granularity is None or t.qualifier == "duration":
        return False
    guessed = bool(t.qualifier) and _LOCAL_TIME_GUESS in (t.qualifier or "")
    return not guessed or (published is not None
                           and t.earliest <= published.isoformat(timespec="minutes"))


def _inherit_paragraph_dates(statements: Sequence[Statement]) -> None:
    """A claim with no date of its own is dated by the claim before it in its paragraph:
    "In June, Putin visited North Korea. ... the leaders signed an agreement".
    """
    last: tuple[TimeMention, ...] = ()
    paragraph = -1
    for s in statements:
        if s.paragraph != paragraph:
            paragraph, last = s.paragraph, ()
        if s.times:
            last = s.times
        elif last and not s.anaphoric:
            s.context_times = last


def _attach_denials(statements: Sequence[Statement]) -> None:
    """An anaphoric denial denies the claims marked DENIED before it since the previous
    anaphoric denial (the extract stage marks all a plural "denied the claims" reaches back
    to; a direct denial in between answers only its own content), else the claim just
    before it in its paragraph.
    """
    since = 0  # claims before an earlier anaphoric denial were answered by that one
    for n, s in enumerate(statements):
        if not s.anaphoric:
            continue
        earlier = [e for e in statements[since:n]
                   if not e.denies and s.paragraph - 1 <= e.paragraph <= s.paragraph]
        since = n + 1
        marked = [e for e in earlier if e.claim.certainty is Certainty.DENIED]
        if marked:
            s.denied_targets = [e.index for e in marked]
        elif earlier and earlier[-1].paragraph == s.paragraph:
            s.denied_targets = [earlier[-1].index]


def day_or_finer(t: TimeMention) -> bool:
    return t.granularity in (Granularity.DAY, Granularity.MINUTE)
