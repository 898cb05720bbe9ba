"""Attribution frames: who says what, read off spaCy's dependency parse.

A frame is one cue ("said", "according to", "estimates", "citing") with the source the text
names for it and the content it introduces, as token ranges of the caller's Doc. Frames are
found for every cue, including stance cues ("criticized", "wants") whose content is not a
statement; `claims.py` keeps the ones that carry a proposition and builds attribution chains
from how the frames nest. The benchmark (benchmarks/attribution.py) scores the frames
against PolNeAR, so the span conventions follow it: the source is the whole subject noun
phrase, the content keeps its "that" and its quotation marks.

Everything here is one pass over the tokens with constant work per token, plus work
proportional to each frame's spans, so a 10,000-word run-on sentence stays fast.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from spacy.symbols import ADJ, ADP, DET, NOUN, NUM, PRON, PROPN, PUNCT, VERB
from spacy.tokens import Doc, Token

from corroborate.extract.spans import (
    CLOSE_QUOTES,
    OPEN_QUOTES,
    Range,
    minus,
    paragraphs,
    quote_partners,
    quoted,
    segments,
)


class CueKind(StrEnum):
    """What a cue says about its content: this decides certainty and whether it is a claim."""

    SPEECH = "speech"  # said, reported, told: the source states the content
    BELIEF = "belief"  # estimates, believes, expects: the source's estimate (hedged)
    ALLEGATION = "allegation"  # accused, alleged, claimed (hedged)
    DENIAL = "denial"  # denied, rejected, dismissed
    QUESTION = "question"  # asked, questioned, doubted
    STANCE = "stance"  # criticized, supports, wants: an attitude, not a statement of fact
    CITATION = "citation"  # "citing X": a source behind the speaker


# Verb lemmas that introduce attributed content, by kind: the news staples, plus the
# communicative, cognitive and evaluative verbs that are a cue in at least about 40% of
# their uses in PolNeAR's train split once nested and quoted ones are set aside (generic
# action verbs that pass that bar there, "sign", "pass", "campaign", are left out).
_VERBS: dict[CueKind, tuple[str, ...]] = {
    CueKind.SPEECH: (
        "say", "tell", "report", "state", "add", "note", "announce", "write", "tweet",
        "explain", "declare", "argue", "insist", "maintain", "assert", "reiterate", "stress",
        "emphasize", "emphasise", "remark", "comment", "reply", "respond", "answer", "recall",
        "mention", "acknowledge", "admit", "concede", "confirm", "reveal", "disclose",
        "indicate", "show", "conclude", "testify", "inform", "warn", "caution", "promise",
        "pledge", "vow", "boast", "complain", "observe", "contend", "counter", "agree",
        "describe", "brief", "proclaim", "retort", "quip", "joke", "lament", "concur",
        "recount", "relate", "predict", "point", "post", "publish", "find", "learn",
        "continue", "repeat", "highlight", "echo", "list", "assure", "remind", "order",
        "demand", "urge", "threaten", "signal", "hint", "tout", "brag", "shout", "exclaim",
        "specify", "clarify", "elaborate", "forecast", "project", "cite", "quote", "issue",
        "release", "outline", "detail", "articulate", "recite", "utter", "email", "retweet",
        "retweete", "reaffirm", "pronounce", "posit", "muse", "yell", "chant", "plead",
        "reference", "allude", "underscore", "voice", "share", "credit", "attribute",
        "liken", "compare", "contrast", "herald", "interject", "coin", "preach", "trumpet",
        "identify", "offer", "cast", "recommend", "request", "thank", "congratulate",
        "apologize", "apologise", "protest", "document", "read", "demonstrate", "unveil",
        "name", "lay", "weigh", "fire", "shoot", "brush",
        # verbs of communication and manner of speaking (Levin 37): cues with a clause
        *(_SPEECH_CLAUSE := (
            "whisper", "scream", "murmur", "mutter", "grumble", "gripe", "rant", "fume",
            "marvel", "gush", "sneer", "scoff", "confess", "divulge", "swear", "affirm",
            "attest", "profess", "avow", "aver", "advise", "instruct", "notify", "recant",
            "retract", "theorize", "hypothesize", "surmise", "opine", "infer", "deduce",
            "conjecture", "stipulate", "certify", "guarantee", "holler", "bellow", "mumble",
            "scold", "reassure", "narrate", "recap", "summarize", "gloat", "whine", "moan",
            "groan",
        )),
    ),
    CueKind.BELIEF: (
        "believe", "think", "estimate", "expect", "suspect", "suggest", "speculate",
        "guess", "assume", "suppose", "presume", "reckon", "fear", "feel", "calculate",
        "anticipate", "imply", "worry", "hope", "hop", "consider", "figure", "know",
        "realize", "realise", "recognize", "recognise", "remember", "understand", "notice",
        "view", "regard", "deem", "contemplate", "envision",
        "foresee", "mull", "imagine", "wish", "forget",
    ),
    CueKind.ALLEGATION: ("claim", "allege", "accuse", "charge"),
    CueKind.DENIAL: ("deny", "reject", "dismiss", "refute", "dispute", "rebut", "disavow",
                     "repudiate", "contradict"),
    CueKind.QUESTION: ("ask", "question", "wonder", "doubt", "query", "inquire"),
    CueKind.STANCE: (
        "criticize", "criticise", "praise", "blast", "slam", "attack", "denounce", "condemn",
        "mock", "endorse", "defend", "blame", "want", "refuse", "decline", "call", "propose",
        "advocate", "welcome", "applaud", "hail", "lambaste", "lambast", "ridicule", "decry",
        "deride", "portray", "characterize", "label", "dub", "brand", "refer", "discuss",
        "talk", "express", "oppose", "seek", "prefer", "vote", "back", "support", "push",
        "challenge", "favor", "favour", "promote", "embrace", "encourage", "rule", "rail",
        "press", "pressure", "convince", "persuade", "expose", "invoke", "rattle",
        "distance", "assail", "resist", "bemoan", "lash", "champion", "balk", "rebuke",
        "chide", "insult", "rebuff", "downplay", "spar", "shrug", "relish", "vouch", "opt",
        "plan", "decide", "intend", "aim", "like", "love", "dislike", "hammer", "frame",
        "see", "witness", "notice", "perceive", "disagree", "paint", "knock", "rip", "side",
        "focus",
    ),
}
# Nouns that are cues when they have an owner: "Trump's claim that…", "his calls to end…".
NOUN_CUES: dict[str, CueKind] = {
    **dict.fromkeys((
        "statement", "announcement", "remark", "promise", "pledge", "vow", "assertion",
        "testimony", "insistence", "admission", "revelation", "warning",
    ), CueKind.SPEECH),
    **dict.fromkeys(("estimate", "assessment", "suggestion", "belief", "conclusion",
                     "prediction"), CueKind.BELIEF),
    **dict.fromkeys(("claim", "allegation", "accusation", "charge"), CueKind.ALLEGATION),
    **dict.fromkeys(("denial", "rejection", "rebuttal"), CueKind.DENIAL),
    **dict.fromkeys(("doubt",), CueKind.QUESTION),
    **dict.fromkeys(("attack", "criticism", "endorsement", "embrace", "refusal", "strategy",
                     "condemnation", "critique", "praise"), CueKind.STANCE),
}
# Predicate adjectives (and participles) of mental state: "are convinced that…".
ADJECTIVE_CUES: dict[str, CueKind] = {
    **dict.fromkeys((
        "convinced", "confident", "sure", "certain", "optimistic", "pessimistic",
        "skeptical", "sceptical", "aware", "hopeful", "fearful", "worried", "concerned",
        "afraid", "doubtful", "persuaded", "adamant", "clear",
    ), CueKind.BELIEF),
    **dict.fromkeys((
        "focused", "happy", "unhappy", "critical", "supportive", "opposed", "eager", "keen",
        "determined", "interested", "angry", "upset", "frustrated", "proud", "disappointed",
        "mystified", "surprised", "shocked", "furious", "satisfied", "dissatisfied",
        "committed", "reluctant", "willing", "intent", "enamored", "fond", "wary", "open",
        "grateful", "thankful", "excited", "enthusiastic", "uneasy", "comfortable",
        "uncomfortable", "impressed", "disgusted", "outraged", "alarmed", "troubled",
        "mesmerized", "obsessed", "fixated", "anxious", "nervous", "glad", "sorry",
        "ashamed", "embarrassed", "annoyed", "irritated", "pleased", "displeased",
        "dismayed", "appalled", "horrified", "puzzled", "baffled", "confused", "unsure",
        "undecided", "divided", "split", "ambivalent", "bullish", "bearish",
    ), CueKind.STANCE),
}
_ADJECTIVE_PREPS = frozenset({"with", "about", "of", "on", "in", "to", "by", "at", "over",
                              "for", "against"})
# Documents: they speak for their authors ("the memo says…"; see also _FINDING_NOUNS).
DOCUMENT_NOUNS = frozenset({
    "poll", "survey", "study", "report", "statement", "letter", "memo", "filing", "analysis",
    "ruling", "assessment", "document", "documents", "book", "op-ed", "editorial", "column",
    "article", "affidavit", "transcript", "lawsuit", "complaint", "testimony",
})
# Documents and records, which "show" and "list" what they report.
EVIDENCE_NOUNS = DOCUMENT_NOUNS | frozenset({
    "record", "data", "datum", "figure", "number", "result", "email", "video", "photo",
    "photograph", "footage", "image", "map", "chart", "tally", "count", "estimate",
    "projection", "review", "audit", "investigation", "probe", "inquiry", "research",
    "evidence", "census", "exit", "returns", "disclosure", "documents", "paper",
})
VERB_CUES: dict[str, CueKind] = {
    lemma: kind for kind, lemmas in _VERBS.items() for lemma in lemmas
}
# Stance lemmas that need a content of their own (an object or a clause) to be a cue at all;
# the speech and belief ones among them need a clause ("maintained that…", not "maintained
# its lead"; "added that…", not "added two parks"; "the sign read: …", not "read the
# report"). Verbs whose object is the message itself ("showed signs of…", "listed the
# risks", "posted a video", "ordered a review") are cues with a plain object too.
_NEEDS_OBJECT = frozenset({"call", "refer", "talk", "express", "vote", "back", "support",
                           "seek", "point", "continue", "find", "publish", "learn", "echo",
                           "consider", "figure", "feel", "maintain", "add", "read",
                           *_SPEECH_CLAUSE})
# Verbs that are cues only with their particle: "laid out a plan" (not "laid off workers").
_PARTICLE_CUES = {"lay": "out", "weigh": "in", "fire": "back", "shoot": "back",
                  "brush": "off"}
# ...and verbs that are no cue with one: "showed up in the flesh", "showed off the plane".
_OTHER_PHRASAL = {"show": ("up", "off")}
# Verbs that are cues only with an "as" phrase: "cast himself as the heir", "painted her as
# a liar" (not "cast a ballot", "cast doubt", "paint a mural").
_AS_CUES = frozenset({"cast", "paint", "frame"})
# Prepositions whose object is the content of a stance cue ("called for", "talked about").
_CONTENT_PREPS = frozenset({"about", "for", "on", "to", "of", "against", "over"})
# Verbs of (dis)agreement and of answering, whose "with" phrase is their content ("agreed
# with him", "sided with the unions", "responded with a lawsuit").
_WITH_CUES = frozenset({"agree", "disagree", "concur", "side", "respond", "counter", "reply"})
# Speech verbs whose object is the addressee, not what was said ("told reporters").
_ADDRESSEE = frozenset({"tell", "inform", "brief", "remind", "assure"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_SHARES_SUBJECT = frozenset({"xcomp", "conj", "advcl", "pcomp"})
_QUOTES = OPEN_QUOTES | CLOSE_QUOTES


@dataclass(frozen=True, slots=True)
class Cited:
    """ "citing X" inside a frame: X is a source behind the frame's own source."""

    cue: Range
    source: Range


@dataclass(frozen=True, slots=True)
class Frame:
    """One attribution: cue, the source the text names (None when it names none), content.

    `clausal` is true when the content is a statement (a clause or a quotation) rather than a
    noun phrase ("denied these allegations"): only clausal content becomes a claim of its
    own. `negated` marks "did not say".
    """

    cue: Range
    source: Range | None
    content: tuple[Range, ...]
    kind: CueKind
    lemma: str
    clausal: bool
    negated: bool = False
    cited: tuple[Cited, ...] = ()



@dataclass(frozen=True, slots=True)
class _Ctx:
    """What the rules need to know about the whole article."""

    doc: Doc
    segs: list[Range]
    seg_of: dict[int, int]
    partners: dict[int, int]

    def seg(self, i: int) -> Range:
        return _seg(self.segs, self.seg_of, i)

    def same(self, a: int, b: int) -> bool:
        """Are tokens a and b on the same sentence line?"""
        return self.seg_of.get(a, -1) == self.seg_of.get(b, -2)

    def closing(self, i: int) -> bool:
        """Is token i a closing quotation mark?"""
        j = self.partners.get(i)
        return j is not None and j < i


@dataclass(frozen=True, slots=True)
class Reading:
    """Frames with the sentence lines and quotation pairs they were read with, so that
    claims.py does not work those out a second time."""

    frames: list[Frame]
    segments: list[Range]
    partners: dict[int, int]


def find_attributions(doc: Doc) -> list[Frame]:
    """Every attribution frame of a parsed article, in text order."""
    return read_attributions(doc).frames


