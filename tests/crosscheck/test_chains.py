"""Attribution chains resolved across a story, so that one source has one identity."""

from __future__ import annotations

from corroborate.crosscheck.chains import SourceResolver, cited_outlets
from corroborate.records import Attribution

OUTLET = Attribution("the outlet", None)
JANSSENS = Attribution("port authority spokesperson Lieve Janssens", "told",
                       "person:lieve janssens", "Lieve Janssens")
RADIO = Attribution("Radio Scheldeland", "reported", "outlet:radio scheldeland",
                    "Radio Scheldeland")
CHOSUN = Attribution("TV Chosun", "reports", "outlet:tv chosun", "TV Chosun")


def keys(resolver: SourceResolver, chain: tuple[Attribution, ...], outlet: str = "outlet:daily",
         cited: frozenset[str] = frozenset()) -> list[str]:
    return [n.key for n in resolver.resolve(chain, outlet, cited)]


def test_a_link_naming_two_known_sources_becomes_two_links() -> None:
    compound = Attribution(
        "the Flemish broadcaster Radio Scheldeland, which cited port authority spokesperson "
        "Lieve Janssens", "according to")
    resolver = SourceResolver([(OUTLET, RADIO), (OUTLET, JANSSENS)])
    nodes = resolver.resolve((OUTLET, compound), "outlet:harbour watch", frozenset())
    assert [n.key for n in nodes] == ["outlet:radio scheldeland", "person:lieve janssens"]
    assert [n.cue for n in nodes] == ["according to", "cited"]


def test_a_key_sharing_only_part_of_its_name_with_the_text_is_dropped() -> None:
    wrong = Attribution("the port authority", "said", "org:port workers union",
                        "Port Workers Union")
    resolver = SourceResolver([(OUTLET, wrong)])
    assert keys(resolver, (OUTLET, wrong)) == ["anon:port authority"]


def test_a_coreferent_description_keeps_its_key() -> None:
    company = Attribution("The company", "said", "org:scheldt bulk storage",
                          "Scheldt Bulk Storage")
    resolver = SourceResolver([(OUTLET, company)])
    assert keys(resolver, (OUTLET, company)) == ["org:scheldt bulk storage"]


def test_vague_media_reports_are_the_only_outlet_the_article_cites() -> None:
    vague = Attribution("Unofficial media reports", "indicate")
    chains = [(OUTLET, vague), (OUTLET, CHOSUN)]
    resolver = SourceResolver(chains)
    cited = cited_outlets(chains, "outlet:daily")
    assert keys(resolver, (OUTLET, vague), cited=cited) == ["outlet:tvchosun"]
    two = cited | {"outlet:yonhap"}
    assert keys(resolver, (OUTLET, vague), cited=two) != ["outlet:tv chosun"]


def test_an_unnamed_description_matches_the_named_one_it_describes() -> None:
    unnamed = Attribution("a port authority spokesperson", "citing")
    resolver = SourceResolver([(OUTLET, RADIO, unnamed), (OUTLET, JANSSENS)])
    assert keys(resolver, (OUTLET, RADIO, unnamed)) == [
        "outlet:radio scheldeland", "person:lieve janssens"]


def test_definite_descriptions_are_one_body_across_outlets() -> None:
    long = Attribution("the city's crisis centre", "said")
    short = Attribution("The crisis centre", "said")
    resolver = SourceResolver([(OUTLET, long), (OUTLET, short)])
    assert keys(resolver, (OUTLET, long), "A") == keys(resolver, (OUTLET, short), "B")


def test_indefinite_descriptions_stay_apart_per_outlet() -> None:
    official = Attribution("a government official", "said")
    resolver = SourceResolver([(OUTLET, official)])
    assert keys(resolver, (OUTLET, official), "A") != keys(resolver, (OUTLET, official), "B")


def test_unnamed_papers_are_one_source_however_each_outlet_words_them() -> None:
    # "the documents" (A) and "Additional records disclosed Wednesday" (B): one set of filings
    papers = Attribution("the documents", "according to")
    records = Attribution("Additional records disclosed Wednesday", "revealed")
    court = Attribution("court papers", "show")
    resolver = SourceResolver([(OUTLET, papers), (OUTLET, records), (OUTLET, court)])
    found = {keys(resolver, (OUTLET, link), outlet)[0]
             for link, outlet in ((papers, "outlet:a"), (records, "outlet:b"),
                                  (court, "outlet:c"))}
    assert len(found) == 1
    # a body is not papers: an unnamed official stays apart per outlet
    official = Attribution("a court official", "said")
    assert keys(resolver, (OUTLET, official), "outlet:a") != found.pop()
