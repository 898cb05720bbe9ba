"""Bad input never crashes a run and never costs the good inputs beside it.

One folder holds two good articles next to every kind of bad input we know of: binary files
under text names, an empty file, an oversized file, broken and legacy encodings, malformed,
hostile and absurdly nested HTML, a gzip bomb, a feed that is not one; plus an unreachable
URL and a redirect loop on a loopback server. It is ingested once (and once more with a
process pool); each test checks what happened to one input.
"""

from __future__ import annotations

import gzip
import html
import random
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corroborate.cli import app
from corroborate.pipeline import IngestOptions, ingest
from corroborate.records import IngestEvent, IngestSummary, Outcome, StoredArticle
from corroborate.store import Store

GOOD_TEXT = """Ferry service to Marrow Island suspended after engine fire

Astrid Kellner

The only car ferry linking Marrow Island with the mainland has been taken out of service \
after a small fire broke out in its engine room on Sunday afternoon, leaving around nine \
hundred residents dependent on a passenger launch that carries no vehicles.

The crew put out the fire within minutes and none of the forty passengers on board was \
hurt, the operator said. The vessel returned to Marrow harbour under its own power and \
engineers are now assessing the damage to the port engine and its wiring.

Island shopkeepers warned that deliveries of fresh food and fuel could run short within a \
week if no replacement vessel is found. The regional council said it was in talks with two \
operators on the east coast about chartering a landing craft for essential supplies.

A spokesperson for the ferry company said the ship was fifteen years old and had passed its \
last safety inspection in March. An investigation into the cause of the fire has begun.
"""

GOOD_PAGE_PARAGRAPHS = (
    "The regional orchestra of Westerholm will perform in a disused railway tunnel next "
    "month, after acoustic engineers concluded that the curved brick vault produces a sound "
    "comparable to some of the finest concert halls in the country.",
    "The tunnel, which closed to trains in 1962, has been used for decades to store road "
    "salt. Volunteers spent most of the spring clearing it out and installing lighting, "
    "seating for three hundred people and a temporary stage made from recycled pallets.",
    "Conductor Miriam Oyelaran said the musicians had been astonished during the first "
    "rehearsal, when a single note from the cellos seemed to hang in the air for several "
    "seconds. She has chosen a programme of slow choral works to make the most of the echo.",
    "Tickets for the two concerts sold out within an hour. The organisers hope that the "
    "tunnel can become a permanent venue, but say that ventilation and fire exits would need "
    "to be improved before the county grants a licence for regular events.",
)

BROKEN_UTF8_TEXT = """Saint-Étienne café owners protest new terrace fees

The owners of more than forty cafés in the old town of Saint-Étienne-du-Lac closed their \
terraces for an hour on Wednesday in protest at a sharp rise in the fees charged by the \
municipality for tables on the pavement. The protest was organised by the association of \
restaurateurs, whose président said the new rates would double the cost for most owners.

Officials at the mairie said the fees had not changed since 2009 and that the money would \
pay for wider pavements and new trees along the boulevard. A meeting between the two sides \
is planned for next week, when the council will present a reduced tariff for small cafés.
"""

RUSSIAN_TEXT = """Совет Новограда утвердил строительство нового моста

Городской совет Новограда в четверг утвердил план строительства нового моста через реку \
Светлую. По словам мэра, работы начнутся весной и продлятся около двух лет, а стоимость \
проекта составит почти три миллиарда рублей.

Жители Заречного района давно жаловались на пробки на старом мосту и просили власти найти \
решение. Новый мост будет иметь четыре полосы движения и отдельную дорожку для велосипедистов.

Депутаты оппозиции заявили, что смета завышена, и потребовали провести независимую \
экспертизу проекта до начала работ.
"""

FRENCH_TEXT = """Rénovation complète de la bibliothèque de Vérignac

Le conseil municipal de Vérignac a approuvé mercredi la rénovation complète de la \
bibliothèque municipale, fermée depuis l'hiver dernier à cause d'infiltrations d'eau. Selon \
l'adjointe à la culture, les travaux coûteront près de deux millions d'euros et débuteront à \
l'été.

Les élèves du lycée voisin ont déjà exprimé leur enthousiasme pour les nouvelles salles \
d'étude, qui resteront ouvertes jusqu'à vingt-deux heures pendant la période des examens. \
Un café associatif sera également installé au rez-de-chaussée.

L'opposition a critiqué le coût du projet, estimant que la commune aurait dû privilégier la \
réparation de la toiture de l'école maternelle.
"""

