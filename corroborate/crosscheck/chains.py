"""Attribution chains resolved across a story, so that one source has one identity.

The extract stage resolves each chain within one article. Across a story we can do more, and
must, because independence is counted on identities: "a port authority spokesperson" in one
article is the "port authority spokesperson Lieve Janssens" named in another; "unofficial
media reports" in an article that cites one outlet (TV Chosun) are that outlet's reports; a
link that names two sources ("Radio Scheldeland, which cited Lieve Janssens") is two links.
A source that stays unnamed is one source across the story when the description is definite
("the city's crisis centre", "the port authority": one body, however many outlets quote it;
"the crisis centre" is the same one), and one source per citing outlet or intermediary when it
is not ("a government official", "local officials"), so that two outlets' anonymous officials
are not merged by guesswork.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from corroborate.crosscheck.source_names import (
    acronym,
    bare_name,
    initials,
    is_dateline,
    role_words,
    same_surname,
    surname,
    unusable,
)
from corroborate.outlets import fold_name, outlet_table
from corroborate.records import Attribution

# Head nouns of a vague reference to the press: "unofficial media reports", "local media".
_MEDIA_WORDS = frozenset({
    "media", "report", "reports", "press", "television", "channel", "broadcaster",
    "newspaper", "newspapers", "outlet", "outlets", "tv", "radio", "daily", "agency",
})
_DETERMINERS = frozenset({"a", "an", "the", "some", "one", "another", "its", "their", "his",
                          "her", "this", "that", "these", "those"})
# Unnamed papers ("the documents", "court papers", "additional records disclosed Wednesday"):
# outlets word the same filings differently, and nothing tells one set from another, so in
# one story they are one source; two outlets citing them are not two independent sources.
DOCUMENTS_KEY = "anon:documents"
_DOCUMENT_WORDS = frozenset({"document", "documents", "record", "records", "papers", "filing",
                             "filings", "file", "files", "paperwork"})
_CITE_CUE = re.compile(r"\b(citing|cited|quoting|quoted|according to)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True, slots=True)
class Node:
    """One resolved source in a chain: an identity plus how it was written and cued."""

    key: str
    name: str
    written: str
    cue: str | None
    named: bool  # a known entity, not an anonymous description
    note: str | None = None  # how crosscheck resolved it, when it did

    def attribution(self) -> Attribution:
        return Attribution(self.written, self.cue, self.key if self.named else None, self.name)


def canonical_link(link: Attribution) -> Attribution:
    """An outlet the extract stage keyed by its written name, under the outlet table's key
    and name ("AP" and "The Associated Press" are one agency)."""
    if not link.key or not link.key.startswith("outlet:"):
        return link
    table = outlet_table()
    key = table.canonical_key(link.key)
    known = table.by_id.get(key.split(":", 1)[1])
    return replace(link, key=key, name=known.name if known else link.name)


def words(text: str) -> list[str]:
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def _documentary(content: Sequence[str]) -> bool:
    """The source is papers, by its head: "documents", "court papers", "new records"."""
    return bool(set(content[:2]) & _DOCUMENT_WORDS)


def _content_words(text: str) -> list[str]:
    out = [w for w in words(text) if w not in _DETERMINERS]
    return [w[:-2] if w.endswith("'s") else w for w in out]


@dataclass(frozen=True, slots=True)
class _Known:
    key: str
    name: str
    descriptor: tuple[str, ...]  # words before the name as written: "port authority spokesperson"


class SourceResolver:
    """Story-level knowledge of named sources, used to resolve every chain of the story."""

    def __init__(self, chains: Sequence[Sequence[Attribution]],
                 story_outlets: dict[str, str] | None = None) -> None:
        """`story_outlets`: key → name of the outlets whose articles make the story, so that
        "the Times" in one of them is The New York Times when that is the story's only Times.
        """
        self._outlets = story_outlets or {}
        self._known: dict[str, _Known] = {}
        definite: set[tuple[str, ...]] = set()
        for chain in chains:
            for link in map(self._outlet_link, chain[1:]):
                if link.key and link.name and self._trusted(link) and not unusable(link.name):
                    self._remember(link.key, link.name, link.source)
                elif _definite(link.source):
                    definite.add(tuple(_content_words(link.source)))
        self._definite = sorted(d for d in definite if d)
        self._alias = self._same_identities()

    def _outlet_link(self, link: Attribution) -> Attribution:
        """An outlet under the table's key, or under the story's outlet it abbreviates."""
        link = canonical_link(link)
        if not link.key or link.key in self._outlets:
            return link
        if link.key.startswith("outlet:"):
            rest = link.key.split(":", 1)[1]
            if rest in outlet_table().by_id:
                return link
        elif link.key.startswith("org:") and link.name:
            rest = fold_name(link.name)  # the parser's "organisation" that is a story outlet
        else:
            return link
        hits = [k for k, name in self._outlets.items()
                if f" {fold_name(name)}".endswith(f" {rest}")]
        if len(hits) == 1:
            return replace(link, key=hits[0], name=self._outlets[hits[0]])
        return link

    def _same_identities(self) -> dict[str, _Known]:
        """Keys that are another known source written differently: a surname alone (or one
        letter apart), an acronym of a full name. Only where exactly one source fits.
        """
        persons = [k for k in self._known.values()
                   if k.key.startswith("person:") and surname(k.name)]
        by_initials: dict[str, list[_Known]] = {}
        for k in self._known.values():
            if not k.key.startswith(("person:", "outlet:")) and (i := initials(k.name)):
                by_initials.setdefault(i, []).append(k)
        alias: dict[str, _Known] = {}
        for k in self._known.values():
            one = bare_name(k.name)
            if one and not k.key.startswith("outlet:"):
                hits = {p.key: p for p in persons
                        if p.key != k.key and same_surname(one, surname(p.name) or "")}
                if len(hits) == 1:
                    alias[k.key] = next(iter(hits.values()))
                    continue
            short = acronym(k.name)
            if short and len(by_initials.get(short, [])) == 1:
                alias[k.key] = by_initials[short][0]
        return alias

    def _node(self, key: str, name: str, link: Attribution, note: str | None = None) -> Node:
        """A named node, under the identity its key stands for when it is an alias."""
        target = self._alias.get(key)
        if target is not None:
            return Node(target.key, target.name, link.source, link.cue, True,
                        f"{name} is {target.name}")
        return Node(key, name, link.source, link.cue, True, note)

    def _remember(self, key: str, name: str, written: str) -> None:
        known = self._known.get(key)
        descriptor = _descriptor(written, name)
        if known is None:
            self._known[key] = _Known(key, name, descriptor)
        elif descriptor:  # every role the story gives the source
            merged = known.descriptor + tuple(w for w in descriptor if w not in known.descriptor)
            self._known[key] = _Known(key, known.name, merged)

    @staticmethod
    def _trusted(link: Attribution) -> bool:
        """A key whose name shares some but not all words with what was written is suspect.

        "the port authority" resolved to "Port Workers Union" shares only "port": a different
        body. Descriptions with no word in common ("the company", "the channel") are the
        extract stage's coreference and are kept.
        """
        if not link.name:
            return True
        written = set(_content_words(link.source))
        name = set(_content_words(link.name))
        shared = written & name
        if not shared and link.key and link.key.startswith("person:") and _plural(link.source):
            return False  # "the congressman's lawyers" are not one person
        return not shared or name <= written or written <= name

    def resolve(self, chain: Sequence[Attribution], outlet: str,
                cited_outlets: frozenset[str], sentence: str = "",
                previous: Node | None = None) -> tuple[Node, ...]:
        """The chain after the outlet itself, as nodes with story-wide identities.

        `cited_outlets` are the outlet keys this article's chains name (other than itself):
        a vague "media reports" resolves to the only one, when there is exactly one.
        """
        nodes: list[Node] = []
        parent = outlet
        for link in map(self._outlet_link, chain[1:]):
            for node in self._link_nodes(link, parent, cited_outlets, sentence, previous):
                if nodes and nodes[-1].key == node.key:
                    continue  # "TV Chosun ... the channel cites": one node
                nodes.append(node)
                parent = node.key
        return tuple(nodes)

    def _link_nodes(self, link: Attribution, parent: str, cited_outlets: frozenset[str],
                    sentence: str = "", previous: Node | None = None) -> list[Node]:
        """The link as story-wide nodes. A pronoun or determiner ("It", "They", "Another")
        is the source the article named just before (`previous`), else no one; a generic
        word or a dateline's place names no one: the claim rests on the link before it."""
        if link.key and link.key.startswith(("place:", "country:")) \
                and is_dateline(link.source, sentence):
            return []
        if link.key and link.name and self._trusted(link) and not unusable(link.name):
            if _organ_of_place(link):  # "the authorities" of Ferguson: a town does not speak
                return [Node(link.key, f"{_display(link.source)} ({link.name})", link.source,
                             link.cue, True, f"“{_display(link.source)}” of {link.name}")]
            return [self._node(link.key, link.name, link)]
        why = unusable(link.source)
        if why == "pronoun" and previous is not None:  # "Another", "Some": not the last one
            return [Node(previous.key, previous.name, link.source, link.cue, previous.named,
                         f"“{_display(link.source)}” is {previous.name}, named just before")]
        if why:
            return []
        found = self._names_in(link.source)
        if len(found) >= 2:  # "Radio Scheldeland, which cited ... Lieve Janssens"
            out = []
            for i, (pos, known) in enumerate(found):
                cue = link.cue if i == 0 else _cue_between(link.source, found[i - 1][0], pos)
                out.append(Node(known.key, known.name, link.source, cue, True,
                                "split: the link names several sources"))
            return out
        if len(found) == 1:
            known = found[0][1]
            return [self._node(known.key, known.name, link)]
        one = bare_name(link.source)
        if one:  # "Nambiar" alone, for the story's only Nambiar
            hits = {k.key: k for k in self._known.values() if k.key.startswith("person:")
                    and same_surname(one, surname(k.name) or "")}
            if len(hits) == 1:
                known = next(iter(hits.values()))
                return [Node(known.key, known.name, link.source, link.cue, True,
                             f"surname of {known.name}")]
        content = _content_words(link.source)
        if content and content[-1] in _MEDIA_WORDS and len(cited_outlets) == 1:
            key = next(iter(cited_outlets))
            known = self._known.get(key)
            name = known.name if known else key.split(":", 1)[1]
            return [Node(key, name, link.source, link.cue, True,
                         f"the only outlet this article cites ({name})")]
        outlet = self._outlet_named_in(link.source)
        if outlet is not None and outlet != parent:  # "questions supplied to the Times by …"
            name = self._outlets[outlet]
            return [Node(outlet, name, link.source, link.cue, True,
                         f"“{_display(link.source)}” names {name}"),
                    Node(f"anon:{' '.join(content)}@{outlet}", _display(link.source),
                         link.source, link.cue, False)]
        if _documentary(content):
            return [Node(DOCUMENTS_KEY, _display(link.source), link.source, link.cue, False,
                         "unnamed documents: the story's papers, however worded")]
        match = None if _possessive(link.source) else self._by_descriptor(content)
        if match is not None:
            return [Node(match.key, match.name, link.source, link.cue, True,
                         f"described as in another article that names {match.name}")]
        description = " ".join(content) or link.source.strip().casefold()
        if content and _definite(link.source):
            return [Node(f"anon:{' '.join(self._canonical(tuple(content)))}",
                         _display(link.source), link.source, link.cue, False)]
        return [Node(f"anon:{description}@{parent}", _display(link.source), link.source,
                     link.cue, False)]

    def _outlet_named_in(self, text: str) -> str | None:
        """The story outlet a description names ("obtained by The New York Times", "supplied
        to the Times" where the story has one Times), when exactly one fits."""
        hits = set()
        for key, name in self._outlets.items():
            ws = name.split()
            if re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE) or (
                    len(ws) >= 2 and ws[-1][:1].isupper()
                    and re.search(rf"\b[Tt]he {re.escape(ws[-1])}\b", text)):
                hits.add(key)
        return next(iter(hits)) if len(hits) == 1 else None

    def _canonical(self, content: tuple[str, ...]) -> tuple[str, ...]:
        """ "crisis centre" is the story's "city crisis centre": same head, fewer words."""
        wider = [d for d in self._definite if d[-1] == content[-1] and set(content) <= set(d)]
        return max(wider, key=lambda d: (len(d), d)) if wider else content

    def _names_in(self, text: str) -> list[tuple[int, _Known]]:
        folded = text.casefold()
        found: list[tuple[int, _Known]] = []
        for known in self._known.values():
            m = re.search(rf"\b{re.escape(known.name.casefold())}\b", folded)
            if m:
                found.append((m.start(), known))
        return sorted(found, key=lambda f: (f[0], f[1].key))

    def _by_descriptor(self, content: list[str]) -> _Known | None:
        """ "a port authority spokesperson" is the one named "port authority spokesperson X"."""
        if not content:
            return None
        # "the governor of Qeshm island" is "Qeshm island governor X": its head is before "of"
        head = content[content.index("of") - 1] if "of" in content[1:] else content[-1]
        wanted = [w for w in role_words(content) if w not in ("of", "for", "in", "at")]
        head = role_words([head])[0]
        hits = [k for k in self._known.values()
                if k.descriptor and head in k.descriptor
                and set(wanted) <= set(k.descriptor)]
        return hits[0] if len(hits) == 1 else None


