"""Online story clustering: each arriving article joins the story it best fits, or opens one.

Why online and single-pass: news arrives as a stream and an analyst wants a story id the
moment an article lands, so the clusterer never revisits earlier decisions except by
merging two stories when later evidence bridges them (the merge is recorded, so a story id
once shown keeps resolving). The result depends on arrival order only through that: the
product feeds articles in ingest order, and `recluster` rebuilds in publication order.

How an article is scored against a candidate story (candidates come from the nearest
neighbours of its embedding, inside the time window):
- cosine of its title+lead embedding with the best-matching member and with the story's
  centroid (what the text is about);
- IDF-weighted cosine of its entities and places with the story's (who and where: two
  earthquakes in one country share "Turkey" but not the town or the people, and a common
  entity weighs little against a rare one);
- shared specific numbers and dates ("6,700 containers", "19 June");
- a bonus for a member published within a few days, shared among all the stories active in
  those days: in a quiet stream "published the same day" is strong evidence, in a busy one
  (dozens of unrelated stories a day) it says almost nothing, so the bonus is divided by the
  number of live stories with a member within `grace_days` (an IDF for time);
- a penalty growing with the time since the story's nearest member;
- a penalty when the article is much further from a story's members than they are from each
  other (a tight story of one team's offer is not joined by a report of a rival's offer
  that merely shares the topic; a loose, developing story keeps its wider door). The mean
  cosine among n unit vectors is (|sum|^2 - n) / (n(n-1)), so this costs one dot product.
The weights and the threshold are set on ECB+ topics 1-25 (see benchmarks/clustering.py).

A second look: a single pass decides with what has arrived so far, so an article that came
before its story's better-fitting reports may have opened a story of its own or joined a
neighbour. After each batch (`second_look`, 64 articles in the product, or fewer at the end
of a run) every article of the batch is scored again against the stories as they now stand,
and moves where it now fits better; a story left empty forwards to where its article went.
Only the batch's own articles are looked at again, so the cost per article stays flat, and
the result depends on batch boundaries that far (documented; `recluster` uses the same size).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from corroborate.clock import epoch_days
from corroborate.cluster.linkage import NO_LINK, PairWeights, average_linkage, pair_scores
from corroborate.cluster.profile import ArticleProfile
from corroborate.cluster.vector_index import WindowedIndex
from corroborate.models import EMBEDDING_DIM
from corroborate.records import JoinEvidence

# An article with no date cannot be checked for time proximity: it joins on content alone,
# and its evidence says so.
UNDATED_JOIN = "similar (no publication date: joined on content alone)"
MOVED = "moved on a second look"  # reason of an article reassigned after its batch
RELINKED = "re-clustered with its window"  # reason of an article moved by `relink_window`
RELINK_CANDIDATES = 3  # older story parts fully scored per window article (nearest centroids)
RELINK_MIN_COSINE = 0.3  # ... when at least this close (farther ones get the cosine part only)
SECOND_LOOK_BATCH = 64  # articles placed between two second looks (product and benchmarks)


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Weights and thresholds of the join decision (set on ECB+ topics 1-25)."""

    w_member: float = 0.30  # cosine with the best-matching member
    w_centroid: float = 0.30  # cosine with the story centroid
    w_entities: float = 0.50  # IDF-weighted entity/place cosine
    w_terms: float = 0.20  # IDF-weighted cosine of the bodies' content words
    w_titles: float = 0.40  # IDF-weighted cosine of the headlines' content words ...
    title_min: float = 0.70  # ... counted only from this cosine up (one headline, reworded)
    w_specifics: float = 0.10  # per shared specific number or date, up to two
    w_time: float = 0.40  # penalty per window-length of distance beyond `grace_days`
    w_recent: float = 0.30  # bonus for a member within `grace_days`, fading to 0, shared
    w_cohesion: float = 0.50  # penalty per unit the article's mean member cosine falls below
    cohesion_margin: float = 0.15  # ... the members' own mean pairwise cosine minus this
    cohesion_min: int = 3  # members (with a vector) a story needs before cohesion counts
    threshold: float = 0.60  # join when the score reaches this
    merge_threshold: float | None = 0.76  # also merge a second story scoring this high
    neighbours: int = 20  # ANN candidates per article
    window_days: float = 21.0
    grace_days: float = 3.0
    # a long-running story (a trial, an investigation) is continued beyond the window by a
    # report that shares its specific names, a rarely named person among them: the time
    # penalty stops growing when the IDF-weighted entity cosine reaches this (None: the
    # window is a hard wall)
    continuation_entities: float | None = 0.20
    continuation_late: float = 0.10  # ... and grows no further than this (in windows)
    continuation_candidates: int = 10  # stories sharing the article's rarest names, looked at
    # re-clustering of the recent window (`relink_window`): average linkage over the articles
    # published within this many days of the newest (None: never), cut where the groups'
    # mean pair score falls below `relink_threshold`, over at most `relink_max` articles
    relink_days: float | None = None
    relink_threshold: float = 0.60
    relink_max: int = 1000
    relink_split: bool = False  # True: the window is re-clustered from single articles;
    # False: its stories are only merged (the online pass rarely joins wrongly on ordinary
    # coverage, but splits one event into several stories)


