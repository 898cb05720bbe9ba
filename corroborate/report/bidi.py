"""Bidirectional-text isolation for article-derived text in the standalone dossier.

A headline or a source's name carrying U+202E (right-to-left override) would otherwise flip
the text after it on the page: a table cell, a graph label, a verdict line. Text that holds
such a control is isolated where it is shown: in HTML inside <bdi>, in SVG (where <bdi> does
not exist) between the first-strong and pop isolate characters U+2068 … U+2069.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
FIRST_STRONG_ISOLATE, POP_ISOLATE = "\u2068", "\u2069"


def has_bidi_controls(text: str) -> bool:
    return bool(_CONTROLS.search(text))


def isolated_html(value: object) -> object:
    """A Jinja `finalize`: every printed string with a bidi control comes out in <bdi>."""
    if isinstance(value, str) and not isinstance(value, Markup) and has_bidi_controls(value):
        return Markup(f"<bdi>{escape(value)}</bdi>")
    return value


def isolated_text(text: str) -> str:
    """Plain text for SVG: wrapped in isolate characters when it holds a bidi control."""
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_ISOLATE}" if has_bidi_controls(text) else text