def read_attributions(doc: Doc) -> Reading:
    """Every attribution frame of a parsed article, with the units they were read from."""
    segs = segments(doc)
    seg_of = _segment_index(doc, segs)
    partners = quote_partners(doc, segs)
    ctx = _Ctx(doc, segs, seg_of, partners)
    frames: list[Frame] = []
    citations: list[tuple[Token, Cited]] = []
    for tok in doc:  # the part of speech (an int) first: string look-ups only for candidates
        pos = tok.pos
        frame: Frame | None
        if pos in (VERB, ADP):
            lower = tok.lower_
            if lower == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                frame = _according_to(tok)
            elif pos == ADP:
                if lower not in ("in", "from") or tok.dep_ != "prep":
                    continue
                frame = _document_frame(tok, _seg(segs, seg_of, tok.i))
            else:
                lemma = tok.lemma_
                if lemma == "cite" and ((tok.tag_ == "VBG" and tok.dep_ != "ROOT") or
                                        _relative_subject(tok)):
                    cited = _citing(tok)  # "…, citing X" and "Y, which cited X"
                    if cited is not None:
                        citations.append((tok, cited))
                    continue
                if lemma in VERB_CUES:
                    frame = _verb_frame(tok, ctx)
                    if (frame is None or frame.source is None) and tok.dep_ == "acomp" and \
                            lower in ADJECTIVE_CUES:
                        frame = _adjective_frame(tok) or frame  # "they are convinced that…"
                elif lemma in _LIGHT_VERBS:
                    frame = _light_verb_frame(tok, ctx)  # "made the case that…"
                elif lower in ADJECTIVE_CUES and tok.tag_ == "VBN":
                    frame = _adjective_frame(tok)
                elif tok.i > 1 and doc[tok.i - 1].pos in _SPEAKER_POS:
                    frame = _quote_tag(tok, ctx)  # "“…,” she went on"
                else:
                    continue
        elif pos == PUNCT:
            if tok.text == ":":
                frame = _colon_frame(doc, tok, _seg(segs, seg_of, tok.i))
            elif tok.text in _DASHES:
                frame = _tweet_frame(doc, tok)
            else:
                continue
        elif pos == NOUN:
            lemma = tok.lemma_
            frame = None
            if tok.tag_ == "NNS" and lemma in VERB_CUES:
                frame = _verb_as_noun(tok, ctx)
            if frame is None and lemma.lower() in NOUN_CUES:
                frame = _noun_frame(tok)  # "his harsh attacks on illegal immigrants"
            if frame is None and VERB_CUES.get(lemma) is CueKind.SPEECH:
                frame = _quote_tag(tok, ctx)  # "“…,” the two write." (a verb read as a noun)
        elif pos == ADJ:
            if tok.lower_ not in ADJECTIVE_CUES:
                continue
            frame = _adjective_frame(tok)
        else:
            continue
        if frame is None:
            continue
        if frame.source is not None and not (ctx.same(frame.cue[0], frame.source[0]) and
                                             ctx.same(frame.cue[0], frame.source[1] - 1)):
            continue  # a parse that runs over a line break
        if frame.source is not None and _no_speaker(doc, frame):
            frame = Frame(frame.cue, None, frame.content, frame.kind, frame.lemma,
                          frame.clausal, frame.negated, frame.cited)
        frames.append(_finish(doc, frame, _seg(segs, seg_of, frame.cue[0]), partners))
    frames = _attach_citations(doc, frames, citations, ctx)
    frames = _within_quotations(doc, _set_apart_relatives(doc, frames), partners)
    frames = _coordinated_speakers(doc, frames)
    frames = _closing_tags_outside(frames, ctx)
    return Reading(_untangle(doc, frames), segs, partners)


def _closing_tags_outside(frames: list[Frame], ctx: _Ctx) -> list[Frame]:
    """ "Hillary Clinton thinks A, former President Bill Clinton said this week.": a speech
    tag closing the sentence after a comma reports all of it, the belief before included,
    however the parser nested the two (it often hangs the tag inside the clause before)."""
    doc = ctx.doc
    out = list(frames)
    for n, f in enumerate(frames):
        if f.kind is not CueKind.SPEECH or f.source is None or f.source[1] > f.cue[0] or \
                f.source[0] < 2 or doc[f.source[0] - 1].text != ",":
            continue
        start, end = ctx.seg(f.cue[0])
        verb = doc[f.cue[0]]
        hi = _after_adjuncts(verb, f.cue[1], end)  # "said this week at an event in Wyoming"
        if (hi < end and doc[hi].text not in (".", "—", ",", ";", "!", "?")) or any(
                doc[i].text in _QUOTES for i in range(start, end)):
            continue  # (", suggesting…", "— an apparent reversal…" may follow the tag)
        comma = f.source[0] - 1
        if any(b > comma for _, b in f.content):
            continue  # not a closing tag: what it reports follows it
        inner = [m for m, g in enumerate(out) if m != n and start <= g.cue[0] < comma
                 and any(a <= f.cue[0] < b for a, b in g.content)]
        if not inner:
            continue
        for m in inner:
            g = out[m]
            content = tuple(r for r in minus(g.content, [(comma, end)])
                            if not _only_punct(doc, *r))
            if content:
                out[m] = _replace_content(g, content, doc)
        out[n] = _replace_content(f, ((start, comma),), doc)
    return out


_COORDINATORS = frozenset({"and", "but"})


def _coordinated_speakers(doc: Doc, frames: list[Frame]) -> list[Frame]:
    """ "Six in 10 said Clinton is honest, and three-quarters said the same of Sanders": a
    speaker joined to the first by "and" or "but" reports its own clause, which is no part
    of what the first speaker said (however the parser hung the second cue on the first)."""
    cuts: list[tuple[int, Range]] = []  # (cue of the later frame, the stretch it spans)
    for f in frames:
        if f.source is None or f.kind is not CueKind.SPEECH:
            continue
        lo = f.source[0]
        if lo < 1 or doc[lo - 1].lower_ not in _COORDINATORS or f.source[1] > f.cue[0]:
            continue
        hi = max([f.cue[1], *(b for _, b in f.content)])
        cuts.append((f.cue[0], (lo - 1, hi)))
    if not cuts:
        return frames
    cues = [cue for cue, _ in cuts]  # in text order, as the frames are
    out = []
    for g in frames:
        holes = []
        # (only a speaking verb's content: in a poll, "79 percent said A and 60 percent said
        # B" is all the poll's)
        if g.kind is CueKind.SPEECH and g.lemma in VERB_CUES:
            for a, b in g.content:  # the first such speaker in each part (log time)
                k = bisect.bisect_left(cues, max(a, g.cue[0] + 1))
                while k < len(cuts) and cues[k] < b and cuts[k][1][0] <= g.cue[0]:
                    k += 1
                if k < len(cuts) and cues[k] < b:
                    holes.append(cuts[k][1])
        if holes:
            content = tuple(r for r in minus(g.content, holes) if not _only_punct(doc, *r))
            if content:
                g = _replace_content(g, content, doc)
        out.append(g)
    return out


def _within_quotations(doc: Doc, frames: list[Frame], partners: dict[int, int]) -> list[Frame]:
    """A cue inside a quotation reports no further than the quotation's end: in "“Well, I
    like him,” Trump said" the speaker's "like" does not take in "Trump said"."""
    spans = sorted((i, j + 1) for i, j in partners.items() if i < j)
    if not spans:
        return frames
    starts = [a for a, _ in spans]
    out = []
    for f in frames:
        k = bisect.bisect_right(starts, f.cue[0]) - 1
        while k >= 0 and not spans[k][0] < f.cue[0] < spans[k][1] - 1 and \
                f.cue[0] - spans[k][0] < 400:
            k -= 1
        if k >= 0 and spans[k][0] < f.cue[0] < spans[k][1] - 1:
            lo, hi = spans[k]
            if any(b > hi for _, b in f.content):
                content = tuple(r for r in ((max(a, lo), min(b, hi)) for a, b in f.content)
                                if r[1] > r[0] and not _only_punct(doc, *r))
                if content:
                    f = _replace_content(f, content, doc)
        out.append(f)
    return out


def _no_speaker(doc: Doc, frame: Frame) -> bool:
    """ "That said, …", "more than the industry says": a demonstrative "that" speaks for
    nobody; nor does a restrictive "that" before an attitude ("ads that portray him as…",
    "a union that has endorsed him": the noun is described, not quoted), an impersonal
    "it" holding one, or the generic "you" of "you know"."""
    start, end = frame.source
    word = doc[start].lower_
    if end - start != 1:
        return False
    if word == "it":  # "it backs up his claim": an attitude of nobody in particular
        return frame.kind is CueKind.STANCE
    if word == "you":  # "you know", "you see": the generic you believes nothing
        return frame.kind is CueKind.BELIEF
    if word != "that":
        return False
    if doc[start].tag_ == "WDT" and not frame.clausal and start > 0 and \
            doc[start - 1].pos_ in ("NOUN", "PROPN"):
        return True  # "a shirt that read…", "ads that highlight his record": the thing described
    return doc[start].tag_ in ("DT", "IN") or frame.kind is CueKind.STANCE


_TANGLE_REACH = 48  # tokens: frames that hold each other's cue are close together


def _untangle(doc: Doc, frames: list[Frame]) -> list[Frame]:
    """Two frames whose contents hold each other's cue: the wider one is the outer one.

    "The Pentagon believes that X would become “cannon fodder,” according to the report":
    the parser hangs "according to" inside the believed clause; the report says what the
    Pentagon believes, so "according to the report" comes out of the belief's content.
    """
    cues = sorted((f.cue[0], n) for n, f in enumerate(frames))
    positions = [c for c, _ in cues]
    out = list(frames)
    for n, f in enumerate(frames):
        for a, b in f.content:
            lo = bisect.bisect_left(positions, max(a, f.cue[0] - _TANGLE_REACH))
            hi = bisect.bisect_left(positions, min(b, f.cue[0] + _TANGLE_REACH))
            for _, m in cues[lo:hi]:
                g = frames[m]
                if m == n or not any(x <= f.cue[0] < y for x, y in g.content):
                    continue
                if _outer(g, f):
                    continue  # g is the outer one; f is trimmed on g's turn
                inner = out[m]
                holes = [f.cue, *([f.source] if f.source else [])]
                content = tuple(r for r in minus(inner.content, holes)
                                if not _only_punct(doc, *r))
                out[m] = _replace_content(inner, content or inner.content, doc)
    return out


def _outer(f: Frame, g: Frame) -> bool:
    """Of two frames holding each other's cue, is f the outer one? A sentence-initial or
    -final "according to" always is (see _according_to); otherwise the wider one."""
    if (f.lemma == "according to") != (g.lemma == "according to"):
        return f.lemma == "according to"
    return _width(f) > _width(g)


def _replace_content(f: Frame, content: tuple[Range, ...], doc: Doc) -> Frame:
    content = tuple(_trim(doc, a, b) for a, b in content)
    return Frame(f.cue, f.source, content, f.kind, f.lemma, f.clausal, f.negated, f.cited)


def _width(f: Frame) -> int:
    return sum(b - a for a, b in f.content)


def _seg(segs: list[Range], seg_of: dict[int, int], i: int) -> Range:
    return segs[seg_of[i]] if i in seg_of else (i, i + 1)


def _segment_index(doc: Doc, segs: list[Range]) -> dict[int, int]:
    index: dict[int, int] = {}
    for n, (start, end) in enumerate(segs):
        for i in range(start, end):
            index[i] = n
    return index


# --- one frame per kind of cue --------------------------------------------------------------


