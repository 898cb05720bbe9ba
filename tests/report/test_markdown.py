"""Markdown escaping: article text shows as written, never as markup."""

from __future__ import annotations

from corroborate.report.markdown import md


def test_md_escapes_html_and_table_breaking_characters() -> None:
    assert md("<script>alert(1)</script>") == r"\<script\>alert(1)\</script\>"
    assert md("a | b") == r"a \| b"
    assert md("*bold* _it_ [link](x) `code` #tag") == \
        r"\*bold\* \_it\_ \[link\](x) \`code\` \#tag"


def test_md_keeps_ordinary_text_and_joins_lines() -> None:
    assert md("up to £88 million, “quoted” — 3.2 % apart") == \
        "up to £88 million, “quoted” — 3.2 % apart"
    assert md("two\nlines\n\n here") == "two lines here"
    assert md(None) == ""
