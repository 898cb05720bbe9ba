"""Quotation marks and the units the extract rules work on."""

from __future__ import annotations

from corroborate.extract.spans import quote_partners, quoted, segments
from corroborate.models import spacy_pipeline


def test_curly_closing_mark_closes_a_straight_opening_one() -> None:
    doc = spacy_pipeline()('"We will not back down,” Alvarez said. Later she added "never".')
    partners = quote_partners(doc, segments(doc))
    opening = doc[0]
    assert opening.text == '"'
    assert doc[partners[opening.i]].text == "”"
    said = next(t for t in doc if t.text == "said")
    assert not any(a <= said.i < b for a, b in quoted(doc))


def test_an_opening_curly_mark_right_after_a_comma_closes_an_open_quotation() -> None:
    doc = spacy_pipeline()("“It is unusual,“ said Larry Noble, an attorney.")
    partners = quote_partners(doc, segments(doc))
    assert partners[0] == 5 and doc[5].text == "“"
    said = next(t for t in doc if t.text == "said")
    assert not any(a <= said.i < b for a, b in quoted(doc))
