"""Publication-date rules: each kind of evidence, their order, and the sanity checks."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from corroborate.clean.pubdate import (
    date_from_url,
    find_published,
    parse_structured_date,
    parse_visible_date,
)

TODAY = date(2024, 1, 1)


def page(head: str = "", body: str = "<p>Text of the report.</p>") -> HtmlElement:
    tree = load_html(f"<html><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    return tree


def published(tree: HtmlElement, url: str | None = None, htmldate: str | None = None):
    value, via = find_published(tree, url, htmldate, today=TODAY)
    return (value.date() if value else None), via


JSON_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "datePublished": "2015-01-01"},
  {"@type": "NewsArticle", "datePublished": "2019-11-19T08:57:40+01:00",
   "dateModified": "2020-01-05T10:00:00+01:00"}]}
</script>"""


def test_json_ld_article_date_beats_webpage_and_ignores_modified():
    assert published(page(JSON_LD)) == (date(2019, 11, 19), "json-ld")


def test_json_ld_date_created_when_no_date_published():
    head = ('<script type="application/ld+json">{"@type": "Article", '
            '"dateCreated": "2020-04-27T17:58:19+02:00"}</script>')
    assert published(page(head)) == (date(2020, 4, 27), "json-ld")


def test_broken_json_ld_is_skipped():
    head = '<script type="application/ld+json">{"@type": "Article", </script>'
    assert published(page(head)) == (None, None)


def test_meta_published_time_beats_json_ld():
    head = '<meta property="article:published_time" content="2022-01-06T08:29:34">' + JSON_LD
    assert published(page(head)) == (date(2022, 1, 6), "meta")


def test_modified_metas_are_never_the_publication_date():
    head = ('<meta property="article:modified_time" content="2021-03-14T20:10:50Z">'
            '<meta property="og:updated_time" content="2021-03-14T20:10:50Z">')
    assert published(page(head)) == (None, None)


def test_visible_time_in_article_header_beats_metas():
    head = '<meta property="og:article:published_time" content="2022-01-15">'
    body = ('<article><h1>Title</h1><time datetime="2022-01-25">25.01.2022</time>'
            "<p>Text.</p></article>")
    assert published(page(head, body)) == (date(2022, 1, 25), "byline")


def test_visible_date_labelled_by_class_beats_generic_meta_date():
    head = '<meta name="date" content="2021-12-20T11:02:44+01:00">'
    body = '<h1>Title</h1><span class="date">27.01.2022</span><p>Text.</p>'
    assert published(page(head, body)) == (date(2022, 1, 27), "byline")


def test_unlabelled_byline_with_author_and_date():
    body = "<h1>Tomaten schneiden</h1><span>von Marianne1 am 20.09.2020</span><p>Text.</p>"
    assert published(page("", body)) == (date(2020, 9, 20), "byline")


@pytest.mark.parametrize(
    "wrapper",
    [
        '<nav class="top">{}</nav>',
        '<div class="comments">{}</div>',
        '<ul class="relateditems"><li>{}</li></ul>',
        '<blockquote class="instagram-media">{}</blockquote>',
    ],
)
def test_dates_in_navigation_comments_related_lists_and_embeds_are_skipped(wrapper: str):
    chrome = wrapper.format('<time datetime="2019-04-21">21.04.2019</time>')
    body = f'{chrome}<h1>Title</h1><span class="date">18.10.2019</span><p>Text.</p>'
    assert published(page("", body)) == (date(2019, 10, 18), "byline")


def test_body_class_words_do_not_hide_the_article_date():
    tree = load_html('<html><body class="one-sidebar sidebar-first"><div id="main" '
                     'class="subnav_true"><time>31.03.2020</time></div></body></html>')
    assert published(tree) == (date(2020, 3, 31), "byline")


def test_a_date_labelled_as_update_or_last_reply_is_skipped():
    body = ('<h1>T</h1><div class="dateblock">Letzter Beitrag: 18.10.2010, 23:08</div>'
            '<span class="date">Updated 19 Nov 2019</span><p>Text.</p>')
    assert published(page("", body)) == (None, None)


