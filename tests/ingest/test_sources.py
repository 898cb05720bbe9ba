"""Every input format ingests end to end: files, folders, JSON, JSONL, WARC, feeds and URLs.

Each test runs `corroborate.pipeline.ingest` into an in-memory store and checks what was
stored (title, text, outlet, url, publication date) and what the summary counted. URLs are
served by a loopback HTTP server the tests start themselves; nothing leaves the machine.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import IngestEvent, IngestSummary, Outcome, StoredArticle
from corroborate.store import Store

OFFLINE = IngestOptions(fetch=False, workers=1)
LOCAL = IngestOptions(allow_private=True, workers=1)


@dataclass(frozen=True)
class Story:
    """An invented news article: enough text (300+ words) for trafilatura to take it."""

    title: str
    author: str
    paragraphs: tuple[str, ...]

    @property
    def key_sentence(self) -> str:
        """A sentence from the body that must survive cleaning intact."""
        return self.paragraphs[1].split(". ")[0]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


BRIDGE = Story(
    "Kellmarsh harbour bridge closed after inspectors find cracks in main span",
    "Marta Olsen",
    (
        "The swing bridge that carries traffic across Kellmarsh harbour was closed to all "
        "vehicles on Tuesday evening after engineers found a series of hairline cracks in the "
        "steel girders of its main span. Pedestrians will still be allowed to cross on the "
        "eastern footway, the harbour authority said, but buses and delivery lorries face a "
        "detour of almost eleven kilometres around the inner basin.",
        "Inspectors from the county roads department discovered the damage during a routine "
        "survey that had been brought forward by three months because of the unusually heavy "
        "winter storms. According to the preliminary report, the cracks run along welded "
        "joints that were replaced during a renovation in 1998, and at least two of them "
        "appear to have grown since the previous inspection.",
        "Harbour master Ingrid Fallowes told reporters that closing the bridge was a "
        "precaution rather than a sign of imminent collapse. She said the structure had been "
        "designed with a generous safety margin, but that nobody was prepared to take risks "
        "with a crossing used by some fourteen thousand vehicles every day. A specialist team "
        "from the national infrastructure agency is expected to arrive on Thursday.",
        "Shopkeepers on Quay Street, which depends heavily on passing trade from the bridge, "
        "said the closure could not have come at a worse moment, with the summer sailing "
        "festival only six weeks away. The owner of a ferry company has offered to run an "
        "extra shuttle boat between the two piers every twenty minutes until the repairs are "
        "finished, and the council is considering whether to subsidise the fares.",
        "No date has been set for reopening. Officials said a full assessment would take at "
        "least a fortnight, and that temporary steel plates might allow light traffic to "
        "return before permanent repairs are carried out in the autumn. The council will hold "
        "a public meeting at the town hall next Monday to answer questions from residents.",
    ),
)

RESERVOIR = Story(
    "Daleford water board orders hosepipe ban as reservoirs fall to record low",
    "Tomasz Lindqvist",
    (
        "Households across the Daleford valley will be banned from using hosepipes and "
        "garden sprinklers from Saturday, after the regional water board announced that its "
        "three upland reservoirs had fallen to their lowest level since records began in "
        "1931. The restriction will apply to more than two hundred thousand customers and "
        "is expected to remain in force until at least the end of September.",
        "The board's chief executive, Helena Marsh, said the decision had been forced by a "
        "spring that brought barely a third of the usual rainfall, followed by weeks of "
        "exceptional heat in June. She urged residents to take shorter showers, to fix "
        "dripping taps and to reuse washing-up water on their vegetable patches wherever "
        "they could, warning that stricter measures could follow in August.",
        "Farmers in the lower valley, who draw water directly from the river Dale under "
        "separate licences, have been told that abstraction may be suspended if the flow at "
        "the Millbrook gauging station drops below a critical threshold. Several growers said "
        "that would ruin their potato and barley harvests, and the farmers union has asked "
        "for an urgent meeting with environment officials.",
        "Critics pointed out that the water board loses roughly a fifth of its treated water "
        "through leaking pipes, a figure that has barely improved in a decade. An opposition "
        "councillor described the ban as punishing ordinary families for years of "
        "underinvestment, and called for the board's bonus payments to be frozen until the "
        "leakage target is met.",
        "The board said it had already brought forward a programme to replace forty "
        "kilometres of Victorian cast-iron mains, and that a new pipeline linking Daleford "
        "with the neighbouring Ashby catchment would be finished next year. Customers who "
        "break the ban could face fines, although officials said they hoped enforcement "
        "would rarely be necessary.",
    ),
)

BATTERIES = Story(
    "Orvane Systems recalls forty thousand e-bike batteries after a string of fires",
    "Priya Castellanos",
    (
        "Orvane Systems, the electric bicycle maker based in Brennport, is recalling about "
        "forty thousand battery packs sold over the past two years after at least nine of "
        "them caught fire while charging. The company said on Wednesday that nobody had been "
        "seriously hurt, but that two apartments and a garden shed had been badly damaged in "
        "the incidents reported since February.",
        "An internal investigation traced the problem to a faulty batch of cell connectors "
        "supplied by a subcontractor, which can loosen over time and overheat when the "
        "battery is charged from nearly empty. Owners of the affected models, the Citystride "
        "and the Citystride Plus, are being asked to stop charging their packs immediately "
        "and to check the serial number printed under the frame clip.",
        "Replacement batteries will be sent free of charge, together with a prepaid fireproof "
        "bag for returning the old pack, the company said. Its chief executive, Laurent "
        "Quist, apologised to customers in a video posted on the firm's website and promised "
        "that every replacement would be tested individually before it left the factory.",
        "The consumer safety regulator welcomed the recall but said it was examining whether "
        "Orvane had reported the first fires quickly enough. Under national rules, "
        "manufacturers must notify the regulator within ten days of learning that a product "
        "may pose a serious risk, and the agency said it had only heard about the problem in "
        "late May.",
        "Shares in the company fell by eight per cent in early trading. Analysts said the "
        "cost of the recall could reach twelve million, a heavy blow for a firm that only "
        "became profitable last year, although they noted that its reputation among cyclists "
        "had so far held up well and that orders for the new cargo model remained strong.",
    ),
)

TRAM = Story(
    "Brennport council approves tram extension to the university campus",
    "Oliver Nakamura",
    (
        "Brennport city council voted on Thursday night to extend the number four tram line "
        "by almost five kilometres to the university campus at Highfield, ending a debate "
        "that has divided the city for more than a decade. The motion passed by thirty-one "
        "votes to nineteen after a session that ran past midnight, with several councillors "
        "breaking ranks with their own parties.",
        "The extension will add six new stops, including one at the regional hospital and "
        "another at the Fernside retail park, and is expected to carry around eighteen "
        "thousand passengers on a typical weekday. Construction is due to begin next spring "
        "and the first trams should reach the campus by the start of the academic year in "
        "two thousand and twenty-eight.",
        "Supporters argued that the project would take thousands of cars off the ring road "
        "and finally give students an affordable way to reach the city centre. The deputy "
        "mayor for transport, Sanna Brightwater, called the vote a turning point and said "
        "the council had listened carefully to residents who worried about noise and the "
        "loss of trees along Orchard Avenue.",
        "Opponents said the cost, estimated at two hundred and forty million, would swallow "
        "money needed for bus services in the eastern districts, which are not served by any "
        "tram line at all. A residents group from Orchard Avenue has already said it will ask "
        "the courts to review the decision, arguing that the environmental assessment "
        "underestimated the impact on a protected colony of bats.",
        "The national government has promised to cover half of the bill through its urban "
        "transport fund, provided that the council signs the construction contracts before "
        "the end of next year. Officials said tenders would be published within weeks and "
        "that local firms would be encouraged to bid for the smaller civil engineering works.",
    ),
)

MUSEUM = Story(
    "Thieves take medieval manuscripts in overnight raid on Sallowmere museum",
    "Greta Hollis",
    (
        "Police in Sallowmere are searching for a gang of thieves who broke into the town "
        "museum in the early hours of Sunday and escaped with four illuminated manuscripts "
        "dating from the fourteenth century. The burglars entered through a skylight above "
        "the east gallery, disabled part of the alarm system and were gone within twelve "
        "minutes, according to investigators.",
        "The stolen books include a psalter decorated with gold leaf that was bequeathed to "
        "the museum by a local landowner in 1887 and is considered one of the finest surviving "
        "examples of regional craftsmanship. Curators said the manuscripts were practically "
        "impossible to sell on the open market because every page has been photographed and "
        "catalogued by scholars.",
        "Detective inspector Rowan Achebe said the raid appeared to have been carefully "
        "planned and that the thieves seemed to know exactly which display cases to open. He "
        "appealed to anyone who had seen a dark green van near the market square between two "
        "and four in the morning to contact the police, and said officers were examining "
        "footage from cameras along the coast road.",
        "The museum's director, Eleanor Vance, said staff were devastated by the loss and "
        "that the manuscripts belonged to the whole community rather than to the institution. "
        "The museum will stay closed for at least a week while forensic teams finish their "
        "work, and a fund has been opened to pay for a new security system in the galleries.",
        "Art crime specialists warned that stolen manuscripts are sometimes broken up so that "
        "individual pages can be sold to private collectors abroad. The national heritage "
        "agency has circulated photographs of the missing books to auction houses and "
        "dealers across the continent, and an international alert has been issued through "
        "the usual police channels.",
    ),
)

QUOTA = Story(
    "Island fishing crews blockade Port Ennis over cuts to mackerel quota",
    "Declan Moreau",
    (
        "More than sixty fishing boats from the Fennock islands blocked the entrance to Port "
        "Ennis on Friday morning in protest at a sharp cut in this year's mackerel quota, "
        "preventing cargo ships and the morning ferry from entering the harbour. Skippers "
        "said they would stay until the fisheries minister agreed to meet them in person on "
        "the quayside.",
        "The quota for the island fleet has been reduced by almost a quarter after scientists "
        "advised that mackerel stocks in the northern grounds had declined for the fourth "
        "year in a row. Fishermen dispute the survey, saying that the shoals have simply "
        "moved further west because of warmer water and that their catches have been as good "
        "as ever this spring.",
        "The chairman of the islands fishermen's association, Callum Rask, said that many "
        "crews had borrowed heavily to buy new boats and would be bankrupt by Christmas if "
        "the cut went ahead. He accused the government of negotiating away the islanders' "
        "livelihood in talks with neighbouring countries and of ignoring the knowledge of "
        "people who had fished these waters for generations.",
        "The ferry operator said that around four hundred passengers had been stranded on "
        "the mainland, including patients travelling to hospital appointments, and that it "
        "was arranging coaches to a smaller harbour further up the coast. The coastguard "
        "said it was monitoring the blockade but that the boats had so far left a safe "
        "channel open for emergency vessels.",
        "In a statement, the fisheries ministry said it understood the frustration of the "
        "island communities and would publish the full scientific advice next week. It "
        "offered a compensation scheme for crews forced to tie up their boats, but said the "
        "quota itself could not be reopened without breaching international agreements "
        "signed last winter.",
    ),
)


def html_page(story: Story, *, outlet: str, published: str, url: str) -> str:
    """A realistic article page: navigation, metadata, the article, a footer."""
    title = html.escape(story.title)
    body = "\n".join(f"      <p>{html.escape(p)}</p>" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {outlet}</title>
  <meta property="og:site_name" content="{outlet}">
  <meta property="og:title" content="{title}">
  <meta property="article:published_time" content="{published}">
  <meta name="author" content="{story.author}">
  <link rel="canonical" href="{url}">
</head>
<body>
  <header>
    <nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
      <a href="/weather">Weather</a></nav>
  </header>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By {story.author}</p>
{body}
    </article>
  </main>
  <footer>
    <p>Copyright 2024 {outlet}. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/contact">Contact us</a>
  </footer>
</body>
</html>
"""


