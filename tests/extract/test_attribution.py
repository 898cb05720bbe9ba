"""Attribution frames (who, cue, what) and the resolution of their sources."""

from __future__ import annotations

from functools import lru_cache

import pytest
from spacy.tokens import Doc

from corroborate.extract.attribution import CueKind, Frame, find_attributions, outermost
from corroborate.extract.sources import resolve_sources
from corroborate.extract.spans import quote_partners, segments
from corroborate.models import spacy_pipeline
from corroborate.records import EntityKind, EntityMention


@lru_cache(maxsize=32)
def parse(text: str) -> Doc:
    return spacy_pipeline()(text)


def frames_of(text: str) -> tuple[Doc, list[Frame]]:
    doc = parse(text)
    return doc, find_attributions(doc)


def described(doc: Doc, frame: Frame) -> tuple[str | None, str, list[str]]:
    source = doc[frame.source[0]:frame.source[1]].text if frame.source else None
    return source, doc[frame.cue[0]:frame.cue[1]].text, [doc[a:b].text for a, b in frame.content]


def the_frame(text: str, cue: str) -> tuple[Doc, Frame]:
    doc, frames = frames_of(text)
    hits = [f for f in frames if doc[f.cue[0]:f.cue[1]].text == cue]
    assert len(hits) == 1, [described(doc, f) for f in frames]
    return doc, hits[0]


@pytest.mark.parametrize(("text", "cue", "source", "content"), [
    # PolNeAR's conventions: the whole subject; content keeps "that" and quotation marks
    ("The New York Post reports that Clinton's team avoided the emergency room.",
     "reports", "The New York Post", "that Clinton's team avoided the emergency room"),
    ("“We will win this state,” the senator said on Tuesday.",
     "said", "the senator", "“We will win this state,”"),
    ("The senator, a Democrat from Ohio, said the bill would pass.",
     "said", "The senator, a Democrat from Ohio,", "the bill would pass"),
    ("Secret Service protocol called for a trauma center, sources said.",
     "said", "sources", "Secret Service protocol called for a trauma center"),
    ("According to the newspaper, the deal collapsed in March.",
     "According to", "the newspaper", "the deal collapsed in March"),
    ("But, he said, it is a risky strategy.",
     "said", "he", "But"),
    ("The Ohio party accused the governor of hiding the report.",
     "accused", "The Ohio party", "the governor of hiding the report"),
    ("As the Washington Post observed, Republicans now control 30 states.",
     "observed", "the Washington Post", "Republicans now control 30 states"),
    ("O'Malley's move was first reported by MSNBC.",
     "reported", "MSNBC", "O'Malley's move"),
])
def test_frame_source_cue_and_content(text: str, cue: str, source: str, content: str) -> None:
    doc, frame = the_frame(text, cue)
    got_source, _, got_content = described(doc, frame)
    assert got_source == source
    assert got_content[0] == content


def test_mid_sentence_speech_tag_takes_both_sides() -> None:
    doc, frame = the_frame("But, he said, it is a risky strategy.", "said")
    assert described(doc, frame)[2] == ["But", "it is a risky strategy"]


def test_quotation_split_by_its_speech_tag_is_one_content() -> None:
    text = "“I like him,” Trump said, “and I fully support his re-election.”"
    doc, frame = the_frame(text, "said")
    contents = described(doc, frame)[2]
    assert contents[0] == "“I like him,”"
    assert contents[-1] == "“and I fully support his re-election.”"


def test_speech_tag_alone_takes_the_quotation_before() -> None:
    text = "“What would this label accomplish? Nothing.”\nRubio said."
    doc, frame = the_frame(text, "said")
    assert described(doc, frame) == ("Rubio", "said",
                                     ["“What would this label accomplish? Nothing.”"])


def test_colon_after_the_cue_takes_what_follows() -> None:
    doc, frame = the_frame("The spokesman said: “We have no comment at this time.”", "said")
    assert described(doc, frame)[2] == ["“We have no comment at this time.”"]


def test_transcript_line_is_a_frame() -> None:
    doc, frame = the_frame("TAPPER: Do you think he has campaigned as a healer?", ":")
    assert described(doc, frame)[0] == "TAPPER"
    assert frame.clausal


def test_passive_hedge_without_agent_has_no_source() -> None:
    _, frames = frames_of("The soldiers are expected to help rebuild the roads.")
    assert all(f.source is None for f in frames)


def test_citing_is_recorded_on_the_reporting_frame() -> None:
    doc, frame = the_frame(
        "TV Chosun reported, citing a government official, that the forces would assist.",
        "reported")
    assert [doc[c.source[0]:c.source[1]].text for c in frame.cited] == ["a government official"]
    assert described(doc, frame)[2] == ["that the forces would assist"]


def test_kinds_follow_the_cue() -> None:
    cases = {"estimated": CueKind.BELIEF, "denied": CueKind.DENIAL,
             "accused": CueKind.ALLEGATION, "asked": CueKind.QUESTION,
             "criticized": CueKind.STANCE, "said": CueKind.SPEECH}
    text = ("The ministry estimated that 6,700 containers were sent. Russia denied that it "
            "had received them. Critics accused Moscow of lying. Reporters asked whether "
            "talks continued. Senators criticized the deal. The envoy said that talks went on.")
    doc, frames = frames_of(text)
    kinds = {doc[f.cue[0]].text: f.kind for f in frames}
    for cue, kind in cases.items():
        assert kinds[cue] is kind


