"""Every SQL statement of the store, in one place."""

SCHEMA = """
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
CREATE VIRTUAL TABLE IF NOT EXISTS paragraph_text USING fts5 (text, tokenize = 'porter unicode61');
"""

GET_META = "SELECT value FROM meta WHERE key = ?"
SET_META = "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"

HAS_SHA256 = "SELECT 1 FROM resolutions WHERE sha256 = ? LIMIT 1"
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
FILTERED_ROWS = "SELECT p.row FROM paragraphs p WHERE 1 = 1 {filters}"
ALL_IDS = "SELECT id FROM paragraphs"
KNOWN_VERBS = "SELECT DISTINCT verb FROM paragraphs"
KNOWN_SYMBOLS = "SELECT symbol FROM resolutions WHERE symbol IN (SELECT value FROM json_each(?))"

COUNT_RESOLUTIONS = "SELECT body, COUNT(*) FROM resolutions GROUP BY body"
COUNT_PARAGRAPHS = "SELECT body, kind, COUNT(*) FROM paragraphs GROUP BY body, kind"
IDS_TEXTS_BY_ROW = "SELECT row, id, text FROM paragraphs WHERE row IN (SELECT value FROM json_each(?))"
