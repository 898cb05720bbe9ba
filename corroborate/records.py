"""Typed records that flow between the pipeline stages.

Each stage reads the records of earlier stages and returns its own; nothing here imports
another corroborate module, so every stage (and every test) can build these by hand.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DocFormat(StrEnum):
    """How a raw document's bytes are to be read by the cleaner."""

    HTML = "html"
    TEXT = "text"  # scraped plain text, noise and all


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as it arrived, before any cleaning.

    `meta` carries what the container told us about it (a sidecar file, a feed item, a
    news-please record): keys among outlet, url, published, title, author, language.
    """

    source: str  # where it came from: a path, "path:line", a URL, "archive.warc#offset"
    content: bytes
    format: DocFormat
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    # Identity of the input itself: the same bytes from the same place are ingested once.
    sha256: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        h = hashlib.sha256(self.source.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
        h.update(self.content)
        object.__setattr__(self, "sha256", h.hexdigest())  # computed once, used many times


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of the input the cleaner dropped, kept so a user can audit the cleaning."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: main text plus the metadata the cleaner could establish."""

    source: str
    format: DocFormat
    text: str
    title: str | None = None
    author: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: datetime | None = None
    published_via: str | None = None  # which evidence gave the date: "json-ld", "byline", ...
    language: str | None = None
    removed: tuple[Removal, ...] = ()
    extractor: str = ""
    raw_sha256: str = ""

    @property
    def text_hash(self) -> str:
        """Hash of the normalized text: equal for exact duplicates whatever their whitespace."""
        return hashlib.sha256(normalize_for_hash(self.text).encode("utf-8")).hexdigest()


def normalize_for_hash(text: str) -> str:
    """Case-folded words only, so re-wrapped or re-punctuated copies hash the same."""
    return " ".join(_WORDS.findall(text.casefold()))


_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that was not ingested, and why (shown in the summary, fatal under --strict)."""

    source: str
    reason: str


class Outcome(StrEnum):
    INGESTED = "ingested"
    DUPLICATE = "duplicate"  # same normalized text as a stored article: not stored again
    NEAR_DUPLICATE = "near_duplicate"  # stored, linked to its original
    UNCHANGED = "unchanged"  # this very input was ingested before
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class IngestEvent:
    """What happened to one input."""

    source: str
    outcome: Outcome
    article_id: int | None = None
    original_id: int | None = None  # for duplicates and near-duplicates
    similarity: float | None = None
    reason: str | None = None


@dataclass(slots=True)
class IngestSummary:
    """Counts per outcome plus every skip with its reason.

    Only counts and skips are kept, so memory does not grow with the number of inputs.
    """

    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    skipped: list[IngestEvent] = field(default_factory=list)

    def add(self, event: IngestEvent) -> None:
        self.counts[event.outcome] += 1
        if event.outcome is Outcome.SKIPPED:
            self.skipped.append(event)

    def count(self, outcome: Outcome) -> int:
        return self.counts[outcome]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store returns it: the clean record plus its identity and links."""

    id: int
    article: Article
    text_hash: str
    near_duplicate_of: int | None
    near_duplicate_similarity: float | None
    ingested_at: datetime