def test_outermost_leaves_out_nested_and_quoted_frames() -> None:
    text = ("The Post reported that Klein said he was leaving. "
            "“I think we will win,” the mayor said.")
    doc, frames = frames_of(text)
    top = outermost([f for f in frames if f.source], doc)
    assert sorted(doc[f.cue[0]].text for f in top) == ["reported", "said"]
    assert {doc[f.source[0]:f.source[1]].text for f in top} == {"The Post", "the mayor"}


def test_outermost_drops_a_frame_inside_another_frames_content_of_the_same_span() -> None:
    """Another frame's content counts even when it is the same span as this frame's own:
    only the frame's own content (and a quotation that is its content) does not."""
    text = "The governor said the plan, which she wants, will pass next week."
    doc = parse(text)
    said, wants = doc.text.index("said"), doc.text.index("wants")
    said_i = next(t.i for t in doc if t.idx == said)
    wants_i = next(t.i for t in doc if t.idx == wants)
    content = ((said_i + 1, len(doc) - 1),)
    outer = Frame((said_i, said_i + 1), (0, 2), content, CueKind.SPEECH, "say", True)
    inner = Frame((wants_i, wants_i + 1), (wants_i - 1, wants_i), content, CueKind.STANCE,
                  "want", True)
    assert outermost([outer, inner], doc) == [outer]


def test_segments_cut_at_line_breaks() -> None:
    doc = parse("Images source: Telegram\nKarina Smith\n\nThe army moved north.")
    assert [doc[a:b].text for a, b in segments(doc)] == [
        "Images source: Telegram", "Karina Smith", "The army moved north."]


def test_quote_pairs_mix_curly_and_straight_marks() -> None:
    doc = parse('“It\'s unusual," said Larry Noble. "Very unusual."')
    partners = quote_partners(doc, segments(doc))
    opening = next(t.i for t in doc if t.text == "“")
    assert doc[partners[opening]].text == '"'
    assert len(partners) == 4


def test_frames_do_not_cross_line_breaks() -> None:
    doc, frames = frames_of("Russia & North korea\n\nSouth Korean TV channel reports that "
                            "North Korea may deploy engineers.")
    (frame,) = [f for f in frames if f.source]
    assert described(doc, frame)[0] == "South Korean TV channel"


# --- sources --------------------------------------------------------------------------------


def test_source_takes_the_entity_under_its_head_word_only() -> None:
    text = "A South Korean government official said that talks resumed. NATO chief Jens " \
           "Stoltenberg said that allies agreed."
    doc, frames = frames_of(text)
    kr = text.index("South Korean")
    nato = text.index("NATO")
    jens = text.index("Jens")
    ents = [EntityMention(kr, kr + 12, "South Korean", EntityKind.COUNTRY, "country:KR",
                          "South Korea"),
            EntityMention(nato, nato + 4, "NATO", EntityKind.ORGANIZATION, "org:nato", "NATO"),
            EntityMention(jens, jens + 15, "Jens Stoltenberg", EntityKind.PERSON,
                          "person:jens stoltenberg", "Jens Stoltenberg")]
    res = resolve_sources(doc, frames, ents)
    refs = [r for f, r in zip(frames, res.sources, strict=True) if f.source]
    assert refs[0] is not None and refs[0].key is None  # an official, not South Korea
    assert refs[1] is not None and refs[1].key == "person:jens stoltenberg"


def test_source_named_in_apposition_to_its_description_takes_the_name() -> None:
    text = ("According to the Dutch broadcaster Radio Maasland, the bridge will reopen in "
            "May.")
    doc, frames = frames_of(text)
    start = text.index("Radio")
    ents = [EntityMention(start, start + 14, "Radio Maasland", EntityKind.OUTLET,
                          "outlet:radio maasland", "Radio Maasland")]
    (ref,) = [r for f, r in zip(frames, resolve_sources(doc, frames, ents).sources,
                                strict=True) if f.source]
    assert ref is not None and ref.key == "outlet:radio maasland"


def test_coordinated_sources_name_both_entities() -> None:
    text = "Russia and North Korea denied that any weapons were shipped."
    doc, frames = frames_of(text)
    ents = [EntityMention(0, 6, "Russia", EntityKind.COUNTRY, "country:RU", "Russia"),
            EntityMention(11, 22, "North Korea", EntityKind.COUNTRY, "country:KP",
                          "North Korea")]
    ref = resolve_sources(doc, frames, ents).sources[0]
    assert ref is not None and ref.name == "Russia and North Korea" and ref.key is None


