"""Encodings and binary input: decoded right, or refused with the reason."""

from __future__ import annotations

import pytest

from corroborate.clean.decode import declared_charset, decode_text, sniff_binary
from corroborate.errors import InputRejected

RUSSIAN = ("Военные инженеры Северной Кореи могут отправиться в Донецк, сообщает "
           "южнокорейский телеканал со ссылкой на правительственного чиновника.")
FRENCH = "Le conseil municipal a adopté le budget après un débat très animé sur les tarifs."


def test_decode_detects_cp1251() -> None:
    assert decode_text(RUSSIAN.encode("cp1251")) == RUSSIAN


def test_decode_detects_latin1() -> None:
    assert decode_text(FRENCH.encode("latin-1")) == FRENCH


def test_decode_prefers_declared_charset() -> None:
    page = f'<html><head><meta charset="windows-1251"></head><body>{RUSSIAN}</body></html>'
    content = page.encode("cp1251")
    assert declared_charset(content) == "cp1251"
    assert RUSSIAN in decode_text(content, declared_charset(content))


def test_decode_ignores_false_declaration() -> None:
    page = f'<meta charset="iso-8859-1"><p>{RUSSIAN}</p>'
    content = page.encode("utf-8")
    assert RUSSIAN in decode_text(content, declared_charset(content))


def test_decode_survives_invalid_utf8() -> None:
    content = b"Valid start. " * 20 + b"\xff\xfe\xfa broken " + b"more text. " * 20
    text = decode_text(content)
    assert "Valid start." in text and "more text." in text


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
        (b"%PDF-1.7 ...", "PDF"),
        (bytes(range(256)) * 10, "binary"),
    ],
)
def test_decode_refuses_binary(content: bytes, kind: str) -> None:
    assert sniff_binary(content)
    with pytest.raises(InputRejected, match=kind):
        decode_text(content)


def test_decode_refuses_empty() -> None:
    with pytest.raises(InputRejected, match="empty"):
        decode_text(b"  \n\t ")