def _verb_frame(verb: Token, ctx: _Ctx) -> Frame | None:
    """ "X said (that) Y", "Y, X said", "X told Z Y", "X accused Y of Z", "X wants to Y"."""
    if verb.dep_ == "amod":
        return _misread_modifier(verb, ctx)
    if verb.dep_ in ("compound", "auxpass", "aux"):
        return None
    particle = _PARTICLE_CUES.get(verb.lemma_)
    if particle is not None and not any(c.dep_ in ("prt", "advmod") and c.lower_ == particle
                                        for c in verb.children):
        return None
    if verb.lemma_ in _AS_CUES and not any(c.dep_ == "prep" and c.lower_ == "as" for c in (
            *verb.children, *(g for c in verb.children if c.dep_ == "dobj" for g in c.children))):
        return None
    other = _OTHER_PHRASAL.get(verb.lemma_)
    if other is not None and any(c.dep_ == "prt" and c.lower_ in other and c.i == verb.i + 1
                                 for c in verb.children):
        return None
    kind = VERB_CUES[verb.lemma_]
    seg = ctx.seg(verb.i)
    if _asked(verb, seg):
        return None  # "Do you support Ted Cruz?": asked about, not held
    if verb.lemma_ == "want" and any(c.dep_ == "aux" and c.lower_ in ("may", "might")
                                     for c in verb.children):
        return None  # "Trump may want to check his stats": the writer's advice, no wish
    content, clausal = _content(verb, kind, ctx)
    if not content:
        return _quote_tag(verb, ctx, kind)
    if verb.lemma_ in _NEEDS_OBJECT and not clausal and kind is not CueKind.STANCE and \
            not _evidence_subject(verb) and not _pointing(verb) and not _judged(verb):
        # "the trend continued", "found the body": a cue only with a clause; but a poll or
        # a record that "shows a slimmer lead" reports it
        return None
    if kind is CueKind.STANCE and all(_when(ctx.doc, *r) for r in content) and not (
            verb.dep_ == "relcl" and content == [_noun_phrase(verb.head)]):
        # "Rubio voted on March 2", "Indiana, which votes May 3": when, not what (but in "the
        # day that Trump railed against the judge" the attitude is there, the gap is when)
        return None
    source = _source(verb, seg)
    if source is None and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in (
            "NOUN", "PROPN") and not _under_negation(verb.head):
        # "911 calls saying shots have been fired", "emails showing that…"
        noun = verb.head
        source = (noun.left_edge.i, noun.i + 1)
        owner = [c for c in noun.children if c.dep_ == "poss"]
        anchor = noun  # "spent much of his campaign railing against…": much is the object
        while anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and anchor.head.head.pos_ in (
                "NOUN", "PRON", "ADJ"):
            anchor = anchor.head.head
        if anchor.dep_ == "dobj" and noun.ent_type_ not in ("PERSON", "NORP", "ORG", "GPE"):
            # "The Cruz campaign sent a fundraising email saying…": the sender says it
            source = _source(anchor.head, seg) or source
        elif owner:  # "Clinton's speech denouncing…": she denounces
            source = _subtree(owner[0])
    if source is None:
        source = _source_before(verb, seg) or _understood_subject(verb, seg)
    if source is None and not any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        source = _set_off_subject(verb, seg) or (
            _source_after(verb, ctx) if kind in (CueKind.SPEECH, CueKind.QUESTION) else None)
    if source is not None and source[1] <= verb.i and kind is CueKind.SPEECH and not any(
            t.tag_ in ("VBD", "VBZ", "VBP") for t in ctx.doc[source[0]:source[1]]):
        after = _inverted_speaker(verb, ctx)  # (a subject with a clause of its own is one)
        if after is not None:
            source = after  # "Part of the problem, say experts like X, is…": X says it
    tag = _tag_subject(verb, ctx)
    if tag is not None and (source is None or source[1] <= tag[0]):
        source = tag  # "“…,” Trump, the GOP frontrunner, said": not a word of the quotation
    cue_end = verb.i + 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == cue_end:  # "point out", "lash out"
            cue_end += 1
    negated = any(c.dep_ == "neg" for c in verb.children)
    return Frame((verb.i, cue_end), source, tuple(content), kind, verb.lemma_, clausal,
                 negated)


def _misread_modifier(verb: Token, ctx: _Ctx) -> Frame | None:
    """ "Trump defended eminent domain", "Khan, the father of a slain soldier, decried
    Trump's calls…", parsed with the verb as an adjective on its object ("the reported
    figure", "a claimed victory", which are no cues): a past form right after a name or a
    set-off apposition, or with a subject of its own, is the verb of its sentence."""
    doc = ctx.doc
    head = verb.head
    if verb.tag_ not in ("VBD", "VBN", "VBZ", "VBP") or head.i <= verb.i or verb.i == 0:
        return None
    seg = ctx.seg(verb.i)
    prev = doc[verb.i - 1]
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        source: Range | None = _noun_phrase(subjects[0])
    elif prev.text == ",":
        source = _set_off_subject(verb, seg)
    elif prev.pos_ in ("PROPN", "NOUN") or (prev.pos_ == "PRON" and prev.tag_ == "PRP"):
        start = verb.i
        while start > seg[0] and verb.i - start < 8 and (
                doc[start - 1].pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PRON")
                or doc[start - 1].tag_ == "POS"):
            start -= 1
        source = (start, verb.i)
    else:
        return None
    if source is None:
        return None
    end = head.right_edge.i + 1
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.i > head.i:
        end = head.head.right_edge.i + 1  # "He implied immigrants were the ones…"
    end = min(end, seg[1])
    while end > verb.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= verb.i + 1:
        return None
    content = (verb.i + 1, end)
    clausal = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[verb.i + 1:end])
    kind = VERB_CUES[verb.lemma_]
    if verb.lemma_ in _NEEDS_OBJECT and not clausal and kind is not CueKind.STANCE:
        return None  # ("faces continued backlash")
    return Frame((verb.i, verb.i + 1), source, (content,), kind, verb.lemma_, clausal)


def _asked(verb: Token, seg: Range) -> bool:
    """Is the verb's clause a direct question ("Do you support him?", "What do you call
    it?", "Have you talked to her?"): an auxiliary before the subject, a question mark
    closing the line? The subject is asked about the attitude; it holds none."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return False
    doc = verb.doc
    end = seg[1]
    while end > seg[0] and (doc[end - 1].is_space or doc[end - 1].text in _QUOTES):
        end -= 1
    if end <= verb.i or doc[end - 1].text != "?" or verb.dep_ not in ("ROOT", "ccomp"):
        return False
    return any(c.dep_ == "aux" and c.i < subjects[0].i for c in verb.children)


# Verbs that say nothing themselves but take a noun of speech ("made the case that…",
# "made comments about…") or talk about something ("spoke about…", "spoke out against…").
_LIGHT_VERBS = frozenset({"make", "speak", "give", "take", "put"})
# "took aim at", "takes issue with", "has taken a firm stance against": an attitude.
_STANCE_NOUNS = frozenset({"issue", "aim", "swipe", "shot", "stance", "position", "stand",
                           "jab", "dig", "exception", "umbrage", "offense", "offence"})
_SPEECH_NOUNS = frozenset({
    "case", "comment", "remark", "statement", "point", "argument", "pitch", "call",
    "suggestion", "mention", "announcement", "appeal", "plea", "claim", "promise",
    "accusation", "allegation", "threat", "reference", "endorsement", "speech", "vow",
    "pledge", "prediction", "declaration", "assertion", "admission", "confession",
    "apology", "denial", "warning", "complaint", "charge", "observation", "proposal",
})


def _light_verb_frame(verb: Token, ctx: _Ctx) -> Frame | None:
    """ "Díaz made a case for reading…", "officials have made clear that…", "Rubio spoke
    out against the law": the verb with its noun of speech (or its topic) is the cue."""
    if verb.dep_ in ("amod", "compound", "aux", "auxpass"):
        return None
    children = list(verb.children)
    content: Range | None = None
    clausal = False
    kind = CueKind.SPEECH
    objects = [c for c in children if c.dep_ == "dobj" and c.i > verb.i]
    if verb.lemma_ == "give":
        if not objects or objects[-1].lemma_.lower() not in _SPEECH_NOUNS | {
                "assurance", "interview", "preview", "answer", "account", "explanation"}:
            return None
        obj = objects[-1]
        content = _subtree(obj)
        clausal = any(_has_that(c) for c in obj.children if c.dep_ in ("acl", "ccomp"))
    elif verb.lemma_ == "put":
        return _as_put_it(verb, ctx)
    elif verb.lemma_ == "take":
        if not objects or objects[0].lemma_.lower() not in _STANCE_NOUNS:
            return None
        preps = [c for c in [*children, *objects[0].children] if c.dep_ == "prep" and c.lower_
                 in ("with", "at", "on", "against", "to") and c.i > objects[0].i]
        objs = [g for p in preps[:1] for g in p.children if g.dep_ in ("pobj", "pcomp")]
        if not objs:
            return None
        content, kind = _subtree(objs[0]), CueKind.STANCE
    elif verb.lemma_ == "make":
        clear = [c for c in children if c.dep_ in ("oprd", "acomp", "ccomp") and
                 c.lower_ == "clear" and c.i > verb.i]
        clauses = [c for c in children if c.dep_ == "ccomp" and c.i > verb.i
                   and c.lower_ != "clear"]
        # (the parser may hang the clause on "clear" as an adverbial or a subject clause)
        under = [c for c in clear[0].children if c.dep_ == "ccomp" or (
            c.dep_ in ("advcl", "csubj") and c.i > clear[0].i and _has_that(c))] if clear else []
        if clear and (clauses or under):
            inner = clauses or under
            content, clausal = _subtree(inner[0]), True
        elif objects and objects[0].lemma_.lower() in _SPEECH_NOUNS:
            obj = objects[0]
            content = _subtree(obj)
            clausal = any(_has_that(c) for c in obj.children if c.dep_ in ("acl", "ccomp"))
            for c in children:  # "made comments about…" hung on the verb
                if c.dep_ == "prep" and c.i > obj.i and c.lower_ in _CONTENT_PREPS:
                    content = (content[0], c.right_edge.i + 1)
    else:
        topics = [c for c in children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in (
            "about", "on", "of", "against")]
        for topic in topics:  # (not "spoke on Wednesday", "spoke on condition of anonymity":
            # when and on what terms, not about what)
            objs = [g for g in topic.children if g.dep_ in ("pobj", "pcomp")]
            if objs and not _when(ctx.doc, *_subtree(objs[0])) and objs[0].lemma_ != "condition":
                content, kind = _subtree(objs[0]), CueKind.STANCE
                break
    if content is None:
        return None
    seg = ctx.seg(verb.i)
    source = _source(verb, seg) or _source_before(verb, seg)
    negated = any(c.dep_ == "neg" for c in children)
    return Frame((verb.i, verb.i + 1), source, (content,), kind, verb.lemma_, clausal, negated)


def _as_put_it(verb: Token, ctx: _Ctx) -> Frame | None:
    """ "As one diplomat put it, the deal was a makeover": the "as" clause names who said
    the clause it hangs on (or, before a colon, what follows)."""
    doc = ctx.doc
    if verb.dep_ != "advcl" or not _has_mark(verb, "as") or not any(
            c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children):
        return None
    seg = ctx.seg(verb.i)
    lo, hi = _subtree(verb)
    start, end = _subtree(verb.head)
    content = [r for r in minus([(max(start, seg[0]), min(end, seg[1]))], [(lo, hi)])
               if not _only_punct(doc, *r)]
    content = [_trim(doc, a, b) for a, b in content]
    source = _source(verb, seg)
    if not content or source is None:
        return None
    return Frame((verb.i, verb.i + 1), source, tuple(content), CueKind.SPEECH, "put", True)


def _pointing(verb: Token) -> bool:
    """ "pointed to the example of Indiana", "pointed out the progress he had made": a cue
    without a clause, unlike "pointed"."""
    return verb.lemma_ == "point" and any((c.dep_ == "prep" and c.lower_ in ("to", "at")) or (
        c.dep_ == "prt" and c.lower_ == "out") for c in verb.children)


def _judged(verb: Token) -> bool:
    """An object and what it is judged to be: "found Zimmerman not guilty", "considers him
    a threat", "is considered an asset" (a cue without a clause, unlike "found the body")."""
    objects = [c.i for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    return bool(objects) and any(c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > objects[0]
                                 for c in verb.children)


def _evidence_subject(verb: Token) -> bool:
    """Is the verb's subject a document or a record ("the poll shows", "records list")?"""
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in EVIDENCE_NOUNS for c in verb.children)