def test_relative_pronoun_source_resolves_to_its_noun() -> None:
    text = "It was negotiated with Thomas Perez, who said the deal would hold."
    doc, frames = frames_of(text)
    start = text.index("Thomas")
    ents = [EntityMention(start, start + 12, "Thomas Perez", EntityKind.PERSON,
                          "person:thomas perez", "Thomas Perez")]
    sourced = [(f, r) for f, r in zip(frames, resolve_sources(doc, frames, ents).sources,
                                       strict=True) if f.source]
    (frame, ref), = sourced
    assert described(doc, frame)[0] == "who"
    assert ref is not None and ref.key == "person:thomas perez"


def test_specific_description_needs_a_matching_name() -> None:
    text = ("The Institute for the Study of War said that the move was planned. "
            "The ministry said that no troops were sent.")
    doc, frames = frames_of(text)
    refs = resolve_sources(doc, frames, []).sources
    assert refs[1] is not None and refs[1].text == "The ministry"  # not the institute


def test_dateline_before_the_subject_is_not_the_source() -> None:
    doc, frame = the_frame("LONDON (Reuters) - Donald Trump said he was unlikely to have a good "
                           "relationship with David Cameron.", "said")
    assert described(doc, frame)[0] == "Donald Trump"


def test_told_an_addressee_after_a_quotation_is_a_speech_tag() -> None:
    doc, frame = the_frame("“Yes, I support Ted Cruz,” Brent Bozell, founder of the Media "
                           "Research Center, tells Breitbart News in an interview.", "tells")
    source, _, content = described(doc, frame)
    assert source is not None and "Bozell" in source
    assert content and "I support Ted Cruz" in content[0]


def test_that_clause_after_a_phrase_of_the_cue() -> None:
    doc, frame = the_frame("Kasich’s chief strategist John Weaver says in a statement that the "
                           "race will now be a four-man contest.", "says")
    source, _, content = described(doc, frame)
    assert source is not None and "Weaver" in source
    assert content == ["that the race will now be a four-man contest"]


def test_colon_labels_name_no_speaker() -> None:
    for text in ("Editor’s note: Donald Trump is running for president.",
                 "UPDATE: The website that listed the gun has removed it."):
        doc, frames = frames_of(text)
        assert not [f for f in frames if f.lemma == ":"], [described(doc, f) for f in frames]


def test_colon_headline_after_a_dash_with_a_quotation() -> None:
    doc, frames = frames_of("POLLS NOT WRONG, JUST TOO EARLY - Mark Blumenthal: “Although the "
                            "polls failed to predict the win, they were not wrong.”")
    colon = [f for f in frames if f.lemma == ":"]
    assert colon and described(doc, colon[0])[0] == "Mark Blumenthal"


def test_embedded_tweet_signature() -> None:
    doc, frames = frames_of('<tweet id="1" author="@SpeakerRyan">No one should be above the '
                            "law. — Paul Ryan (@SpeakerRyan) July 5, 2016</tweet>.")
    tweet = [f for f in frames if f.lemma == "tweet"]
    assert tweet
    source, _, content = described(doc, tweet[0])
    assert source is not None and source.startswith("Paul Ryan")
    assert len(content) == 1 and "should be above the law" in content[0]


# --- constructions the parser often gets wrong, and cues beyond "X said Y" -------------------