def _definite(written: str) -> bool:
    """ "the port authority", "the city's crisis centre", "Russia's defence ministry"."""
    first = words(written)[:1]
    possessive = "'s" in written.replace("’", "'")
    return bool(first) and (first[0] in ("the", "its", "their") or possessive)


def _descriptor(written: str, name: str) -> tuple[str, ...]:
    """Role words around the name: "port authority spokesperson" in "... spokesperson Lieve
    Janssens", "chief spokesperson defence" in "Manohar Nambiar, chief PRO (Defence)"."""
    folded = written.casefold()
    pos = folded.find(name.casefold())
    if pos < 0:
        return ()
    after = written[pos + len(name):]
    appositive = after.lstrip().startswith(",") or after.lstrip().startswith("(")
    words_ = _content_words(written[:pos]) + (_content_words(after) if appositive else [])
    return tuple(role_words(words_))


_ORGANS = frozenset({"authorities", "authority", "government", "officials", "police",
                     "administration", "council", "ministry", "officers", "prosecutors"})


def _organ_of_place(link: Attribution) -> bool:
    """An organ written as such ("the authorities") that the extract stage tied to a place,
    or to a place the parser took for an organisation: the name alone would make a town
    the speaker."""
    if not link.key or not link.name or not link.key.startswith(("place:", "country:", "org:")):
        return False
    written = _content_words(link.source)
    return bool(written) and written[-1] in _ORGANS \
        and not set(written) & set(_content_words(link.name))