def _content(verb: Token, kind: CueKind, ctx: _Ctx) -> tuple[list[Range], bool]:
    """The content a verb cue introduces, and whether it is a clause."""
    seg_start, seg_end = ctx.seg(verb.i)
    fallback: list[Range] = []
    # the parser may glue a heading or the next paragraph on: stay on the cue's line
    children = [c for c in verb.children if seg_start <= c.i < seg_end]
    if _has_mark(verb, "as") and verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX") and \
            not (verb.head.lemma_ in VERB_CUES and verb.head.i < verb.i) and not any(
                c.i > verb.i and (c.dep_ in ("xcomp", "ccomp") or (
                    c.dep_ == "dobj" and verb.lemma_ not in _ADDRESSEE)) for c in children):
        # (but in "“…,” she said as the crowd cheered" the crowd cheers nothing she said, and
        # in "…, as Kerry continues to pursue diplomacy" or "as she thanked her home state"
        # the cue has a content of its own)
        # "As the Washington Post observed, Republicans now control…"
        head = verb.head
        lo, hi = verb.left_edge.i, verb.right_edge.i + 1
        parts = [(head.left_edge.i, lo), (hi, head.right_edge.i + 1)]
        return [p for p in parts if p[1] > p[0] and not _only_punct(ctx.doc, *p)], True
    passive = [c for c in children if c.dep_ == "nsubjpass"]
    if passive and any(c.dep_ == "agent" for c in children) and not any(
            c.dep_ in ("ccomp", "xcomp") for c in children):
        return [_subtree(passive[0])], False  # "O'Malley's move was first reported by MSNBC"
    clauses = [c for c in children if c.i > verb.i and (c.dep_ == "ccomp" or (
        c.dep_ in ("acl", "dep", "advcl") and _has_that(c) and not _has_mark(c, "so")))]
    which = _sentential_which(verb, kind)
    if which is not None and not clauses:
        return [which], False
    gap = _object_gap(verb, children)
    if gap is not None and not clauses:
        return [gap], False
    if not clauses:
        late = _late_that(verb, seg_end)
        if late is not None:
            return [late], True
        tagged = _speech_tag(verb, ctx)
        relative = any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP") for c in children)
        if tagged and (relative or (kind is not CueKind.SPEECH and not _clause_or_quote(
                ctx.doc, tagged[0]))):
            # "At the convention, delegates must vote for…", "Instead, she focused on…": a
            # phrase before an attitude is no statement (unlike "Sorry, Sanders said"), nor is
            # the clause before a relative one ("…in Indiana, which votes May 3"); the content
            # is what follows the cue, what comes before only when nothing does
            fallback = tagged
        elif tagged:
            return tagged, True
        clauses = [c for c in children if c.dep_ in ("ccomp", "parataxis") and c.i < verb.i
                   and _set_off(c) and not _separate_speech(c)]
    if not clauses:
        # "reported, citing an official, that…": the parser hangs the clause on "citing"
        clauses = [g for c in children if c.dep_ in ("advcl", "xcomp") and c.lemma_ in
                   ("cite", "quote") for g in c.children if g.dep_ == "ccomp" and g.i > c.i]
    if not clauses and verb.dep_ == "csubj" and verb.head.i > verb.i and verb.tag_ == "VBG":
        # "…, stating it “demonstrates…”" misread as the subject of the quoted verb
        head = verb.head
        return [(verb.i + 1, head.right_edge.i + 1)], True
    if clauses:
        ranges = [_without_other_speakers(c) for c in clauses]
        fronted = _fronted_quote(verb, ctx) if clauses[0].i > verb.i else None
        if fronted is not None:  # "“I like him,” Trump said, “and I fully support…”"
            ranges.insert(0, fronted)
        if any(_has_that(c) for c in clauses):
            # "estimates that A, and B could receive...": the second clause is estimated too
            ranges += [_subtree(c) for c in children if c.dep_ == "conj" and c.i > verb.i
                       and c.pos_ in ("VERB", "AUX") and c.lemma_ not in VERB_CUES
                       and _own_subject(c)]
        return ranges, True
    inverted = _reported_head(verb, ctx)
    if inverted:
        return inverted, True
    colon = _after_colon(verb, ctx) or (_after_comma_quote(verb, ctx) if kind in (
        CueKind.SPEECH, CueKind.QUESTION) else None)
    if colon is not None:
        return [colon], True
    if kind in (CueKind.SPEECH, CueKind.BELIEF):
        glued = _reported_as_head(verb, seg_end) or _line_after_cue(verb, ctx)
        if glued is not None:
            return [glued], True
    stand_in = [c for c in children if c.i > verb.i and (
        (c.dep_ == "advmod" and (c.lower_ == "so" or c.tag_ == "WRB")) or
        (c.dep_ == "intj" and c.lower_ in ("yes", "no")))]
    if stand_in and kind is not CueKind.STANCE and not any(
            c.dep_ in ("dobj", "xcomp", "ccomp") for c in children):
        return [_subtree(stand_in[0])], False  # "said so", "said yes", "would not say why"
    objects = [c for c in children if c.dep_ in ("dobj", "attr", "oprd")]
    xcomps = [c for c in children if c.dep_ == "xcomp"]
    if kind is CueKind.ALLEGATION or verb.lemma_ in ("blame", "criticize", "criticise"):
        # "accused Pyongyang authorities of supplying weapons": object + what it is accused of
        of = [c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
        if objects and of:
            return [(objects[0].left_edge.i, of[0].right_edge.i + 1)], _has_verb(of[0])
    whether = [c for c in children if c.dep_ in ("advcl", "dep") and _has_mark(c, "whether",
                                                                                "if")]
    if whether and kind is CueKind.QUESTION:
        return [_subtree(whether[0])], True
    if xcomps and (objects or kind in (CueKind.STANCE, CueKind.SPEECH, CueKind.BELIEF,
                                       CueKind.ALLEGATION)):
        # "urged voters to stay home", "wants to win", "promised to cut taxes"
        first = min([*objects, *xcomps], key=lambda t: t.i)
        return [(first.left_edge.i, xcomps[-1].right_edge.i + 1)], False
    if objects:
        obj = objects[-1] if verb.lemma_ != "tell" else objects[0]
        if verb.lemma_ in _ADDRESSEE:
            return [], False  # "told reporters": the addressee, not what was said
        rng = _subtree(obj)
        if verb.lemma_ == "call" and len(objects) > 1:
            rng = (objects[0].left_edge.i, objects[-1].right_edge.i + 1)
        # "called the show “the news show of record”": the object's complement goes along
        extra = [c for c in children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > obj.i]
        if extra:
            rng = (rng[0], max(e.right_edge.i for e in extra) + 1)
        return [rng], _is_quote_start(obj)
    preps = [c for c in children if c.dep_ == "prep" and (c.lower_ in _CONTENT_PREPS or (
        c.lower_ == "with" and verb.lemma_ in _WITH_CUES))]
    if preps and kind in (CueKind.STANCE, CueKind.SPEECH, CueKind.QUESTION):
        objs = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp")]
        if objs:
            return [_subtree(objs[0])], False
    wanted = [c for c in children if c.i > verb.i and c.dep_ in ("advcl", "ccomp") and
              _has_mark(c, "for") and _own_subject(c)]
    if wanted and kind in (CueKind.STANCE, CueKind.SPEECH):
        return [_subtree(wanted[0])], False  # "called for all candidates to lay out…"
    return (fallback, True) if fallback else ([], False)


_SPEAKER = frozenset({"PROPN", "NOUN", "DET", "ADJ", "PRON", "NUM"})
_SPEAKER_POS = frozenset({PROPN, NOUN, PRON, NUM, DET})  # the speaker's last word


def _quote_tag(verb: Token, ctx: _Ctx, kind: CueKind = CueKind.SPEECH) -> Frame | None:
    """ "“…,” CBS co-anchor DeMarco Morgan said." and "“Too forced?” he tweeted", read off
    the words whatever the parser made of them (a quotation split by the sentence splitter
    or a name it took for part of the quotation is common).

    A quotation ends in a comma, question or exclamation mark, a short noun phrase follows
    and then the verb, which ends the tag: the noun phrase is the speaker, the quotation
    what was said (and its second half when the tag goes on with ", “…")."""
    doc = ctx.doc
    # a past tense read as a participle or a noun ("…,” the two write.") is a verb here
    misread = (verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in
                                               verb.children)) or verb.tag_ in ("NN", "NNS")
    if (verb.tag_ not in ("VBD", "VBZ", "VBP") and not misread) or any(c.i > verb.i and (
            c.dep_ in ("ccomp", "xcomp", "nsubjpass") or (
                c.dep_ == "dobj" and verb.lemma_ not in _ADDRESSEE)) for c in verb.children):
        return None
    seg_start, seg_end = ctx.seg(verb.i)
    end = verb.i
    while end > seg_start and verb.i - end < 2 and doc[end - 1].pos_ in ("ADV", "AUX", "PART"):
        end -= 1  # "he also said", "she had said"
    lo = end
    while lo > seg_start and end - lo < 10 and (doc[lo - 1].pos_ in _SPEAKER or
                                                doc[lo - 1].tag_ in ("POS", "HYPH")):
        lo -= 1
    if lo == end or not any(doc[i].pos_ in ("PROPN", "NOUN", "PRON") for i in range(lo, end)):
        return None
    q = lo - 1
    if q > 0 and doc[q].text == "," and ctx.closing(q - 1):
        q -= 1  # '"…", he said'
    elif q < 1 or not ctx.closing(q) or doc[q - 1].text not in (",", "?", "!", "—", "-"):
        return None
    hi = verb.i + 1
    while hi < seg_end and hi - verb.i < 30 and doc[hi].dep_ in (
            "prt", "advmod", "npadvmod", "prep", "pobj", "det", "amod", "compound", "poss",
            "dobj", "nummod") and doc[hi].text not in _QUOTES:
        hi += 1  # "told Britain's ITV television station in an interview"
    if hi < seg_end and doc[hi].text not in (",", ".", "!", "?", ";", "—", ":") and not (
            doc[hi].dep_ == "mark" and doc[hi].head.head.i == verb.i):
        return None  # (but "…,” Clinton asks as a maintenance worker walks in: a new clause)
    if misread and hi < seg_end and doc[hi].text != ".":
        return None
    content = [(ctx.partners[q], q + 1)]
    if hi + 1 < seg_end and doc[hi].text == "," and doc[hi + 1].text in OPEN_QUOTES and \
            not ctx.closing(hi + 1):
        content.append((hi + 1, seg_end))
    lemma = verb.lemma_
    return Frame((verb.i, verb.i + 1), (lo, end), tuple(content), kind, lemma, True)


_CONTRAST = ("while", "whereas", "though", "although")


def _without_other_speakers(clause: Token) -> Range:
    """A reported clause without a clause joined to it that names a speaker of its own:
    in "74 percent said A, while 22 percent said B", B is not what the first speaker said
    (but in "A because she thought B" and "A, and he feels B" it is)."""
    lo, hi = _subtree(clause)
    for c in clause.children:
        if c.i > clause.i and _has_mark(c, *_CONTRAST) and VERB_CUES.get(
                c.lemma_, CueKind.STANCE) is not CueKind.STANCE and c.tag_ != "VBG" and any(
                g.dep_ == "nsubj" for g in c.children):
            hi = min(hi, c.left_edge.i)
    doc = clause.doc
    while hi - 1 > lo and (doc[hi - 1].dep_ == "cc" or doc[hi - 1].is_punct):
        hi -= 1
    return lo, hi


def _reported_as_head(verb: Token, seg_end: int) -> Range | None:
    """ "…after Trump told The Washington Post he was “not quite there yet”", parsed with the
    reported clause as the head of the cue: a clause whose subject starts right after the
    cue's own phrase is what was told."""
    head = verb.head
    if verb.dep_ not in ("advcl", "ccomp") or not verb.i < head.i < seg_end or head.pos_ not in (
            "VERB", "AUX") or head.lemma_ in VERB_CUES:
        return None
    nxt = verb.right_edge.i + 1
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if not subjects or subjects[0].left_edge.i != nxt or subjects[0].i > head.i:
        return None
    return nxt, min(head.right_edge.i + 1, seg_end)


def _sentential_which(verb: Token, kind: CueKind) -> Range | None:
    """ "The union accused the company of X, which the company denies": a denial in a
    relative clause set off by a comma answers the whole statement it follows, not the noun
    the parser hung it on; its content is the pronoun, which points back like "these
    allegations" (claims.py finds what it denies)."""
    if kind is not CueKind.DENIAL or verb.dep_ != "relcl":
        return None
    doc = verb.doc
    for c in verb.children:
        if c.i < verb.i and c.lower_ == "which" and c.dep_ == "dobj" and c.i > 0 and \
                doc[c.i - 1].text == ",":
            return c.i, c.i + 1
    return None


_RELATIVE_KINDS = frozenset({CueKind.SPEECH})


def _set_apart_relatives(doc: Doc, frames: list[Frame]) -> list[Frame]:
    """A sentential "which" denial (see _sentential_which) is not part of what the
    statement before it reports: it comes out of that statement's content."""
    holes = []
    for f in frames:
        verb = doc[f.cue[0]]
        if f.kind is CueKind.DENIAL and len(f.content) == 1 and \
                f.content[0][1] - f.content[0][0] == 1:
            pronoun = doc[f.content[0][0]]
            if pronoun.lower_ == "which" and pronoun.head.i == f.cue[0]:
                holes.append((pronoun.i - 1, verb.right_edge.i + 1))
        elif verb.dep_ == "relcl" and f.source is not None and f.kind in _RELATIVE_KINDS \
                and doc[f.source[0]].tag_ not in ("WDT", "WP") and any(
                    c.tag_ in ("WDT", "WP") or c.lower_ == "that"
                    for c in doc[verb.left_edge.i:f.source[0]]):
            # "policies, which he said had harmed the economy": what he said, not what the
            # sentence around it reports (PolNeAR annotates the two apart); "critics who
            # say…" stays part of what the sentence reports about the critics
            lo = verb.left_edge.i
            holes.append((lo - 1 if lo > 0 and doc[lo - 1].text == "," else lo,
                          verb.right_edge.i + 1))
    if not holes:
        return frames
    out = []
    for f in frames:
        cut = [h for h in holes if not h[0] <= f.cue[0] < h[1]
               and any(a < h[1] and h[0] < b for a, b in f.content)]
        if cut:
            content = tuple(r for r in minus(f.content, cut) if not _only_punct(doc, *r))
            f = _replace_content(f, content or f.content, doc)
        out.append(f)
    return out


def _relative_subject(verb: Token) -> bool:
    """ "the broadcaster, which cited X": a relative clause whose pronoun is its subject."""
    return verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP")
                                        and c.i < verb.i for c in verb.children)


def _without_relative(tok: Token) -> Range:
    """A noun phrase without a relative clause set off by a comma, on the noun or on a
    name in apposition to it ("the broadcaster Radio Scheldeland, which cited…")."""
    start, end = _noun_phrase(tok)
    doc = tok.doc
    for node in (tok, *(c for c in tok.children if c.dep_ == "appos")):
        for c in node.children:
            if c.dep_ == "relcl" and c.i > node.i and c.left_edge.i > start:
                end = min(end, c.left_edge.i)
    while end > start + 1 and (doc[end - 1].text in (",", "—", "-") or doc[end - 1].is_space):
        end -= 1
    return start, end


def _line_after_cue(verb: Token, ctx: _Ctx) -> Range | None:
    """ "South Korean media reports North Korea could send…" after a heading the parser
    glued on: a line that opens with a noun phrase and a finite cue, then a clause (its
    subject right after the cue), is that clause reported, whatever the parse hung where."""
    if verb.tag_ not in ("VBZ", "VBD", "VBP"):
        return None
    return _clause_after(verb, ctx)