@pytest.mark.parametrize(("text", "cue", "source", "content"), [
    pytest.param("The mayor's budget passed easily, while 40 council members support a new "
                 "tax.", "support", "40 council members", ["a new tax"],
                 id="a-subordinate-clause-is-not-a-speech-tag"),
    pytest.param("After the court approved the new map last year, Hebert said, most districts "
                 "were thought to be safe.", "said", "Hebert",
                 ["After the court approved the new map last year",
                  "most districts were thought to be safe"],
                 id="a-tag-inside-its-clause-after-a-fronted-clause"),
    pytest.param("“What kept us going during the strike,” she said, “is the fact that we "
                 "trusted each other.”", "said", "she",
                 ["“What kept us going during the strike,”",
                  "“is the fact that we trusted each other.”"],
                 id="a-split-quotation-around-its-tag"),
    pytest.param("“Let me finish,” she went on, as if she had not heard him.", "went", "she",
                 ["“Let me finish,”"], id="any-verb-after-a-quotation-and-a-speaker-is-a-tag"),
    pytest.param("“The numbers just don't work for the campaign,” said Skelly, explaining he "
                 "worked closely with the staff.", "said", "Skelly",
                 ["“The numbers just don't work for the campaign,”"],
                 id="the-speaker-after-an-inverted-tag"),
    pytest.param("“They have no answer for any of this,” Ramirez said.\n\nOrtega, meanwhile, "
                 "who has no such endorsements, said that fact speaks volumes.", "said", "Ortega",
                 ["that fact speaks volumes"], id="a-speaker-before-an-aside-between-commas"),
    pytest.param("Most voters are more likely to say the economy is weak.", "say", "Most voters",
                 ["the economy is weak"], id="the-subject-of-a-predicate-adjective"),
    pytest.param("The defeat led many Republicans to say that the party needed a new leader.",
                 "say", "many Republicans", ["that the party needed a new leader"],
                 id="the-object-of-a-causative-verb-says-it"),
    pytest.param("A new poll shows a narrow lead for the mayor.", "shows", "A new poll",
                 ["a narrow lead for the mayor"], id="a-document-shows-what-it-reports"),
    pytest.param("Police records list three arrests at the rally.", "list", "Police records",
                 ["three arrests"], id="records-list-what-they-report"),
    pytest.param("The governor has long hoped to expand the port.", "hoped", "The governor",
                 ["to expand the port"], id="a-belief-verb-with-an-infinitive"),
    pytest.param("She also called for all candidates to release their tax returns.", "called",
                 "She", ["for all candidates to release their tax returns"],
                 id="calling-for-someone-to-act"),
    pytest.param("Opponents pointed to the rising cost of the project.", "pointed", "Opponents",
                 ["the rising cost of the project"], id="pointing-to-evidence"),
    pytest.param("The council published a long report detailing the costs of the new stadium.",
                 "detailing", "The council", ["the costs of the new stadium"],
                 id="the-publisher-of-a-report-says-what-it-details"),
    pytest.param("The endorsement came two days after Garcia told The Herald he was not ready "
                 "yet.", "told", "Garcia", ["he was not ready yet"],
                 id="told-with-the-reported-clause-read-as-the-head"),
    pytest.param("The judge ordered the city to release the video.", "ordered", "The judge",
                 ["the city to release the video"], id="an-object-and-what-it-is-told-to-do"),
    pytest.param("In a survey released on Monday, 52 percent of voters said they trusted the "
                 "mayor.", "In", "a survey released on Monday",
                 ["52 percent of voters said they trusted the mayor"],
                 id="a-poll-opening-the-sentence-speaks-for-its-respondents"),
    pytest.param("In their view, the council acted too quickly.", "In", "their",
                 ["the council acted too quickly"], id="in-their-view"),
    pytest.param("The plan, which few members of the committee have endorsed, will be debated "
                 "on Monday.", "endorsed", "few members of the committee", ["The plan"],
                 id="a-relative-pronoun-as-the-object"),
    pytest.param("The senator said so on Tuesday.", "said", "The senator", ["so"],
                 id="said-so"),
    pytest.param("Everyone but Hewlett said yes.", "said", "Everyone but Hewlett", ["yes"],
                 id="said-yes"),
    pytest.param("Cook did not say when.", "say", "Cook", ["when"], id="would-not-say-when"),
    pytest.param("His repeated attacks on the press drew criticism.", "attacks", "His",
                 ["the press"], id="a-plural-noun-cue-with-its-owner"),
    pytest.param("Poll: Most voters back the new stadium plan.", ":", "Poll",
                 ["Most voters back the new stadium plan"], id="a-poll-label-before-a-colon"),
    pytest.param("Taxpayer Alliance: City Hall Hid Key Budget Memo For Months.\n\nThe city "
                 "withheld a memo.", ":", "Taxpayer Alliance",
                 ["City Hall Hid Key Budget Memo For Months"],
                 id="a-headline-name-and-colon-without-a-verb"),
    pytest.param("The senator laid out her plan for the port on Tuesday.", "laid", "The senator",
                 ["her plan for the port"], id="laid-out-with-its-particle"),
    pytest.param("“That is simply nonsense,” the mayor shot back.", "shot", "the mayor",
                 ["“That is simply nonsense,”"], id="shot-back-after-a-quotation"),
    pytest.param("Several governors weighed in on the dispute.", "weighed",
                 "Several governors", ["the dispute"], id="weighed-in"),
    pytest.param("The FBI named Cleveland as the fifth most dangerous city in America.",
                 "named", "The FBI", ["Cleveland"], id="naming-is-a-cue"),
    pytest.param("Critics knocked the proposal as too expensive.", "knocked", "Critics",
                 ["the proposal"], id="knocking-is-criticism"),
    pytest.param("So I don’t doubt that moment.", "doubt", "I", ["that moment"],
                 id="the-speaker-before-auxiliaries-the-parser-left-without-a-subject"),
])
def test_source_and_content_beyond_the_plain_parse(text: str, cue: str, source: str,
                                                    content: list[str]) -> None:
    doc, frames = frames_of(text)
    hits = [f for f in frames if doc[f.cue[0]].text == cue and f.source is not None
            and doc[f.source[0]:f.source[1]].text == source]
    assert len(hits) == 1, [described(doc, f) for f in frames]
    assert described(doc, hits[0])[2] == content


def test_a_contrasting_speaker_is_cut_from_the_first_content() -> None:
    doc, frames = frames_of("Sixty percent of farmers said prices would rise, while 30 percent "
                            "said they would fall.")
    assert [described(doc, f) for f in frames] == [
        ("Sixty percent of farmers", "said", ["prices would rise"]),
        ("30 percent", "said", ["they would fall"])]


def test_it_in_an_extraposed_clause_is_no_source() -> None:
    _, frames = frames_of("It is important to note that the vote was close.")
    assert all(f.source is None for f in frames)


def test_a_causative_verb_of_use_keeps_its_subject() -> None:
    doc, frames = frames_of("The senator used his speech to attack the new budget.")
    (frame,) = [f for f in frames if f.lemma == "attack"]
    assert described(doc, frame)[0] == "The senator"