@dataclass(slots=True)
class _StoryState:
    id: int
    members: list[int] = field(default_factory=list)
    # float64: a second look subtracts and adds vectors back; float32 would drift in the last
    # bits, and a restored run (sums built afresh) could then break a tie differently
    vector_sum: np.ndarray = field(default_factory=lambda: np.zeros(EMBEDDING_DIM, np.float64))
    vectors: int = 0  # members whose vector is in `vector_sum`
    # near-duplicates' vectors (None while there are none): copies of one report are not a
    # tight story, so cohesion leaves them out
    copies: int = 0
    copies_sum: np.ndarray | None = None
    entity_docs: Counter[str] = field(default_factory=Counter)  # key -> members mentioning it
    term_docs: Counter[str] = field(default_factory=Counter)  # word -> members using it
    title_docs: Counter[str] = field(default_factory=Counter)  # word -> members' headlines
    specifics: Counter[str] = field(default_factory=Counter)  # number/date -> members
    active_days: Counter[int] = field(default_factory=Counter)  # day -> dated members not alone
    times: list[float] = field(default_factory=list)  # members' publication days, sorted
    # bag -> (members, corpus size, norm) when its norm was last computed
    norms: dict[str, tuple[int, int, float]] = field(default_factory=dict)
    merged_from: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article went, why, and which stories were merged on the way."""

    article_id: int
    story_id: int
    evidence: JoinEvidence
    merged: tuple[tuple[int, int], ...] = ()  # (story merged away, story it went into)


@dataclass(frozen=True, slots=True)
class Move:
    """An article reassigned by a second look; `emptied` when its old story has no member
    left (it then forwards to the new one)."""

    article_id: int
    from_story: int
    to_story: int
    evidence: JoinEvidence
    emptied: bool


@dataclass(frozen=True, slots=True)
class _Candidate:
    story_id: int
    score: float
    matched: int
    cosine: float
    entity_overlap: float
    shared: tuple[str, ...]
    days_apart: float | None
    cohesion_gap: float = 0.0

    def evidence(self, reason: str) -> JoinEvidence:
        """Why an article joined this candidate, as stored with its membership."""
        return JoinEvidence(reason=reason, score=round(self.score, 4),
                            matched_article=self.matched, cosine=round(self.cosine, 4),
                            entity_overlap=round(self.entity_overlap, 4),
                            shared_entities=self.shared, days_apart=self.days_apart,
                            cohesion_gap=round(self.cohesion_gap, 4) if self.cohesion_gap
                            else None)


class StoryClusterer:
    """Assigns articles to stories one at a time; state is in memory (the store persists it)."""

    def __init__(self, config: ClusterConfig | None = None, first_story_id: int = 1) -> None:
        self.config = config or ClusterConfig()
        self.index = WindowedIndex(EMBEDDING_DIM, window_days=self.config.window_days)
        self.stories: dict[int, _StoryState] = {}
        self.story_of: dict[int, int] = {}  # article id -> live story id
        self.merged_into: dict[int, int] = {}  # merged-away story id -> story it went into
        self.names: dict[str, str] = {}
        self._df: Counter[str] = Counter()
        self._term_df: Counter[str] = Counter()
        self._title_df: Counter[str] = Counter()
        self._docs = 0
        self._next_id = first_story_id
        self._active: dict[int, set[int]] = {}  # publication day -> live stories with a member
        self._holders: dict[str, set[int]] = {}  # entity key -> live stories mentioning it
        self._pinned: set[int] = set()  # near-duplicates and their originals: never moved
        self._copies: set[int] = set()  # near-duplicates placed with their original
        # the latest clusterable profiles, oldest first (what `relink_window` looks at again)
        self._recent: dict[int, ArticleProfile] = {}
        self.last_window = 0  # articles the last `relink_window` looked at again

    # -- the one entry point --------------------------------------------------------------

    def add(self, profile: ArticleProfile, near_duplicate_of: int | None = None) -> Assignment:
        """Place one article; near-duplicates join their original's story directly."""
        if profile.article_id in self.story_of:
            sid = self.resolve(self.story_of[profile.article_id])
            return Assignment(profile.article_id, sid, JoinEvidence(reason="already placed"))
        if near_duplicate_of is not None and near_duplicate_of in self.story_of:
            story = self.stories[self.resolve(self.story_of[near_duplicate_of])]
            self._pinned.update((profile.article_id, near_duplicate_of))
            self._copies.add(profile.article_id)
            self._join(story, profile)
            return Assignment(profile.article_id, story.id, JoinEvidence(
                reason="near-duplicate", score=1.0, matched_article=near_duplicate_of))
        if profile.alone is not None or profile.vector is None:
            story = self._open(profile)
            return Assignment(profile.article_id, story.id,
                              JoinEvidence(reason=profile.alone or "no embedding"))
        candidates = self._candidates(profile)
        best = candidates[0] if candidates else None
        if best is None or best.score < self.config.threshold:
            story = self._open(profile)
            return Assignment(profile.article_id, story.id, best.evidence("opened") if best
                              else JoinEvidence(reason="opened"))
        story = self.stories[best.story_id]
        merged = []
        limit = self.config.merge_threshold
        for other in candidates[1:]:
            if limit is not None and other.score >= limit and other.story_id in self.stories:
                self._merge(self.stories[other.story_id], story)
                merged.append((other.story_id, story.id))
        self._join(story, profile)
        return Assignment(profile.article_id, story.id, best.evidence(
            "similar" if profile.published else UNDATED_JOIN), tuple(merged))

    def restore(self, profile: ArticleProfile, story_id: int,
                near_duplicate_of: int | None = None) -> None:
        """Put back an article already placed in an earlier run, without scoring it."""
        if near_duplicate_of is not None and near_duplicate_of in self.story_of:
            self._pinned.update((profile.article_id, near_duplicate_of))
            self._copies.add(profile.article_id)  # as `add` placed it
        story_id = self.resolve(story_id)
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = _StoryState(story_id)
            self._next_id = max(self._next_id, story_id + 1)
        self._join(story, profile)

    def restore_merge(self, gone: int, into: int) -> None:
        """Record an earlier run's merge, so old ids resolve."""
        self.merged_into[gone] = into
        self._next_id = max(self._next_id, gone + 1, into + 1)

    def resolve(self, story_id: int) -> int:
        """The live story a (possibly merged-away) story id now belongs to."""
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    def second_look(self, profiles: Sequence[ArticleProfile]) -> list[Move]:
        """Score a batch's articles again against the stories as they now stand; move those
        that now fit another story better (at or above the join threshold, and better than
        their own story without them). Near-duplicates and their originals stay put."""
        moves = []
        for profile in profiles:
            aid = profile.article_id
            if (profile.alone is not None or profile.vector is None or aid in self._pinned
                    or aid not in self.story_of):
                continue
            old = self.stories[self.resolve(self.story_of[aid])]
            self._detach(old, profile)
            candidates = self._candidates(profile, exclude=aid)
            best = candidates[0] if candidates else None
            stay = next((c for c in candidates if c.story_id == old.id), None)
            if (best is None or best.story_id == old.id or best.score < self.config.threshold
                    or (old.members and (stay is None or best.score <= stay.score))):
                self._attach(old, profile)
                continue
            target = self.stories[best.story_id]
            self._attach(target, profile)
            emptied = not old.members
            if emptied:  # nothing left to move: the merge only records the forwarding
                self._merge(old, target)
            moves.append(Move(aid, old.id, target.id,
                              best.evidence(f"{MOVED} (from story {old.id})"), emptied))
        return moves

    def relink_window(self, days: float | None = None) -> list[Move]:
        """Re-cluster the recent window with average linkage (see `cluster.linkage`) and move
        the articles whose group now differs from their story; an emptied story forwards.

        The window is the latest articles published within `days` (default: the config's
        `relink_days`) of the newest one, with the undated ones among them. Their stories'
        older members stay as they are and take part as fixed groups, so a long-running story
        keeps its window reports unless they are, on average, closer to others. A group of
        window articles alone keeps the id of the story most of them were in (a story id
        shown stays where most of its articles are). Near-duplicates and their originals
        stay put.
        """
        days = self.config.relink_days if days is None else days
        if days is None:
            return []
        dated = [epoch_days(p.published) for p in self._recent.values() if p.published]
        newest = max(dated, default=0.0)
        window = [p for p in self._recent.values()
                  if p.article_id in self.story_of and p.article_id not in self._pinned
                  and (p.published is None or newest - epoch_days(p.published) <= days)]
        self.last_window = len(window)
        if len(window) < 2:
            return []
        before = [self.resolve(self.story_of[p.article_id]) for p in window]
        busy = [self._stories_active_near(d) if (d := _day(p.published)) is not None else 1
                for p in window]
        for p, sid in zip(window, before, strict=True):
            self._detach(self.stories[sid], p)
        fixed = [sid for sid in dict.fromkeys(before) if self.stories[sid].members]
        sim, weights = self._window_scores(window, before, fixed, busy)
        start = None
        if not self.config.relink_split:  # each story's window part, with its older part
            group = {sid: k for k, sid in enumerate(dict.fromkeys(before))}
            start = [group[sid] for sid in before] + [group[sid] for sid in fixed]
        labels = average_linkage(sim, weights, self.config.relink_threshold, start)
        targets = self._window_targets(labels, window, before, fixed)
        moves = []
        for row, (p, old, new) in enumerate(zip(window, before, targets, strict=True)):
            self._attach(self.stories[new], p)
            if new != old:
                group = [c for c in range(len(window)) if targets[c] == new and c != row]
                mean = float(np.mean(sim[row, group])) if group else None
                moves.append((p.article_id, old, new, JoinEvidence(
                    reason=f"{RELINKED} (from story {old})", score=round(mean, 4)
                    if mean is not None else None)))
        out = []
        for aid, old, new, evidence in moves:
            emptied = old in self.stories and not self.stories[old].members
            if emptied:
                self._merge(self.stories[old], self.stories[new])
            out.append(Move(aid, old, self.resolve(new), evidence, emptied))
        return out

    def _window_scores(self, window: list[ArticleProfile], before: list[int], fixed: list[int],
                       busy: list[int]) -> tuple[np.ndarray, list[float]]:
        """Scores among window articles and older story parts, and each node's weight."""
        cfg = self.config
        n, total = len(window), len(window) + len(fixed)
        sim = np.full((total, total), NO_LINK)
        sim[:n, :n] = pair_scores(window, {
            "entities": lambda k: self._idf(k, self._df),
            "terms": lambda k: self._idf(k, self._term_df),
            "titles": lambda k: self._idf(k, self._title_df)}, busy, PairWeights(
            cfg.w_member + cfg.w_centroid, cfg.w_entities, cfg.w_terms, cfg.w_titles,
            cfg.w_specifics, cfg.w_recent, cfg.w_time, cfg.grace_days, cfg.window_days))
        if not fixed:
            return sim, [1.0] * n
        vectors = np.stack([p.vector for p in window]).astype(np.float64)
        sums = np.stack([self.stories[sid].vector_sum for sid in fixed])
        norms = np.linalg.norm(sums, axis=1)
        centroid = vectors @ (sums / np.where(norms > 0, norms, 1.0)[:, None]).T
        rough = (cfg.w_member + cfg.w_centroid) * centroid  # lower bound-ish, for the far ones
        nearest = np.argsort(-centroid, axis=1)[:, :RELINK_CANDIDATES]
        part_of = {sid: f for f, sid in enumerate(fixed)}
        for row, p in enumerate(window):
            assert p.vector is not None
            weights = self._weights(p.entities, self._df)
            terms = self._weights(p.terms, self._term_df)
            day = _day(p.published)
            own = part_of.get(before[row])  # its own story's older part is always scored
            for f in {*(f for f in nearest[row] if centroid[row, f] >= RELINK_MIN_COSINE),
                      *(() if own is None else (own,))}:
                story = self.stories[fixed[f]]
                matched, cosine = self._best_member(story, p.vector, None)
                if cosine < -0.5:  # no member left in the index: the centroid stands in
                    cosine = float(centroid[row, f])
                rough[row, f] = self._score(story, p, weights, terms, day, matched, cosine,
                                            busy[row]).score
        sim[:n, n:] = rough
        sim[n:, :n] = rough.T
        return sim, [1.0] * n + [float(len(self.stories[sid].members)) for sid in fixed]

    def _window_targets(self, labels: list[int], window: list[ArticleProfile],
                        before: list[int], fixed: list[int]) -> list[int]:
        """The story each window article goes to: its group's fixed part, else the story
        most of the group came from if no bigger group took it, else a new story."""
        n = len(window)
        groups: dict[int, list[int]] = {}
        for node, label in enumerate(labels):
            groups.setdefault(label, []).append(node)
        target_of: dict[int, int] = {}
        taken: set[int] = set()
        loose = []
        for label, nodes in groups.items():
            parts = [fixed[node - n] for node in nodes if node >= n]
            if parts:  # NO_LINK keeps two fixed parts apart: one at most
                target_of[label] = parts[0]
                taken.add(parts[0])
            else:
                loose.append(label)
        loose.sort(key=lambda label: (-len(groups[label]), min(groups[label])))
        for label in loose:
            votes = Counter(before[node] for node in groups[label])
            free = [sid for sid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                    if sid not in taken]
            if free:
                sid = free[0]
            else:
                sid = self._next_id
                self._next_id += 1
                self.stories[sid] = _StoryState(sid)
            target_of[label] = sid
            taken.add(sid)
        return [target_of[labels[row]] for row in range(n)]

    # -- scoring --------------------------------------------------------------------------

    def _candidates(self, profile: ArticleProfile, exclude: int | None = None
                    ) -> list[_Candidate]:
        assert profile.vector is not None
        wanted = self.config.neighbours + (exclude is not None)
        hits = self.index.search(profile.vector, profile.published, wanted)
        best_hit: dict[int, tuple[int, float]] = {}
        for article_id, cosine in hits:
            if article_id == exclude:
                continue
            sid = self.resolve(self.story_of[article_id])
            if sid not in best_hit:  # hits come best first
                best_hit[sid] = (article_id, cosine)
        weights = self._weights(profile.entities, self._df)
        terms = self._weights(profile.terms, self._term_df)
        day = _day(profile.published)
        busy = self._stories_active_near(day) if day is not None else 1
        for sid in self._sharing_rare_names(weights, set(best_hit), exclude):
            best_hit[sid] = self._best_member(self.stories[sid], profile.vector, exclude)
        out = [self._score(self.stories[sid], profile, weights, terms, day, matched, cosine,
                           busy) for sid, (matched, cosine) in best_hit.items()]
        out.sort(key=lambda c: (-c.score, c.story_id))
        return out

    def _sharing_rare_names(self, weights: dict[str, float], seen: set[int],
                            exclude: int | None) -> list[int]:
        """Stories outside the embedding's window that share the article's rarest names: the
        only way a report continues a story older than the window (a verdict months after
        the indictment)."""
        if self.config.continuation_entities is None or not weights:
            return []
        votes: Counter[int] = Counter()
        for key in sorted(weights, key=lambda k: -weights[k])[:8]:
            holders = self._holders.get(key, ())
            if len(holders) > self.config.continuation_candidates:
                continue  # a name every other story has says nothing
            for sid in holders:
                if sid not in seen:
                    votes[sid] += 1
        if exclude is not None:
            own = self.story_of.get(exclude)
            votes.pop(self.resolve(own) if own is not None else -1, None)
        ranked = sorted(votes, key=lambda sid: (-votes[sid], sid))
        return [sid for sid in ranked if votes[sid] >= 2][: self.config.continuation_candidates]

    def _shares_a_rare_person(self, weights: dict[str, float], story: _StoryState) -> bool:
        """A person both name whom few stories name: the defendant of a trial continues it;
        a place and its disaster agency do not make a quake a year later the same story."""
        return any(k.startswith("person:") and k in story.entity_docs
                   and len(self._holders.get(k, ())) <= self.config.continuation_candidates
                   for k in weights)

    def _best_member(self, story: _StoryState, vector: np.ndarray,
                     exclude: int | None) -> tuple[int, float]:
        """The story's closest member among its latest ones (ANN did not reach it)."""
        best = (story.members[-1], -1.0)
        for aid in story.members[-5:]:
            if aid != exclude and aid in self.index:
                cosine = float(vector @ self.index.vector(aid))
                if cosine > best[1]:
                    best = (aid, cosine)
        return best

    def _score(self, story: _StoryState, profile: ArticleProfile, weights: dict[str, float],
               terms: dict[str, float], day: float | None, matched: int,
               cosine: float, busy: int = 1) -> _Candidate:
        cfg = self.config
        assert profile.vector is not None
        norm = float(np.linalg.norm(story.vector_sum))
        centroid = float(profile.vector @ story.vector_sum) / norm if norm else cosine
        overlap, shared = self._bag_cosine(weights, story, "entities")
        lexical = self._bag_cosine(terms, story, "terms")[0] if cfg.w_terms else 0.0
        headline = (self._bag_cosine(self._weights(profile.title_terms, self._title_df), story,
                                     "titles")[0] if cfg.w_titles else 0.0)
        if headline < cfg.title_min:
            headline = 0.0
        specifics = sum(1 for x in profile.numbers | profile.dates if story.specifics[x] > 0)
        gap = self._cohesion_gap(story, profile.vector, norm)
        apart = _nearest(story.times, day) if day is not None else None
        late = max(0.0, (apart or 0.0) - cfg.grace_days) / cfg.window_days
        if cfg.continuation_entities is not None and overlap >= cfg.continuation_entities \
                and self._shares_a_rare_person(weights, story):
            late = min(late, cfg.continuation_late)  # a long-running story: same people go on
        recent = max(0.0, 1.0 - apart / cfg.grace_days) if apart is not None else 0.0
        score = (cfg.w_member * cosine + cfg.w_centroid * centroid + cfg.w_entities * overlap
                 + cfg.w_terms * lexical + cfg.w_titles * headline
                 + cfg.w_specifics * min(specifics, 2) + cfg.w_recent * recent / busy
                 - cfg.w_time * late - cfg.w_cohesion * gap)
        return _Candidate(story.id, score, matched, cosine, overlap, shared,
                          round(apart, 2) if apart is not None else None, gap)

    def _cohesion_gap(self, story: _StoryState, vector: np.ndarray, norm: float) -> float:
        """How far the article's mean cosine with the members falls below theirs with each
        other, beyond the margin (0 for stories too small to say)."""
        n = story.vectors - story.copies
        if n < self.config.cohesion_min or not self.config.w_cohesion:
            return 0.0
        total = story.vector_sum
        if story.copies_sum is not None:
            total = total - story.copies_sum
            norm = float(np.linalg.norm(total))
        among = (norm * norm - n) / (n * (n - 1))
        mean = float(vector @ total) / n
        return max(0.0, among - mean - self.config.cohesion_margin)

    def _stories_active_near(self, day: float) -> int:
        """How many live stories have a member within `grace_days` (calendar days) of `day`."""
        grace = self.config.grace_days
        live: set[int] = set()
        for d in range(math.floor(day - grace), math.floor(day + grace) + 1):
            live |= self._active.get(d, set())
        # `_active` follows detaches and merges, so it names live stories with members
        return max(1, len(live))

    def _idf(self, key: str, df: Counter[str]) -> float:
        return math.log((1 + self._docs) / (1 + df[key])) + 1.0

    def _weights(self, counts: dict[str, int], df: Counter[str]) -> dict[str, float]:
        return {k: (1.0 + math.log(n)) * self._idf(k, df) for k, n in counts.items()}

    def _bag_cosine(self, weights: dict[str, float], story: _StoryState,
                    bag: str) -> tuple[float, tuple[str, ...]]:
        """Cosine of an article's weighted bag with a story's (share of members x IDF).

        Costs O(the article's keys): the story side's norm is cached and recomputed only when
        the story has grown or the corpus by 5 % since (IDF drift in between is ignored), so
        big stories cost no more to compare with than small ones.
        """
        docs, df = {"entities": (story.entity_docs, self._df),
                    "terms": (story.term_docs, self._term_df),
                    "titles": (story.title_docs, self._title_df)}[bag]
        if not weights or not docs:
            return 0.0, ()
        size = len(story.members)
        shared = [k for k in weights if k in docs]
        if not shared:
            return 0.0, ()
        dot = sum(weights[k] * docs[k] / size * self._idf(k, df) for k in shared)
        cached = story.norms.get(bag)
        if cached is None or cached[0] != size or self._docs > cached[1] * 1.05 + 5:
            norm = math.sqrt(sum((n / size * self._idf(k, df)) ** 2 for k, n in docs.items()))
            story.norms[bag] = cached = (size, self._docs, norm)
        norm = math.sqrt(sum(w * w for w in weights.values())) * cached[2]
        shared.sort(key=lambda k: -weights[k])
        return dot / norm, tuple(self.names.get(k, k) for k in shared[:6])

    # -- state changes --------------------------------------------------------------------

    def _open(self, profile: ArticleProfile) -> _StoryState:
        story = _StoryState(self._next_id)
        self._next_id += 1
        self.stories[story.id] = story
        self._join(story, profile)
        return story

    def _join(self, story: _StoryState, profile: ArticleProfile) -> None:
        """A new article joins: the story's state, the corpus statistics and the index."""
        self._attach(story, profile)
        self.names.update(profile.names)
        if profile.alone is not None or profile.vector is None:
            return
        self._df.update(profile.entities.keys())
        self._term_df.update(profile.terms.keys())
        self._title_df.update(profile.title_terms.keys())
        self._docs += 1
        self.index.add(profile.article_id, profile.vector, profile.published)
        self._recent[profile.article_id] = profile
        if len(self._recent) > self.config.relink_max:
            del self._recent[next(iter(self._recent))]

    def _attach(self, story: _StoryState, profile: ArticleProfile) -> None:
        """The story's side of a membership (undone by `_detach`)."""
        story.members.append(profile.article_id)
        self.story_of[profile.article_id] = story.id
        day = _day(profile.published)
        if day is not None:
            bisect.insort(story.times, day)
        if profile.alone is not None or profile.vector is None:
            return
        if day is not None:  # articles left alone compete with nothing: not counted as active
            self._active.setdefault(math.floor(day), set()).add(story.id)
            story.active_days[math.floor(day)] += 1
        story.vector_sum += profile.vector
        story.vectors += 1
        if profile.article_id in self._copies:
            story.copies += 1
            story.copies_sum = (profile.vector.astype(np.float64) if story.copies_sum is None
                                else story.copies_sum + profile.vector)
        story.entity_docs.update(profile.entities.keys())
        for key in profile.entities:
            self._holders.setdefault(key, set()).add(story.id)
        story.term_docs.update(profile.terms.keys())
        story.title_docs.update(profile.title_terms.keys())
        story.specifics.update(profile.numbers | profile.dates)
        story.norms.clear()

    def _detach(self, story: _StoryState, profile: ArticleProfile) -> None:
        """Take an article out of its story (for a second look); corpus statistics stay."""
        story.members.remove(profile.article_id)
        del self.story_of[profile.article_id]
        day = _day(profile.published)
        if day is not None:
            story.times.remove(day)
        if profile.alone is not None or profile.vector is None:
            return
        if day is not None:  # no longer active that day unless another member is
            d = math.floor(day)
            story.active_days[d] -= 1
            if story.active_days[d] <= 0:
                del story.active_days[d]
                self._active.get(d, set()).discard(story.id)
        story.vector_sum -= profile.vector
        story.vectors -= 1
        if profile.article_id in self._copies and story.copies_sum is not None:
            story.copies -= 1
            story.copies_sum = story.copies_sum - profile.vector if story.copies else None
        for bag, keys in ((story.entity_docs, profile.entities.keys()),
                          (story.term_docs, profile.terms.keys()),
                          (story.title_docs, profile.title_terms.keys()),
                          (story.specifics, profile.numbers | profile.dates)):
            for key in keys:
                bag[key] -= 1
                if bag[key] <= 0:
                    del bag[key]
                    if bag is story.entity_docs:
                        self._holders.get(key, set()).discard(story.id)
        story.norms.clear()

    def _merge(self, gone: _StoryState, into: _StoryState) -> None:
        into.members.extend(gone.members)
        into.vector_sum += gone.vector_sum
        into.vectors += gone.vectors
        if gone.copies_sum is not None:
            into.copies += gone.copies
            into.copies_sum = (gone.copies_sum if into.copies_sum is None
                               else into.copies_sum + gone.copies_sum)
        into.entity_docs.update(gone.entity_docs)
        for key in gone.entity_docs:
            holders = self._holders.setdefault(key, set())
            holders.discard(gone.id)
            holders.add(into.id)
        into.term_docs.update(gone.term_docs)
        into.title_docs.update(gone.title_docs)
        into.specifics.update(gone.specifics)
        into.active_days.update(gone.active_days)
        into.norms.clear()
        into.times = sorted(into.times + gone.times)
        for d in gone.active_days:
            active = self._active.setdefault(d, set())
            active.discard(gone.id)
            active.add(into.id)
        into.merged_from.append(gone.id)
        into.merged_from.extend(gone.merged_from)
        for article_id in gone.members:
            self.story_of[article_id] = into.id
        self.merged_into[gone.id] = into.id
        del self.stories[gone.id]


def _nearest(times: list[float], day: float) -> float | None:
    """Distance in days from `day` to the nearest of the sorted `times`."""
    if not times:
        return None
    i = bisect.bisect_left(times, day)
    return min(abs(times[j] - day) for j in (i - 1, i) if 0 <= j < len(times))


def _day(when: datetime | None) -> float | None:
    return epoch_days(when) if when is not None else None
