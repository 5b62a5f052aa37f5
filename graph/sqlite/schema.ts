// Schema of the embedded store: one SQLite file, WAL, FTS5 over subjects and bodies.
// Bump SCHEMA_VERSION when a table changes shape; an older file is then refused with a clear
// message instead of being read wrongly.

export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- One row per message, keyed by Message-ID (synthetic ids for header-less dumps).
CREATE TABLE IF NOT EXISTS messages (
  id                 INTEGER PRIMARY KEY,
  msgid              TEXT NOT NULL UNIQUE,
  synthetic          INTEGER NOT NULL,
  from_name          TEXT,
  from_address       TEXT,
  from_obfuscated    INTEGER NOT NULL DEFAULT 0,
  date               TEXT,
  tz_offset          INTEGER,
  date_raw           TEXT,
  subject            TEXT NOT NULL,
  normalized_subject TEXT NOT NULL,
  subject_json       TEXT NOT NULL,
  list_id            TEXT,
  in_reply_to        TEXT,
  references_json    TEXT NOT NULL,
  to_json            TEXT NOT NULL,
  cc_json            TEXT NOT NULL,
  body               TEXT NOT NULL,
  footers_json       TEXT NOT NULL,
  attachments_json   TEXT NOT NULL,
  extra_json         TEXT NOT NULL,
  inferred_json      TEXT,
  provenance_json    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_date ON messages(date);
CREATE INDEX IF NOT EXISTS messages_from ON messages(from_address);
CREATE INDEX IF NOT EXISTS messages_subject ON messages(normalized_subject);

-- Every place a message was read from (more than one row when it arrived twice).
CREATE TABLE IF NOT EXISTS message_sources (
  msgid  TEXT NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  offset INTEGER NOT NULL,
  PRIMARY KEY (msgid, source, offset)
) WITHOUT ROWID;

-- Full text over subject, author and body. Identifiers such as pfn_valid stay one token.
-- External content: the column names must be columns of messages (snippet() reads them there).
CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5(
  subject, from_name, from_address, body,
  content = 'messages', content_rowid = 'id',
  tokenize = "unicode61 tokenchars '_'"
);
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO message_fts(rowid, subject, from_name, from_address, body)
  VALUES (new.id, new.subject, new.from_name, new.from_address, new.body);
END;

-- The thread forest: one row per container (stored message or ghost of an unseen one).
CREATE TABLE IF NOT EXISTS thread_nodes (
  msgid      TEXT PRIMARY KEY,
  root       TEXT NOT NULL,
  parent     TEXT,
  method     TEXT,
  confidence REAL,
  evidence   TEXT,
  ghost      INTEGER NOT NULL,
  depth      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS thread_nodes_root ON thread_nodes(root);
CREATE INDEX IF NOT EXISTS thread_nodes_parent ON thread_nodes(parent);

CREATE TABLE IF NOT EXISTS archives (
  source      TEXT PRIMARY KEY,
  format      TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  messages    INTEGER NOT NULL,
  duplicates  INTEGER NOT NULL,
  skipped     INTEGER NOT NULL,
  truncated   INTEGER NOT NULL,
  ingested_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS skips (
  source TEXT NOT NULL,
  offset INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (source, offset, reason)
) WITHOUT ROWID;
`;