def test_a_particle_verb_is_a_cue_only_with_its_particle() -> None:
    _, frames = frames_of("The company laid off 200 workers on Tuesday.")
    assert frames == []


def test_an_as_clause_after_a_speech_tag_reports_nothing_of_it() -> None:
    text = ("\"Apparently there is a young man with some problems,\" Cruz said as the heckler "
            "yelled at him.")
    doc, frames = frames_of(text)
    top = outermost([f for f in frames if f.source], doc)
    assert [described(doc, f) for f in top] == [
        ("Cruz", "said", ["\"Apparently there is a young man with some problems,\""])]


@pytest.mark.parametrize(("text", "cue", "source", "content"), [
    pytest.param("The union showed no sign of backing down.", "showed", "The union",
                 ["no sign of backing down"], id="showing-signs-is-a-stance"),
    pytest.param("The mayor listed three reasons for the delay.", "listed", "The mayor",
                 ["three reasons for the delay"], id="listing-the-message"),
    pytest.param("The senator posted a short video on Sunday.", "posted", "The senator",
                 ["a short video"], id="posting-the-message"),
    pytest.param("The governor ordered a review of the contract.", "ordered", "The governor",
                 ["a review of the contract"], id="ordering-a-review"),
    pytest.param("The campaign focused on rising rents in the city.", "focused", "The campaign",
                 ["rising rents in the city"], id="focusing-on-a-topic"),
    pytest.param("There was a warning from the agency that the dam could fail.", "warning",
                 "the agency", ["that the dam could fail"], id="a-noun-cue-with-a-from-owner"),
    pytest.param("Ortiz was at 31 percent in the latest Herald poll, up four points.", "in",
                 "the latest Herald poll", ["Ortiz was at 31 percent", "up four points"],
                 id="one-poll-reports-its-clause-wherever-it-sits"),
    pytest.param("The council dropped the tax hike the mayor had proposed.", "proposed",
                 "the mayor", ["the tax hike"], id="a-relative-clause-without-a-pronoun"),
])
def test_cues_whose_object_is_the_message(text: str, cue: str, source: str,
                                          content: list[str]) -> None:
    doc, frames = frames_of(text)
    hits = [f for f in frames if doc[f.cue[0]].text == cue and f.source is not None
            and doc[f.source[0]:f.source[1]].text == source]
    assert len(hits) == 1, [described(doc, f) for f in frames]
    assert described(doc, hits[0])[2] == content


def test_maintain_is_a_cue_only_with_a_clause() -> None:
    doc, frames = frames_of("The team maintained its lead. The coach maintained that the "
                            "referee was wrong.")
    assert [described(doc, f)[:2] for f in frames if f.lemma == "maintain"] == [
        ("The coach", "maintained")]


def test_leading_in_the_polls_is_no_attribution() -> None:
    _, frames = frames_of("The mayor has been ahead in the polls for months.")
    assert not [f for f in frames if f.lemma == "in"]


def test_a_relative_clause_that_cites_is_a_citation_of_its_noun() -> None:
    doc, frame = the_frame("According to the regional broadcaster Radio Kempen, which cited a "
                           "harbour official, the bridge will stay closed until May.",
                           "According to")
    assert described(doc, frame) == ("the regional broadcaster Radio Kempen", "According to",
                                     ["the bridge will stay closed until May"])
    assert [doc[c.source[0]:c.source[1]].text for c in frame.cited] == ["a harbour official"]
    assert [doc[c.cue[0]].text for c in frame.cited] == ["cited"]


def test_a_which_denial_is_cut_from_the_statement_it_answers() -> None:
    text = ("The drivers' union has accused the operator of cutting corners on maintenance, "
            "which the operator denies.")
    doc, accusation = the_frame(text, "accused")
    assert described(doc, accusation)[2] == ["the operator of cutting corners on maintenance"]
    _, denial = the_frame(text, "denies")
    assert described(doc, denial) == ("the operator", "denies", ["which"])
    assert denial.kind is CueKind.DENIAL and not denial.clausal


def test_a_speaker_and_cue_closing_the_sentence_after_a_comma() -> None:
    # (the parser takes the speaker for an apposition to the place before)
    doc, frame = the_frame("Some 200 families were evacuated from Kallo, an official at the "
                           "provincial crisis office said.", "said")
    assert described(doc, frame) == ("an official at the provincial crisis office", "said",
                                     ["Some 200 families were evacuated from Kallo"])


def test_a_line_opening_with_its_speaker_and_cue_after_a_heading() -> None:
    # (the parser hangs "reports" on the heading's "in July", as the object of "in")
    doc, frame = the_frame("Ferries could sail again in July\nDutch media reports ferries could "
                           "sail again as early as July.", "reports")
    assert described(doc, frame) == ("Dutch media", "reports", [
        "ferries could sail again as early as July"])


def test_a_colon_headline_may_name_a_nationality_and_a_noun() -> None:
    doc, frame = the_frame("Dutch media: the ferry service could resume in July", ":")
    assert described(doc, frame) == ("Dutch media", ":", [
        "the ferry service could resume in July"])


