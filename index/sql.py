"""Every SQL statement of the store, in one place."""

# Each hyphenated compound the paragraphs print, joined (lower case) and as its parts: a phrase typed with
# the joined word also matches the paragraphs printing the parts (index/variants.py). Part of SCHEMA; an index made
# before it gains it by its next write (`Store.respell_text`).
COMPOUND_SCHEMA = "CREATE TABLE IF NOT EXISTS compounds (joined TEXT PRIMARY KEY, parts TEXT NOT NULL)"
# The rows of a kind without reading every paragraph: a search's default filter (operative paragraphs) in 5 ms
# instead of 22 ms on the full corpus, and in proportion at a million. Part of SCHEMA; an index made before
# it gains it by its next write of documents (`unres index` or `remove`: `Store.upgrade`).
KIND_INDEX = "CREATE INDEX IF NOT EXISTS paragraphs_kind ON paragraphs (kind)"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resolutions (
    symbol TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    session INTEGER,
    title TEXT,
    adopted TEXT,
    meeting TEXT,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS resolutions_sha256 ON resolutions (sha256);
CREATE TABLE IF NOT EXISTS paragraphs (
    row INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    symbol TEXT NOT NULL REFERENCES resolutions (symbol) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    number INTEGER,
    section TEXT,
    phrase TEXT NOT NULL,
    verb TEXT NOT NULL,
    modifiers TEXT NOT NULL,
    text TEXT NOT NULL,
    footnotes TEXT NOT NULL,
    citations TEXT NOT NULL,
    body TEXT NOT NULL,
    session INTEGER,
    adopted TEXT
);
CREATE INDEX IF NOT EXISTS paragraphs_symbol ON paragraphs (symbol, position);
CREATE INDEX IF NOT EXISTS paragraphs_verb ON paragraphs (verb);
{KIND_INDEX};
CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_text USING fts5 (text, tokenize = 'porter unicode61');
{COMPOUND_SCHEMA};
"""

# A paragraph's year: adopted, else (a Security Council resolution whose date the text lost) its symbol's.
YEAR = "COALESCE(substr(p.adopted, 1, 4), CASE WHEN p.symbol GLOB 'S/RES/*([0-9][0-9][0-9][0-9])' THEN substr(p.symbol, -5, 4) END)"
FACET_COLUMNS = {"body": "p.body", "kind": "p.kind", "verb": "NULLIF(p.verb, '')", "year": YEAR, "session": "p.session"}
# What a search matches: the paragraphs holding its words (`:match`), or all, passing the filters.
MATCHING = "FROM paragraph_text JOIN paragraphs p ON p.row = paragraph_text.rowid WHERE paragraph_text MATCH :match {filters}"
FILTERED = "FROM paragraphs p WHERE 1 = 1 {filters}"
COUNT_MATCHING = "SELECT COUNT(*) {source}"
FACET_COUNTS = "SELECT {column}, COUNT(*) {source} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT :limit"
ROWS_BY_DATE = f"SELECT p.row {{source}} ORDER BY COALESCE(p.adopted, {YEAR}) DESC, p.symbol DESC, p.position LIMIT :limit OFFSET :offset"

GET_META = "SELECT value FROM meta WHERE key = ?"
GET_METAS = "SELECT key, value FROM meta WHERE key IN (SELECT value FROM json_each(?))"
SET_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"

SYMBOL_OF_SHA256 = "SELECT symbol FROM resolutions WHERE sha256 = ? LIMIT 1"
SOURCE_OF_SYMBOL = "SELECT source, sha256 FROM resolutions WHERE symbol = ?"
ALL_TEXT_ROWS = "SELECT rowid FROM paragraph_text ORDER BY rowid"
RESOLUTION_SHA256 = "SELECT sha256 FROM resolutions WHERE symbol = ?"
INSERT_RESOLUTION = """
INSERT INTO resolutions (symbol, body, session, title, adopted, meeting, source, sha256, document)
VALUES (:symbol, :body, :session, :title, :adopted, :meeting, :source, :sha256, :document)
"""
INSERT_PARAGRAPH = """
INSERT INTO paragraphs (id, symbol, position, kind, number, section, phrase, verb, modifiers, text,
                        footnotes, citations, body, session, adopted)
VALUES (:id, :symbol, :position, :kind, :number, :section, :phrase, :verb, :modifiers, :text,
        :footnotes, :citations, :body, :session, :adopted)
"""
INSERT_TEXT = "INSERT INTO paragraph_text (rowid, text) VALUES (?, ?)"
DELETE_ALL_TEXT = "DELETE FROM paragraph_text"
INSERT_COMPOUND = "INSERT OR IGNORE INTO compounds (joined, parts) VALUES (?, ?)"
PARTS_OF_JOINED = "SELECT joined, parts FROM compounds WHERE joined IN (SELECT value FROM json_each(?))"
ALL_TEXTS = "SELECT row, text FROM paragraphs"
ROWS_OF_SYMBOL = "SELECT row FROM paragraphs WHERE symbol = ?"
DELETE_TEXT = "DELETE FROM paragraph_text WHERE rowid = ?"
DELETE_PARAGRAPHS = "DELETE FROM paragraphs WHERE symbol = ?"
DELETE_RESOLUTION = "DELETE FROM resolutions WHERE symbol = ?"

RESOLUTION_DOCUMENT = "SELECT document FROM resolutions WHERE symbol = ?"
PARAGRAPH_COLUMNS = """
p.row, p.id, p.symbol, p.position, p.kind, p.number, p.section, p.phrase, p.verb, p.modifiers, p.text,
p.footnotes, p.citations, p.body, p.session, p.adopted, r.title,
(SELECT q.id FROM paragraphs q WHERE q.symbol = p.symbol AND q.position < p.position ORDER BY q.position DESC LIMIT 1),
(SELECT q.id FROM paragraphs q WHERE q.symbol = p.symbol AND q.position > p.position ORDER BY q.position LIMIT 1)
"""
PARAGRAPHS_BY_ROW = f"""
SELECT {PARAGRAPH_COLUMNS} FROM paragraphs p JOIN resolutions r USING (symbol) WHERE p.row IN (SELECT value FROM json_each(?))
"""
PARAGRAPH_BY_ID = f"SELECT {PARAGRAPH_COLUMNS} FROM paragraphs p JOIN resolutions r USING (symbol) WHERE p.id = ?"
LEXICAL = """
SELECT paragraph_text.rowid, -bm25(paragraph_text) AS score
FROM paragraph_text JOIN paragraphs p ON p.row = paragraph_text.rowid
WHERE paragraph_text MATCH :match {filters}
ORDER BY bm25(paragraph_text) LIMIT :limit
"""
LEXICAL_DOCUMENTS = "SELECT p.row, p.text, r.title, p.section FROM paragraphs p JOIN resolutions r USING (symbol) ORDER BY p.row"
LEXICAL_DOCUMENTS_BY_ROW = """
SELECT p.row, p.text, r.title, p.section FROM paragraphs p JOIN resolutions r USING (symbol)
WHERE p.row IN (SELECT value FROM json_each(?)) ORDER BY p.row
"""
TEXTS_MATCHING = """
SELECT p.text FROM paragraph_text JOIN paragraphs p ON p.row = paragraph_text.rowid
WHERE paragraph_text MATCH :match LIMIT :limit
"""
FILTERED_ROWS = "SELECT p.row FROM paragraphs p WHERE 1 = 1 {filters}"
ALL_IDS = "SELECT id FROM paragraphs"
KNOWN_VERBS = "SELECT DISTINCT verb FROM paragraphs"
VERB_COUNTS = """
SELECT verb, COUNT(*) FROM paragraphs WHERE verb != '' AND kind IN (SELECT value FROM json_each(?))
GROUP BY verb ORDER BY COUNT(*) DESC, verb
"""
KNOWN_SESSIONS = "SELECT DISTINCT session FROM resolutions WHERE session IS NOT NULL ORDER BY session"
KNOWN_SYMBOLS = "SELECT symbol FROM resolutions WHERE symbol IN (SELECT value FROM json_each(?))"
# A symbol as written, or an SC number without its year (`S/RES/242(`), completed by the index.
RESOLVE_SYMBOL = "SELECT symbol FROM resolutions WHERE symbol = :symbol OR (substr(:symbol, -1) = '(' AND symbol LIKE :symbol || '%') LIMIT 1"

COUNT_RESOLUTIONS = "SELECT body, COUNT(*) FROM resolutions GROUP BY body"
COUNT_PARAGRAPHS = "SELECT body, kind, COUNT(*) FROM paragraphs GROUP BY body, kind"
COVERAGE = f"SELECT p.body, {YEAR}, COUNT(*), SUM(p.adopted IS NULL) FROM resolutions p GROUP BY 1, 2 ORDER BY 1, 2"
SESSION_COUNTS = "SELECT session, COUNT(*) FROM resolutions WHERE session IS NOT NULL GROUP BY session ORDER BY session"
FACETS_BY_ROW = """
SELECT row, body, verb, session, substr(adopted, 1, 4), text FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))
"""
IDS_TEXTS_BY_ROW = "SELECT row, id, text FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))"
COPIES_BY_ROW = """
SELECT row, id, symbol, adopted, text FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))
"""

# Links between paragraphs (lineage) and from paragraphs to what they cite; created on open of any
# index, so one built before them gains them (and fills them on its next write, see links.py).
LINK_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS lineage (
        earlier INTEGER NOT NULL REFERENCES paragraphs (row) ON DELETE CASCADE,
        later INTEGER NOT NULL REFERENCES paragraphs (row) ON DELETE CASCADE,
        relation TEXT NOT NULL,
        similarity REAL NOT NULL,
        PRIMARY KEY (earlier, later)
    )
    """,
    "CREATE INDEX IF NOT EXISTS lineage_later ON lineage (later)",
    """
    CREATE TABLE IF NOT EXISTS cites (
        row INTEGER NOT NULL REFERENCES paragraphs (row) ON DELETE CASCADE,
        cited TEXT NOT NULL,
        via TEXT NOT NULL,
        PRIMARY KEY (row, cited, via)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS items (
        earlier TEXT NOT NULL REFERENCES resolutions (symbol) ON DELETE CASCADE,
        later TEXT NOT NULL REFERENCES resolutions (symbol) ON DELETE CASCADE,
        how TEXT NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (earlier, later)
    )
    """,
    "CREATE INDEX IF NOT EXISTS items_later ON items (later)",
    "DROP INDEX IF EXISTS cites_cited",
    "CREATE INDEX IF NOT EXISTS cites_cited_nocase ON cites (cited COLLATE NOCASE)",
)
HAS_LINK_TABLES = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('lineage', 'cites')"
CLEAR_LINEAGE = "DELETE FROM lineage"
CLEAR_CITES = "DELETE FROM cites"
ALL_ROWS = "SELECT row FROM paragraphs"
LINK_PARAGRAPHS_OF_ROWS = """
SELECT row, symbol, kind, section, verb, text, adopted FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))
"""
LINK_PARAGRAPHS_OF_SYMBOLS = """
SELECT row, symbol, kind, section, verb, text, adopted FROM paragraphs WHERE symbol IN (SELECT value FROM json_each(?))
ORDER BY row
"""
SECTIONS_OF_SYMBOL = "SELECT json_extract(document, '$.sections') FROM resolutions WHERE symbol = ?"
CITED_IN_TEXT_OF_SYMBOL = """
SELECT DISTINCT c.cited FROM cites c JOIN paragraphs p USING (row) WHERE p.symbol = ? AND c.via = 'text'
"""
# The first test finds the rows by cites_cited_nocase, the second keeps the exact symbol; with the second
# alone, every stored paragraph was read for each Council resolution linked (scale_index.py).
CITING_IN_TEXT = """
SELECT DISTINCT p.symbol FROM cites c JOIN paragraphs p USING (row)
WHERE c.cited = :symbol COLLATE NOCASE AND c.cited = :symbol AND c.via = 'text'
"""
INSERT_ITEM = """
INSERT INTO items (earlier, later, how, score) VALUES (?, ?, ?, ?)
ON CONFLICT (earlier, later) DO UPDATE SET how = excluded.how, score = excluded.score
"""
ITEM_PARTNERS = "SELECT later FROM items WHERE earlier = :symbol UNION SELECT earlier FROM items WHERE later = :symbol"
ITEM_LINKS = """
SELECT i.earlier, i.later, i.how, i.score FROM items i JOIN resolutions r ON r.symbol = i.earlier
WHERE :symbol IS NULL OR i.earlier = :symbol OR i.later = :symbol ORDER BY r.adopted, i.earlier, i.later
"""
ADOPTED_OF_SYMBOLS = "SELECT symbol, adopted FROM resolutions WHERE symbol IN (SELECT value FROM json_each(?))"
CLEAR_ITEMS = "DELETE FROM items"
HAS_ITEMS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'"
RESOLUTION_TITLES = "SELECT symbol, body, session, adopted, title FROM resolutions"
CITATION_SOURCES = """
SELECT row, id, text, footnotes, citations FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))
"""
INSERT_LINK = """
INSERT INTO lineage (earlier, later, relation, similarity) VALUES (?, ?, ?, ?)
ON CONFLICT (earlier, later) DO UPDATE SET relation = excluded.relation, similarity = excluded.similarity
WHERE excluded.relation = 'version' OR lineage.relation = 'elsewhere'
"""
INSERT_CITE = "INSERT OR IGNORE INTO cites (row, cited, via) VALUES (?, ?, ?)"
CITING = """
SELECT p.id, p.symbol, p.adopted, r.title, p.text, group_concat(c.via)
FROM cites c JOIN paragraphs p ON p.row = c.row JOIN resolutions r ON r.symbol = p.symbol
WHERE c.cited = ? COLLATE NOCASE GROUP BY p.row ORDER BY p.adopted, p.symbol, p.position
"""
ALL_CITES = """
SELECT p.id, p.symbol, c.cited, c.via, (SELECT 1 FROM resolutions WHERE symbol = c.cited)
FROM cites c JOIN paragraphs p USING (row) ORDER BY p.row, c.cited, c.via
"""
ALL_LINKS = """
SELECT e.id, l2.id, l.relation, l.similarity
FROM lineage l JOIN paragraphs e ON e.row = l.earlier JOIN paragraphs l2 ON l2.row = l.later ORDER BY l.earlier, l.later
"""
TREND = f"""
SELECT p.body, p.session, {YEAR}, COUNT(*)
FROM paragraph_text JOIN paragraphs p ON p.row = paragraph_text.rowid
WHERE paragraph_text MATCH :match {{filters}}
GROUP BY 1, 2, 3
"""
TREND_TOTALS = f"SELECT p.body, p.session, {YEAR}, COUNT(*) FROM paragraphs p WHERE 1 = 1 {{filters}} GROUP BY 1, 2, 3"
VERSION_LINKS = """
SELECT l.earlier, e.symbol, l.later, a.symbol, l.similarity
FROM lineage l JOIN paragraphs e ON e.row = l.earlier JOIN paragraphs a ON a.row = l.later
WHERE l.relation = 'version'
  AND (l.earlier IN (SELECT value FROM json_each(:rows)) OR l.later IN (SELECT value FROM json_each(:rows)))
"""
ELSEWHERE_LINKS = """
SELECT CASE WHEN earlier = :row THEN later ELSE earlier END, similarity FROM lineage
WHERE relation = 'elsewhere' AND (earlier = :row OR later = :row) ORDER BY similarity DESC
"""
ROWS_OF_KIND_IN_SYMBOL = "SELECT row FROM paragraphs WHERE symbol = ? AND kind = ? ORDER BY position"
SYMBOLS_OF_ROWS = "SELECT row, symbol FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))"
CITED_AS = "SELECT cited FROM cites WHERE cited = ? COLLATE NOCASE LIMIT 1"
ROWS_OF_IDS = "SELECT id, row, symbol, adopted FROM paragraphs WHERE id IN (SELECT value FROM json_each(?))"
# As CITING_IN_TEXT: the first test finds the rows by cites_cited_nocase (with the second alone, every
# citation was read for each result page: 1.3 ms of a 24 ms search), the second keeps the exact symbols.
CITING_COUNTS = """
SELECT cited, COUNT(DISTINCT row) FROM cites
WHERE cited COLLATE NOCASE IN (SELECT value FROM json_each(:symbols)) AND cited IN (SELECT value FROM json_each(:symbols))
GROUP BY cited
"""
ADOPTED_OF_ROWS = "SELECT row, json_array(COALESCE(adopted, ''), symbol) FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))"

