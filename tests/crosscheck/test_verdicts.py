"""Each verdict rule on small articles written for the test, through the real extract stage."""

from __future__ import annotations

from datetime import datetime

from small_reports import only_fact, report

from corroborate.crosscheck import crosscheck
from corroborate.records import (
    Verdict,
)


def test_amounts_in_two_currencies_agree_within_the_conversion_tolerance() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The ministry estimates that the company could pay up to £88 "
               "million a year for the licence.", datetime(2024, 6, 27, 8)),
        report(2, "Daily B", "The ministry estimates that the company could pay up to $115 "
               "million a year for the licence.", datetime(2024, 6, 27, 9)),
    ]), measure="money")
    assert fact.verdict is Verdict.AGREE
    assert "at the ECB rate of 2024-06-27" in fact.reason
    assert "3.2 % apart, within the 5 % conversion tolerance" in fact.reason
    assert fact.hedged


def test_different_figures_from_different_sources_conflict() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "About 1,200 residents were evacuated from the village, the crisis "
               "centre said.", datetime(2025, 3, 4, 8)),
        report(2, "Daily B", "About 3,000 residents were evacuated from the village, police "
               "said.", datetime(2025, 3, 4, 9)),
    ]), measure="evacuated")
    assert fact.verdict is Verdict.CONFLICT
    assert "About 1,200 residents (Daily A) vs About 3,000 residents (Daily B)" in fact.reason
    assert fact.independent_sources == 2


def test_one_outlet_negating_what_another_asserts_is_a_conflict() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The mayor signed the harbour dredging contract on Monday, the "
               "city council said.", datetime(2025, 5, 6, 8)),
        report(2, "Daily B", "The mayor did not sign the harbour dredging contract on Monday, "
               "her office said.", datetime(2025, 5, 6, 9)),
    ]))
    assert fact.verdict is Verdict.CONFLICT
    assert "opposite statements: Daily B says it is not so, Daily A says it is" in fact.reason
    assert "'sign'" in fact.reason


def test_not_only_is_no_negation() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "Not only the mayor objected to the harbour dredging contract, the "
               "council said.", datetime(2025, 5, 6, 8)),
        report(2, "Daily B", "The mayor objected to the harbour dredging contract, the council "
               "said.", datetime(2025, 5, 6, 9)),
    ]))
    assert fact.verdict is Verdict.AGREE


def test_a_figure_rising_with_publication_time_is_developing_not_a_conflict() -> None:
    fact = only_fact(crosscheck([
        report(2, "Daily B", "Four people died in the flood in Ostend, the fire service said.",
               datetime(2025, 3, 4, 18)),
        report(1, "Daily A", "Two people died in the flood in Ostend, the fire service said.",
               datetime(2025, 3, 4, 8)),
    ]), measure="dead")
    assert fact.verdict is Verdict.DEVELOPING
    assert "Two people (Daily A, 2025-03-04 08:00) → Four people (Daily B, 2025-03-04 18:00)" \
        in fact.reason


def test_a_denial_is_a_conflict_between_sources_not_outlets() -> None:
    result = crosscheck([
        report(1, "Daily A", "The union said that safety checks at the plant had been "
               "postponed twice.", datetime(2025, 3, 4, 8)),
        report(2, "Daily B", "The union said that safety checks at the plant had been "
               "postponed. The company denied the allegation.", datetime(2025, 3, 4, 9)),
    ])
    fact = only_fact(result)
    assert fact.verdict is Verdict.DISPUTED
    alleging = [s for s in fact.sources if not s.denies]
    denying = [s for s in fact.sources if s.denies]
    assert [s.name for s in alleging] == ["The union"]
    assert alleging[0].outlets == ("Daily A", "Daily B")  # both outlets: no outlet conflict
    assert [s.name for s in denying] == ["The company"]
    assert fact.independent_sources == 1
    assert "denied by The company" in fact.reason
    assert any(v.denies and v.claim == "the allegation" for v in fact.versions)


def test_one_outlet_is_a_single_outlet_verdict() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The mayor said that the bridge will reopen in May.",
               datetime(2025, 3, 4, 8)),
    ]))
    assert fact.verdict is Verdict.SINGLE_OUTLET
    assert fact.reason.startswith("only Daily A reports it")


def test_crosscheck_is_deterministic_whatever_the_input_order() -> None:
    articles = [
        report(1, "Daily A", "Two people died in the flood in Ostend, the fire service said.",
               datetime(2025, 3, 4, 8)),
        report(2, "Daily B", "Four people died in the flood in Ostend, the fire service said. "
               "The mayor said that the bridge will reopen in May.", datetime(2025, 3, 4, 18)),
    ]
    assert crosscheck(articles) == crosscheck(list(reversed(articles)))


def test_no_articles_make_an_empty_crosscheck() -> None:
    result = crosscheck([])
    assert (result.facts, result.timeline, result.articles) == ((), (), ())


