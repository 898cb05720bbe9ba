"""What the dossier's coverage panel reads from the store besides the story's own check.

Stories sharing a main entity or place are the base from which the dossier tells which
outlets usually cover such stories (and are silent on this one); ingest's near-duplicate
links say which reports are copies of another. The web and the CLI both read them here.
"""

from __future__ import annotations

from corroborate.records import CrossCheck, Story
from corroborate.store.sqlite import Store

RELATED_NAMES = (3, 2)  # main entities, main places a related story may share
RELATED_LIMIT = 100  # related stories read per name (the most recent)


def related_stories(store: Store, story: Story) -> list[Story]:
    """Stories of the store sharing one of this story's main entities or places (exact
    names), as far as the coverage panel needs them: id and outlets (no members)."""
    names = [*story.entities[:RELATED_NAMES[0]], *story.places[:RELATED_NAMES[1]]]
    found = store.stories.sharing_names(names, story.id, RELATED_LIMIT)
    return [Story(sid, "", (), outlets, None, None) for sid, outlets in found.items()]


def near_duplicates(store: Store, check: CrossCheck) -> dict[int, int]:
    """Article id → the original it was stored as a near-duplicate of, for the story's
    articles (the coverage panel lists such a copy under its original)."""
    stored = store.get_articles([a.article_id for a in check.articles])
    return {s.id: s.near_duplicate_of for s in stored if s.near_duplicate_of is not None}
