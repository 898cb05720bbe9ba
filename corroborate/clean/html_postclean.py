"""Line-level clean-up of the text trafilatura extracted from a news page.

trafilatura finds the article block well, but that block often still carries page furniture
that sits inside it: the headline repeated as the first line, a dateline or byline line,
"Read more: ..." teasers, newsletter and follow-us calls, bare URLs, copyright notes. Those
lines are not what the article says, and later stages (claims, near-duplicate detection)
would treat them as if they were. Each rule below is general to news pages (no site names,
no page-specific patterns), says what it fixes, and records what it dropped as a Removal so
a user can audit the cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corroborate.records import Removal

_WORD = re.compile(r"\w+")

# --- the headline repeated as the first line -------------------------------------------------
# The headline is kept in Article.title; repeating it in the text doubles its weight in
# claim extraction and makes near-duplicate detection depend on how a page lays out its title.
_TITLE_SCAN_LINES = 3  # a kicker or a section label may precede the repeated headline


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _is_title_line(line: str, titles: Iterable[str]) -> bool:
    """The line is the headline: equal to a title candidate, or to one part of it.

    Page titles often add the outlet ("Headline | Outlet", "Opinion | Headline"), so a line
    also matches when it equals the title minus such a prefix or suffix, or when one of the
    line's separator-delimited parts is the title. A lead sentence that merely starts with
    the headline's words ("Is X a crime? Prosecutors think not") is kept.
    """
    lw = _words(line)
    if len(lw) < 2:
        return False
    # the line split at separators: "Opinion | Headline", "Headline - Outlet", "Video: Headline"
    segments = [_words(seg) for seg in _TITLE_SEPARATORS.split(line)]
    for title in titles:
        tw = _words(title)
        if len(tw) < 2:
            continue
        if lw == tw or tw in segments:
            return True
        # the line is the title minus the outlet's prefix or suffix ("Headline | Outlet")
        extra = len(tw) - len(lw)
        if len(lw) >= 4 and 0 < extra <= 6 and (tw[: len(lw)] == lw or tw[extra:] == lw):
            return True
    return False


_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•-]\s+|\s*\|\s*|:\s+")


# --- dateline and byline lines -----------------------------------------------------------------
# A line made of a date, a time and a few label words ("UPDATED: Tue., Nov. 19, 2019",
# "Published 18 November 2019", "segunda-feira, 22 de janeiro de 2018 às 0:13") is page
# metadata: we keep the date in Article.published, and in the text it is noise.
def _wordlist(text: str) -> frozenset[str]:
    """A word list kept as prose, so it reads (and diffs) like one."""
    return frozenset(text.split())


_MONTHS_WEEKDAYS_SET = _wordlist(
    # English
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december mon monday tue tues tuesday wed wednesday "
    "thu thur thurs thursday fri friday sat saturday sun sunday "
    # German
    "januar jänner februar märz mai juni juli oktober dezember montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag mo di mi do fr sa so "
    # French, Spanish, Portuguese, Italian
    "janvier février fevrier mars avril juin juillet août aout septembre octobre novembre "
    "décembre decembre lundi mardi mercredi jeudi vendredi samedi dimanche enero febrero marzo "
    "abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre lunes martes "
    "miércoles jueves viernes sábado domingo janeiro fevereiro março maio junho julho outubro "
    "novembro dezembro segunda terça quarta quinta sexta feira gennaio febbraio aprile maggio "
    "giugno luglio settembre ottobre dicembre lunedì martedì mercoledì giovedì venerdì sabato "
    "domenica"
)
_DATE_WORDS = _MONTHS_WEEKDAYS_SET | _wordlist(
    "published updated posted last modified on at am pm a m p edt est pdt pst bst cet cest "
    "gmt utc et pt by the of de da do del um uhr veröffentlicht aktualisiert stand zuletzt "
    "publié publie le mis à jour publicado publicada atualizado actualizado às a las h em "
    "pubblicato aggiornato alle il"
)
_HAS_DATE = re.compile(
    r"\b\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?|uhr|h)?\b"  # a clock time
    r"|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b",  # a date
    re.I,
)
_DATELINE_MAX_WORDS = 12
_DATELINE_SCAN = 4  # only the opening and closing lines carry datelines


def _is_dateline(line: str) -> bool:
    """Only a date, a time and label words: nothing the article says."""
    words = _words(line)
    has_month = any(w in _MONTHS_WEEKDAYS_SET for w in words) and any(w.isdigit() for w in words)
    if not (has_month or _HAS_DATE.search(line)):
        return False
    if not words or len(words) > _DATELINE_MAX_WORDS:
        return False
    rest = [w for w in words if not w.isdigit() and w not in _DATE_WORDS
            and not re.fullmatch(r"\d+(?:st|nd|rd|th|h|am|pm)?", w)]
    return len(rest) == 0


# --- teasers, calls to action, furniture -----------------------------------------------------
# Lines that point elsewhere or ask the reader to do something are not article content.
# Patterns are phrased in the main languages of news, never for one site.
_FURNITURE = re.compile(
    r"""^(?:
        (?:read|see|watch|listen|view)\s+(?:more|also|next|too)\b        # Read more: ...
      | (?:also\s+read|related|recommended|more\s+on\s+this|don't\s+miss|most\s+read)\b.{0,3}$
      | (?:related|recommended)\s*(?:articles?|stories|coverage|content|posts?)?\s*:
      | (?:also\s+on|more\s+from)\s+\S+\.\w{2,}                          # Also on example.com
      | lesen\s+sie\s+(?:auch|mehr)|auch\s+lesen|mehr\s+zum\s+thema
      | weitere\s+(?:artikel|beiträge|infos)
      | (?:à\s+)?lire\s+(?:aussi|également)|voir\s+aussi
      | lee\s+también|le\s+puede\s+interesar|te\s+puede\s+interesar|contenido\s+relacionado
      | leia\s+(?:também|mais)|veja\s+também|leggi\s+anche
      | click\s+here\b | tap\s+here\b
      | (?:sign\s+up|subscribe)\b.{0,120}(?:newsletter|inbox|updates|free|today|here)
      | (?:get|receive)\b.{0,60}(?:newsletter|delivered\s+(?:to|right\s+in)\s+your\s+inbox)
      | follow\s+(?:us|\S+(?:\s+\S+){0,4}\s+on\s+(?:twitter|facebook|instagram|linkedin|x\b))
      | (?:share|like)\s+this\s+(?:story|article|post)
      | (?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}|[A-Z])
      | all\s+rights\s+reserved
    )""",
    re.I | re.X,
)
_FURNITURE_MAX_WORDS = 40  # a real paragraph that happens to start "Related ..." is longer
# Author contact notes at the end ("Write to X at x@y.com", "Email X or follow him @x").
_CONTACT = re.compile(r"\S+@\S+\.\w{2,}|(?:^|\s)@\w{2,}", re.I)
_CONTACT_VERB = re.compile(
    r"\b(?:write\s+to|e-?mail|contact|reach|follow|tips?\b|schreiben\s+sie|folgen\s+sie|"
    r"kontakt|suivez|écrivez|síguenos|escríbenos|siga|segui)",
    re.I,
)
_CONTACT_SCAN = 3
_CONTACT_MAX_WORDS = 45


# --- a trailing block of links to other articles ---------------------------------------------
# Below the article many pages list other stories under a heading ("You may also like",
# "Weitere Artikel", "Leia também", "Tags"). trafilatura often keeps that block when it sits
# in the same container; everything from such a heading on is not this article.
_RELATED_HEADING = re.compile(
    r"""^(?:
        you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|related(?:\s+\w+)?|recommended(?:\s+\w+){0,2}
      | more\s+(?:stories|news|articles|from\b.*|on\s+this(?:\s+topic)?|like\s+this)
      | most\s+(?:read|popular|viewed|shared)\b.* | read\s+next | what\s+to\s+read\s+next
      | trending(?:\s+now)? | tags? | topics? | top\s+stories | editor'?s\s+picks
      | (?:das\s+)?(?:könnte|dürfte)\s+(?:dich|sie|ihnen)\s+auch\s+interessieren
      | (?:empfohlene|ähnliche|verwandte|beliebte)\s+(?:beiträge|artikel|themen)
      | weitere\s+(?:artikel|beiträge|themen|meldungen|nachrichten|news)\b.*
      | mehr\s+zum\s+thema\b.*
      | auch\s+interessant | meistgelesen\w* | schlagworte | schlagwörter
      | (?:à\s+)?lire\s+aussi | sur\s+le\s+même\s+sujet | articles\s+similaires
      | (?:noticias|artículos|notas)\s+relacionad[oa]s | (?:te|le)\s+puede\s+interesar
      | contenido\s+relacionado | lo\s+más\s+leído | más\s+noticias
      | leggi\s+anche | articoli\s+correlati | potrebbe\s+interessarti
      | (?:leia|veja)\s+também | notícias\s+relacionadas | mais\s+lidas
      | czytaj\s+(?:także|też) | zobacz\s+(?:także|też)
    )\s*[:.…]*$""",
    re.I | re.X,
)
_RELATED_MAX_WORDS = 8
_RELATED_START = 0.5  # the heading must sit in the second half of the text
_RELATED_MAX_SHARE = 0.35  # and what follows it must be a minor part of the text

# --- captions and picture credits -----------------------------------------------------------
# "Foto: dpa", "Titelbild: ...", "Crédits photos : Bestimage", "Fot. X / Agencja Gazeta":
# they describe a picture that is not in the text.
_CREDIT = re.compile(
    r"^(?:foto|fot|photo|photos|bild|titelbild|beitragsbild|image|images|picture|credits?"
    r"|crédits?(?:\s+photos?)?|bildquelle|fotos?quelle|imagen|immagine)\s*(?:\(s\))?\s*[:.]",
    re.I,
)
_CREDIT_MAX_WORDS = 25


def _is_furniture(line: str) -> bool:
    s = line.strip().lstrip("-–—•*>|[( ").strip()
    if len(_words(s)) > _FURNITURE_MAX_WORDS:
        return False
    return bool(_FURNITURE.match(s))


def postclean(text: str, titles: Iterable[str] = ()) -> tuple[str, list[Removal]]:
    """Drop furniture lines from extracted text; return the text and what was dropped."""
    titles = [t for t in titles if t]
    lines = text.split("\n")
    keep = [True] * len(lines)
    removed: list[Removal] = []

    def drop(i: int, reason: str) -> None:
        if keep[i]:
            keep[i] = False
            removed.append(Removal(lines[i].strip(), reason))

    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    for i in nonblank[:_TITLE_SCAN_LINES]:
        if _is_title_line(lines[i], titles):
            drop(i, "headline repeated in the text")
            break
    for i in nonblank[:_DATELINE_SCAN] + nonblank[-_DATELINE_SCAN:]:
        if _is_dateline(lines[i]):
            drop(i, "dateline")
    for i in nonblank:
        if _is_furniture(lines[i]):
            drop(i, "teaser, call to action or page furniture")
    for i in nonblank:
        line = lines[i].strip()
        if _CREDIT.match(line) and len(_words(line)) <= _CREDIT_MAX_WORDS:
            drop(i, "picture caption or credit")
    total = sum(len(lines[i]) for i in nonblank) or 1
    for pos, i in enumerate(nonblank):
        if pos < len(nonblank) * _RELATED_START:
            continue
        line = lines[i].strip().strip("#*|-–— ")
        if len(_words(line)) <= _RELATED_MAX_WORDS and _RELATED_HEADING.match(line):
            tail = nonblank[pos:]
            if sum(len(lines[j]) for j in tail) <= total * _RELATED_MAX_SHARE:
                for j in tail:
                    drop(j, "links to other articles below the text")
            break
    for i in nonblank[-_CONTACT_SCAN:]:
        line = lines[i]
        if (_CONTACT.search(line) and _CONTACT_VERB.search(line)
                and len(_words(line)) <= _CONTACT_MAX_WORDS):
            drop(i, "author contact or social-media note")

    kept = [line for line, k in zip(lines, keep, strict=True) if k]
    return "\n".join(kept).strip(), removed