def _clause_after(cue: Token, ctx: _Ctx) -> Range | None:
    """The rest of the line, when it opens with a noun phrase, then the cue (with nothing
    hung on it after), then a clause whose subject comes right after the cue."""
    doc = ctx.doc
    start, end = ctx.seg(cue.i)
    if not 0 < cue.i - start <= 8 or any(c.i > cue.i for c in cue.children
                                         if c.dep_ != "punct"):
        return None
    if not all(t.pos_ in ("PROPN", "NOUN", "DET", "ADJ", "PRON") for t in doc[start:cue.i]):
        return None
    verb = cue
    first = verb.i + 1
    if first < end and doc[first].lower_ == "that":
        first += 1
    for i in range(first, min(end, first + 8)):
        t = doc[i]
        if t.dep_ in ("nsubj", "nsubjpass") and t.left_edge.i == first and \
                t.head.i > i and t.head.pos_ in ("VERB", "AUX") and t.head.i < end:
            return verb.i + 1, end
    return None


def _object_gap(verb: Token, children: list[Token]) -> Range | None:
    """ "Rubio, whom many in the establishment had backed", "ground troops, which no
    candidate has championed": a relative clause whose pronoun is the cue's object; what it
    stands for is the content."""
    if verb.dep_ != "relcl" or verb.head.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    relative = [c for c in children if c.i < verb.i and c.tag_ in ("WP", "WDT")]
    subjects = [c for c in children if c.dep_ == "nsubj" and c.tag_ not in ("WP", "WDT")]
    if not subjects or (relative and relative[0].i > subjects[0].i):
        return None
    if not relative and (subjects[0].i > verb.i or subjects[0].left_edge.i <= verb.head.i or any(
            c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "oprd") for c in children)):
        return None  # "a deal she once supported": no pronoun, the gap is still the object
    return _noun_phrase(verb.head)


def _tag_subject(verb: Token, ctx: _Ctx) -> Range | None:
    """The speaker between a quotation and its cue, whatever the parser made of it:
    "“…,” Texas delegate Bill Eastland, wearing a cowboy hat, said" gives "Texas delegate
    Bill Eastland"; "“…,” Ramos, 58, told AFP" gives "Ramos"."""
    doc = ctx.doc
    seg_start = ctx.seg(verb.i)[0]
    end = verb.i
    while end > seg_start and doc[end - 1].pos_ == "ADV" and verb.i - end < 2:
        end -= 1
    if end - 1 <= seg_start or doc[end - 1].text not in (",", "—"):
        return None  # only a speaker set off from the cue by a comma
    j = end - 2
    while j > seg_start and end - j < 30 and not ctx.closing(j) and doc[j].text not in _QUOTES:
        j -= 1
    if not ctx.closing(j):
        return None
    lo = j + 1
    if lo < end and doc[lo].text == ",":
        lo += 1
    elif doc[j - 1].text not in (",", "?", "!", "—"):
        return None  # "“…,” X": the quotation ends in a comma (inside or outside)
    hi = lo
    while hi < end and doc[hi].text not in (",", "—", "(") and (
            doc[hi].pos_ in _NOMINAL or doc[hi].tag_ == "POS" or doc[hi].text == "."):
        hi += 1
    if hi == lo or doc[hi].text not in (",", "—", "(") or doc[lo].pos_ not in (
            "PROPN", "NOUN", "DET", "ADJ", "PRON"):
        return None
    if not any(doc[i].pos_ in ("PROPN", "NOUN", "PRON") for i in range(lo, hi)):
        return None
    return lo, hi


def _late_that(verb: Token, seg_end: int) -> Range | None:
    """ "says in a statement that…", "is telling customers at a diner that…": a "that"
    clause after a phrase of the cue's that the parser hung the clause on."""
    doc = verb.doc
    lo, hi = verb.i + 1, min(verb.right_edge.i + 1, seg_end, verb.i + 16)
    for i in range(lo, hi):
        t = doc[i]
        if t.lower_ == "that" and t.dep_ == "mark" and t.head.i > i:
            return i, min(t.head.right_edge.i + 1, seg_end)
        if (t.pos_ in ("VERB", "AUX") and t.dep_ != "prep") or t.text in (":", ";", "—") \
                or t.dep_ in ("relcl", "mark"):  # ("said following a vote that…")
            return None
    return None


def _speech_tag(verb: Token, ctx: _Ctx) -> list[Range] | None:
    """ "“If these people…, fine,” Clark said." / "Sorry, Sanders said." / "Rubio said."

    The verb and its subject close the sentence after a comma or closing quotation mark:
    what comes before is the content, whatever the parser made of it; a quotation after
    the tag ("…,” Trump said, “and I fully…”) continues it. A tag alone in its sentence
    takes the quotation that ends the sentence before.
    """
    doc = ctx.doc
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if verb.head.i > verb.i and verb.dep_ in ("parataxis", "ccomp"):
        return None  # "But, he said, it is…": see _reported_head
    start, end = ctx.seg(verb.i)
    if subjects:
        # several: a word of the content taken for one ("…people with ideas…, she said")
        subj = min(subjects, key=lambda c: abs(c.i - verb.i))
        lo, subj_end = min(subj.left_edge.i, verb.i), subj.right_edge.i
        if lo == start:
            return _previous_quote(verb, subj, ctx)
    else:  # "“…,” Ramos, 58, told AFP": the speaker between the quotation and the cue
        tag = _tag_subject(verb, ctx) or _trailing_tag(verb, ctx)
        if tag is None:
            return None
        lo, subj_end = tag[0], verb.i
    before = doc[lo - 1]
    if not (before.text in (",", "—") or ctx.closing(lo - 1)):
        return None
    if any(c.i > verb.i and (c.dep_ in ("ccomp", "xcomp") or (
            c.dep_ == "dobj" and verb.lemma_ not in _ADDRESSEE)) for c in verb.children):
        return None  # ("“…,” he told reporters": the object is whom it was said to)
    cut = lo - 1 if before.text in (",", "—") else lo
    close = cut - 1 if ctx.closing(cut - 1) else cut if ctx.closing(cut) else None
    if close is not None and start < ctx.partners[close] and doc[ctx.partners[close] - 1].text \
            in (":", ",", "—"):
        # "Trump asserted that France had lost its identity: “France is no longer France,” he
        # claimed": he claims the quotation, not the sentence it closes
        start = ctx.partners[close]
    content = [(start, cut)]
    hi = max(subj_end, verb.i) + 1
    while hi < end and doc[hi].dep_ in ("prep", "pobj", "det", "amod", "compound", "npadvmod",
                                        "advmod", "pcomp") and doc[hi].head.i != hi:
        hi = doc[hi].right_edge.i + 1 if doc[hi].head.i == verb.i else hi + 1
    if hi + 1 < end and doc[hi].text == "," and doc[hi + 1].text in OPEN_QUOTES and \
            not ctx.closing(hi + 1):
        content.append((hi + 1, end))
    return content


def _trailing_tag(verb: Token, ctx: _Ctx) -> Range | None:
    """ "About 3,000 residents were evacuated, an official at the district office said.":
    a speaker and its cue closing the sentence after a comma, when the parser hung the
    speaker on the clause before (an apposition) and left the cue without a subject."""
    doc = ctx.doc
    start, end = ctx.seg(verb.i)
    if verb.tag_ not in ("VBD", "VBZ") or any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    hi = _after_adjuncts(verb, verb.i + 1, end)  # "said on Tuesday"
    if not _only_punct(doc, hi, end):
        return None
    source = _source_before(verb, (start, end))
    if source is None or source[0] - 1 <= start + 2 or doc[source[0] - 1].text != ",":
        return None
    if not any(doc[i].pos_ in ("VERB", "AUX") for i in range(start, source[0] - 1)):
        return None
    return source


def _after_adjuncts(verb: Token, hi: int, end: int) -> int:
    """Where the verb's phrases of time, place and manner after `hi` end."""
    for c in verb.children:
        if c.i >= hi and c.left_edge.i == hi and hi < end and c.dep_ in (
                "prep", "npadvmod", "advmod", "prt"):
            hi = c.right_edge.i + 1
    return hi


def _fronted_quote(verb: Token, ctx: _Ctx) -> Range | None:
    """The quotation that closes just before "X said" in "“…,” X said, “…”"."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects:
        return None
    lo = min(subjects[0].left_edge.i, verb.i)
    close = lo - 1
    if close >= 0 and ctx.doc[close].text == ",":
        close -= 1
    if close < 0 or not ctx.closing(close):
        return None
    start = ctx.partners[close]
    return (start, close + 1) if start >= ctx.seg(verb.i)[0] else None


def _previous_quote(verb: Token, subj: Token, ctx: _Ctx) -> list[Range] | None:
    """ "Rubio said." after a quotation sentence: the quotation is what he said."""
    doc = ctx.doc
    start, end = ctx.seg(verb.i)
    hi = max(subj.right_edge.i, verb.i) + 1
    if any(not (doc[i].is_punct or doc[i].dep_ in ("prep", "pobj", "det", "amod", "npadvmod",
                                                    "advmod", "compound", "pcomp"))
           for i in range(hi, end)):
        return None
    k = ctx.seg_of.get(start)
    if not k:
        return None
    p_start, p_end = ctx.segs[k - 1]
    for i in range(p_end - 1, max(p_end - 3, p_start - 1), -1):
        if ctx.closing(i):
            return [(ctx.partners[i], i + 1)]
    return None


def _separate_speech(clause: Token) -> bool:
    """A clause before the cue that is a speech act of its own ("He said A, and when asked,
    he said B") is not B's content."""
    doc = clause.doc
    quoted = any(doc[i].text in _QUOTES for i in range(clause.left_edge.i,
                                                         clause.right_edge.i + 1))
    return not quoted and clause.lemma_ in VERB_CUES and _own_subject(clause)


def _reported_head(verb: Token, ctx: _Ctx) -> list[Range] | None:
    """ "“…,” the ISW reported" and "But, he said, it is…", parsed with the verb under the
    clause it reports.

    The content is the head clause without the verb's own phrase, and only when that
    phrase is a short speech tag set off by a comma or quotation mark: otherwise the verb
    is an ordinary complement ("he thinks she said so").
    """
    if verb.dep_ not in ("parataxis", "ccomp", "advcl", "conj"):
        return None
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return None
    if not _bare_tag(verb):
        return None
    doc = verb.doc
    head = verb.head
    if _has_mark(verb, "as") and head.i < verb.i and head.lemma_ in VERB_CUES:
        return None  # "“…,” she said, as the crowd applauded": not what the crowd did
    if head.i > verb.i:
        return _tag_inside(verb, head, ctx)
    lo, hi = verb.left_edge.i, verb.right_edge.i
    while lo < verb.i and doc[lo].is_punct:
        lo += 1
    while hi > verb.i and doc[hi].is_punct:
        hi -= 1
    if hi - lo > 24 or any(doc[i].text in _QUOTES for i in range(lo, hi + 1)):
        return None
    before = doc[lo - 1].text if lo > 0 else ""
    after = doc[hi + 1].text if hi + 1 < len(doc) else ""
    if head.i < verb.i:  # "“…,” he said" / "…, said Smith, adding…"
        if (before not in (",", "—") and not ctx.closing(lo - 1)) or lo - 1 < head.left_edge.i:
            return None
        if hi < head.right_edge.i - 2 and after not in (",", "—"):
            return None  # more of the head clause follows: not a closing speech tag
        return [(head.left_edge.i, lo - 1 + ctx.closing(lo - 1))]
    return None


def _tag_inside(verb: Token, head: Token, ctx: _Ctx) -> list[Range] | None:
    """A speech tag inside the clause it reports: "But, he said, it is a risky strategy",
    "After the court ruled, Hebert said, most laws were…", "“What kept me going,” she said,
    “is the fact…”".

    The tag is the subject, the verb and what hangs on the verb right after it ("said in
    an interview"); whatever else the parser hung on the verb (a fronted clause) belongs to
    the content around it."""
    doc = ctx.doc
    subj = min((c for c in verb.children if c.dep_ == "nsubj"), key=lambda c: abs(c.i - verb.i))
    if subj.i > verb.i:
        return None
    lo, hi = subj.left_edge.i, verb.i
    while hi + 1 < len(doc) and doc[hi + 1].head.i == verb.i and doc[hi + 1].dep_ in (
            "prt", "advmod", "npadvmod", "prep", "dobj"):
        hi = doc[hi + 1].right_edge.i  # "said Tuesday", "said in an interview", "told me"
    if hi - lo > 24 or lo < 1 or any(doc[i].text in _QUOTES for i in range(lo, hi + 1)):
        return None
    before = doc[lo - 1].text
    after = doc[hi + 1].text if hi + 1 < len(doc) else ""
    quote = ctx.closing(lo - 1)
    if not (before in (",", "—") or quote) or after not in (",", "—"):
        return None
    parts = [(head.left_edge.i, lo - 1 + quote)]
    rest = hi + 2
    if not quote or (rest < len(doc) and doc[rest].text in OPEN_QUOTES
                     and not ctx.closing(rest)):
        parts.append((rest, head.right_edge.i + 1))  # "“A,” she said, “B”": both halves
    return [p for p in parts if p[1] > p[0]]


def _bare_tag(verb: Token) -> bool:
    """Can the verb's clause be a speech tag at all? A tag is a subject and its verb: "…,
    while 19 percent support Clinton" (a subordinator) or "…, as he explained how…" (a
    content of its own) is a clause of its own, not the teller of what comes before."""
    for c in verb.children:
        if c.dep_ == "mark" and c.lower_ != "as":
            return False
        if c.i > verb.i and (c.dep_ in ("ccomp", "xcomp") or (
                c.dep_ == "dobj" and verb.lemma_ not in _ADDRESSEE)):
            return False
    return True


def _after_colon(verb: Token, ctx: _Ctx) -> Range | None:
    """ "X said: “…”": what follows the colon, to the end of the line, or the next line
    when the colon ends this one ("Breitbart News responded:" then the quotation)."""
    doc = verb.doc
    nxt = verb.i + 1
    skip = ("prep", "pobj", "det", "advmod", "npadvmod", "amod", "compound", "poss")
    if verb.lemma_ in _ADDRESSEE:
        skip += ("dobj", "dative")  # "He tells the crowd: “…”"
    while nxt + 1 < len(doc) and (doc[nxt].dep_ in skip or doc[nxt].text == ",") and \
            nxt - verb.i < 8:
        nxt += 1  # ("responded pointedly, with a smile: “…”")
    if nxt >= len(doc) or doc[nxt].text != ":":
        return None
    start, end = ctx.seg(nxt)
    if end - nxt > 2:
        return nxt + 1, end
    k = ctx.seg_of.get(start)
    if k is not None and k + 1 < len(ctx.segs) and end - nxt <= 1:
        n_start, n_end = ctx.segs[k + 1]
        for para_start, para_end in paragraphs(doc, ctx.segs[k + 1:k + 12]):
            return para_start, para_end
        return n_start, n_end
    return None


def _after_comma_quote(verb: Token, ctx: _Ctx) -> Range | None:
    """ "…and Clinton said, “as long as we're not violating any election laws.”": a
    quotation opening right after the cue and a comma, which the parser left unattached."""
    doc = ctx.doc
    end = ctx.seg(verb.i)[1]
    nxt = _after_adjuncts(verb, verb.i + 1, end)
    addressee = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i >= nxt]
    if verb.lemma_ in _ADDRESSEE and addressee and addressee[0].left_edge.i == nxt:
        nxt = _after_adjuncts(verb, addressee[0].right_edge.i + 1, end)  # "telling reporters,"
    if nxt + 1 >= end or doc[nxt].text != "," or doc[nxt + 1].text not in OPEN_QUOTES:
        return None
    close = ctx.partners.get(nxt + 1)
    if close is None or close < nxt + 1 or any(
            c.i > verb.i and (c.dep_ in ("ccomp", "xcomp") or (
                c.dep_ == "dobj" and verb.lemma_ not in _ADDRESSEE)) for c in verb.children):
        return None
    return nxt + 1, close + 1


