"""A developing story in four steps, written for these tests (our own text): the articles a
local feed server publishes one step at a time.

1. The Alpine Courier: the first report, the governor's toll of 12.
2. Swiss Daily Record: a second outlet citing the same governor.
3. Bern Evening Post: an independent source, the hospital director, gives the same toll.
4. Lakeside Gazette: the police give a revised toll of 9, which conflicts with the 12.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StepArticle:
    outlet: str
    slug: str
    title: str
    published: str  # RFC 822, as RSS dates are written
    paragraphs: tuple[str, ...]


STEPS: tuple[StepArticle, ...] = (
    StepArticle(
        "The Alpine Courier", "brienz-floods-kill-12",
        "Flash floods kill 12 in Brienz, governor says",
        "Tue, 03 Mar 2026 08:00:00 +0000",
        (
            "At least 12 people were killed when flash floods swept through the Swiss town of "
            "Brienz on Tuesday, regional governor Markus Steiner said.",
            "Steiner told reporters in Interlaken that rescue teams were still searching for "
            "four people reported missing after the Glyssibach stream burst its banks before "
            "dawn.",
            "Heavy rain had fallen on the Bernese Oberland for three days, and the national "
            "weather service had issued its highest warning level on Monday evening.",
            "The army sent two helicopters to lift residents from houses cut off by mud, "
            "Steiner said, and about 300 people spent the night in a school gymnasium.",
            "The railway line between Interlaken and Meiringen was closed, the operator said, "
            "and would stay shut until engineers had inspected two damaged bridges.",
            "Local people said the stream had never risen so fast. \"The water came down the "
            "street like a river of stones,\" said a baker whose shop on the main square was "
            "flooded.",
            "The federal government said it stood ready to help the canton with whatever "
            "equipment and staff the rescue effort needed.",
        ),
    ),
    StepArticle(
        "Swiss Daily Record", "governor-brienz-toll-12",
        "Brienz floods: governor puts death toll at 12",
        "Tue, 03 Mar 2026 09:30:00 +0000",
        (
            "Flash floods killed 12 people in Brienz on Tuesday, according to regional governor "
            "Markus Steiner.",
            "Speaking in Interlaken, Steiner said four people were still missing and that the "
            "search would continue through the night with thermal cameras.",
            "Residents described a wall of mud and boulders coming down the Glyssibach valley "
            "shortly after four in the morning, after three days of heavy rain.",
            "About 300 people were evacuated to a school gymnasium, Steiner said, while the "
            "army flew helicopters over the worst hit streets of the lakeside town.",
            "The cantonal government will meet on Wednesday to release emergency funds for "
            "the families who lost their homes, the governor added.",
            "The slopes above the village had long been considered unstable, and the canton "
            "had begun building a new barrier below the gorge.",
            "Shops and the lakeside promenade were covered in a thick layer of grey mud on "
            "Tuesday afternoon, and volunteers from neighbouring villages arrived with shovels.",
            "Schools in the town will stay closed until the streets have been cleared.",
        ),
    ),
    StepArticle(
        "Bern Evening Post", "hospital-confirms-brienz-dead",
        "Hospital confirms 12 dead after Brienz floods",
        "Tue, 03 Mar 2026 11:00:00 +0000",
        (
            "Twelve people died in the Brienz floods, hospital director Anna Keller said on "
            "Tuesday, after their bodies were brought to the hospital in Interlaken.",
            "Keller said 23 people were being treated for injuries, five of them in intensive "
            "care, and that surgeons had worked through the morning.",
            "The hospital called in off-duty staff and postponed planned operations so that "
            "it could take in the injured from Brienz, Keller told the Bern Evening Post.",
            "Flash floods struck the town before dawn on Tuesday when the Glyssibach stream "
            "burst its banks after three days of heavy rain over the Bernese Oberland.",
            "Rescue teams were still searching for people missing under the mud in the "
            "upper part of the town, where several houses were destroyed.",
            "Relatives of the missing gathered at a reception centre set up by the Red Cross "
            "in the town hall, where psychologists were on hand to support them.",
            "The hospital said blood donations were welcome, although its stocks were "
            "sufficient for the moment.",
            "Doctors described scenes of great distress among the families who came looking "
            "for news.",
        ),
    ),
    StepArticle(
        "Lakeside Gazette", "police-revise-brienz-toll",
        "Police revise Brienz flood toll to 9",
        "Tue, 03 Mar 2026 13:00:00 +0000",
        (
            "Nine people were killed in the Brienz floods, cantonal police spokesman Daniel "
            "Frei said on Tuesday, revising the toll given in the morning.",
            "Frei said three people first counted among the dead had been found alive in a "
            "farmhouse cut off by the mud above the town.",
            "The search for four people reported missing after the Glyssibach stream burst "
            "its banks before dawn would continue on Wednesday, the police said.",
            "About 300 residents of Brienz spent the night in a school gymnasium after the "
            "army lifted them out of their homes by helicopter.",
            "The railway line between Interlaken and Meiringen remained closed while "
            "engineers inspected two damaged bridges, the operator said.",
            "The police apologised for the confusion over the number of victims and said that "
            "identifying the dead had been difficult in the chaos of the first hours.",
            "Volunteers from neighbouring villages helped residents clear thick grey mud from "
            "shops and cellars along the lakeside promenade on Tuesday afternoon.",
            "Roads into the town remained closed to all but emergency vehicles.",
        ),
    ),
)


def article_html(step: StepArticle) -> str:
    """The item's full text as the feed carries it (content:encoded)."""
    return "".join(f"<p>{p}</p>" for p in step.paragraphs)
