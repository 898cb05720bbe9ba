"""Named, recorded schema migrations: each runs once, in order, and is recorded by name.

A migration is a list of SQL statements. The store applies the ones not yet recorded in
`schema_migrations` inside one transaction, so a database is always at a named version.
New migrations are appended, never edited once landed.
"""

from __future__ import annotations

_REFRESH_STORY_LISTING = """
    INSERT OR REPLACE INTO story_listing
        (story_id, articles, outlets, first_instant, last_instant, changes)
    SELECT m.story_id, COUNT(*), COUNT(DISTINCT a.outlet),
           MIN(julianday(COALESCE(a.published, a.ingested_at))),
           MAX(julianday(COALESCE(a.published, a.ingested_at))),
           COALESCE((SELECT l.changes FROM story_listing l WHERE l.story_id = {sid}), 0) + 1
    FROM story_members m JOIN articles a ON a.id = m.article_id
    WHERE m.story_id = {sid} GROUP BY m.story_id;
    DELETE FROM story_listing WHERE story_id = {sid}
        AND NOT EXISTS (SELECT 1 FROM story_members WHERE story_id = {sid});
"""
_PROFILE_CHANGED = """
    UPDATE story_listing SET changes = changes + 1
    WHERE story_id = (SELECT story_id FROM story_members WHERE article_id = NEW.article_id);
"""

_CHECK_COUNTS_SET = """
    UPDATE story_listing SET
        checked_outlets = (SELECT c.outlets FROM story_checks c WHERE c.story_id = {sid}),
        conflicts = (SELECT c.conflicts + c.disputed FROM story_checks c
                     WHERE c.story_id = {sid})
"""
_CHECK_COUNTS = _CHECK_COUNTS_SET + " WHERE story_id = {sid};\n"

# story_names (migration 0014): one row per (live story, entity name its articles mention),
# counting the member articles that mention it, with the story's newest instant beside it.
_NAMES_OF_ARTICLE = (
    "SELECT DISTINCT e.name FROM entity_mentions em JOIN entities e ON e.key = em.key "
    "WHERE em.article_id = {aid}"
)
_NAMES_JOIN = f"""
    INSERT INTO story_names (story_id, name, articles, last_instant)
    SELECT {{sid}}, name, 1,
           (SELECT l.last_instant FROM story_listing l WHERE l.story_id = {{sid}})
    FROM ({_NAMES_OF_ARTICLE.format(aid="{aid}")}) WHERE true
    ON CONFLICT (story_id, name) DO UPDATE SET articles = articles + 1;
"""
_NAMES_LEAVE = f"""
    UPDATE story_names SET articles = articles - 1
    WHERE story_id = {{sid}} AND name IN ({_NAMES_OF_ARTICLE.format(aid="{aid}")});
    DELETE FROM story_names WHERE story_id = {{sid}} AND articles <= 0;
"""
# A mention written or removed while its article is in a story (a re-extraction): the count
# moves only for the article's first mention of a name, or its last.
_OTHER_MENTION_OF_NAME = (
    "SELECT 1 FROM entity_mentions o JOIN entities oe ON oe.key = o.key "
    "WHERE o.article_id = {row}.article_id AND o.rowid != {row}.rowid AND oe.name = e.name"
)
_MENTION_NEW = f"""
    INSERT INTO story_names (story_id, name, articles, last_instant)
    SELECT m.story_id, e.name, 1,
           (SELECT l.last_instant FROM story_listing l WHERE l.story_id = m.story_id)
    FROM story_members m JOIN entities e ON e.key = NEW.key
    WHERE m.article_id = NEW.article_id
      AND NOT EXISTS ({_OTHER_MENTION_OF_NAME.format(row="NEW")})
    ON CONFLICT (story_id, name) DO UPDATE SET articles = articles + 1;
"""
_MENTION_GONE = """
    UPDATE story_names SET articles = articles - 1
    WHERE story_id = (SELECT m.story_id FROM story_members m
                      WHERE m.article_id = OLD.article_id)
      AND name = (SELECT e.name FROM entities e WHERE e.key = OLD.key)
      AND NOT EXISTS (SELECT 1 FROM entity_mentions o JOIN entities oe ON oe.key = o.key
                      WHERE o.article_id = OLD.article_id AND oe.name = story_names.name);
    DELETE FROM story_names WHERE articles <= 0 AND story_id = (
        SELECT m.story_id FROM story_members m WHERE m.article_id = OLD.article_id);
"""
_IN_A_STORY = "EXISTS (SELECT 1 FROM story_members WHERE article_id = {row}.article_id)"