def text_article(story: Story) -> str:
    """A scraped plain-text article: headline, byline, paragraphs."""
    return f"{story.title}\n\n{story.author}\n\n{story.text}\n"


def by_source(store: Store) -> dict[str, StoredArticle]:
    return {a.article.source: a for a in store.list_articles(limit=None)}


def only(store: Store) -> StoredArticle:
    (article,) = store.list_articles(limit=None)
    return article


def assert_story(stored: StoredArticle, story: Story) -> None:
    """The stored text is the article's body, without the page around it."""
    text = stored.article.text
    assert story.key_sentence in text
    assert story.paragraphs[-1].split(". ")[0] in text
    assert "All rights reserved" not in text
    assert "Privacy policy" not in text


def counts(summary: IngestSummary) -> dict[str, int]:
    return {str(k): v for k, v in summary.counts.items() if v}


# -- folders of HTML pages ---------------------------------------------------------------


def test_ingest_walks_nested_folder_of_html_htm_and_gzipped_pages(
    store: Store, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    pages = {
        "world/europe/bridge.html": (BRIDGE, "Kellmarsh Herald", "2024-06-25T18:30:00+00:00"),
        "local/reservoir.htm": (RESERVOIR, "Daleford Echo", "2024-06-26T09:00:00+00:00"),
        "batteries.html": (BATTERIES, "Brennport Post", "2024-06-27T07:52:00+00:00"),
    }
    for rel, (story, outlet, published) in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"https://news.example/{path.stem}"
        path.write_text(html_page(story, outlet=outlet, published=published, url=url))
    gz = root / "archive" / "2024" / "tram.html.gz"
    gz.parent.mkdir(parents=True)
    page = html_page(TRAM, outlet="Brennport Post", published="2024-06-28T12:00:00+00:00",
                     url="https://news.example/tram")
    gz.write_bytes(gzip.compress(page.encode("utf-8")))

    events: list[IngestEvent] = []
    summary = ingest([str(root)], store, OFFLINE, events.append)

    assert counts(summary) == {"ingested": 4}, summary.skipped
    assert store.count_articles() == 4
    stored = by_source(store)
    expected = {**{str((root / rel).resolve()): v for rel, v in pages.items()},
                str(gz.resolve()): (TRAM, "Brennport Post", "2024-06-28T12:00:00+00:00")}
    assert set(stored) == set(expected)
    for source, (story, outlet, published) in expected.items():
        article = stored[source].article
        assert_story(stored[source], story)
        assert article.title == story.title
        assert article.outlet == outlet
        assert article.author == story.author
        assert article.published is not None
        assert article.published.date() == datetime.fromisoformat(published).date()
        assert article.language == "en"
        assert article.url is not None and article.url.startswith("https://news.example/")
    # Walked in sorted order (a folder's files, then its subfolders): runs are reproducible.
    assert [Path(e.source).name for e in events] == [
        "batteries.html", "tram.html.gz", "reservoir.htm", "bridge.html"]


# -- scraped text with sidecars, and the seeds ---------------------------------------------


def test_ingest_text_takes_outlet_url_and_date_from_sidecar(store: Store, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(text_article(MUSEUM), encoding="utf-8")
    (tmp_path / "story.txt.meta.json").write_text(json.dumps({
        "outlet": "Sallowmere Gazette",
        "url": "https://sallowmere-gazette.example/2024/06/30/museum-raid",
        "published": "2024-06-30T08:15:00+01:00",
    }))
    other = tmp_path / "quota.txt"
    other.write_text(text_article(QUOTA), encoding="utf-8")
    (tmp_path / "quota.meta.json").write_text(json.dumps({  # STEM.meta.json also counts
        "source_domain": "fennock-times.example", "date_publish": "2024-07-05 06:00:00",
    }))

    summary = ingest([str(tmp_path)], store, OFFLINE)

    assert counts(summary) == {"ingested": 2}, summary.skipped  # sidecars are not inputs
    stored = by_source(store)
    museum = stored[str(story.resolve())].article
    assert museum.outlet == "Sallowmere Gazette"
    assert museum.url == "https://sallowmere-gazette.example/2024/06/30/museum-raid"
    assert museum.published == datetime.fromisoformat("2024-06-30T08:15:00+01:00")
    assert museum.published_via == "metadata"
    assert museum.title == MUSEUM.title
    assert museum.author == MUSEUM.author
    assert MUSEUM.key_sentence in museum.text
    assert MUSEUM.title not in museum.text  # the headline is the title, not body text
    quota = stored[str(other.resolve())].article
    assert quota.outlet == "fennock-times.example"
    assert quota.published == datetime(2024, 7, 5, 6, 0)


def test_ingest_seeds_folder_stores_both_articles(store: Store, seeds_dir: Path) -> None:
    summary = ingest([str(seeds_dir)], store, OFFLINE)

    assert counts(summary) == {"ingested": 2}
    titles = sorted(a.article.title or "" for a in store.list_articles())
    assert titles[0].startswith("North Korea's engineers")  # nav word "News" cut off
    assert titles[1].startswith("South Korean media")
    for stored in store.list_articles():
        assert stored.article.published is not None
        assert stored.article.published.date() == date(2024, 6, 27)
        assert "Donetsk" in stored.article.text


# -- JSON and JSONL --------------------------------------------------------------------------


def news_please(story: Story, **extra: object) -> dict[str, object]:
    record: dict[str, object] = {
        "title": story.title,
        "maintext": story.text,
        "date_publish": "2024-06-27 07:52:00",
        "source_domain": "brennport-post.example",
        "url": "https://brennport-post.example/" + story.title.split()[0].lower(),
        "authors": [story.author, "Staff reporter"],
        "language": "en",
    }
    record.update(extra)
    return record


def test_ingest_news_please_json_record(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "batteries.json"
    path.write_text(json.dumps(news_please(BATTERIES)))

    summary = ingest([str(path)], store, OFFLINE)

    assert counts(summary) == {"ingested": 1}
    article = only(store).article
    assert article.title == BATTERIES.title
    assert article.outlet == "brennport-post.example"
    assert article.url == "https://brennport-post.example/orvane"
    assert article.published == datetime(2024, 6, 27, 7, 52)
    assert article.author == f"{BATTERIES.author}, Staff reporter"
    assert article.language == "en"
    assert BATTERIES.key_sentence in article.text
    assert not article.text.startswith(BATTERIES.title)


def test_ingest_json_list_of_records(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([
        news_please(TRAM),
        news_please(QUOTA, source_domain="fennock-times.example", date_publish="2024-07-05"),
    ]))

    summary = ingest([str(path)], store, OFFLINE)

    assert counts(summary) == {"ingested": 2}
    stored = {a.article.title: a.article for a in store.list_articles()}
    assert set(stored) == {TRAM.title, QUOTA.title}
    assert stored[TRAM.title].outlet == "brennport-post.example"
    assert stored[QUOTA.title].outlet == "fennock-times.example"
    assert stored[QUOTA.title].published == datetime(2024, 7, 5)
    assert QUOTA.key_sentence in stored[QUOTA.title].text
    assert {a.source.rsplit("#", 1)[1] for a in stored.values()} == {"0", "1"}


def test_ingest_jsonl_skips_bad_lines_with_reasons_and_keeps_good_ones(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "crawl.jsonl"
    lines = [
        json.dumps(news_please(BRIDGE, source_domain="kellmarsh-herald.example")),
        '{"title": "Truncated record", "maintext": "The council said',  # invalid JSON
        json.dumps({"title": "Photo gallery: summer fair", "url": "https://x.example/gallery"}),
        "",
        json.dumps(news_please(RESERVOIR, source_domain="daleford-echo.example")),
    ]
    path.write_text("\n".join(lines) + "\n")

    events: list[IngestEvent] = []
    summary = ingest([str(path)], store, OFFLINE, events.append)

    assert counts(summary) == {"ingested": 2, "skipped": 2}
    reasons = {e.source.rsplit(":", 1)[1]: e.reason or "" for e in summary.skipped}
    assert set(reasons) == {"2", "3"}
    assert "invalid JSON" in reasons["2"]
    assert "no article text" in reasons["3"]
    stored = {a.article.title: a.article for a in store.list_articles()}
    assert set(stored) == {BRIDGE.title, RESERVOIR.title}
    assert stored[BRIDGE.title].outlet == "kellmarsh-herald.example"
    assert stored[BRIDGE.title].source.endswith("crawl.jsonl:1")
    assert stored[RESERVOIR.title].source.endswith("crawl.jsonl:5")
    assert RESERVOIR.key_sentence in stored[RESERVOIR.title].text


# -- WARC ------------------------------------------------------------------------------------


def write_warc(path: Path, *, gz: bool) -> dict[str, Story]:
    """A small crawl: two article responses, a request, an image, a 404 page."""
    pages = {"https://kellmarsh-herald.example/bridge": BRIDGE,
             "https://sallowmere-gazette.example/museum": MUSEUM}
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype),
                                                ("Content-Length", str(len(body)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))

        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, story in pages.items():
            writer.write_record(writer.create_warc_record(
                url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                warc_headers_dict={"WARC-Type": "request"}))
            page = html_page(story, outlet="Crawl", published="2024-06-29T10:00:00Z", url=url)
            response(url, "200 OK", "text/html; charset=utf-8", page.encode("utf-8"))
        response("https://kellmarsh-herald.example/logo.png", "200 OK", "image/png",
                 b"\x89PNG\r\n\x1a\n" + bytes(64))
        missing = html_page(QUOTA, outlet="Crawl", published="2024-06-29", url="https://x/404")
        response("https://kellmarsh-herald.example/gone", "404 Not Found", "text/html",
                 missing.encode("utf-8"))
    return pages


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_ingest_warc_takes_html_responses_and_ignores_the_rest(
    store: Store, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    pages = write_warc(path, gz=name.endswith(".gz"))

    summary = ingest([str(path)], store, OFFLINE)

    assert counts(summary) == {"ingested": 2}, summary.skipped
    stored = {a.article.url: a for a in store.list_articles()}
    assert set(stored) == set(pages)
    for url, story in pages.items():
        assert_story(stored[url], story)
        assert stored[url].article.title == story.title
        assert stored[url].article.source.startswith(f"{path}#")
    assert all(QUOTA.key_sentence not in a.article.text for a in stored.values())


# -- feeds -----------------------------------------------------------------------------------


def rss_feed(title: str, items: list[tuple[Story, str, str, str]]) -> str:
    """RSS 2.0; each item is (story, link, pubDate, full HTML content or "")."""
    entries = []
    for story, link, pub_date, content in items:
        encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
        entries.append(f"""
    <item>
      <title>{html.escape(story.title)}</title>
      <link>{link}</link>
      <guid>{link}</guid>
      <pubDate>{pub_date}</pubDate>
      <description>{html.escape(story.paragraphs[0][:120])}...</description>
      {encoded}
    </item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{title}</title>
    <link>https://feeds.example/</link>
    <description>Latest news</description>{"".join(entries)}
  </channel>
</rss>
"""


def paragraphs_html(story: Story) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)


def test_ingest_rss_with_full_content_makes_one_article_per_item(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "gazette.rss"
    path.write_text(rss_feed("Harbour Gazette", [
        (BRIDGE, "https://harbour-gazette.example/bridge", "Tue, 25 Jun 2024 18:30:00 GMT",
         paragraphs_html(BRIDGE)),
        (QUOTA, "https://harbour-gazette.example/quota", "Fri, 05 Jul 2024 06:00:00 +0100",
         paragraphs_html(QUOTA)),
    ]))

    # Fetching is on, but items that carry the whole article are not fetched.
    summary = ingest([str(path)], store, IngestOptions(workers=1))

    assert counts(summary) == {"ingested": 2}, summary.skipped
    stored = {a.article.url: a for a in store.list_articles()}
    bridge = stored["https://harbour-gazette.example/bridge"]
    quota = stored["https://harbour-gazette.example/quota"]
    for item, story in ((bridge, BRIDGE), (quota, QUOTA)):
        assert_story(item, story)
        assert item.article.title == story.title
        assert item.article.outlet == "Harbour Gazette"
        assert item.article.source == item.article.url
    assert bridge.article.published == datetime(2024, 6, 25, 18, 30, tzinfo=UTC)
    assert quota.article.published == datetime(2024, 7, 5, 5, 0, tzinfo=UTC)


def test_ingest_atom_with_full_content_makes_one_article_per_entry(
    store: Store, tmp_path: Path
) -> None:
    entries = ""
    for story, slug, updated in ((TRAM, "tram", "2024-06-28T09:15:00Z"),
                                 (BATTERIES, "batteries", "2024-06-27T07:52:00Z")):
        entries += f"""
  <entry>
    <title>{html.escape(story.title)}</title>
    <link href="https://valley-courier.example/{slug}"/>
    <id>tag:valley-courier.example,2024:{slug}</id>
    <updated>{updated}</updated>
    <author><name>{story.author}</name></author>
    <content type="html">{html.escape(paragraphs_html(story))}</content>
  </entry>"""
    path = tmp_path / "courier.atom"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Valley Courier</title>
  <id>tag:valley-courier.example,2024:feed</id>
  <updated>2024-06-28T09:15:00Z</updated>{entries}
</feed>
""")

    summary = ingest([str(path)], store, OFFLINE)

    assert counts(summary) == {"ingested": 2}, summary.skipped
    stored = {a.article.url: a for a in store.list_articles()}
    tram = stored["https://valley-courier.example/tram"]
    batteries = stored["https://valley-courier.example/batteries"]
    for item, story in ((tram, TRAM), (batteries, BATTERIES)):
        assert_story(item, story)
        assert item.article.title == story.title
        assert item.article.author == story.author
        assert item.article.outlet == "Valley Courier"
    assert tram.article.published == datetime(2024, 6, 28, 9, 15, tzinfo=UTC)
    assert batteries.article.published == datetime(2024, 6, 27, 7, 52, tzinfo=UTC)


# -- URLs, from a loopback server ------------------------------------------------------------


@dataclass
class Site:
    base: str
    requests: list[str]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """Article pages and a teaser-only feed, served on 127.0.0.1."""
    requests: list[str] = []
    routes: dict[str, tuple[str, bytes]] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            ctype, body = routes.get(self.path, ("text/plain", b"not found"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    for slug, story, outlet in (("bridge", BRIDGE, "Kellmarsh Herald"),
                                ("reservoir", RESERVOIR, "Daleford Echo"),
                                ("tram", TRAM, "Brennport Post"),
                                ("museum", MUSEUM, "Sallowmere Gazette")):
        page = html_page(story, outlet=outlet, published="2024-06-26T10:00:00+00:00",
                         url=f"{base}/news/{slug}.html")
        routes[f"/news/{slug}.html"] = ("text/html; charset=utf-8", page.encode("utf-8"))
    teasers = rss_feed("Valley Wire", [
        (BRIDGE, f"{base}/news/bridge.html", "Tue, 25 Jun 2024 18:30:00 GMT", ""),
        (RESERVOIR, f"{base}/news/reservoir.html", "Wed, 26 Jun 2024 09:00:00 GMT", ""),
    ])
    routes["/feed.xml"] = ("application/rss+xml", teasers.encode("utf-8"))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(base, requests)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_ingest_teaser_feed_fetches_linked_pages(store: Store, site: Site) -> None:
    summary = ingest([site.url("/feed.xml")], store, LOCAL)

    assert counts(summary) == {"ingested": 2}, summary.skipped
    stored = {a.article.url: a for a in store.list_articles()}
    bridge = stored[site.url("/news/bridge.html")]
    reservoir = stored[site.url("/news/reservoir.html")]
    for item, story in ((bridge, BRIDGE), (reservoir, RESERVOIR)):
        assert_story(item, story)  # the whole page, not the feed's teaser
        assert item.article.title == story.title
        assert item.article.outlet == "Valley Wire"  # the feed's title
    assert bridge.article.published == datetime(2024, 6, 25, 18, 30, tzinfo=UTC)
    assert reservoir.article.published == datetime(2024, 6, 26, 9, 0, tzinfo=UTC)


def test_ingest_url_list_file_fetches_each_url(
    store: Store, site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "reading-list.txt"
    path.write_text(f"# to read\n{site.url('/news/tram.html')}\n\n"
                    f"{site.url('/news/museum.html')}\n")

    summary = ingest([str(path)], store, LOCAL)

    assert counts(summary) == {"ingested": 2}, summary.skipped
    stored = {a.article.url: a for a in store.list_articles()}
    assert_story(stored[site.url("/news/tram.html")], TRAM)
    assert_story(stored[site.url("/news/museum.html")], MUSEUM)
    assert stored[site.url("/news/tram.html")].article.outlet == "Brennport Post"
    assert stored[site.url("/news/museum.html")].article.title == MUSEUM.title


def test_ingest_url_specs_are_fetched(store: Store, site: Site) -> None:
    url = site.url("/news/museum.html")

    summary = ingest([url, site.url("/news/missing.html")], store, LOCAL)

    assert counts(summary) == {"ingested": 1, "skipped": 1}
    article = only(store).article
    assert article.url == url
    assert article.source == url
    assert article.title == MUSEUM.title
    assert article.outlet == "Sallowmere Gazette"
    assert article.published is not None
    assert article.published.date() == date(2024, 6, 26)
    assert MUSEUM.key_sentence in article.text
    assert "404" in (summary.skipped[0].reason or "")


def test_ingest_refuses_loopback_url_without_allow_private(store: Store, site: Site) -> None:
    seen_before = len(site.requests)

    summary = ingest([site.url("/news/tram.html")], store, IngestOptions(workers=1))

    assert counts(summary) == {"skipped": 1}
    reason = summary.skipped[0].reason or ""
    assert "--allow-private" in reason
    assert "loopback" in reason
    assert store.count_articles() == 0
    assert len(site.requests) == seen_before  # refused before any connection


# -- idempotency and duplicates --------------------------------------------------------------


def write_pages(folder: Path, stories: dict[str, Story]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, story in stories.items():
        (folder / name).write_text(html_page(story, outlet="Kellmarsh Herald",
                                             published="2024-06-25T18:30:00+00:00",
                                             url=f"https://kellmarsh-herald.example/{name}"))


def test_ingest_same_folder_twice_reports_all_unchanged(store: Store, tmp_path: Path) -> None:
    write_pages(tmp_path, {"bridge.html": BRIDGE, "reservoir.html": RESERVOIR,
                           "museum.html": MUSEUM})
    first = ingest([str(tmp_path)], store, OFFLINE)
    assert counts(first) == {"ingested": 3}

    events: list[IngestEvent] = []
    second = ingest([str(tmp_path)], store, OFFLINE, events.append)

    assert counts(second) == {"unchanged": 3}
    assert store.count_articles() == 3
    ids = {a.article.source: a.id for a in store.list_articles()}
    assert {e.source: e.article_id for e in events} == ids


def test_ingest_exact_duplicate_under_another_name_is_recorded_not_stored(
    store: Store, tmp_path: Path
) -> None:
    write_pages(tmp_path, {"bridge.html": BRIDGE})
    original = tmp_path / "bridge.html"
    copy = tmp_path / "mirror" / "kellmarsh-bridge-closed.html"
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes())

    events: list[IngestEvent] = []
    summary = ingest([str(original), str(copy)], store, OFFLINE, events.append)

    assert counts(summary) == {"ingested": 1, "duplicate": 1}
    stored = only(store)
    duplicate = events[1]
    assert duplicate.outcome is Outcome.DUPLICATE
    assert duplicate.original_id == stored.id
    inputs = store.inputs_for(stored.id)
    assert [(i["source"], i["outcome"]) for i in inputs] == [
        (str(original.resolve()), "ingested"), (str(copy.resolve()), "duplicate")]


def test_ingest_links_near_duplicate_but_not_a_different_article(
    store: Store, tmp_path: Path
) -> None:
    original = tmp_path / "herald-bridge.html"
    original.write_text(html_page(BRIDGE, outlet="Kellmarsh Herald",
                                  published="2024-06-25T18:30:00+00:00",
                                  url="https://kellmarsh-herald.example/bridge"))
    # Syndicated copy: its own headline, a credit line, a few words edited.
    rewritten = Story(
        "Cracks force closure of Kellmarsh swing bridge",
        BRIDGE.author,
        ("This story was first published by the Kellmarsh Herald and is republished here "
         "with permission.",
         *(p.replace("Tuesday evening", "Tuesday night")
            .replace("fourteen thousand", "14,000")
            .replace("next Monday", "on Monday") for p in BRIDGE.paragraphs)),
    )
    copy = tmp_path / "coastal-bridge.html"
    copy.write_text(html_page(rewritten, outlet="Coastal Times",
                              published="2024-06-26T07:00:00+00:00",
                              url="https://coastal-times.example/bridge"))
    different = tmp_path / "quota.html"
    different.write_text(html_page(QUOTA, outlet="Coastal Times",
                                   published="2024-07-05T06:00:00+00:00",
                                   url="https://coastal-times.example/quota"))

    first = ingest([str(original)], store, OFFLINE)
    events: list[IngestEvent] = []
    second = ingest([str(copy), str(different)], store, OFFLINE, events.append)

    assert counts(first) == {"ingested": 1}
    assert counts(second) == {"near_duplicate": 1, "ingested": 1}
    stored = by_source(store)
    original_id = stored[str(original.resolve())].id
    near = stored[str(copy.resolve())]
    assert near.near_duplicate_of == original_id
    assert near.near_duplicate_similarity is not None
    assert 0.5 <= near.near_duplicate_similarity < 1.0
    assert near.article.title == rewritten.title
    assert near.article.outlet == "Coastal Times"
    assert events[0].outcome is Outcome.NEAR_DUPLICATE
    assert events[0].original_id == original_id
    assert stored[str(different.resolve())].near_duplicate_of is None
    assert events[1].outcome is Outcome.INGESTED
    assert [a.id for a in store.near_duplicates_of(original_id)] == [near.id]
