"""The current schema as SQLAlchemy Core tables, for building portable queries.

The DDL that creates these lives in `migrations.py` (SQLite dialect, FTS5); these objects
describe the tables as the latest migration leaves them, so a Postgres backend can reuse
every query that does not touch full-text search.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, LargeBinary, MetaData, Table, Text

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("text_hash", Text, nullable=False, unique=True),
    Column("raw_sha256", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("format", Text, nullable=False),
    Column("url", Text),
    Column("outlet", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", Text),
    Column("published_via", Text),
    Column("language", Text),
    Column("text", Text, nullable=False),
    Column("removed_json", Text, nullable=False),
    Column("extractor", Text, nullable=False),
    Column("near_duplicate_of", BigInteger, ForeignKey("articles.id")),
    Column("near_duplicate_similarity", Float),
    Column("ingested_at", Text, nullable=False),
)

raw_documents = Table(
    "raw_documents",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), primary_key=True),
    Column("compressed", LargeBinary, nullable=False),
)

inputs = Table(
    "inputs",
    metadata,
    Column("raw_sha256", Text, primary_key=True),
    Column("source", Text, nullable=False),
    Column("outcome", Text, nullable=False),
    Column("article_id", BigInteger, ForeignKey("articles.id"), nullable=False),
    Column("similarity", Float),
    Column("seen_at", Text, nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", BigInteger, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("article_id", BigInteger, ForeignKey("articles.id"), nullable=False),
)

minhash_signatures = Table(
    "minhash_signatures",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", Text, primary_key=True),
    Column("applied_at", Text, nullable=False),
)

extractions = Table(
    "extractions",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), primary_key=True),
    Column("version", Text, nullable=False),
    Column("skipped", Text),
    Column("data", Text, nullable=False),
    Column("extracted_at", Text, nullable=False),
)

entities = Table(
    "entities",
    metadata,
    Column("key", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("country", Text),
    Column("lat", Float),
    Column("lon", Float),
)

entity_mentions = Table(
    "entity_mentions",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), nullable=False),
    Column("key", Text, ForeignKey("entities.key"), nullable=False),
    Column("start", BigInteger, nullable=False),
    Column("end", BigInteger, nullable=False),
)

entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("alias", Text, primary_key=True),
    Column("key", Text, ForeignKey("entities.key"), nullable=False),
)

person_words = Table(
    "person_words",
    metadata,
    Column("word", Text, primary_key=True),
    Column("key", Text, ForeignKey("entities.key"), primary_key=True),
)

claims = Table(
    "claims",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("article_id", BigInteger, ForeignKey("articles.id"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("start", BigInteger, nullable=False),
    Column("end", BigInteger, nullable=False),
    Column("certainty", Text, nullable=False),
    Column("primary_source", Text),
    Column("text", Text, nullable=False),
)


stories = Table(
    "stories",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("merged_into", BigInteger, ForeignKey("stories.id")),
    Column("merge_reason", Text),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), primary_key=True),
    Column("story_id", BigInteger, ForeignKey("stories.id"), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", Text, nullable=False),
)

cluster_profiles = Table(
    "cluster_profiles",
    metadata,
    Column("article_id", BigInteger, ForeignKey("articles.id"), primary_key=True),
    Column("version", Text, nullable=False),
    Column("vector", LargeBinary),
    Column("features", Text, nullable=False),
)

story_corrections = Table(
    "story_corrections",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("articles", Text, nullable=False),  # JSON list of article ids
    Column("target", Text, nullable=False),  # JSON list of article ids
    Column("story_ids", Text, nullable=False),  # JSON list, as the analyst gave them
    Column("note", Text, nullable=False),
)

story_checks = Table(
    "story_checks",
    metadata,
    Column("story_id", BigInteger, ForeignKey("stories.id"), primary_key=True),
    Column("version", Text, nullable=False),  # the cross-check code version that made it
    Column("members", Text, nullable=False),  # JSON list of member article ids, sorted
    Column("state", Text, nullable=False),  # hash of the members and their extractions
    Column("data", LargeBinary, nullable=False),  # zlib'd JSON of records.CrossCheck
    Column("articles", BigInteger, nullable=False),
    Column("outlets", BigInteger, nullable=False),
    Column("facts", BigInteger, nullable=False),
    Column("conflicts", BigInteger, nullable=False),
    Column("disputed", BigInteger, nullable=False),
    Column("developing", BigInteger, nullable=False),
    Column("origins", BigInteger, nullable=False),
    Column("computed_at", Text, nullable=False),
    Column("seconds", Float, nullable=False),
)

story_checks_stale = Table(
    "story_checks_stale",
    metadata,
    Column("story_id", BigInteger, primary_key=True),
    Column("since", Text, nullable=False),
    Column("seq", BigInteger, nullable=False),
)