def _according_to(tok: Token) -> Frame | None:
    """ "According to X, Y" and "Y, according to X"."""
    to = tok.doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in tok.children if c.dep_ == "pobj"]
    if not objs:
        return None
    source = _without_relative(objs[0])  # "X, which cited Y": Y is a citation of X's
    head = tok.head
    if head.i == tok.i:
        return None
    # the head clause without the "according to" phrase
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    a_lo, a_hi = tok.left_edge.i, max(tok.right_edge.i, objs[0].right_edge.i) + 1
    sent = tok.sent
    if _only_punct(tok.doc, a_hi, sent.end) or _only_punct(tok.doc, sent.start, a_lo):
        # first or last in its sentence: it scopes over the whole sentence, whatever the
        # parser hung it on ("The Pentagon believes X, according to the report")
        lo, hi = sent.start, sent.end
    content = [r for r in ((lo, a_lo), (a_hi, hi)) if r[1] > r[0]]
    if not content:
        return None
    return Frame((tok.i, tok.i + 2), source, tuple(content), CueKind.SPEECH, "according to",
                 True)


# Labels that open a line with a colon but name no speaker ("Editor's note:", "UPDATE:").
_COLON_LABELS = frozenset({
    "note", "correction", "update", "clarification", "disclosure", "question", "answer",
    "q", "a", "result", "goal", "news", "reminder", "name", "age", "city", "job", "pay",
    "photo", "video", "caption", "credit", "source", "summary", "related", "read", "watch",
    "listen", "advertisement", "warning", "spoiler", "bottom", "line", "takeaway", "verdict",
    "background", "context", "why", "what", "where", "when", "who", "how", "editor",
    "breaking", "exclusive", "previously", "look", "busted", "boom", "bombshell", "follow",
    "stat", "week", "reads", "alert", "must", "flashback",
})
_DASHES = frozenset({"-", "—", "–", "--", "―"})


def _colon_frame(doc: Doc, colon: Token, seg: Range) -> Frame | None:
    """A transcript line or a headline: "TAPPER: Do you think…", "Clinton camp: Trump's…",
    "Clinton to Planned Parenthood:" (what was said on the next line), and a name after a
    dash within the line: "POLLS NOT WRONG - Mark Blumenthal: “Although the polls…”".

    A short name opens the line, then a colon, then what was said, to the end of the line
    (the sentence splitter often ends a sentence at the colon); a name made of common nouns
    ("Images source: © Telegram") counts only when a clause follows.
    """
    start = seg[0]
    if colon.i - start > 5 or colon.i == start:
        # "HEADLINE - Name: “…”": the name starts after a dash, and a quotation follows
        dash = next((i for i in range(colon.i - 1, max(start, colon.i - 7) - 1, -1)
                     if doc[i].text in _DASHES), None)
        nxt = colon.i + 1
        while nxt < len(doc) and doc[nxt].is_space:
            nxt += 1
        if dash is None or dash + 1 >= colon.i or nxt >= len(doc) or \
                doc[nxt].text not in OPEN_QUOTES:
            return None
        start = dash + 1
    end = colon.i + 1
    while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
        end += 1
    name = doc[start:colon.i]
    # "Clinton to Planned Parenthood:", "Former AG Mukasey at RNC:": to whom, where
    to = next((t for t in name if t.pos_ == "ADP" and t.lower_ in ("to", "at", "on")), None)
    if to is not None and to.i > start and all(
            t.pos_ == "PROPN" or (t.is_title and t.pos_ in ("ADJ", "NOUN"))
            for t in doc[start:to.i]) and doc[to.i - 1].pos_ == "PROPN":
        name = doc[start:to.i]
    content: Range = (colon.i + 1, end)
    if end - colon.i < 4:
        if end - colon.i > 1 or name.end != colon.i or len(name) > 3:
            return None
        # the colon ends the line: what was said is the next line
        nxt_seg = next((k for k in range(end, min(end + 3, len(doc))) if not doc[k].is_space),
                       None)
        if nxt_seg is None:
            return None
        k = nxt_seg
        while k < len(doc) and not (doc[k].is_space and "\n" in doc[k].text):
            k += 1
        if k - nxt_seg < 3:
            return None
        content = (nxt_seg, k)
    if any((t.pos_ in ("VERB", "AUX", "PRON", "ADP", "NUM") or t.is_digit)
           and not (t.is_upper and t.is_alpha and len(t) > 1) for t in name):
        return None
    if not name[0].is_title and not name[0].is_upper:
        return None
    if any(t.lower_ in _COLON_LABELS or t.lemma_.lower() in _COLON_LABELS for t in name[-2:]):
        return None
    proper = all(t.pos_ == "PROPN" or (t.is_upper and t.is_alpha) or t.text == "."
                 or (t.pos_ == "CCONJ" and 0 < t.i - name.start < len(name) - 1)
                 for t in name) or (len(name) == 1 and name[0].is_title
                                    and name[0].pos_ in ("ADJ", "PROPN"))
    clause = any(doc[i].pos_ in ("VERB", "AUX") or doc[i].text in _QUOTES
                 or doc[i].text in ("‘", "’") for i in range(*content))
    if not clause and not (proper and start == seg[0] and content[1] - content[0] >= 4 and
                           all(t.is_space for t in doc[:start])):
        # "Iowa: Tim Albrecht, Brad Anderson, …": a list, not a statement; but the headline
        # "Judicial Watch: State Department Hid Key Clinton Email" is one, verb or not (the
        # parser reads title case as names)
        return None
    if not proper and not (name[-1].pos_ in ("NOUN", "PROPN") and all(
            t.pos_ in ("NOUN", "PROPN", "PART") or t.tag_ == "POS" or (
                t.pos_ == "ADJ" and t.ent_type_ == "NORP") for t in name)):
        return None  # "The result: …", "Good news: …" (but "South Korean media: …")
    return Frame((colon.i, colon.i + 1), (name.start, name.end), (content,),
                 CueKind.SPEECH, ":", True)


_TWEET_REACH = 120  # tokens back from the signature to the tweet's start


def _tweet_frame(doc: Doc, dash: Token) -> Frame | None:
    """An embedded tweet: "…the text of the tweet — Paul Ryan (@SpeakerRyan) July 5, 2016".

    The signature is a dash, a short name and a handle in parentheses; what was tweeted runs
    back to the start of the embed (the ">" that closes a "<tweet …>" tag) or of the line.
    """
    i = dash.i + 1
    while i < len(doc) and i - dash.i <= 5 and (doc[i].is_title or doc[i].is_upper) \
            and doc[i].is_alpha:
        i += 1
    if i == dash.i + 1 or i + 2 >= len(doc) or doc[i].text != "(" or \
            not doc[i + 1].text.startswith("@") or doc[i + 2].text != ")":
        return None
    start = dash.i
    while start > 0 and dash.i - start < _TWEET_REACH:
        prev = doc[start - 1]
        if ">" in prev.text or (prev.is_space and "\n" in prev.text):
            break
        start -= 1
    if dash.i - start < 2 or dash.i - start >= _TWEET_REACH:
        return None
    return Frame((dash.i, dash.i + 1), (dash.i + 1, i + 3), ((start, dash.i),),
                 CueKind.SPEECH, "tweet", True)


def _verb_as_noun(tok: Token, ctx: _Ctx) -> Frame | None:
    """ "South Korean TV channel reports that…" read as a noun phrase "channel reports" with
    a clause hanging on it (a heading glued on before is enough to cause it)."""
    clauses = [c for c in tok.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > tok.i
               and _has_that(c)]
    owners = [c for c in tok.children if c.dep_ in ("compound", "nmod", "amod") and
              c.i == tok.i - 1 and c.pos_ in ("NOUN", "PROPN")]
    if not owners:
        return None
    start = max(owners[0].left_edge.i, ctx.seg(tok.i)[0])
    if clauses:
        content = _subtree(clauses[0])
    else:  # "…in July\nDutch media reports ferries could sail…": a clause, no "that"
        after = _clause_after(tok, ctx) if tok.dep_ not in ("nsubj", "nsubjpass") else None
        if after is None:
            return None
        content = after
    return Frame((tok.i, tok.i + 1), (start, tok.i), (content,),
                 VERB_CUES[tok.lemma_], tok.lemma_, True)


def _noun_frame(noun: Token) -> Frame | None:
    """ "Kerry's announcement of X", "his calls to end Y", "Trump's claim that Z"."""
    if noun.dep_ in ("compound", "poss"):
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"] or [
        g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
        and c.i > noun.i for g in c.children if g.dep_ == "pobj" and g.pos_ in (
            "PROPN", "NOUN", "PRON")][:1]  # "a warning from the agency that…"
    if not owners:
        return None
    owner = owners[0]
    content: list[Range] = []
    clausal = False
    for c in noun.children:
        if c.i < noun.i or owner.head.i == c.i:
            continue
        if c.dep_ in ("acl", "ccomp", "relcl") and (_has_that(c) or c.tag_ == "VB" or any(
                g.dep_ == "aux" and g.lower_ == "to" for g in c.children)):
            content = [_subtree(c)]
            clausal = _has_that(c) or c.dep_ == "ccomp"
            break
        if c.dep_ == "prep" and c.lower_ in ("of", "on", "about", "for", "to", "against",
                                               "over", "that"):
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs and not _when(noun.doc, *_subtree(objs[0])):
                content = [_subtree(objs[0])]  # (not "his statements over the past year")
                break
        if c.dep_ == "appos" or (c.dep_ == "punct" and c.text == ":"):
            continue
    if not content or all(_when(noun.doc, *r) for r in content):
        return None  # ("his remarks on Monday": when, not what)
    kind = NOUN_CUES[noun.lemma_.lower()]
    return Frame((noun.i, noun.i + 1), (owner.left_edge.i, owner.right_edge.i + 1),
                 tuple(content), kind, noun.lemma_.lower(), clausal)


def _adjective_frame(adj: Token) -> Frame | None:
    """ "They are convinced that…", "Republicans are unhappy with…", "she is keen to…"."""
    if adj.dep_ not in ("acomp", "ROOT", "ccomp", "xcomp", "conj"):
        return None
    head = adj.head if adj.dep_ == "acomp" else adj
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or subjects[0].lower_ in ("it", "there", "this", "that"):
        return None
    content: list[Range] = []
    clausal = False
    for c in adj.children:
        if c.i < adj.i:
            continue
        if c.dep_ in ("ccomp", "xcomp", "advcl") and (_has_that(c) or c.dep_ == "xcomp"
                                                      or c.dep_ == "ccomp"):
            content, clausal = [_subtree(c)], c.dep_ == "ccomp"
            break
        if c.dep_ in ("prep", "agent") and c.lower_ in _ADJECTIVE_PREPS:
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                content = [_subtree(objs[0])]
                break
    if not content:
        return None
    subj = subjects[0]
    return Frame((adj.i, adj.i + 1), _noun_phrase(subj), tuple(content),
                 ADJECTIVE_CUES[adj.lower_], adj.lower_, clausal)