@pytest.mark.parametrize(("text", "cue", "source", "content", "kind"), [
    pytest.param("The governor made the case that taxes should fall.", "made", "The governor",
                 ["the case that taxes should fall"], CueKind.SPEECH, id="made-the-case"),
    pytest.param("Officials have made clear that they will appeal the ruling.", "made",
                 "Officials", ["that they will appeal the ruling"], CueKind.SPEECH,
                 id="made-clear-that"),
    pytest.param("She gave assurances that the plant would stay open.", "gave", "She",
                 ["assurances that the plant would stay open"], CueKind.SPEECH,
                 id="gave-assurances"),
    pytest.param("The senator spoke out against the pipeline on Friday.", "spoke",
                 "The senator", ["the pipeline"], CueKind.STANCE, id="spoke-against"),
    pytest.param("The mayor took aim at the proposal.", "took", "The mayor", ["the proposal"],
                 CueKind.STANCE, id="took-aim-at"),
])
def test_a_light_verb_with_a_noun_of_speech_is_a_cue(text: str, cue: str, source: str,
                                                     content: list[str],
                                                     kind: CueKind) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame) == (source, cue, content)
    assert frame.kind is kind


def test_a_light_verb_without_a_noun_of_speech_is_no_cue() -> None:
    _, frames = frames_of("The team made a late run and took the lead.")
    assert not [f for f in frames if f.lemma in ("make", "take")]


def test_that_said_and_a_restrictive_that_name_no_speaker() -> None:
    _, frames = frames_of("That said, voters remain wary of the plan. Ads that portray the "
                          "mayor as weak have run all week.")
    assert [f.source for f in frames if f.lemma in ("say", "portray")] == [None, None]


def test_a_cue_inside_a_quotation_reports_no_further_than_the_quotation() -> None:
    # (the parser takes the speech tag for part of the object of "understand")
    doc, frame = the_frame("“I think that is fine, and people who give to her understand "
                           "that,” Lasry told the paper in May.", "understand")
    assert described(doc, frame)[2] == ["that,”"]


def test_a_closing_speech_tag_reports_the_belief_before_it() -> None:
    text = "The mayor thinks the tax is unfair, her spokesman said on Monday."
    doc, said = the_frame(text, "said")
    assert described(doc, said) == ("her spokesman", "said",
                                    ["The mayor thinks the tax is unfair"])
    _, thinks = the_frame(text, "thinks")
    assert described(doc, thinks)[2] == ["the tax is unfair"]
    assert outermost(find_attributions(doc), doc) == [said]


def test_a_gapped_relative_speech_clause_is_not_in_the_content_around_it() -> None:
    text = "The mayor criticized the old plan, which she said would cost too much."
    doc, criticized = the_frame(text, "criticized")
    assert described(doc, criticized)[2] == ["the old plan"]
    _, said = the_frame(text, "said")
    assert outermost(find_attributions(doc), doc) == [criticized, said]


def test_a_generic_you_believes_nothing_and_an_impersonal_it_holds_no_attitude() -> None:
    _, frames = frames_of("You know the plan is fine. It supports the view that rents will "
                          "rise.")
    assert [(f.lemma, f.source) for f in frames if f.lemma in ("know", "support")] == [
        ("know", None), ("support", None)]


def test_add_and_read_are_cues_only_with_a_clause() -> None:
    _, frames = frames_of("The council added two new parks to the plan. She read the report "
                          "on the train.")
    assert [f.lemma for f in frames] == []
    doc, added = the_frame("The mayor added that the parks would open in May.", "added")
    assert described(doc, added) == ("The mayor", "added", ["that the parks would open in May"])


def test_a_speech_tag_set_off_inside_its_clause_takes_the_speaker_after_it() -> None:
    doc, said = the_frame("Any fair reading of the budget, said Anna Berg, an analyst at the "
                          "bank, would find a deficit.", "said")
    assert described(doc, said)[0] == "Anna Berg"
    doc, said = the_frame("And the mayor, said Anna Berg, who worked for her for years, does "
                          "not forgive.", "said")
    assert described(doc, said)[0] == "Anna Berg"
    # a subject with a clause of its own is the speaker, and what follows the cue is said
    doc, said = the_frame("Aides to the mayor, who had a long career in banking, said their "
                          "plans, already costly, would grow.", "said")
    assert described(doc, said)[0].startswith("Aides to the mayor")


def test_a_perfect_read_as_a_passive_keeps_its_subject() -> None:
    doc, said = the_frame("He's said he will not run again.", "said")
    assert described(doc, said) == ("He", "said", ["he will not run again"])


def test_an_active_verb_joined_to_a_passive_one_shares_its_subject_not_its_agent() -> None:
    doc, said = the_frame("The minister was pressed by reporters and said that the talks had "
                          "failed.", "said")
    assert described(doc, said) == ("The minister", "said", ["that the talks had failed"])


def test_a_direct_question_holds_no_attitude_of_its_subject() -> None:
    _, frames = frames_of("Do you support the new budget?")
    assert frames == []


def test_made_it_clear_reports_the_clause_the_parser_hangs_on_clear() -> None:
    doc, made = the_frame("The mayor made it clear that she would not resign.", "made")
    assert described(doc, made) == ("The mayor", "made", ["that she would not resign"])