MIGRATIONS: list[tuple[str, list[str]]] = [
    (
        "0001_articles_inputs_fts",
        [
            """
            CREATE TABLE articles (
                id INTEGER PRIMARY KEY,
                text_hash TEXT NOT NULL UNIQUE,
                raw_sha256 TEXT NOT NULL,
                source TEXT NOT NULL,
                format TEXT NOT NULL,
                url TEXT,
                outlet TEXT,
                title TEXT,
                author TEXT,
                published TEXT,
                published_via TEXT,
                language TEXT,
                text TEXT NOT NULL,
                removed_json TEXT NOT NULL DEFAULT '[]',
                extractor TEXT NOT NULL,
                near_duplicate_of INTEGER REFERENCES articles(id),
                near_duplicate_similarity REAL,
                ingested_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX articles_published ON articles(published)",
            "CREATE INDEX articles_outlet ON articles(outlet)",
            "CREATE INDEX articles_near_duplicate_of ON articles(near_duplicate_of)",
            # The input as it arrived (zlib), so cleaning can be audited and re-run.
            """
            CREATE TABLE raw_documents (
                article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                compressed BLOB NOT NULL
            )
            """,
            # Every input ever taken in, and what became of it: makes ingest idempotent, and
            # keeps where an exact duplicate was also seen.
            """
            CREATE TABLE inputs (
                raw_sha256 TEXT PRIMARY KEY,
                source TEXT NOT NULL,
                outcome TEXT NOT NULL,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                similarity REAL,
                seen_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX inputs_article ON inputs(article_id)",
            # MinHash LSH, persisted: one row per band of each article's signature; a bucket key
            # hashes the band number in, so one `bucket IN (...)` finds every candidate.
            """
            CREATE TABLE minhash_bands (
                band INTEGER NOT NULL,
                bucket INTEGER NOT NULL,
                article_id INTEGER NOT NULL REFERENCES articles(id)
            )
            """,
            "CREATE INDEX minhash_bands_lookup ON minhash_bands(bucket)",
            """
            CREATE TABLE minhash_signatures (
                article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                signature BLOB NOT NULL
            )
            """,
            """
            CREATE VIRTUAL TABLE articles_fts USING fts5(
                title, text, content='articles', content_rowid='id',
                tokenize='unicode61 remove_diacritics 2'
            )
            """,
            """
            CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
            END
            """,
            """
            CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
            END
            """,
            """
            CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
            END
            """,
        ],
    ),
    (
        "0002_extractions_entities_claims",
        [
            # What the extract stage found, whole (JSON of records.Extraction), per article.
            """
            CREATE TABLE extractions (
                article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                version TEXT NOT NULL,
                skipped TEXT,
                data TEXT NOT NULL,
                extracted_at TEXT NOT NULL
            )
            """,
            # Entities across the corpus, and which articles mention them where.
            """
            CREATE TABLE entities (
                key TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                name TEXT NOT NULL,
                country TEXT,
                lat REAL,
                lon REAL
            )
            """,
            """
            CREATE TABLE entity_mentions (
                article_id INTEGER NOT NULL REFERENCES articles(id),
                key TEXT NOT NULL REFERENCES entities(key),
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL
            )
            """,
            "CREATE INDEX entity_mentions_key ON entity_mentions(key)",
            "CREATE INDEX entity_mentions_article ON entity_mentions(article_id)",
            # A short name seen before its full form ("Putin", then "Vladimir Putin").
            """
            CREATE TABLE entity_aliases (
                alias TEXT PRIMARY KEY,
                key TEXT NOT NULL REFERENCES entities(key)
            )
            """,
            # Claims, one row each, for cross-article queries by later stages.
            """
            CREATE TABLE claims (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                position INTEGER NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL,
                certainty TEXT NOT NULL,
                primary_source TEXT,
                text TEXT NOT NULL
            )
            """,
            "CREATE INDEX claims_article ON claims(article_id)",
        ],
    ),
    (
        "0003_stories",
        [
            # Stories; one merged into another keeps its row, so an id once shown resolves.
            """
            CREATE TABLE stories (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                merged_into INTEGER REFERENCES stories(id),
                merge_reason TEXT
            )
            """,
            # Which story each article is in, in arrival order, with why it joined (JSON).
            """
            CREATE TABLE story_members (
                article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                story_id INTEGER NOT NULL REFERENCES stories(id),
                position INTEGER NOT NULL,
                reason TEXT NOT NULL,
                evidence TEXT NOT NULL
            )
            """,
            "CREATE INDEX story_members_story ON story_members(story_id)",
            # What the clusterer compares (embedding + features), kept so restarts and
            # reclustering never re-embed.
            """
            CREATE TABLE cluster_profiles (
                article_id INTEGER PRIMARY KEY REFERENCES articles(id),
                version TEXT NOT NULL,
                vector BLOB,
                features TEXT NOT NULL
            )
            """,
        ],
    ),
    (
        "0004_ingest_jobs",
        [
            # Web ingest jobs as last seen (JSON snapshot), so a restart keeps their record.
            """
            CREATE TABLE ingest_jobs (
                id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                created_at TEXT NOT NULL
            )
            """,
        ],
    ),
    (
        "0005_cluster_epoch",
        [
            # Bumped by every clustering write: a run that read the stories at epoch N may
            # write only while the epoch is still N (two runs at once never interleave).
            """
            CREATE TABLE cluster_epoch (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                epoch INTEGER NOT NULL
            )
            """,
            "INSERT INTO cluster_epoch (id, epoch) VALUES (1, 0)",
            "CREATE INDEX story_members_position ON story_members(position)",
        ],
    ),
    (
        "0006_published_instant",
        [
            # Lists sort by the instant (julianday reads the UTC offset), not the ISO text:
            # the same expression indexed, so a page of newest articles needs no full sort.
            "CREATE INDEX articles_published_instant ON articles(julianday(published))",
        ],
    ),
    (
        "0007_person_words",
        [
            # The first and last word of every full name of a person ("kim", "un" for
            # "person:kim jong un"): a short name finds its full name by index, where a LIKE
            # on every key scanned the whole entity table once per name per article.
            """
            CREATE TABLE person_words (
                word TEXT NOT NULL,
                key TEXT NOT NULL REFERENCES entities(key),
                PRIMARY KEY (word, key)
            ) WITHOUT ROWID
            """,
            # the names already stored: after "person:", the text before the first space...
            """
            INSERT OR IGNORE INTO person_words (word, key)
            SELECT substr(key, 8, instr(substr(key, 8), ' ') - 1), key FROM entities
            WHERE kind = 'person' AND instr(substr(key, 8), ' ') > 0
            """,
            # ...and after the last one (rtrim by every non-space character leaves the text up
            # to the last space)
            """
            INSERT OR IGNORE INTO person_words (word, key)
            SELECT substr(substr(key, 8),
                          length(rtrim(substr(key, 8), replace(substr(key, 8), ' ', ''))) + 1),
                   key
            FROM entities WHERE kind = 'person' AND instr(substr(key, 8), ' ') > 0
            """,
        ],
    ),
    (
        "0008_story_corrections",
        [
            # An analyst's merges, splits, moves and pins, replayed after every clustering
            # run. Anchored on article ids (JSON lists): story ids change on a recluster.
            """
            CREATE TABLE story_corrections (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('merge', 'split', 'move', 'pin')),
                articles TEXT NOT NULL,
                target TEXT NOT NULL,
                story_ids TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT ''
            )
            """,
        ],
    ),
    (
        "0009_story_checks",
        [
            # Each story's cross-check (records.CrossCheck as zlib'd JSON), computed in the
            # background and read by every dossier; the counts beside it serve lists. `state`
            # hashes the member articles and their extractions it was computed from.
            """
            CREATE TABLE story_checks (
                story_id INTEGER PRIMARY KEY REFERENCES stories(id),
                version TEXT NOT NULL,
                members TEXT NOT NULL,
                state TEXT NOT NULL,
                data BLOB NOT NULL,
                articles INTEGER NOT NULL,
                outlets INTEGER NOT NULL,
                facts INTEGER NOT NULL,
                conflicts INTEGER NOT NULL,
                disputed INTEGER NOT NULL,
                developing INTEGER NOT NULL,
                origins INTEGER NOT NULL,
                computed_at TEXT NOT NULL,
                seconds REAL NOT NULL
            )
            """,
            # Stories whose cross-check is out of date, since when; `seq` moves on with each
            # change, so a recompute that read the story before a later change leaves the mark.
            """
            CREATE TABLE story_checks_stale (
                story_id INTEGER PRIMARY KEY,
                since TEXT NOT NULL,
                seq INTEGER NOT NULL DEFAULT 1
            )
            """,
            # Marked in the very write that changes a story, whichever code path writes it
            # (clustering, second looks, merges, reclustering, corrections, re-extraction).
            """
            CREATE TRIGGER story_members_insert_stale AFTER INSERT ON story_members BEGIN
                INSERT INTO story_checks_stale (story_id, since)
                VALUES (new.story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
                ON CONFLICT (story_id) DO UPDATE SET seq = seq + 1;
            END
            """,
            """
            CREATE TRIGGER story_members_move_stale AFTER UPDATE OF story_id ON story_members
            WHEN old.story_id != new.story_id BEGIN
                INSERT INTO story_checks_stale (story_id, since)
                VALUES (old.story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
                ON CONFLICT (story_id) DO UPDATE SET seq = seq + 1;
                INSERT INTO story_checks_stale (story_id, since)
                VALUES (new.story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
                ON CONFLICT (story_id) DO UPDATE SET seq = seq + 1;
            END
            """,
            """
            CREATE TRIGGER story_members_delete_stale AFTER DELETE ON story_members BEGIN
                INSERT INTO story_checks_stale (story_id, since)
                VALUES (old.story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))
                ON CONFLICT (story_id) DO UPDATE SET seq = seq + 1;
            END
            """,
            """
            CREATE TRIGGER extractions_insert_stale AFTER INSERT ON extractions BEGIN
                INSERT INTO story_checks_stale (story_id, since)
                SELECT story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
                FROM story_members WHERE article_id = new.article_id
                ON CONFLICT (story_id) DO UPDATE SET seq = seq + 1;
            END
            """,
        ],
    ),
    (
        "0010_story_listing",
        [
            # One row per live story with what lists sort and filter on, so a page of stories
            # is an index range, never a GROUP BY over every membership. Kept current by
            # triggers: every write path (join, move, merge, split, recluster) updates it.
            """
            CREATE TABLE story_listing (
                story_id INTEGER PRIMARY KEY REFERENCES stories(id),
                articles INTEGER NOT NULL,
                outlets INTEGER NOT NULL,
                first_instant REAL,
                last_instant REAL,
                changes INTEGER NOT NULL DEFAULT 0  -- bumped by every change: a cache key
            )
            """,
            "CREATE INDEX story_listing_newest ON story_listing(last_instant, story_id)",
            "CREATE INDEX story_listing_articles ON story_listing(articles, last_instant, "
            "story_id)",
            "CREATE INDEX story_listing_outlets ON story_listing(outlets, last_instant, story_id)",
            "CREATE TRIGGER story_listing_join AFTER INSERT ON story_members BEGIN"
            + _REFRESH_STORY_LISTING.format(sid="NEW.story_id") + "END",
            "CREATE TRIGGER story_listing_leave AFTER DELETE ON story_members BEGIN"
            + _REFRESH_STORY_LISTING.format(sid="OLD.story_id") + "END",
            "CREATE TRIGGER story_listing_move AFTER UPDATE OF story_id ON story_members BEGIN"
            + _REFRESH_STORY_LISTING.format(sid="OLD.story_id")
            + _REFRESH_STORY_LISTING.format(sid="NEW.story_id") + "END",
            # A story's title, entities and places come from its members' cluster profiles.
            "CREATE TRIGGER story_listing_profile_new AFTER INSERT ON cluster_profiles BEGIN"
            + _PROFILE_CHANGED + "END",
            "CREATE TRIGGER story_listing_profile_changed AFTER UPDATE ON cluster_profiles BEGIN"
            + _PROFILE_CHANGED + "END",
            """
            INSERT INTO story_listing (story_id, articles, outlets, first_instant, last_instant)
            SELECT m.story_id, COUNT(*), COUNT(DISTINCT a.outlet),
                   MIN(julianday(COALESCE(a.published, a.ingested_at))),
                   MAX(julianday(COALESCE(a.published, a.ingested_at)))
            FROM story_members m JOIN articles a ON a.id = m.article_id GROUP BY m.story_id
            """,
            # Article lists filter on an outlet whatever its case; the expression indexed.
            "CREATE INDEX articles_outlet_folded ON articles(lower(outlet))",
        ],
    ),
    (
        "0011_story_listing_checks",
        [
            # The stored cross-check's counts beside each listing row, so sorting by outlets or
            # by conflicts is an index range too (it was a join on story_checks and a sort of
            # every matching story). NULL where no check is stored: `checked_outlets` falls
            # back to the listing's own count; `conflicts` (conflicting + disputed facts) sorts
            # such stories last (NULL is lowest, so last in a DESC order).
            "ALTER TABLE story_listing ADD COLUMN checked_outlets INTEGER",
            "ALTER TABLE story_listing ADD COLUMN conflicts INTEGER",
            # A stored check, new or replaced (INSERT OR REPLACE fires the insert trigger).
            "CREATE TRIGGER story_listing_check_new AFTER INSERT ON story_checks BEGIN"
            + _CHECK_COUNTS.format(sid="NEW.story_id") + "END",
            "CREATE TRIGGER story_listing_check_changed AFTER UPDATE ON story_checks BEGIN"
            + _CHECK_COUNTS.format(sid="NEW.story_id") + "END",
            "CREATE TRIGGER story_listing_check_gone AFTER DELETE ON story_checks BEGIN"
            + _CHECK_COUNTS.format(sid="OLD.story_id") + "END",
            # A membership change rewrites the listing row (INSERT OR REPLACE): the counts of
            # its stored check, if any, go back beside it.
            "CREATE TRIGGER story_listing_row_new AFTER INSERT ON story_listing BEGIN"
            + _CHECK_COUNTS.format(sid="NEW.story_id") + "END",
            _CHECK_COUNTS_SET.format(sid="story_listing.story_id"),  # the rows there already
            # The sorts' orders, as stories.STORY_SORTS writes them (the expression verbatim).
            "CREATE INDEX story_listing_shown_outlets ON story_listing("
            "COALESCE(checked_outlets, outlets), last_instant, story_id)",
            "CREATE INDEX story_listing_conflicts ON story_listing("
            "conflicts, last_instant, story_id)",
        ],
    ),
    (
        "0012_watch",
        [
            # `corroborate watch`: each polled feed's HTTP validators, schedule and back-off,
            # so a restarted watcher neither re-downloads nor hammers a failing host.
            """
            CREATE TABLE watch_feeds (
                url TEXT PRIMARY KEY,
                etag TEXT,
                last_modified TEXT,
                next_due REAL NOT NULL DEFAULT 0,  -- unix seconds
                failures INTEGER NOT NULL DEFAULT 0,
                last_status TEXT NOT NULL DEFAULT '',
                last_polled TEXT
            )
            """,
            # Feed items taken in: written in the same transaction as the article, so an item
            # is seen only once it is stored (a crash in between repeats the item, never loses
            # it; the input hash makes the repeat a no-op).
            """
            CREATE TABLE watch_seen (
                feed_url TEXT NOT NULL,
                item_key TEXT NOT NULL,
                article_id INTEGER,
                seen_at TEXT NOT NULL,
                PRIMARY KEY (feed_url, item_key)
            )
            """,
        ],
    ),
    (
        "0013_alerts",
        [
            """
            CREATE TABLE watchlists (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,  -- entity, place, outlet, words, similar, story
                query TEXT NOT NULL,
                created_at TEXT NOT NULL,
                webhook_url TEXT,
                webhook_secret TEXT
            )
            """,
            # What alerts were last computed from, per story: a digest of its stored
            # cross-check. Alerts compare the stored cross-check with this, so a watcher killed
            # between recompute and alerting finds the difference again on its next round.
            """
            CREATE TABLE watch_baselines (
                story_id INTEGER PRIMARY KEY,
                digest TEXT NOT NULL,
                computed_at TEXT NOT NULL
            )
            """,
            # `key` is unique: the same alert is never raised twice.
            """
            CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
                story_id INTEGER NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                detail TEXT NOT NULL,
                evidence TEXT NOT NULL,  -- JSON list of {outlet, source, text, article_id}
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX alerts_watchlist ON alerts(watchlist_id, id)",
            # Webhook deliveries still owed (retried with back-off) or done.
            """
            CREATE TABLE alert_deliveries (
                alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
                url TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_try REAL NOT NULL DEFAULT 0,
                delivered_at TEXT,
                last_error TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (alert_id, url)
            )
            """,
        ],
    ),
    (
        "0014_story_names",
        [
            # Which live stories mention an entity name, newest first: the dossier's related
            # stories ("not covered by") read an index range per name instead of walking
            # the mentions (hundreds of thousands for "United States" at 100k articles).
            # Kept by triggers in the clustering write's own transaction, so it is never
            # behind the memberships (tests/store/test_story_names.py).
            """
            CREATE TABLE story_names (
                story_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                articles INTEGER NOT NULL,  -- member articles mentioning the name
                last_instant REAL,  -- story_listing.last_instant, for the order
                PRIMARY KEY (story_id, name)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX story_names_newest ON story_names(name, last_instant, story_id)",
            "CREATE TRIGGER story_names_join AFTER INSERT ON story_members BEGIN"
            + _NAMES_JOIN.format(sid="NEW.story_id", aid="NEW.article_id") + "END",
            "CREATE TRIGGER story_names_leave AFTER DELETE ON story_members BEGIN"
            + _NAMES_LEAVE.format(sid="OLD.story_id", aid="OLD.article_id") + "END",
            "CREATE TRIGGER story_names_move AFTER UPDATE OF story_id ON story_members "
            "WHEN OLD.story_id IS NOT NEW.story_id BEGIN"
            + _NAMES_LEAVE.format(sid="OLD.story_id", aid="OLD.article_id")
            + _NAMES_JOIN.format(sid="NEW.story_id", aid="NEW.article_id") + "END",
            "CREATE TRIGGER story_names_mention_new AFTER INSERT ON entity_mentions WHEN "
            + _IN_A_STORY.format(row="NEW") + " BEGIN" + _MENTION_NEW + "END",
            "CREATE TRIGGER story_names_mention_gone AFTER DELETE ON entity_mentions WHEN "
            + _IN_A_STORY.format(row="OLD") + " BEGIN" + _MENTION_GONE + "END",
            # The listing row is rewritten (INSERT OR REPLACE) on every membership change.
            "CREATE TRIGGER story_names_instant AFTER INSERT ON story_listing BEGIN "
            "UPDATE story_names SET last_instant = NEW.last_instant "
            "WHERE story_id = NEW.story_id AND last_instant IS NOT NEW.last_instant; END",
            "CREATE TRIGGER story_names_instant_changed AFTER UPDATE OF last_instant "
            "ON story_listing BEGIN "
            "UPDATE story_names SET last_instant = NEW.last_instant "
            "WHERE story_id = NEW.story_id AND last_instant IS NOT NEW.last_instant; END",
            """
            INSERT INTO story_names (story_id, name, articles, last_instant)
            SELECT m.story_id, e.name, COUNT(DISTINCT m.article_id), l.last_instant
            FROM story_members m JOIN entity_mentions em ON em.article_id = m.article_id
            JOIN entities e ON e.key = em.key
            LEFT JOIN story_listing l ON l.story_id = m.story_id
            GROUP BY m.story_id, e.name
            """,
        ],
    ),
]