# --- extract: what an article says ------------------------------------------------------------


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    PLACE = "place"
    OUTLET = "outlet"  # media outlets and news agencies: sources, not just actors


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A named entity in an article's clean text, resolved to a corpus-wide key.

    `key` is the same for every mention of one entity across the corpus ("person:vladimir
    putin" for "Putin" too; "country:KP" for "Pyongyang authorities"); offsets are characters
    into `Article.text`.
    """

    start: int
    end: int
    text: str
    kind: EntityKind
    key: str
    name: str  # canonical display name: "Vladimir Putin", "North Korea", "TV Chosun"
    country: str | None = None  # ISO 3166-1 alpha-2, for countries and places
    lat: float | None = None
    lon: float | None = None


class Granularity(StrEnum):
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A date or time in the text, resolved against the publication date.

    The resolved value is the interval [earliest, latest] (ISO dates or date-times), at a
    granularity; `qualifier` keeps what the words add: "not before" for "as early as July",
    "late" for "at the end of February", "about", "duration" for "24 years".
    """

    start: int
    end: int
    text: str
    earliest: str | None
    latest: str | None
    granularity: Granularity | None
    qualifier: str | None = None
    label: str = ""  # human-readable resolution: "2024-07 (not before)", "late 2024-02"


class AmountKind(StrEnum):
    MONEY = "money"
    COUNT = "count"  # a number of things: "10 engineering brigades"
    PERCENT = "percent"


class Bound(StrEnum):
    EXACT = "exact"
    UPPER = "upper"  # "up to", "at most", "as many as"
    LOWER = "lower"  # "at least", "more than", "over"
    APPROXIMATE = "approximate"  # "about", "around", "some", "nearly"


@dataclass(frozen=True, slots=True)
class AmountMention:
    """A number with its unit, bounds and rate; money also in USD and EUR at the pub-day rate."""

    start: int
    end: int
    text: str
    kind: AmountKind
    low: float
    high: float  # == low unless a range ("three to four")
    bound: Bound
    unit: str  # ISO 4217 code for money, singular noun phrase for counts, "%" for percents
    per: str | None = None  # rate period: "year", "month", "week", "day"
    usd: tuple[float, float] | None = None  # (low, high) converted
    eur: tuple[float, float] | None = None
    rate_date: str | None = None  # ECB reference date used for conversion
    rate_note: str | None = None  # "ECB rate of 2024-06-27" or the fallback taken


class Certainty(StrEnum):
    ASSERTED = "asserted"
    HEDGED = "hedged"  # could, may, might, is expected to, reportedly, estimates, ...
    CONDITIONAL = "conditional"  # "if it sent three to four brigades"
    DENIED = "denied"  # "Russia and North Korea denied these allegations"
    QUESTIONED = "questioned"


@dataclass(frozen=True, slots=True)
class Attribution:
    """One link of an attribution chain: who said it, and the cue word that says so."""

    source: str  # as written: "TV Chosun", "The South Korean television channel"
    cue: str | None  # "reported", "citing", "according to", "estimates", None for the outlet
    key: str | None = None  # resolved entity key, when the source is a known entity
    name: str | None = None  # canonical name of the resolved source ("TV Chosun")


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement of fact or estimate, with who it rests on and how sure it is.

    `chain` runs outermost first: the outlet itself, then each source it cites, ending at
    the primary source. Offsets are characters into `Article.text`.
    """

    start: int
    end: int
    text: str
    sentence_start: int
    sentence_end: int
    chain: tuple[Attribution, ...]
    certainty: Certainty
    cues: tuple[str, ...] = ()  # the hedging / condition / denial words found
    entities: tuple[str, ...] = ()  # entity keys mentioned in the claim
    times: tuple[int, ...] = ()  # indexes into Extraction.times
    amounts: tuple[int, ...] = ()  # indexes into Extraction.amounts


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the extract stage found in one article (or why it skipped it)."""

    entities: tuple[EntityMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    amounts: tuple[AmountMention, ...] = ()
    claims: tuple[Claim, ...] = ()
    skipped: str | None = None  # reason, when the article was not analysed
    version: str = ""


# --- cluster stage: stories ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JoinEvidence:
    """Why an article joined its story (or why it stands alone): the scores that decided it."""

    reason: str  # "opened", "similar" (+ "no publication date" note), "near-duplicate", or
    # why it stays alone
    score: float | None = None  # the combined score that decided
    matched_article: int | None = None  # the member it matched best
    cosine: float | None = None  # embedding similarity to that member
    entity_overlap: float | None = None  # IDF-weighted overlap of entities and places
    shared_entities: tuple[str, ...] = ()  # names shared with the story, heaviest first
    days_apart: float | None = None  # publication-time distance to the matched member
    # how far below the story's own cohesion the article fell (beyond the margin): its penalty
    cohesion_gap: float | None = None


@dataclass(frozen=True, slots=True)
class StoryMember:
    """An article in a story, with the evidence that put it there."""

    article_id: int
    joined: JoinEvidence
    outlet: str | None = None
    title: str | None = None
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event or development, as reported by many outlets."""

    id: int
    title: str  # representative title: the member title closest to the story's centre
    members: tuple[StoryMember, ...]
    outlets: tuple[str, ...]
    first_seen: datetime | None
    last_seen: datetime | None
    entities: tuple[str, ...] = ()  # main entities (display names), most weighty first
    places: tuple[str, ...] = ()
    merged_from: tuple[int, ...] = ()  # ids of stories merged into this one

    @property
    def size(self) -> int:
        return len(self.members)


class CorrectionAction(StrEnum):
    """What an analyst did to the stories."""

    MERGE = "merge"  # one story into another
    SPLIT = "split"  # some articles out of their story, into a story of their own
    MOVE = "move"  # one article into another story
    PIN = "pin"  # one article kept in a story, whatever clustering makes of it


@dataclass(frozen=True, slots=True)
class Correction:
    """An analyst's correction, anchored on article ids: story ids change on a recluster,
    the articles a story held do not, so a correction is replayed on whichever story now
    holds most of them."""

    id: int
    created_at: datetime
    action: CorrectionAction
    articles: tuple[int, ...]  # acted on: the merged-away story's articles, the split-off
    # articles, or the one moved or pinned article
    target: tuple[int, ...]  # the other story's articles then: merged into, split from,
    # moved or pinned to
    story_ids: tuple[int, ...]  # the story ids as the analyst gave them (for display only)
    note: str = ""


# --- crosscheck stage ---------------------------------------------------------------------------


class Verdict(StrEnum):
    """How the versions of one fact relate: what the analyst must know first."""

    AGREE = "agree"  # two or more outlets say the same (numbers within the stated tolerance)
    CONFLICT = "conflict"  # outlets give incompatible versions (numbers apart, not over time)
    SINGLE_OUTLET = "single_outlet"  # only one outlet (syndicated copies count once) reports it
    DEVELOPING = "developing"  # a figure that changes monotonically with publication time
    DISPUTED = "disputed"  # a source denies what another alleges: sources conflict, not outlets


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's version of a fact: the claim, its sentence, and what it rests on.

    Offsets are characters into that article's `Article.text`; `chain` runs outermost first
    (the outlet), resolved across the story, and ends at the innermost source as written.
    `primary_key`/`primary_source` name the independent source the version is counted under:
    the deepest source all versions resting on the same report pass through (TV Chosun, when
    one outlet adds "citing a government official"), or the outlet itself for its own
    unattributed statement.
    """

    article_id: int
    outlet: str
    published: datetime | None
    claim: str
    claim_start: int
    claim_end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    certainty: Certainty
    cues: tuple[str, ...]
    chain: tuple[Attribution, ...]
    primary_key: str  # "outlet:tv chosun", "person:lieve janssens", "outlet:the morning ledger"
    primary_source: str  # display name of the primary source
    amounts: tuple[AmountMention, ...] = ()
    times: tuple[TimeMention, ...] = ()  # its dates; its paragraph's when it gives none itself
    copy_of: int | None = None  # the original's article id when this article is a syndicated copy
    denies: bool = False  # this version is a source denying the fact ("X denied the allegation")

    @property
    def hedged(self) -> bool:
        return self.certainty in (Certainty.HEDGED, Certainty.CONDITIONAL, Certainty.QUESTIONED)


@dataclass(frozen=True, slots=True)
class SourceSupport:
    """One independent primary source behind a fact, and the outlets that carry it."""

    key: str
    name: str
    outlets: tuple[str, ...]  # distinct outlets repeating this source (copies count once)
    article_ids: tuple[int, ...]
    denies: bool = False  # this source denies the fact (a denial, not a version of it)
    cited: tuple[str, ...] = ()  # sources it is said to cite in turn ("a government official")
    # why these outlets' versions count as this one source: "AFP: wire credit in ...",
    # "The Local and i24news carry one sentence", "Nambiar is Manohar Nambiar"
    why: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OriginRow:
    """One independent origin of the story: whom it is, which outlets carry it, for which
    facts, and why the outlets' versions were counted as this one origin."""

    key: str
    name: str
    kind: str  # "wire", "shared text", "outlet", "named source", "unnamed source"
    outlets: tuple[str, ...]
    facts: tuple[str, ...]  # main facts it asserts
    article_ids: tuple[int, ...]
    why: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fact:
    """Claims from a story's articles that say the same thing about the same subject."""

    id: str  # "F1", "F2", ... in a deterministic order within the story
    statement: str  # a short statement: the clearest version's claim text
    versions: tuple[Version, ...]  # by article order (copies included, marked by copy_of)
    verdict: Verdict
    reason: str  # the verdict in words, with figures, rates and tolerance where numbers decided
    outlets: tuple[str, ...]  # distinct outlets, syndicated copies counted once
    sources: tuple[SourceSupport, ...]  # independent primary sources, most outlets first
    independent_sources: int  # sources that assert the fact (denying sources not counted)
    hedged: bool  # some asserting version hedges (could, may, expected, estimates, if ...)
    single_source: bool  # rests on one independent primary source
    detail_of: str | None = None  # a detail (a date only some outlets give) of this fact's id
    # a key figure: what its versions' figures measure ("dead", "age", "distance", "money");
    # None for a fact about what was said or done
    measure: str | None = None

    @property
    def primary_sources(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sources)


class NodeKind(StrEnum):
    OUTLET = "outlet"
    INTERMEDIARY = "intermediary"  # cited on the way: the TV channel between outlet and official
    PRIMARY = "primary"  # innermost source of some chain


@dataclass(frozen=True, slots=True)
class ProvenanceNode:
    key: str  # unique within the graph: "outlet:kyiv post", "person:lieve janssens"
    name: str
    kind: NodeKind
    facts: tuple[str, ...] = ()  # ids of the facts whose chains pass through this node


@dataclass(frozen=True, slots=True)
class ProvenanceEdge:
    """`source` cites `target` (outlet → intermediary → primary), with the cue words seen."""

    source: str  # node key
    target: str  # node key
    cues: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Provenance:
    nodes: tuple[ProvenanceNode, ...] = ()
    edges: tuple[ProvenanceEdge, ...] = ()


class TimelineKind(StrEnum):
    EVENT = "event"  # a dated event mentioned in an article
    PUBLICATION = "publication"  # an article's publication


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One point of the story's timeline: a resolved date interval and what happened then."""

    kind: TimelineKind
    earliest: str | None  # ISO date or date-time
    latest: str | None
    granularity: Granularity | None
    label: str  # "2024-07 (not before)", "late 2024-02", "2024-06-27 07:52"
    what: str  # the sentence that mentions it (or, for publications, the title)
    mentions: tuple[str, ...] = ()  # the date words as written, one per distinct wording
    outlets: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # primary sources of the claims mentioning it
    article_ids: tuple[int, ...] = ()
    facts: tuple[str, ...] = ()  # ids of facts whose versions mention this date


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article the cross-check considered."""

    article_id: int
    outlet: str
    title: str | None
    published: datetime | None
    url: str | None = None
    copy_of: int | None = None  # syndicated/near-duplicate copy of this article id
    claims: int = 0
    outlet_key: str = ""  # the publisher's identity ("outlet:fox"), whatever the spelling
    host: str | None = None  # the registrable web domain the article came from, if known
    origin: str | None = None  # the wire or shared text the article carries, if any
    published_via: str | None = None  # what gave the publication time ("metadata", "url", ...)
    shares_text_with: tuple[int, ...] = ()  # articles of the story carrying a sentence of it


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """The story-level result the report stage renders: facts, provenance, timeline."""

    facts: tuple[Fact, ...]
    provenance: Provenance
    timeline: tuple[TimelineEntry, ...]
    articles: tuple[ArticleRef, ...]
    tolerance: float  # relative tolerance used for converted currency amounts (0.05 = 5 %)
    # distinct origins behind the main facts, most outlets first: the story's real sources
    origins: tuple[OriginRow, ...] = ()