def test_as_someone_put_it_reports_the_clause_it_hangs_on() -> None:
    doc, put = the_frame("As one diplomat put it, the talks were a waste of time.", "put")
    assert described(doc, put) == ("one diplomat", "put", ["the talks were a waste of time"])
    doc, put = the_frame("The deal, as one diplomat put it, was an extreme makeover.", "put")
    assert described(doc, put)[2] == ["The deal", "was an extreme makeover"]
    assert not [f for f in find_attributions(parse("He put it on the table."))
                if f.lemma == "put"]


def test_may_want_to_is_advice_not_a_wish() -> None:
    _, frames = frames_of("The mayor may want to check her figures.")
    assert [f.lemma for f in frames if f.lemma == "want"] == []
    _, frames = frames_of("The mayor wants to check her figures.")
    assert [f.lemma for f in frames if f.lemma == "want"] == ["want"]


def test_show_up_and_show_off_are_no_cues() -> None:
    _, frames = frames_of("The mayor showed up at the meeting. She showed off the new bridge.")
    assert [f.lemma for f in frames if f.lemma == "show"] == []
    doc, shows = the_frame("The report shows that rents rose.", "shows")
    assert described(doc, shows) == ("The report", "shows", ["that rents rose"])


def test_ahead_in_the_polls_is_a_standing_but_one_poll_reports_figures() -> None:
    _, frames = frames_of("The mayor is still ahead in national polls.")
    assert frames == []
    doc, in_poll = the_frame("The mayor was at 25 percent in the latest poll.", "in")
    assert described(doc, in_poll) == ("the latest poll", "in", ["The mayor was at 25 percent"])
    doc, in_polls = the_frame("In recent polls, the mayor leads by five points.", "In")
    assert described(doc, in_polls)[0] == "recent polls"


def test_a_restrictive_that_with_a_plain_object_describes_its_noun() -> None:
    doc, highlight = the_frame("The campaign aired ads that highlight his record on jobs.",
                               "highlight")
    assert highlight.source is None
    doc, said = the_frame("The agency released a report that said rents would rise.", "said")
    assert described(doc, said) == ("that", "said", ["rents would rise"])


@pytest.mark.parametrize(("text", "cue", "source"), [
    ("The senator has a long history of blaming reporters for her troubles.", "blaming",
     "The senator"),
    ("Ms. Ortiz was suspended after criticizing the board in public.", "criticizing",
     "Ms. Ortiz"),
    ("The mayor found ways to cast herself as the heir of the old guard.", "cast", "The mayor"),
])
def test_a_gerund_or_infinitive_without_a_subject_takes_the_subject_of_its_clause(
        text: str, cue: str, source: str) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame)[0] == source


def test_a_place_or_thing_to_do_something_names_no_one_who_does_it() -> None:
    _, frame = the_frame("The square became a place to offer support.", "offer")
    assert frame.source is None


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("At the convention, the delegates must vote for the winner of the state.", "vote",
     "the winner of the state"),
    ("Instead, the governor focused on the budget.", "focused", "the budget"),
])
def test_a_phrase_fronted_before_an_attitude_is_not_its_content(text: str, cue: str,
                                                                  content: str) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame)[2] == [content]


def test_a_fronted_phrase_is_still_what_a_speech_tag_reports() -> None:
    doc, frame = the_frame("Sorry, Sanders said.", "said")
    assert described(doc, frame) == ("Sanders", "said", ["Sorry"])


def test_an_as_clause_with_a_content_of_its_own_reports_nothing_around_it() -> None:
    doc, frame = the_frame("Ms. Lee wept as she thanked her supporters.", "thanked")
    assert described(doc, frame) == ("she", "thanked", ["her supporters"])
    text = "As the minister continues to push the reform, the unions are planning a strike."
    doc, frames = frames_of(text)
    assert not [f for f in frames if doc[f.cue[0]].text == "continues"]
    doc, frame = the_frame("As the mayor told the Daily News, the port will reopen in May.", "told")
    assert described(doc, frame)[2] == ["the port will reopen in May"]


def test_an_attitude_toward_a_time_is_none() -> None:
    doc, frames = frames_of("Ortiz voted on March 2 and will hold her party in Miami.")
    assert not [f for f in frames if doc[f.cue[0]].text == "voted"]
    doc, frame = the_frame("The ruling came the same day that Ortiz railed against the judge.",
                           "railed")
    assert described(doc, frame)[0] == "Ortiz"


def test_cast_and_paint_are_cues_only_with_an_as_phrase() -> None:
    doc, frames = frames_of("About 46 percent of voters cast ballots on Tuesday.")
    assert not frames
    doc, frame = the_frame("The senator cast herself as the heir of the old guard.", "cast")
    assert described(doc, frame)[0] == "The senator"
    doc, frame = the_frame("Critics painted the mayor as a liar.", "painted")
    assert described(doc, frame)[0] == "Critics"