HOSTILE_PARAGRAPHS = (
    "Firefighters in Lindenbrook spent the night battling a blaze at a timber yard on the "
    "edge of the industrial estate, where stacks of seasoned oak caught fire shortly after "
    "ten o'clock on Friday evening.",
    "Nobody was injured, but residents of the nearby streets were asked to keep their "
    "windows closed because of the thick smoke. The fire service said twelve engines and an "
    "aerial platform had been sent to the scene at the height of the blaze.",
    "The owner of the yard said the business had lost most of the wood it had been drying "
    "for furniture makers over the past three years, and that it would take months to "
    "rebuild its stock. Investigators will examine the site once it has cooled down.",
)

# Tag soup as real sites serve it: unclosed <p>, <b>, <i>, <div>, <table>, no </body>.
TAG_SOUP_PAGE = (
    "<html><head><title>Harbour crane to be removed</title><body><div class='story'>"
    "<h1>Harbour crane to be removed after sixty years</h1>"
    "<p>The harbour authority in Kessford said on Monday that the old steam crane on the "
    "north quay would be dismantled next month, ending six decades as the town's best known "
    "landmark. <p>Engineers found that its <b>foundations had been <i>undermined by the tide "
    "and that the crane could no longer be made safe for visitors. <p>A campaign group had "
    "hoped to restore it as a museum piece, but the authority said the cost of more than a "
    "million would be impossible to justify. <table><tr><td>Parts of the jib will be kept "
    "<p>and displayed beside the new visitor centre, and local schools will be invited to "
    "record the memories of former dockers who worked with the crane in the nineteen sixties."
)
# Worse: an unclosed <title> swallows the page (browsers show nothing either).
UNCLOSED_TITLE_PAGE = TAG_SOUP_PAGE.replace("</title>", "").replace("</h1>", "")


def good_page() -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in GOOD_PAGE_PARAGRAPHS)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Orchestra to play in old railway tunnel</title>"
        "<meta property='og:site_name' content='Westerholm Chronicle'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/culture'>Culture</a></nav>"
        f"<article><h1>Orchestra to play in old railway tunnel</h1>{paragraphs}</article>"
        "<footer>Copyright Westerholm Chronicle</footer></body></html>"
    )


def hostile_page() -> str:
    p = HOSTILE_PARAGRAPHS
    return (
        "<!DOCTYPE html><html><head><title>Timber yard fire</title>"
        "<script>alert(1)</script><script src='javascript:alert(2)'></script>"
        "<style>body { background: url('javascript:alert(3)') }</style></head>"
        "<body onload='alert(4)'><article><h1>Timber yard fire lights up Lindenbrook</h1>"
        f"<p>{p[0]}<script>alert(5); document.cookie</script></p>"
        "<img src='x' onerror='alert(6)'>"
        f"<p onmouseover='alert(7)'>{p[1]} <a href='javascript:alert(8)'>more</a></p>"
        "<iframe src='javascript:alert(9)'></iframe><svg onload='alert(10)'></svg>"
        "<noscript><script>alert(11)</script></noscript>"
        f"<p>{p[2]}</p></article></body></html>"
    )


def write_folder(folder: Path) -> dict[str, Path]:
    """The good and the bad, side by side; returns them by role."""
    folder.mkdir()
    paths = {
        "good_text": folder / "ferry.txt",
        "good_page": folder / "orchestra.html",
        "png_as_html": folder / "photo.html",
        "random_as_txt": folder / "noise.txt",
        "empty": folder / "empty.txt",
        "huge": folder / "huge.txt",
        "broken_utf8": folder / "cafes.txt",
        "cp1251": folder / "most-cp1251.txt",
        "latin1": folder / "bibliotheque-latin1.txt",
        "tag_soup": folder / "crane.html",
        "unclosed_title": folder / "crane-unclosed.html",
        "hostile": folder / "timber-yard.html",
        "nested": folder / "nested.html",
        "gzip_bomb": folder / "bomb.html.gz",
        "not_a_feed": folder / "news.rss",
    }
    paths["good_text"].write_text(GOOD_TEXT, encoding="utf-8")
    paths["good_page"].write_text(good_page(), encoding="utf-8")
    paths["png_as_html"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(512))
    paths["random_as_txt"].write_bytes(random.Random(7).randbytes(8192))
    paths["empty"].write_bytes(b"")
    with paths["huge"].open("wb") as fh:  # 50 MB of text, written in 1 MB chunks
        chunk = b"a " * (512 * 1024)
        for _ in range(50):
            fh.write(chunk)
    raw = BROKEN_UTF8_TEXT.encode("utf-8")
    cut = raw.index(b"The protest")
    paths["broken_utf8"].write_bytes(raw[:cut] + b"\xff\xfe\xc3 " + raw[cut:])
    paths["cp1251"].write_bytes(RUSSIAN_TEXT.encode("cp1251"))
    paths["latin1"].write_bytes(FRENCH_TEXT.encode("latin-1"))
    paths["tag_soup"].write_text(TAG_SOUP_PAGE, encoding="utf-8")
    paths["unclosed_title"].write_text(UNCLOSED_TITLE_PAGE, encoding="utf-8")
    paths["hostile"].write_text(hostile_page(), encoding="utf-8")
    depth = 100_000
    paths["nested"].write_text(
        "<html><body>" + "<div>" * depth + "<p>" + " ".join(GOOD_PAGE_PARAGRAPHS) + "</p>"
        + "</div>" * depth + "</body></html>"
    )
    with gzip.open(paths["gzip_bomb"], "wb", compresslevel=9) as gz:  # 25 MB of zeros
        zeros = bytes(1024 * 1024)
        for _ in range(25):
            gz.write(zeros)
    paths["not_a_feed"].write_text(
        "<html><body><h1>Page moved</h1><p>Our feeds now live elsewhere.</p></body></html>")
    return paths


