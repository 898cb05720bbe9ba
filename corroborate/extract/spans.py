"""Token ranges, sentence lines and quotation marks: the units the extract rules work on.

Scraped news puts headings, bylines and captions on lines of their own, and quotations
run over several sentences; the rules in attribution.py and claims.py need both facts, and
need them in time linear in the article, whatever spaCy's sentence splitter made of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

Range = tuple[int, int]  # token indexes [start, end) into the Doc
OPEN_QUOTES = frozenset({"“", "«", '"', "``"})
CLOSE_QUOTES = frozenset({"”", "»", '"', "''"})


def char_range(doc: Doc, rng: Range) -> tuple[int, int]:
    """Character offsets of a token range (the caller's offsets are characters)."""
    start, end = rng
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)


def roots(doc: Doc, start: int, end: int, limit: int = 64) -> list[Token]:
    """The words of [start, end) whose head lies outside it, walking subtree by subtree
    (parses are projective, so each root's subtree is one stretch) rather than token by
    token: a claim's clauses are found in time proportional to their number."""
    out: list[Token] = []
    i = start
    while i < end and len(out) < limit:
        tok = doc[i]
        for _ in range(64):
            head = tok.head
            if head.i == tok.i or not start <= head.i < end:
                break
            tok = head
        out.append(tok)
        i = max(i + 1, tok.right_edge.i + 1)
    return out


def segments(doc: Doc) -> list[Range]:
    """spaCy's sentences, cut again at line breaks.

    Scraped articles put headings, bylines and captions on lines of their own, and the
    sentence splitter often glues them to the next sentence; a line break is a safer end.
    """
    out: list[Range] = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text:
                if tok.i > start:
                    out.append((start, tok.i))
                start = tok.i + 1
        if sent.end > start:
            out.append((start, sent.end))
    return [r for r in (_strip_space(doc, r) for r in out) if r[1] > r[0]]


def _strip_space(doc: Doc, rng: Range) -> Range:
    start, end = rng
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return start, end


def quote_partners(doc: Doc, segs: Iterable[Range]) -> dict[int, int]:
    """Pairs of quotation marks within each paragraph (token index -> partner index).

    Curly quotes say which way they face; straight ones alternate. A quote may run over
    several sentences, so pairing is per paragraph (line), not per sentence.
    """
    partners: dict[int, int] = {}
    for start, end in paragraphs(doc, segs):
        stack: list[int] = []
        straight: int | None = None
        for tok in doc[start:end]:  # a Span walk: cheaper than doc[i] token by token
            if not tok.is_punct:
                continue
            i, text = tok.i, tok.text
            if text == "“" and stack and i > start and doc[i - 1].text in (",", ".", "?", "!") \
                    and not doc[i - 1].whitespace_:
                text = "”"  # a typo: "“It's unusual,“ said Noble" closes with an opening mark
            if text in ("“", "«", "``"):
                stack.append(i)
            elif text in ("”", "»") or (text in ('"', "''") and stack):
                # a straight mark after an open curly one closes it, and a curly closing
                # mark with no curly one open closes a pending straight one (mixed styles
                # are common: `"We will,” he said`)
                if stack:
                    j = stack.pop()
                    partners[i], partners[j] = j, i
                elif straight is not None:
                    partners[i], partners[straight] = straight, i
                    straight = None
            elif text in ('"', "''"):
                if straight is None:
                    straight = i
                else:
                    partners[straight], partners[i] = i, straight
                    straight = None
    return partners


def paragraphs(doc: Doc, segs: Iterable[Range]) -> Iterator[Range]:
    """Runs of segments not separated by a line break."""
    current: Range | None = None
    for start, end in segs:
        if current is not None and not _newline_between(doc, current[1], start):
            current = (current[0], end)
            continue
        if current is not None:
            yield current
        current = (start, end)
    if current is not None:
        yield current


def _newline_between(doc: Doc, a: int, b: int) -> bool:
    return any("\n" in doc[i].text_with_ws for i in range(max(a - 1, 0), b))


def minus(ranges: Iterable[Range], holes: Iterable[Range]) -> list[Range]:
    """Ranges with the holes cut out (both small lists)."""
    out = list(ranges)
    for h0, h1 in holes:
        nxt = []
        for r0, r1 in out:
            if h1 <= r0 or h0 >= r1:
                nxt.append((r0, r1))
                continue
            if r0 < h0:
                nxt.append((r0, h0))
            if h1 < r1:
                nxt.append((h1, r1))
        out = nxt
    return out


def quoted(doc: Doc) -> list[Range]:
    """Token ranges between paired quotation marks, and from a quotation mark that opens a
    paragraph without closing in it to the paragraph's end (news style for long quotes)."""
    segs = segments(doc)
    partners = quote_partners(doc, segs)
    out = [(i, j + 1) for i, j in partners.items() if i < j]
    for start, end in paragraphs(doc, segs):
        if doc[start].text in OPEN_QUOTES and start not in partners:
            out.append((start, end))
    return out