# The acronym glossary (glossary.py): definitions found per resolution, removed with it.
GLOSSARY_SCHEMA = """
CREATE TABLE IF NOT EXISTS glossary (
    symbol TEXT NOT NULL REFERENCES resolutions (symbol) ON DELETE CASCADE,
    acronym TEXT NOT NULL,
    expansion TEXT NOT NULL,
    count INTEGER NOT NULL,
    defined INTEGER NOT NULL,  -- 1: `Name (ACRONYM)` defined here; a name used here, by 0: its capitals, 2: every initial
    PRIMARY KEY (symbol, acronym, expansion, defined)
)
"""
GLOSSARY_INDEX = "CREATE INDEX IF NOT EXISTS glossary_acronym ON glossary (acronym, defined)"
HAS_GLOSSARY = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'glossary'"
CLEAR_GLOSSARY = "DELETE FROM glossary"
INSERT_DEFINITION = "INSERT INTO glossary (symbol, acronym, expansion, count, defined) VALUES (?, ?, ?, ?, ?)"
GLOSSARY_COUNTS = "SELECT acronym, expansion, SUM(count) FROM glossary WHERE defined = 1 GROUP BY acronym, expansion"
NAME_COUNTS = "SELECT expansion, SUM(count) FROM glossary WHERE defined = 0 AND acronym = ? GROUP BY expansion"
NAME_COUNTS_IN = """
SELECT expansion, SUM(count) FROM glossary
WHERE defined IN (0, 2) AND acronym = ? AND symbol IN (SELECT value FROM json_each(?)) GROUP BY expansion
"""
SYMBOLS_MATCHING = """
SELECT DISTINCT p.symbol FROM paragraph_text JOIN paragraphs p ON p.row = paragraph_text.rowid WHERE paragraph_text MATCH ?
"""
ALL_SYMBOLS = "SELECT symbol FROM resolutions ORDER BY symbol"
TITLE_OF_SYMBOL = "SELECT title FROM resolutions WHERE symbol = ?"
TEXTS_OF_SYMBOL = "SELECT text FROM paragraphs WHERE symbol = ? ORDER BY position"