def _document_frame(prep: Token, seg: Range) -> Frame | None:
    """ "In an NBC News/Wall Street Journal poll, 50 percent chose Clinton": the document
    is the source of its clause (but not in "said in a statement": the verb's frame)."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    head = prep.head
    if objs and objs[0].lower_ in _VIEW_NOUNS and prep.lower_ == "in":
        return _view_frame(prep, objs[0], seg)
    if not objs or objs[0].lemma_.lower() not in _FINDING_NOUNS:
        return None
    one_poll = False
    if objs[0].lemma_.lower() in _POLL_NOUNS:
        polled = _poll_frame(prep, objs[0], seg)
        if polled is not None:
            return polled
        # "Kasich was at 25 percent in the latest Fox poll": one poll (not "in the polls")
        # reports the figures of the clause it sits in, wherever it sits
        one_poll = objs[0].tag_ == "NN" and prep.lower_ == "in"
        if objs[0].tag_ == "NNS" and prep.i > head.i:
            return None  # "leads in the polls", "trails in national surveys": a standing
        for _ in range(3):
            if not one_poll or head.pos_ in ("VERB", "AUX") or head.dep_ == "ROOT":
                break
            head = head.head
    if head.pos_ not in ("VERB", "AUX") or head.lemma_ in VERB_CUES or head.lemma_ == "put":
        return None
    if not one_poll and prep.i > head.i and not _only_punct(
            prep.doc, prep.right_edge.i + 1, head.right_edge.i + 1):
        return None  # only at the start or the end of its clause
    if not one_poll and prep.i < head.i and prep.i != head.left_edge.i:
        return None
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    a_lo, a_hi = prep.i, prep.right_edge.i + 1
    content = tuple(r for r in ((lo, a_lo), (a_hi, hi)) if r[1] > r[0]
                    and not _only_punct(prep.doc, *r))
    if not content:
        return None
    obj = objs[0]
    return Frame((prep.i, prep.i + 1), (obj.left_edge.i, obj.right_edge.i + 1), content,
                 CueKind.SPEECH, prep.lower_, True)


_POLL_NOUNS = frozenset({"poll", "survey"})
# Documents that report findings of their own and so speak for the clause they open or close
# ("In the report, …"); a statement, letter, book or lawsuit a clause sits in does not ("In
# his statement Saturday, Sanders went further" says what he did, not what it says).
_FINDING_NOUNS = _POLL_NOUNS | {"report", "study", "analysis"}
# "In their view, …": whose view, opinion or mind a sentence reports.
_VIEW_NOUNS = frozenset({"view", "opinion", "estimation", "judgment", "judgement", "mind",
                         "eyes", "words", "telling", "assessment", "analysis", "reckoning"})


def _view_frame(prep: Token, noun: Token, seg: Range) -> Frame | None:
    """ "In their view, Democrats could pick off…", "…, in my view": the owner of the view
    is the source of the rest of the sentence (the phrase opens or closes it)."""
    doc = prep.doc
    owner = [c for c in noun.children if c.dep_ == "poss"]
    of = [g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
          for g in c.children if g.dep_ == "pobj"]  # "in the words of his spokesman"
    if owner and not any(c.dep_ in ("prep", "acl", "relcl") for c in noun.children):
        source = _subtree(owner[0])  # (not "in his assessment of the market")
    elif of and not owner:
        source = _subtree(of[0])
    else:
        return None
    lo, hi = prep.i, prep.right_edge.i + 1
    head = prep.head
    if head.lemma_ in VERB_CUES:
        return None  # "believed in her judgment": what the verb takes, not a view
    if _only_punct(doc, seg[0], lo):
        content = (hi, seg[1])
    elif _only_punct(doc, hi, seg[1]) and head.pos_ in ("VERB", "AUX"):
        content = (max(head.left_edge.i, seg[0]), lo)  # the clause it closes
    else:
        return None
    if content[1] - content[0] < 3:
        return None
    return Frame((prep.i, prep.i + 1), source, (content,), CueKind.BELIEF, noun.lower_, True)


def _poll_frame(prep: Token, poll: Token, seg: Range) -> Frame | None:
    """ "In a Washington Post-ABC News poll, 75 percent of Republicans said…": what the
    respondents said is what the poll reports, so a poll opening a sentence is the source of
    all of it (whatever the parser hung the phrase on). At the end of one, "leading in the
    polls" is mostly a figure of speech."""
    doc = prep.doc
    lo, hi = prep.i, prep.right_edge.i + 1
    if prep.lower_ != "in" or not _only_punct(doc, seg[0], lo) or seg[1] - hi < 4:
        return None
    content = (hi, seg[1])
    return Frame((prep.i, prep.i + 1), (poll.left_edge.i, poll.right_edge.i + 1), (content,),
                 CueKind.SPEECH, prep.lower_, True)


def _citing(tok: Token) -> Cited | None:
    """ "…, citing a South Korean government official, …"."""
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if not objs:
        return None
    obj = objs[0]
    end = obj.i + 1
    for c in obj.children:  # keep appositions and "of" phrases, not relative clauses
        if c.i > obj.i and c.dep_ in ("prep", "appos", "compound", "amod"):
            end = max(end, c.right_edge.i + 1)
    return Cited((tok.i, tok.i + 1), (obj.left_edge.i, end))


def _attach_citations(doc: Doc, frames: list[Frame], citations: list[tuple[Token, Cited]],
                      ctx: _Ctx) -> list[Frame]:
    """Give each "citing X" to the frame whose cue it modifies (or that encloses it), and
    make it a frame of its own too: the speaker cites X (PolNeAR marks it so; claims use it
    only as the source behind the speaker)."""
    if not citations:
        return frames
    by_cue = {f.cue[0]: n for n, f in enumerate(frames)}
    extra: dict[int, list[Cited]] = {}
    own: list[Frame] = []
    for tok, cited in citations:
        node = tok.head
        owner = None
        for _ in range(6):
            if node.i in by_cue:
                owner = by_cue[node.i]
                break
            if node.head.i == node.i:
                break
            node = node.head
        if owner is not None:
            extra.setdefault(owner, []).append(cited)
            source = frames[owner].source
        else:
            source = _source(tok, ctx.seg(tok.i))
        own.append(Frame(cited.cue, source, (cited.source,), CueKind.CITATION, "cite", False))
    out = []
    for n, f in enumerate(frames):
        if n in extra:
            holes = [(c.cue[0], c.source[1]) for c in extra[n]]
            content = tuple(_trim(doc, a, b) for a, b in minus(f.content, holes))
            content = tuple(r for r in content if r[1] > r[0]) or f.content
            f = Frame(f.cue, f.source, content, f.kind, f.lemma, f.clausal, f.negated,
                      (*f.cited, *extra[n]))
        out.append(f)
    return sorted(out + own, key=lambda f: f.cue[0])


# --- sources --------------------------------------------------------------------------------


def _source(verb: Token, seg: Range) -> Range | None:
    """The subject of the cue, or of the verb it hangs from ("said X, adding …")."""
    node = verb
    if verb.dep_ == "csubj" and verb.tag_ == "VBG":
        node = verb.head  # see _content: the participle's clause hangs from its content
        if node.dep_ in _SHARES_SUBJECT:
            node = node.head
    left = [c for c in verb.children if c.dep_ in ("compound", "npadvmod") and c.i < verb.i
            and c.right_edge.i == verb.i - 1 and c.pos_ in ("NOUN", "PROPN")]
    if not any(c.dep_ in _SUBJECTS and seg[0] <= c.i < seg[1] for c in verb.children):
        if left:  # "South Korean TV channel reports that…": the subject read as a compound
            return max(left[0].left_edge.i, seg[0]), verb.i
        doc = verb.doc
        words = doc[seg[0]:verb.i]
        if 0 < len(words) <= 8 and verb.dep_ != "ROOT" and any(
                t.pos_ in ("PROPN", "NOUN", "PRON") for t in words) and all(
                t.pos_ in ("PROPN", "NOUN", "DET", "ADJ", "PRON", "PUNCT", "NUM", "CCONJ")
                for t in words):
            # the line starts with a noun phrase and then the cue, but the parser took the
            # subject from a heading glued on before ("…Zika Virus\nChris Christie said…")
            return seg[0], verb.i
    via_adjective = False
    for _ in range(4):
        subjects = [c for c in node.children if c.dep_ == "nsubj" and seg[0] <= c.i < seg[1]]
        if subjects:
            # several subjects: a dateline or a place glued on ("LONDON (Reuters) - Donald
            # Trump said"): the one nearest the verb is its subject
            subj = min(subjects, key=lambda c: abs(c.i - node.i))
            if subj.lower_ in ("it", "there", "this") and (via_adjective or (
                    node is not verb and (node.lemma_ == "be" or node.lower_ in _CURLY_BE) and
                    any(c.dep_ == "acomp" for c in node.children))):
                return None  # "it is important to note that…": nobody in particular
            lo, hi = _noun_phrase(subj)  # "who" too: sources.py resolves it
            return max(lo, seg[0]), min(hi, seg[1])  # a heading glued on is not part of it
        shared = node is not verb and verb.dep_ == "conj" and _active(verb)
        agents = [c for c in node.children if c.dep_ == "agent"]
        if agents and not shared:  # ("was pressed by reporters and said…": not reporters)
            objs = [c for c in agents[0].children if c.dep_ == "pobj"]
            return _noun_phrase(objs[0]) if objs else None
        passive = [c for c in node.children if c.dep_ == "nsubjpass" and seg[0] <= c.i < seg[1]]
        if passive and (shared or _perfect_read_as_passive(node)):
            # "he's said he will…" ('s is "has"); "Trump was forced into it and said that…"
            lo, hi = _noun_phrase(passive[0])
            return max(lo, seg[0]), min(hi, seg[1])
        if any(c.dep_ == "nsubjpass" for c in node.children):
            return None  # "is expected to", "was told": no source named
        if node.dep_ == "xcomp" and node.head.pos_ == "ADJ":
            # "are more likely to say", "was quick to…", "makes it hard to see"
            adjective = node.head
            node = adjective.head if adjective.dep_ == "acomp" else adjective
            via_adjective = True
            continue
        if node.dep_ == "xcomp" and node.head.lemma_ not in VERB_CUES and \
                node.head.lemma_ not in _INSTRUMENT_VERBS:
            objects = [c for c in node.head.children if c.dep_ == "dobj" and c.i < node.i
                       and seg[0] <= c.i and c.pos_ in ("NOUN", "PROPN", "PRON")]
            if objects:  # "leaving the cufflink wing of the party to wonder…": the wing does
                lo, hi = _noun_phrase(objects[0])
                return lo, min(hi, node.left_edge.i)
        if node.dep_ not in _SHARES_SUBJECT or node.head.i == node.i:
            return None
        if node.dep_ == "pcomp":
            node = node.head
        node = node.head
    return None


def _understood_subject(verb: Token, seg: Range) -> Range | None:
    """ "Trump has a long history of blaming others", "she was suspended after slamming
    Republicans", "Clinton found ways to cast herself as…": a gerund after a preposition, or
    an infinitive on a noun, has no subject of its own; the one who does it is the subject
    of the clause the phrase hangs in (or whom the thing is given to: "gave Sanders an issue
    with which to hammer her")."""
    infinitive = verb.dep_ in ("relcl", "acl") and verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if verb.dep_ == "pcomp" and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
        node = verb.head.head
    elif infinitive and verb.head.pos_ in ("NOUN", "PRON"):
        node = verb.head
    else:
        return None
    if any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.dep_ not in ("dobj", "pobj", "acomp", "prep"):
            break  # ("Twitter became a place to offer support": the place offers nothing)
        node = node.head
    if node.pos_ not in ("VERB", "AUX"):
        return None
    datives = [c for c in node.children if c.dep_ == "dative" and c.pos_ in ("PROPN", "NOUN",
                                                                          "PRON")]
    subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                and seg[0] <= c.i < seg[1]]
    subj = datives[0] if infinitive and datives else subjects[0] if subjects else None
    if subj is None or subj.lower_ in ("it", "there", "this", "that", "what"):
        return None
    lo, hi = _noun_phrase(subj)
    return max(lo, seg[0]), min(hi, seg[1])


# "it’s", "they’re": the model lemmatizes a contracted "be" with a curly apostrophe as "’"
_CURLY_BE = frozenset({"’s", "’re", "’m"})


def _perfect_read_as_passive(verb: Token) -> bool:
    """ "He's said he gets…": the parser reads the "'s" of "has" as a passive "is"; a passive
    "say" takes no clause of its own ("he is said to…"), so a clause marks the perfect."""
    auxiliaries = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ in ("VBN", "VBD") and auxiliaries in (["'s"], ["’s"]) and any(
        c.dep_ == "ccomp" for c in verb.children)  # (not "it's been reported that…")


def _active(verb: Token) -> bool:
    """A finite verb in the active voice, without a subject of its own."""
    return verb.tag_ in ("VBD", "VBZ", "VBP") and not any(
        c.dep_ in ("auxpass", "nsubj", "nsubjpass") for c in verb.children)


_NOMINAL = frozenset({"PROPN", "NOUN", "PRON", "DET", "ADJ", "NUM"})
# Verbs whose object is what the subject does something with, not who does it: "used his
# speech to offer…", "spent more time talking…" (against "led Republicans to say…").
_INSTRUMENT_VERBS = frozenset({"use", "spend", "take", "have", "need", "give"})