def test_url_date_beats_everything_else():
    url = "https://www.befifty.de/home/2017/7/12/unter-uns-montauk"
    head = '<meta property="article:published_time" content="2019-06-17T18:28:00+0200">'
    assert published(page(head), url) == (date(2017, 7, 12), "url")


def test_generic_meta_date_only_when_nothing_else():
    head = '<meta name="DCTERMS.date" content="2021-12-20T11:02:44+01:00">'
    assert published(page(head)) == (date(2021, 12, 20), "meta-generic")


def test_htmldate_is_the_last_resort():
    assert published(page(), htmldate="2020-09-22") == (date(2020, 9, 22), "htmldate")


def test_future_and_pre_web_dates_are_rejected():
    future = (TODAY + timedelta(days=30)).isoformat()
    head = (f'<meta property="article:published_time" content="{future}">'
            '<meta name="pubdate" content="1970-01-01">')
    assert published(page(head), htmldate="2018-05-05") == (date(2018, 5, 5), "htmldate")


def test_utc_timestamp_moves_to_the_pages_own_offset():
    head = ('<meta property="article:published_time" content="2022-05-04T03:37:37+00:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2022-05-03T23:37:37-04:00"}</script>')
    value, via = find_published(page(head), None, None, today=TODAY)
    assert via == "meta"
    assert value is not None and value.date() == date(2022, 5, 3)
    assert value.utcoffset() == timedelta(hours=-4)


def test_utc_timestamp_moves_to_the_country_zone_of_the_domain():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "Wed, 04 May 2022 02:41:00 GMT"}</script>')
    value, _ = find_published(page(head), "https://eldeber.com.bo/x_276757", None, today=TODAY)
    assert value is not None and value.date() == date(2022, 5, 3)


def test_midnight_utc_is_a_bare_day_and_is_not_moved():
    head = '<meta property="article:published_time" content="2018-02-20T00:00:00.000Z">'
    body = '<div class="related"><time datetime="2017-10-12T21:06:39-05:00">x</time></div>'
    assert published(page(head, body))[0] == date(2018, 2, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.02.2020 - Redaktion: Eberhard Fuhr", date(2020, 2, 5)),
        ("Von Deutscher Tennis Bund 4.\u2009 2.\u2009 2022.", date(2022, 2, 4)),
        ("31. Oktober 2023.", date(2023, 10, 31)),
        ("UPDATED: Tue., Nov. 19, 2019", date(2019, 11, 19)),
        ("3 May, 2022, 11:37 pm", date(2022, 5, 3)),
        ("segunda-feira, 22 de janeiro de 2018 às 0:13", date(2018, 1, 22)),
        ("2021/09/19|Amber", date(2021, 9, 19)),
        ("25/12/2019", date(2019, 12, 25)),
        ("12/25/2019", date(2019, 12, 25)),
        ("10/05/2022", None),  # May or October: not guessed
        ("no date here", None),
        ("31.02.2020", None),
    ],
)
def test_parse_visible_date(text: str, expected: date | None):
    assert parse_visible_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-11-19T08:57:40+01:00", datetime(2019, 11, 19, 8, 57, 40,
                                               tzinfo=timezone(timedelta(hours=1)))),
        ("2022-5-5 22:17:36", datetime(2022, 5, 5)),
        ("10/05/2022 05:22 pm", None),
        ("", None),
        ("soon", None),
    ],
)
def test_parse_structured_date(value: str, expected: datetime | None):
    assert parse_structured_date(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.nj.com/entertainment/2019/11/19/florida-man.html", date(2019, 11, 19)),
        ("https://blog.example.org/2018-09-10-open-thread/", date(2018, 9, 10)),
        ("https://example.com/news/20191119/story", date(2019, 11, 19)),
        ("https://www.cleveland.com/entertainment/2019/11/doobie.html", None),  # no day
        ("https://example.com/article/11574168580", None),
        (None, None),
    ],
)
def test_date_from_url(url: str | None, expected: date | None):
    assert date_from_url(url) == expected
