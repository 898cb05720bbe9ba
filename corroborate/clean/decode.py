"""Bytes to text: the one place that guesses encodings and refuses binary input.

Scraped pages arrive as UTF-8, as legacy code pages (cp1251, latin-1) or as something that
is not text at all. Guessing wrong garbles every later stage, so: a declared charset first,
then strict UTF-8, then charset-normalizer's detection; binary is refused with a reason.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from corroborate.errors import InputRejected

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"\x7fELF": "ELF executable",
    b"\x1f\x8b": "gzip data",
}


def sniff_binary(content: bytes) -> str | None:
    """Name the kind of binary data in `content`, or None if it may be text."""
    for magic, kind in _BINARY_MAGIC.items():
        if content.startswith(magic):
            return kind
    head = content[:4096]
    if not head:
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if b"\x00" in head or controls / len(head) > 0.05:
        return "binary data"
    return None


def declared_charset(content: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, if Python knows it."""
    m = _META_CHARSET.search(content[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(content: bytes, declared: str | None = None) -> str:
    """Decode `content` to str, or raise InputRejected for binary or empty input."""
    if not content.strip():
        raise InputRejected("empty input")
    kind = sniff_binary(content)
    if kind:
        raise InputRejected(f"not text: looks like {kind}")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return content.decode(enc, errors="replace")
    if declared:
        try:
            text = content.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            # A page that declares utf-8 but is cp1251 fails above; one that declares
            # latin-1 decodes anything, so only trust it if UTF-8 would not have worked.
            if codecs.lookup(declared).name != "iso8859-1" or not _is_utf8(content):
                return text
    if _is_utf8(content) or _mostly_utf8(content):
        return content.decode("utf-8", errors="replace")
    matches = from_bytes(content[:200_000])
    best = matches.best()
    if best is None or best.encoding is None:
        raise InputRejected("not text: no character encoding fits")
    encoding = best.encoding
    # Short Western text often fits cp1250 and cp1252 equally well; cp1252 is by far the
    # more common on the web (browsers read "latin-1" pages as cp1252), so it wins ties.
    tied = {m.encoding for m in matches
            if m.chaos == best.chaos and m.coherence >= best.coherence - 1e-9}
    if "cp1252" in tied:
        encoding = "cp1252"
    elif best.language in _CP1252_LANGUAGES and any(
        "cp1252" in m.could_be_from_charset and m.chaos <= best.chaos + 0.05 for m in matches
    ):
        # French or Spanish in cp1252 also fits Baltic or Central European code pages
        # (è read as č), and a small chaos score can rank one of those first; for a language
        # cp1252 was made for, cp1252 wins when it fits nearly as well.
        encoding = "cp1252"
    return content.decode(encoding, errors="replace")


_CP1252_LANGUAGES = frozenset({
    "English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Danish",
    "Swedish", "Norwegian", "Finnish", "Icelandic", "Catalan", "Basque", "Galician", "Irish",
})


def _mostly_utf8(content: bytes) -> bool:
    """UTF-8 with a few broken bytes (a mangled or cut character) is still UTF-8.

    Text in a legacy code page almost never forms valid multi-byte UTF-8 sequences: each of
    its non-ASCII bytes is invalid. So more valid multi-byte characters than invalid bytes
    means damaged UTF-8, which charset detection would garble throughout ("cafÃ©").
    """
    text = content.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    valid = sum(1 for ch in text if ord(ch) > 127) - invalid
    return valid > invalid


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