def _source_before(verb: Token, seg: Range) -> Range | None:
    """A finite cue the parser left without a subject ("About 4 in 10 say…", "Donald Trump's
    campaign manager says…" after a glued-on time stamp): the noun phrase just before it."""
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "neg") and c.i < verb.i]
    if (verb.tag_ not in ("VBD", "VBZ", "VBP") and not auxiliaries) or any(
            c.dep_ in ("nsubjpass", "auxpass", "expl", "csubjpass", "mark") or c.lower_ == "to"
            for c in verb.children):
        return None  # (a finite verb, or a participle with its auxiliaries: "is disavowing")
    doc = verb.doc
    end = verb.i
    while end > seg[0] and verb.i - end < 5 and (doc[end - 1].pos_ == "ADV" or (
            doc[end - 1].dep_ in ("aux", "neg") and doc[end - 1].head.i == verb.i)):
        end -= 1  # "Trump also said", "Sanders is disavowing", "he hasn't said"
    if end - 1 > seg[0] and doc[end - 1].text == "," and doc[end - 2].pos_ == "PROPN":
        end -= 1  # "her senior policy adviser, Jake Sullivan, said": the name
    start = end
    while start > seg[0] and end - start < 20:
        t = doc[start - 1]
        if t.pos_ in _NOMINAL or t.tag_ == "POS" or t.pos_ == "ADP" or (
                t.pos_ == "PART" and t.lower_ in ("'s", "’s", "to")) or (
                t.tag_ in ("VBG", "VBN") and t.dep_ == "acl"):
            # "Large majorities of voters in six states going to the polls on Tuesday said"
            start -= 1
            continue
        break
    while end > start and (doc[end - 1].ent_type_ in ("DATE", "TIME") or
                           doc[end - 1].pos_ == "ADP"):
        end -= 1  # "… on Super Tuesday said": when, not who
    while start < end and (doc[start].pos_ in ("ADP", "DET", "PART", "VERB")) and \
            doc[start].lower_ not in ("the", "a", "an", "his", "her", "their", "our", "its"):
        start += 1
    words = doc[start:end]
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON", "NUM") for t in words):
        return None
    if doc[end - 1].pos_ not in ("PROPN", "NOUN", "PRON", "NUM") or \
            doc[end - 1].ent_type_ in ("DATE", "TIME", "ORDINAL", "MONEY", "PERCENT"):
        return None
    if any(t.lower_ in ("it", "this", "that", "which", "there", "what") for t in words):
        return None
    return start, end


def _source_after(verb: Token, ctx: _Ctx) -> Range | None:
    """ "“…,” said Skelly, explaining…", "“…,” read the email": the speaker after an inverted
    speech tag, which the parser often takes for an object or an adverb."""
    doc = ctx.doc
    seg_end = ctx.seg(verb.i)[1]
    before = verb.i - 1
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.lemma_ in _ADDRESSEE or before < 0 or \
            not (doc[before].text == "," or ctx.closing(before)):
        return None  # ("…, told Fox News": whom it was said to)
    lo = hi = verb.i + 1
    while hi < seg_end and hi - lo < 12 and (
            doc[hi].pos_ in _NOMINAL or doc[hi].tag_ in ("POS", "HYPH") or (
                doc[hi].is_title and doc[hi].pos_ != "PUNCT") or  # a name tagged as anything
            (doc[hi].pos_ == "PUNCT" and doc[hi].text in (".", "(", ")"))):
        hi += 1
    if hi == lo or not any(doc[i].pos_ in ("PROPN", "NOUN", "PRON") or doc[i].is_title
                           for i in range(lo, hi)):
        return None
    if hi < seg_end and doc[hi].text not in (",", ".", "!", "?", ";", "—") and \
            not ctx.closing(hi) and doc[hi].lower_ not in ("in", "on", "at", "of", "who"):
        return None  # "said Trump supporters are…": a clause, not a speaker
    while hi > lo and doc[hi - 1].text in (".", "("):
        hi -= 1
    return lo, hi


def _inverted_speaker(verb: Token, ctx: _Ctx) -> Range | None:
    """ "The problem, said Paul Bauman, an expert, is the ground": a speech tag set off by
    commas inside the clause it reports, its speaker after it and closed by a comma; the
    parser takes the clause's own subject for the cue's."""
    doc = ctx.doc
    if verb.i < 2 or doc[verb.i - 1].text != "," or ctx.closing(verb.i - 1) or \
            verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.lemma_ in _ADDRESSEE:
        return None  # ("…, told Fox News, …": whom it was said to)
    lo = hi = verb.i + 1
    end = min(ctx.seg(verb.i)[1], lo + 12)
    while hi < end and doc[hi].text != ",":
        hi += 1
    if hi in (lo, end) or hi - lo > 8:
        return None
    words = doc[lo:hi]
    if not all(t.pos_ in _NOMINAL or t.pos_ in ("ADP", "CCONJ") or t.tag_ in ("POS", "HYPH")
               for t in words) or not any(t.pos_ in ("PROPN", "NOUN") for t in words):
        return None
    if any(t.ent_type_ in ("DATE", "TIME") for t in words) or words[0].pos_ == "ADP":
        return None  # "…, said Tuesday, …", "…, said in a statement, …": when or where
    if verb.dep_ == "conj" or any(c.dep_ in ("dobj", "dative", "prep") and lo <= c.i < hi
                                  for c in verb.children):
        return None  # "…, recited her policy ideas, and…": what it said, not who
    return lo, hi


def _set_off_subject(verb: Token, seg: Range) -> Range | None:
    """ "Humphrey, for example, said…", "Sen. Chuck Grassley, facing a spirited challenge,
    said…": a speaker opening the line, then an aside between commas, then the cue (the
    parser hangs the name elsewhere)."""
    doc = verb.doc
    end = verb.i
    while end > seg[0] and doc[end - 1].pos_ in ("ADV", "AUX", "PART") and verb.i - end < 3:
        end -= 1
    if end - 1 <= seg[0] or doc[end - 1].text != ",":
        return None
    start = seg[0]
    while start < end and doc[start].pos_ in ("CCONJ", "ADV") and doc[start].is_lower:
        start += 1  # "But Humphrey, …"
    first = next((i for i in range(start, min(end - 1, start + 9)) if doc[i].text == ","), None)
    if first is None or first == start or first - start > 8 or end - first > 30:
        return None
    if any(doc[i].text in _QUOTES for i in range(start, end)):
        return None
    words = doc[start:first]
    if not all(t.pos_ in _NOMINAL or t.tag_ in ("POS", "HYPH") or t.text in (".", "(", ")")
               for t in words) or not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in words):
        return None
    if any(t.ent_type_ in ("DATE", "TIME") for t in words):
        return None  # "Friday, Texas, leading a coalition, asked…": when, not who
    return start, first


def _noun_phrase(tok: Token) -> Range:
    """A source's noun phrase, without a relative clause or a trailing adverbial."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    for c in tok.children:
        if c.i > tok.i and c.dep_ in ("relcl", "acl") and c.i - tok.i > 1:
            end = min(end, c.left_edge.i)
    doc = tok.doc
    while end > start + 1 and (doc[end - 1].is_space or doc[end - 1].text in ("—", "-")):
        end -= 1
    return start, end


# --- content boundaries ---------------------------------------------------------------------


def _finish(doc: Doc, frame: Frame, seg: Range, partners: dict[int, int]) -> Frame:
    """Clip to the sentence line, extend over quotation marks, trim punctuation."""
    content = []
    for start, end in frame.content:
        if start < seg[1] and end > seg[0] and frame.lemma != ":":
            # (a quotation in the sentence before stays whole, so does a transcript line)
            start, end = max(start, seg[0]), min(end, seg[1])
        if end <= start:
            continue
        start, end = _quotes(doc, start, end, partners, frame)
        content.append(_trim(doc, start, end))
    content = [r for r in content if r[1] > r[0] and not _only_punct(doc, *r)]
    content = [r for r in sorted(set(content)) if not any(  # no part inside another
        o != r and o[0] <= r[0] and r[1] <= o[1] for o in content)]
    source = frame.source
    if source is not None:
        source = (max(source[0], seg[0]), min(source[1], seg[1]))
        if source[1] <= source[0]:
            source = None
    return Frame(frame.cue, source, tuple(content), frame.kind, frame.lemma, frame.clausal,
                 frame.negated, frame.cited)


def _quotes(doc: Doc, start: int, end: int, partners: dict[int, int],
            frame: Frame) -> Range:
    """Take in the quotation marks around the content, and the rest of a split quotation."""
    if start > 0 and doc[start - 1].text in OPEN_QUOTES and doc[start].text not in _QUOTES:
        start -= 1
    # a trailing comma or full stop inside the quotation belongs to it: “…,” he said
    nxt = end
    if nxt < len(doc) and doc[nxt].text in (",", ".", "?", "!") and nxt + 1 < len(doc) and \
            doc[nxt + 1].text in CLOSE_QUOTES and partners.get(nxt + 1, len(doc)) < end:
        end = nxt + 2
    elif nxt < len(doc) and doc[nxt].text in CLOSE_QUOTES and \
            partners.get(nxt, len(doc)) < end:
        end = nxt + 1
    # a quotation that starts or ends outside the content: follow it (bounded)
    lo, hi = start, end
    for i in (start, end - 1):
        j = partners.get(i)
        if j is None:
            continue
        if j < lo and lo - j < 400 and not (frame.cue[0] > j and frame.cue[0] < lo):
            lo = j
        if j >= hi and j - hi < 400 and not (hi <= frame.cue[0] <= j):
            hi = j + 1
    return lo, hi


def _trim(doc: Doc, start: int, end: int) -> Range:
    """No leading/trailing commas, dashes or spaces; a final full stop only inside quotes."""
    while start < end and (doc[start].is_space or doc[start].text in (",", ";", "—", "–", ":")
                           or (doc[start].dep_ == "cc" and start + 1 < end)):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in (",", ";", "—", "–",
                                                                           ":", "(")):
        end -= 1
    if end - 1 > start and doc[end - 1].text in (".", "!"):
        end -= 1  # the sentence's full stop; one inside a quotation is kept with its mark
    return start, end


# --- small parse helpers --------------------------------------------------------------------


def _when(doc: Doc, start: int, end: int) -> bool:
    """Is the range only a time ("March 2", "last week", "On Tuesday")?"""
    words = [t for t in doc[start:end] if not (t.is_punct or t.pos_ in ("ADP", "DET"))]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def _clause_or_quote(doc: Doc, rng: Range) -> bool:
    """Does the range hold a verb or a quotation mark: can it be what was said?"""
    return any(t.pos_ in ("VERB", "AUX") or t.text in _QUOTES for t in doc[rng[0]:rng[1]])


def _set_off(clause: Token) -> bool:
    """A clause before its cue ends in a comma, dash or quotation mark ("X, he said"), not a
    colon: "A says B: C questioned D" does not make "A says B" what C questioned."""
    doc = clause.doc
    end = clause.right_edge.i
    nxt = doc[end + 1].text if end + 1 < len(doc) else ""
    return doc[end].text in (",", "—", *CLOSE_QUOTES) or nxt in (",", "—", *CLOSE_QUOTES)


def _under_negation(tok: Token) -> bool:
    """ "has not seen reports indicating…": the reports are not there to speak."""
    node = tok
    for _ in range(6):
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _only_punct(doc: Doc, start: int, end: int) -> bool:
    return all(doc[i].is_punct or doc[i].is_space for i in range(start, end))


def _subtree(tok: Token) -> Range:
    return tok.left_edge.i, tok.right_edge.i + 1


def _has_that(tok: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in tok.children)


def _has_mark(tok: Token, *words: str) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in words for c in tok.children)


def _own_subject(tok: Token) -> bool:
    return any(c.dep_ in _SUBJECTS for c in tok.children)


def _has_verb(tok: Token) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tok.subtree)


def _is_quote_start(tok: Token) -> bool:
    doc = tok.doc
    i = tok.left_edge.i
    return doc[i].text in OPEN_QUOTES or (i > 0 and doc[i - 1].text in OPEN_QUOTES)


def outermost(frames: Sequence[Frame], doc: Doc | None = None) -> list[Frame]:
    """Frames whose cue lies in no other frame's content, nor (given the doc) in a quotation.

    Corpora annotated univocally (PolNeAR: each token in at most one attribution) mark only
    these; "The Post reported that Klein said…" has one attribution there, not two, and an
    "I think" inside a quotation belongs to whoever is quoted. Another frame's content
    counts even when it is the very same span as this frame's ("he said he wants…" can give
    "wants" the content of "said"); only a quotation that is this frame's own content does not.
    """
    owned = [(a, b, n) for n, f in enumerate(frames) for a, b in f.content]
    if doc is not None:
        owned += [(a, b, -1) for a, b in quoted(doc)]
    owned.sort()
    starts = [a for a, _, _ in owned]
    reach: list[int] = []  # running maximum of span ends, for a containment test in log time
    top = -1
    for _, b, _ in owned:
        top = max(top, b)
        reach.append(top)
    out = []
    for n, f in enumerate(frames):
        cue = f.cue[0]
        k = bisect.bisect_right(starts, cue) - 1
        # some span reaches past the cue (log time); then look for one that is not this
        # frame's own, however far back it starts (a long quotation holds many short spans)
        inside = k >= 0 and reach[k] > cue and any(
            a <= cue < b and owner != n and (owner >= 0 or (a, b) not in f.content)
            for a, b, owner in reversed(owned[:k + 1]))
        if not inside:
            out.append(f)
    return out


