"""HTML cleaning: main text, furniture removal, dates, and hostile or empty pages."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from corroborate.clean.html import clean_html
from corroborate.clean.html_postclean import postclean
from corroborate.errors import InputRejected
from corroborate.records import Article, DocFormat, RawDocument

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SCRAPINGHUB = SHARED / "data" / "extraction" / "scrapinghub"
needs_shared = pytest.mark.skipif(
    not SCRAPINGHUB.is_dir(), reason=f"benchmark pages not found at {SCRAPINGHUB}"
)

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the night bus network to four new districts, "
    "after a year of complaints from shift workers who had no way home after midnight.",
    "The plan, which will cost about 2.4 million euros a year, was approved by 31 votes to 12. "
    "Opposition members said the money should go to the tram line instead.",
    "Transport officials said the first new routes would start running in March, with the rest "
    "following before the summer, once drivers have been hired and trained.",
    "Residents of the outer districts welcomed the decision but asked for more frequent "
    "services at weekends, when most of the complaints had come in.",
]


def news_page(head: str = "", before: str = "", after: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Council expands night buses | City Post</title>"
        f'<meta charset="utf-8">{head}</head><body><nav><a href="/">Home</a> '
        '<a href="/news">News</a></nav><article><h1>Council expands night buses</h1>'
        f'{before}<div class="article-body">{body}</div>{after}</article>'
        "<footer>Copyright City Post</footer></body></html>"
    ).encode()


def clean(content: bytes, url: str | None = None) -> Article:
    return clean_html(RawDocument(source="test", content=content, format=DocFormat.HTML,
                                  url=url))


def test_clean_html_keeps_the_paragraphs_and_drops_navigation():
    article = clean(news_page())
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    assert "Home" not in article.text
    assert article.title == "Council expands night buses"
    assert article.language == "en"
    assert article.format is DocFormat.HTML


def test_headline_dateline_and_teasers_are_removed():
    before = '<p class="dateline">Published 18 November 2019</p>'
    after = ("<p>Read more: Tram line delayed again</p>"
             "<p>Sign up for our free newsletter, delivered to your inbox every morning.</p>")
    article = clean(news_page(before=before, after=after))
    assert not article.text.startswith("Council expands night buses")
    assert "Read more" not in article.text
    assert "newsletter" not in article.text
    assert "Published 18 November" not in article.text


def test_published_date_and_its_evidence():
    head = '<meta property="article:published_time" content="2019-11-19T08:57:40+01:00">'
    article = clean(news_page(head=head))
    assert article.published is not None
    assert article.published.date() == date(2019, 11, 19)
    assert article.published.utcoffset() is not None
    assert article.published_via == "meta"


def test_date_from_the_url_when_the_page_has_none():
    article = clean(news_page(), url="https://citypost.example/2020/03/05/night-buses/")
    assert article.published is not None and article.published.date() == date(2020, 3, 5)
    assert article.published_via == "url"


def test_metadata_from_the_container_wins():
    raw = RawDocument(source="t", content=news_page(), format=DocFormat.HTML,
                      meta={"published": "2021-06-01T10:00:00+00:00", "title": "Given"})
    article = clean_html(raw)
    assert article.published_via == "metadata"
    assert article.title == "Given"


def test_scripts_and_event_handlers_never_reach_the_text():
    hostile = (
        "<script>alert('pwned-script')</script>"
        '<img src="x" onerror="alert(\'pwned-onerror\')">'
        "<style>body{display:none}</style><noscript>pwned-noscript</noscript>"
    )
    try:
        article = clean(news_page(before=hostile, after=hostile))
    except InputRejected:
        return
    assert "pwned" not in article.text
    assert "alert" not in article.text
    assert "display:none" not in article.text


def test_ten_thousand_deep_nesting_does_not_crash():
    deep = "<div>" * 10_000 + "<p>" + PARAGRAPHS[0] + "</p>" + "</div>" * 10_000
    content = f"<html><body>{deep}</body></html>".encode()
    try:
        article = clean(content)
    except InputRejected as exc:
        assert exc.reason
    else:
        assert isinstance(article, Article)


def test_unclosed_tags_and_garbage_do_not_crash():
    content = b"<html><body><p>" + b"<b><i><u>" * 3000 + PARAGRAPHS[1].encode() + b"<<<>>>&&&"
    try:
        article = clean(content)
    except InputRejected:
        return
    assert "Opposition members" in article.text


@pytest.mark.parametrize(
    "content",
    [
        b"<html><head><title>Empty</title></head><body></body></html>",
        b"<html><body><nav><a href='/'>Home</a></nav><script>var x = 1;</script></body></html>",
        b"   ",
        b"%PDF-1.7 binary",
    ],
)
def test_a_page_with_no_text_is_rejected(content: bytes):
    with pytest.raises(InputRejected):
        clean(content)


# --- post-cleaning rules on their own -------------------------------------------------------


def test_postclean_drops_the_repeated_headline_but_not_a_longer_first_sentence():
    text = "Opinion | Is Football Violence a Crime?\nNFL assaults have led to lawsuits."
    cleaned, removed = postclean(text, ["Is Football Violence a Crime?"])
    assert cleaned == "NFL assaults have led to lawsuits."
    assert removed[0].reason == "headline repeated in the text"
    kept, _ = postclean("Is football violence a crime? Prosecutors think not, for now.",
                        ["Is Football Violence a Crime?"])
    assert kept.startswith("Is football")


def test_postclean_cuts_a_trailing_related_block_only_near_the_end():
    body = "\n".join(PARAGRAPHS)
    text = f"{body}\nYou may also like...\nWho will make the Rock Hall in 2020?"
    cleaned, _ = postclean(text)
    assert cleaned == body
    early = f"More stories\n{body}"  # a related heading at the top cuts nothing after it
    assert postclean(early)[0].endswith(body)


def test_postclean_drops_credits_and_contact_lines():
    text = (f"{PARAGRAPHS[0]}\nFoto: dpa / Max Muster\n{PARAGRAPHS[1]}\n"
            "Write to Al Root at allen.root@example.com")
    cleaned, removed = postclean(text)
    assert cleaned == f"{PARAGRAPHS[0]}\n{PARAGRAPHS[1]}"
    assert [r.reason for r in removed] == ["picture caption or credit",
                                           "author contact or social-media note"]


def test_postclean_keeps_a_sentence_that_merely_mentions_a_date():
    line = "The council met on 18 November 2019 to vote on the plan."
    assert postclean(line)[0] == line


# --- real pages -------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text)
    return Counter(tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3)))


@needs_shared
def test_real_pages_match_the_gold_body():
    gold = json.loads((SCRAPINGHUB / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(gold)[:6]
    for key in keys:
        html = gzip.decompress((SCRAPINGHUB / "html" / f"{key}.html.gz").read_bytes())
        article = clean_html(RawDocument(source=key, content=html, format=DocFormat.HTML,
                                         url=gold[key]["url"]))
        g, p = _shingles(gold[key]["articleBody"]), _shingles(article.text)
        overlap = sum((g & p).values())
        assert overlap / max(1, sum(p.values())) > 0.6, key
        assert overlap / max(1, sum(g.values())) > 0.6, key
        assert article.url == gold[key]["url"]


@needs_shared
def test_real_page_date_agrees_with_its_url():
    gold = json.loads((SCRAPINGHUB / "ground-truth.json").read_text(encoding="utf-8"))
    key = next(k for k, v in sorted(gold.items()) if re.search(r"/2019/11/\d\d/", v["url"]))
    day = re.search(r"/2019/11/(\d\d)/", gold[key]["url"])
    assert day is not None
    html = gzip.decompress((SCRAPINGHUB / "html" / f"{key}.html.gz").read_bytes())
    article = clean_html(RawDocument(source=key, content=html, format=DocFormat.HTML,
                                     url=gold[key]["url"]))
    assert article.published is not None
    assert article.published.date() == date(2019, 11, int(day[1]))


def test_http_charset_is_used_when_the_page_declares_none() -> None:
    """A page fetched with `Content-Type: text/html; charset=windows-1251` and no <meta>."""
    from corroborate.records import DocFormat, RawDocument

    body = ("<p>Военные инженеры Северной Кореи могут отправиться в Донецк, сообщает "
            "южнокорейский телеканал со ссылкой на правительственного чиновника.</p>") * 6
    page = f"<html><head><title>Новости</title></head><body><article>{body}</article></body></html>"
    raw = RawDocument("http://example.test/a", page.encode("cp1251"), DocFormat.HTML,
                      "http://example.test/a", {"charset": "windows-1251"})
    assert "Военные инженеры" in clean_html(raw).text