def test_it_before_a_curly_contracted_be_is_no_source() -> None:
    """The model lemmatizes "’s" (curly apostrophe) as "’", not "be"."""
    for text in ("It's hard to know where the donors will put their money.",
                 "It’s hard to know where the donors will put their money."):
        doc, frames = frames_of(text)
        assert not [f for f in frames if doc[f.cue[0]].text == "know" and f.source], text


def test_a_speaker_joined_by_and_is_not_part_of_what_the_first_said() -> None:
    text = ("One in three said the party does not care about the Latino community and one in "
            "four said the party was hostile to it.")
    doc, frames = frames_of(text)
    said = {described(doc, f)[0]: described(doc, f)[2] for f in frames}
    assert said["One in three"] == ["the party does not care about the Latino community"]
    assert said["one in four"] == ["the party was hostile to it"]


@pytest.mark.parametrize(("text", "cue", "source", "content"), [
    ("She implied farmers were the ones raising prices.", "implied", "She",
     "farmers were the ones raising prices"),
    ("Ana Ruiz, the legendary environmental activist and lawyer, endorsed Jones’ approach "
     "Saturday.", "endorsed", "Ana Ruiz", "Jones’ approach Saturday"),
])
def test_a_verb_misread_as_a_modifier_of_its_object_is_still_a_cue(
        text: str, cue: str, source: str, content: str) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame) == (source, cue, [content])


def test_a_participle_modifying_its_noun_is_no_cue() -> None:
    for text in ("The reported figure was wrong.", "Clinton's proposed plan would cost more."):
        assert not frames_of(text)[1], text


@pytest.mark.parametrize(("text", "cue"), [
    ("The governor smiled and she said, “as long as nobody is watching.”", "said"),
    ("Then the crowd cheered and Lee said, “as long as we are not violating any election "
     "laws.”", "said"),
    ("Weaver seemed unimpressed, telling reporters, “A lot of people said the governor should "
     "step down.”", "telling"),
])
def test_a_quotation_after_the_cue_and_a_comma_is_what_was_said(text: str, cue: str) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame)[2] == [text[text.index("“"):]]


def test_a_colon_after_the_addressee_opens_what_was_told() -> None:
    doc, frame = the_frame("He tells the crowd: “I do not want you to get the wrong impression.”",
                           "tells")
    assert described(doc, frame) == (
        "He", "tells", ["“I do not want you to get the wrong impression.”"])


@pytest.mark.parametrize(("text", "cue", "content"), [
    ("Only a quarter of voters agree with him.", "agree", "him"),
    ("The union responded with a lawsuit.", "responded", "a lawsuit"),
    ("The senator talked with reporters about the budget.", "talked", "the budget"),
])
def test_with_is_the_content_only_of_agreeing_and_answering(text: str, cue: str,
                                                            content: str) -> None:
    doc, frame = the_frame(text, cue)
    assert described(doc, frame)[2] == [content]


def test_a_passive_judgment_by_an_agent_is_a_cue() -> None:
    doc, frame = the_frame("Pork is considered unclean by some religious groups.", "considered")
    assert described(doc, frame)[0] == "some religious groups"
    assert not frames_of("The team found the body.")[1]


def test_pointing_out_a_noun_is_a_cue() -> None:
    doc, frame = the_frame("He is pointing out the progress he has made in the polls.",
                           "pointing out")
    assert described(doc, frame) == ("He", "pointing out",
                                     ["the progress he has made in the polls"])


def test_a_participle_of_mental_state_after_be_takes_the_subject_of_be() -> None:
    doc, frame = the_frame("But the voters are convinced that the mayor could have done much "
                           "more.", "convinced")
    assert described(doc, frame) == ("the voters", "convinced",
                                     ["that the mayor could have done much more"])


def test_a_report_speaks_for_its_clause_but_a_statement_it_sits_in_does_not() -> None:
    doc, frame = the_frame("In the report, the port lost 40 million euros last year.", "In")
    assert described(doc, frame)[0] == "the report"
    doc, frames = frames_of("In his statement Saturday, Ortiz went further in trying to hold "
                            "the governor accountable.")
    assert not frames


def test_a_time_after_a_noun_of_speech_is_not_what_was_said() -> None:
    doc, frame = the_frame("The senator's remarks on Tuesday about the budget drew criticism.",
                           "remarks")
    assert described(doc, frame)[2] == ["the budget"]
    assert not frames_of("Her remarks on Monday drew criticism.")[1]


def test_the_clause_before_a_relative_cue_is_not_its_content() -> None:
    doc, frame = the_frame("The campaign is running ads in Ohio and Indiana, which votes on the "
                           "plan next week.", "votes")
    assert described(doc, frame) == ("which", "votes", ["the plan"])


def test_speaking_on_a_day_or_on_condition_is_not_speaking_on_a_topic() -> None:
    doc, frame = the_frame("The mayor spoke on Wednesday about the budget.", "spoke")
    assert described(doc, frame) == ("The mayor", "spoke", ["the budget"])
    assert not frames_of("The mayor spoke on Wednesday.")[1]
    doc, frames = frames_of("The official, who spoke on the condition of anonymity, said the "
                            "port will reopen.")
    assert [doc[f.cue[0]].text for f in frames] == ["said"]