def _possessive(written: str) -> bool:
    """ "his lawyer", "the congressman's lawyers": a role of someone, not whoever else in the
    story holds that role (the prosecutor who is a U.S. Attorney is not "his lawyer")."""
    ws = words(written)
    return bool(ws) and (ws[0] in ("his", "her", "their", "its")
                         or any(w.endswith("'s") for w in ws[:-1]))


def _plural(written: str) -> bool:
    """ "the congressman's lawyers": the head noun (the last word) is a plural common noun."""
    ws = _WORD.findall(written)
    return bool(ws) and ws[-1].islower() and ws[-1].endswith("s") \
        and not ws[-1].endswith(("ss", "us", "is"))


def _cue_between(text: str, start: int, end: int) -> str:
    m = _CITE_CUE.search(text, start, end)
    return m.group(1).lower() if m else "cited"


def _display(written: str) -> str:
    """ "a South Korean government official": as written, trimmed of trailing punctuation."""
    return written.strip().rstrip(",.;:")


def cited_outlets(chains: Sequence[Sequence[Attribution]], own: str) -> frozenset[str]:
    """Outlet keys an article's chains name, other than the article's own outlet (its key)."""
    table = outlet_table()
    keys = {table.canonical_key(link.key) for chain in chains for link in chain[1:]
            if link.key and link.key.startswith("outlet:")}
    return frozenset(keys - {own})