@pytest.fixture(scope="module")
def loop_server() -> Iterator[str]:
    """A loopback server whose every page redirects to itself."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
            else:
                self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on: the port was bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"


@dataclass
class Run:
    """One ingest of the bad folder: the store, every event by source, the summary."""

    paths: dict[str, Path]
    urls: dict[str, str]
    store: Store
    events: dict[str, IngestEvent]
    summary: IngestSummary

    def event(self, role: str) -> IngestEvent:
        source = self.urls.get(role) or str(self.paths[role].resolve())
        return self.events[source]

    def reason(self, role: str) -> str:
        event = self.event(role)
        assert event.outcome is Outcome.SKIPPED, event
        assert event.reason
        return event.reason

    def stored(self, role: str) -> StoredArticle:
        event = self.event(role)
        assert event.outcome is Outcome.INGESTED, event
        assert event.article_id is not None
        stored = self.store.get_article(event.article_id)
        assert stored is not None
        return stored


def run_ingest(folder: Path, paths: dict[str, Path], urls: dict[str, str],
               options: IngestOptions) -> Run:
    store = Store(":memory:")
    events: dict[str, IngestEvent] = {}

    def record(event: IngestEvent) -> None:
        assert event.source not in events, event
        events[event.source] = event

    summary = ingest([str(folder), *urls.values()], store, options, record)
    return Run(paths, urls, store, events, summary)


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("bad") / "inputs"
    return folder, write_folder(folder)


@pytest.fixture(scope="module")
def run(bad_folder: tuple[Path, dict[str, Path]], loop_server: str) -> Iterator[Run]:
    folder, paths = bad_folder
    urls = {"unreachable": closed_port_url(), "redirect_loop": f"{loop_server}/loop"}
    result = run_ingest(folder, paths, urls, IngestOptions(allow_private=True, workers=1))
    yield result
    result.store.close()


def test_ingest_of_bad_folder_keeps_both_good_articles(run: Run) -> None:
    ferry = run.stored("good_text").article
    assert ferry.title == "Ferry service to Marrow Island suspended after engine fire"
    assert ferry.author == "Astrid Kellner"
    assert "passenger launch that carries no vehicles" in ferry.text
    orchestra = run.stored("good_page").article
    assert orchestra.title == "Orchestra to play in old railway tunnel"
    assert orchestra.outlet == "Westerholm Chronicle"
    assert "curved brick vault" in orchestra.text
    assert run.summary.total == len(run.paths) + len(run.urls)
    assert set(run.events) == {str(p.resolve()) for p in run.paths.values()} | set(
        run.urls.values())


def test_ingest_skips_png_named_html_as_not_text(run: Run) -> None:
    reason = run.reason("png_as_html")
    assert "not text" in reason and "PNG" in reason


def test_ingest_skips_random_bytes_named_txt_as_binary(run: Run) -> None:
    assert "not text" in run.reason("random_as_txt")


def test_ingest_skips_empty_file(run: Run) -> None:
    assert "empty" in run.reason("empty")


def test_ingest_skips_50_mb_file_over_the_size_limit(run: Run) -> None:
    reason = run.reason("huge")
    assert "50.0 MB" in reason and "over the 20 MB limit" in reason


def test_ingest_decodes_utf8_with_invalid_bytes_instead_of_dropping_it(run: Run) -> None:
    text = run.stored("broken_utf8").article.text
    assert "more than forty cafés in the old town of Saint-Étienne-du-Lac" in text
    assert "whose président said" in text
    assert "\ufffd" in text  # the broken bytes are marked, not guessed


def test_ingest_decodes_cp1251_article(run: Run) -> None:
    article = run.stored("cp1251").article
    assert article.title == "Совет Новограда утвердил строительство нового моста"
    assert "Городской совет Новограда" in article.text
    assert "велосипедистов" in article.text
    assert article.language == "ru"


def test_ingest_decodes_latin1_article(run: Run) -> None:
    article = run.stored("latin1").article
    assert article.title == "Rénovation complète de la bibliothèque de Vérignac"
    assert "les travaux coûteront près de deux millions d'euros" in article.text
    assert "bibliothèque" in article.text and "élèves" in article.text
    assert article.language == "fr"


def test_ingest_reads_tag_soup_html_with_unclosed_tags(run: Run) -> None:
    article = run.stored("tag_soup").article
    assert article.title == "Harbour crane to be removed after sixty years"
    assert "foundations had been undermined by the tide" in article.text
    assert "memories of former dockers" in article.text


def test_ingest_survives_html_with_unclosed_title(run: Run) -> None:
    event = run.event("unclosed_title")
    assert event.outcome in (Outcome.SKIPPED, Outcome.INGESTED, Outcome.DUPLICATE)
    if event.outcome is Outcome.SKIPPED:
        assert "no article text" in (event.reason or "")


def test_ingest_strips_scripts_and_handlers_from_hostile_html(run: Run) -> None:
    stored = run.stored("hostile")
    text = stored.article.text
    assert "twelve engines and an aerial platform" in text
    assert "alert(" not in text
    assert "document.cookie" not in text
    assert "javascript:" not in text
    assert "alert(" not in (stored.article.title or "")


def test_ingest_survives_100000_nested_divs(run: Run) -> None:
    event = run.event("nested")
    assert event.outcome in (Outcome.SKIPPED, Outcome.INGESTED, Outcome.DUPLICATE)
    if event.outcome is Outcome.SKIPPED:
        assert event.reason


def test_ingest_skips_gzip_bomb_with_reason(run: Run) -> None:
    reason = run.reason("gzip_bomb")
    assert "decompresses to over the 20 MB limit" in reason and "gzip bomb" in reason


def test_ingest_skips_rss_file_that_is_not_a_feed(run: Run) -> None:
    assert "not a feed" in run.reason("not_a_feed")


def test_ingest_skips_unreachable_url(run: Run) -> None:
    assert "unreachable" in run.reason("unreachable")


def test_ingest_skips_redirect_loop(run: Run) -> None:
    assert "redirect loop" in run.reason("redirect_loop")


def test_parallel_ingest_of_bad_folder_matches_serial(
    bad_folder: tuple[Path, dict[str, Path]], run: Run
) -> None:
    folder, paths = bad_folder
    parallel = run_ingest(folder, paths, {}, IngestOptions(workers=2, fetch=False))
    try:
        assert parallel.summary.total == len(paths) >= 8
        serial = {s: (e.outcome, e.reason) for s, e in run.events.items()
                  if s not in run.urls.values()}
        assert {s: (e.outcome, e.reason) for s, e in parallel.events.items()} == serial
        assert "alert(" not in parallel.stored("hostile").article.text
        assert "Городской совет" in parallel.stored("cp1251").article.text
        assert parallel.stored("good_text").article.title == run.stored("good_text").article.title
    finally:
        parallel.store.close()


def test_cli_strict_fails_with_one_line_error_on_bad_folder(
    bad_folder: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    folder, _ = bad_folder
    args = ["ingest", "--no-fetch", "--workers", "1", str(folder)]

    strict = CliRunner().invoke(app, [*args, "--strict", "--db", str(tmp_path / "strict.db")])

    assert strict.exit_code != 0, strict.output
    errors = [line for line in strict.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, strict.stderr
    assert errors[0].startswith("error:") and "--strict" in errors[0]
    assert "skipped" in errors[0]
    assert "Traceback" not in strict.output


def test_cli_without_strict_succeeds_and_prints_skipped_table(
    bad_folder: tuple[Path, dict[str, Path]], tmp_path: Path
) -> None:
    folder, _ = bad_folder

    result = CliRunner().invoke(app, ["ingest", "--no-fetch", "--workers", "1",
                                      "--db", str(tmp_path / "lenient.db"), str(folder)])

    assert result.exit_code == 0, result.output
    assert "Skipped" in result.stdout
    assert "skipped input" in result.stdout and "reason" in result.stdout
    assert "ingested" in result.stdout
    assert "empty input" in result.stdout