def test_a_direct_denial_in_between_does_not_stop_a_later_plural_one() -> None:
    """"X denied that it ignored the warnings. It also rejected these allegations.": the
    direct denial answers its own content; "these allegations" still reaches back to the
    union's and the firefighters' claims before it."""
    from corroborate.crosscheck.statements import article_refs, build_statements
    from corroborate.records import Certainty

    articles = [report(1, "Wire", (
        "The dockers' union said the alarms had failed for an hour. Firefighters said the "
        "sprinklers were switched off. Scheldt Bulk Storage denied that it ignored the "
        "warnings. It also rejected these allegations."), datetime(2024, 6, 19, 9))]
    statements = build_statements(articles, article_refs(articles))
    denied = [s.index for s in statements
              if s.claim.certainty is Certainty.DENIED and not s.denies]
    answered = {i for s in statements if s.anaphoric for i in s.denied_targets}
    assert denied and set(denied) <= answered


def test_a_negation_of_something_said_of_another_subject_is_no_conflict() -> None:
    result = crosscheck([
        report(1, "Daily A", "The harbour master did not sign the dredging contract on Monday, "
               "the council said.", datetime(2025, 5, 6, 8)),
        report(2, "Daily B", "The deputy mayor signed the dredging contract on Monday, the "
               "council said.", datetime(2025, 5, 6, 9)),
    ])
    assert all("opposite statements" not in f.reason for f in result.facts)


def test_has_yet_to_is_a_negation() -> None:
    fact = only_fact(crosscheck([
        report(1, "Daily A", "The mayor has yet to sign the harbour dredging contract, the "
               "council said.", datetime(2025, 5, 6, 8)),
        report(2, "Daily B", "The mayor did not sign the harbour dredging contract, the council "
               "said.", datetime(2025, 5, 6, 9)),
    ]))
    assert "opposite statements" not in fact.reason


def test_a_speculation_next_to_its_denial_is_no_conflict() -> None:
    # both outlets report one denial; the speculation is not an outlet saying it is so
    result = crosscheck([
        report(1, "Daily A", "Many have speculated that the mayor could have signed the harbour "
               "dredging contract on Monday.", datetime(2025, 5, 6, 8)),
        report(2, "Daily B", "The mayor never signed the harbour dredging contract on Monday, "
               "her office said.", datetime(2025, 5, 6, 9)),
    ])
    assert all("opposite statements" not in f.reason for f in result.facts)


def test_one_sum_in_a_list_meets_its_counterpart_and_not_a_bound_of_another_item() -> None:
    # B lists sums by where they were spent; "over $300 at the toy shop" contains $5,587.75
    # but is not it: the retreat's sum is compared with the retreat's, and they differ
    result = crosscheck([
        report(1, "Daily A", "In 2008, the couple used the money for things like a $466.30 "
               "dinner at the Harbour Grill and a $5,587.75 vacation at the Lakeside Holistic "
               "Retreat, the documents said.", datetime(2013, 2, 20, 8)),
        report(2, "Daily B", "Records showed the expenses included $2,306.08 at the county "
               "fair, over $300 at the toy shop, and $5,687.75 on the Lakeside Holistic "
               "Retreat.", datetime(2013, 2, 20, 8)),  # same hour: not an update
    ])
    retreat = [f for f in result.facts if f.measure == "money"
               and {v.article_id for v in f.versions} == {1, 2}]
    assert len(retreat) == 1, [f.statement for f in result.facts if f.measure == "money"]
    assert retreat[0].verdict is Verdict.CONFLICT
    assert "$5,587.75" in retreat[0].reason and "$5,687.75" in retreat[0].reason
    # the dinner and the fair are different things: no money fact pairs them
    assert not any(f.verdict is Verdict.CONFLICT and "$466.30" in f.reason
                   for f in result.facts)


def test_two_outlets_naming_one_event_in_their_own_words_make_one_fact() -> None:
    # the claims' cosine is low (about 0.5), but each is the other's closest claim in the
    # other report and both use a word ("arraign", "motivated") no other claim uses
    result = crosscheck([
        report(1, "Daily A", "Representative Jim Kole was indicted by a federal grand jury on "
               "Tuesday after an investigation into allegations that he spent campaign money "
               "on himself. The Koles are scheduled to be arraigned Thursday morning in San "
               "Diego. A spokesman for Mr. Kole said the congressman believes this action is "
               "purely politically motivated.", datetime(2018, 8, 21, 20)),
        report(2, "Daily B", "Rep. Jim Kole and his wife were indicted on charges of using "
               "campaign funds for personal expenses, federal prosecutors said. The pair is "
               "due to be arraigned in court on Thursday morning. Kole's lawyer asserted the "
               "prosecution was politically motivated because of his early support of the "
               "president.", datetime(2018, 8, 21, 21)),
    ])
    facts = [f for f in result.facts if f.measure is None and f.detail_of is None]
    for word in ("arraigned", "motivated"):
        found = [f for f in facts if any(word in v.claim for v in f.versions)]
        assert len(found) == 1, [f.statement for f in facts]
        assert {v.article_id for v in found[0].versions} == {1, 2}
        assert found[0].verdict is Verdict.AGREE  # both Thursdays are 2018-08-23
