// Schema of the embedded store: one SQLite file, WAL, FTS5 over subjects and bodies.
// Bump SCHEMA_VERSION when a table changes shape; an older file is then refused with a clear
// message instead of being read wrongly.

export const SCHEMA_VERSION = 2;


// The claims (graph/claims.ts): created by the claim store when the database is opened (new tables
// only, so files written before them gain them without a version change).
export const CLAIM_SCHEMA_SQL = `
-- Claim [msgid + sentence index], ASSERTS from its message; answers_claim is ANSWERS.
-- A rowid table (rows appended in the order the claims stage writes them) with the claim id
-- unique beside it: keyed by the id itself, a random string, every batch of claims rewrote pages
-- all over the table (graph/sqlite/claims.ts drops a table of that older shape).
CREATE TABLE IF NOT EXISTS claims (
  id                TEXT NOT NULL UNIQUE,
  msgid             TEXT NOT NULL,
  sentence_index    INTEGER NOT NULL,
  text              TEXT NOT NULL,
  kind              TEXT NOT NULL,
  confidence        REAL NOT NULL,
  entities_json     TEXT NOT NULL,
  lines_json        TEXT NOT NULL,
  answers_json      TEXT,
  stance            TEXT NOT NULL,
  origin            TEXT NOT NULL,
  quote_depth       INTEGER NOT NULL,
  quoted_author     TEXT,
  answers_claim     TEXT,
  thread            TEXT,
  series            TEXT,
  revision          TEXT,
  patch             TEXT,
  verdict           TEXT NOT NULL,
  why               TEXT NOT NULL,
  status            TEXT,
  status_why        TEXT,
  extractor_version TEXT NOT NULL
);
-- ABOUT Claim→Symbol [kind + name].
CREATE TABLE IF NOT EXISTS claim_symbols (
  claim_id TEXT NOT NULL,
  kind     TEXT NOT NULL,
  name     TEXT NOT NULL,
  PRIMARY KEY (claim_id, kind, name)
) WITHOUT ROWID;
-- Check [name]; CHECKED_BY Claim→Check with the linker's reasons.
CREATE TABLE IF NOT EXISTS checks (
  name    TEXT PRIMARY KEY,
  decides TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS check_links (
  claim_id     TEXT NOT NULL,
  check_name   TEXT NOT NULL,
  polarity     TEXT NOT NULL,
  reasons_json TEXT NOT NULL,
  PRIMARY KEY (claim_id, check_name)
) WITHOUT ROWID;
-- CheckRun [check + variant + params hash]; RAN is check_name.
CREATE TABLE IF NOT EXISTS check_runs (
  key           TEXT PRIMARY KEY,
  check_name    TEXT NOT NULL,
  variant       TEXT NOT NULL,
  params_hash   TEXT NOT NULL,
  input_hash    TEXT NOT NULL,
  case_id       TEXT NOT NULL,
  scenario      TEXT NOT NULL,
  kernel        TEXT NOT NULL,
  model_version TEXT NOT NULL,
  verdict       TEXT NOT NULL,
  why           TEXT NOT NULL,
  run_json      TEXT NOT NULL
) WITHOUT ROWID;
-- VERDICT CheckRun→Claim: the variant verdict the run took part in.
CREATE TABLE IF NOT EXISTS claim_verdicts (
  claim_id   TEXT NOT NULL,
  run_key    TEXT NOT NULL,
  check_name TEXT NOT NULL,
  role       TEXT NOT NULL,
  label      TEXT NOT NULL,
  applies_patch INTEGER NOT NULL,
  verdict    TEXT NOT NULL,
  why        TEXT NOT NULL,
  PRIMARY KEY (claim_id, run_key, label)
) WITHOUT ROWID;
`;

/** The tables the claims stage writes again for every message (runs stay: they are keyed by what
 * was run, not by the claim). */
export const EXTRACTION_TABLES = ['claim_verdicts', 'check_links', 'claim_symbols', 'claims'] as const;

/**
 * Secondary indexes of the claim tables (lookups by message, series, thread, symbol name and run).
 * Created with the claim schema; while the claims stage rewrites every message's claims they are
 * dropped and built once at its end (SqliteClaimStore.startExtraction), as the derivation indexes
 * are.
 */
export const EXTRACTION_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'claims_msgid', sql: `CREATE INDEX IF NOT EXISTS claims_msgid ON claims(msgid);` },
  { name: 'claims_series', sql: `CREATE INDEX IF NOT EXISTS claims_series ON claims(series);` },
  { name: 'claims_thread', sql: `CREATE INDEX IF NOT EXISTS claims_thread ON claims(thread);` },
  { name: 'claim_symbols_name', sql: `CREATE INDEX IF NOT EXISTS claim_symbols_name ON claim_symbols(name);` },
  { name: 'claim_verdicts_run', sql: `CREATE INDEX IF NOT EXISTS claim_verdicts_run ON claim_verdicts(run_key);` },
];

/** The per-message derivation tables (below), emptied when the derive stage starts over. Version 1
 * of the schema had tables of the same names keyed by Message-ID: a version-1 file is migrated by
 * dropping them (they are made again by the next derive stage, `loregraph ingest` of any archive,
 * even one already ingested). */
export const DERIVATION_TABLES = ['derived_messages', 'quotes', 'hunks', 'message_trailers', 'hunk_comments'] as const;

/**
 * Secondary indexes of the per-message derivation tables (the lookups by quoted message, function,
 * path and commented hunk). Created with the schema; while the derive stage rewrites every
 * message they are dropped and built once at its end (SqlitePatchGraph.startDerivations), which
 * costs a sort instead of a random insertion per row per batch.
 */
export const DERIVATION_INDEXES: readonly { name: string; sql: string }[] = [
  { name: 'quotes_quoted', sql: `CREATE INDEX IF NOT EXISTS quotes_quoted ON quotes(quoted);` },
  { name: 'hunks_function', sql: `CREATE INDEX IF NOT EXISTS hunks_function ON hunks(function_name);` },
  { name: 'hunks_new_path', sql: `CREATE INDEX IF NOT EXISTS hunks_new_path ON hunks(new_path);` },
  { name: 'hunks_old_path', sql: `CREATE INDEX IF NOT EXISTS hunks_old_path ON hunks(old_path);` },
  { name: 'hunk_comments_hunk', sql: `CREATE INDEX IF NOT EXISTS hunk_comments_hunk ON hunk_comments(hunk_msgid, hunk_kind, hunk_index);` },
];

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
-- Few messages are synthetic: a partial index makes counting them (the home page) a lookup, not a
-- scan of every body.
CREATE INDEX IF NOT EXISTS messages_synthetic ON messages(id) WHERE synthetic = 1;

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
-- putMessages writes rows only; indexForSearch() (run by ingest and export after their messages,
-- and by search() first) indexes the rows above the index's largest id with INSERT … SELECT.
-- (Files written before kept a per-row trigger: FTS5 flushes its pending terms to a new segment
-- at every statement savepoint, so a trigger made a segment, and merge work, per message.)
CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5(
  subject, from_name, from_address, body,
  content = 'messages', content_rowid = 'id',
  tokenize = "unicode61 tokenchars '_'"
);
DROP TRIGGER IF EXISTS messages_fts_insert;

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

-- One row per thread with stored messages, rebuilt with the forest (replaceThreadForest), so
-- listing the newest threads reads a row per thread instead of grouping every message.
CREATE TABLE IF NOT EXISTS thread_summaries (
  root     TEXT PRIMARY KEY,
  messages INTEGER NOT NULL,
  first    TEXT,
  last     TEXT,
  subject  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS thread_summaries_last ON thread_summaries(last DESC, root);

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

-- The patch graph (graph/patches.ts), written by the derive stage. Per message: what it derives
-- alone (replaced whole when the message is derived again). These tables are keyed by the
-- message's rowid (messages.id) first, not by its Message-ID: the derive stage writes messages in
-- rowid order, so every batch appends at the end of each table instead of landing on random pages
-- all over it (Message-IDs are random strings). On the 91,854-message linux-arm-kernel epoch the
-- Message-ID-keyed tables made each 500-message batch rewrite pages across the whole table; the
-- derivation writes took 18.4 s by themselves, 7.3 s keyed this way. The msgid is kept beside it
-- for the readers.
CREATE TABLE IF NOT EXISTS derived_messages (
  message_id    INTEGER PRIMARY KEY,
  msgid         TEXT NOT NULL,
  segments_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
  message_id INTEGER NOT NULL,
  start_line INTEGER NOT NULL,
  msgid      TEXT NOT NULL,
  quoted     TEXT NOT NULL,
  depth      INTEGER NOT NULL,
  end_line   INTEGER NOT NULL,
  rule       TEXT NOT NULL,
  evidence   TEXT NOT NULL,
  PRIMARY KEY (message_id, start_line)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hunks (
  message_id    INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  idx           INTEGER NOT NULL,
  msgid         TEXT NOT NULL,
  file          TEXT,
  old_path      TEXT,
  new_path      TEXT,
  status        TEXT NOT NULL,
  old_start     INTEGER NOT NULL,
  old_lines     INTEGER NOT NULL,
  new_start     INTEGER NOT NULL,
  new_lines     INTEGER NOT NULL,
  header        TEXT NOT NULL,
  function_name TEXT,
  start_line    INTEGER NOT NULL,
  end_line      INTEGER NOT NULL,
  source        TEXT NOT NULL,
  depth         INTEGER NOT NULL,
  PRIMARY KEY (message_id, kind, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message_trailers (
  message_id     INTEGER NOT NULL,
  role           TEXT NOT NULL,
  line           INTEGER NOT NULL,
  name           TEXT NOT NULL,
  msgid          TEXT NOT NULL,
  value          TEXT NOT NULL,
  person_name    TEXT,
  person_address TEXT,
  PRIMARY KEY (message_id, role, line, name)
) WITHOUT ROWID;
-- COMMENTS_ON: a reply's comment under a line of a hunk (of a stored patch, or the reply's own quoted hunk).
CREATE TABLE IF NOT EXISTS hunk_comments (
  message_id    INTEGER NOT NULL,
  rule          TEXT NOT NULL,
  hunk_msgid    TEXT NOT NULL,
  hunk_kind     TEXT NOT NULL,
  hunk_index    INTEGER NOT NULL,
  quoted_from   INTEGER NOT NULL,
  msgid         TEXT NOT NULL,
  quoted_to     INTEGER NOT NULL,
  file          TEXT,
  line_text     TEXT NOT NULL,
  old_line      INTEGER,
  new_line      INTEGER,
  comment_from  INTEGER,
  comment_to    INTEGER,
  comment_depth INTEGER,
  comment       TEXT NOT NULL,
  confidence    REAL NOT NULL,
  PRIMARY KEY (message_id, rule, hunk_msgid, hunk_kind, hunk_index, quoted_from)
) WITHOUT ROWID;
-- Over the whole store (replaced whole by each derive run).
CREATE TABLE IF NOT EXISTS series (
  key         TEXT PRIMARY KEY,
  title       TEXT NOT NULL,
  search_text TEXT NOT NULL,
  first_date  TEXT,
  json        TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS revision_members (
  revision_key TEXT NOT NULL,
  series_key   TEXT NOT NULL,
  member_key   TEXT NOT NULL,
  msgid        TEXT,
  role         TEXT NOT NULL,
  rule         TEXT NOT NULL,
  PRIMARY KEY (revision_key, member_key, role)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS revision_members_msgid ON revision_members(msgid);
CREATE TABLE IF NOT EXISTS patch_replies (
  msgid        TEXT NOT NULL,
  target       TEXT NOT NULL,
  target_msgid TEXT,
  revision     TEXT NOT NULL,
  rule         TEXT NOT NULL,
  evidence     TEXT NOT NULL,
  PRIMARY KEY (msgid, target, revision)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS patch_replies_target ON patch_replies(target_msgid);
CREATE TABLE IF NOT EXISTS lineage (
  series_key    TEXT NOT NULL,
  from_key      TEXT NOT NULL,
  to_key        TEXT NOT NULL,
  from_revision TEXT NOT NULL,
  to_revision   TEXT NOT NULL,
  json          TEXT NOT NULL,
  PRIMARY KEY (from_revision, from_key, to_revision, to_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS lineage_series ON lineage(series_key);
CREATE TABLE IF NOT EXISTS patch_trailers (
  id         INTEGER PRIMARY KEY,
  series_key TEXT NOT NULL,
  revision   TEXT NOT NULL,
  patch      TEXT NOT NULL,
  person_id  TEXT,
  json       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS patch_trailers_series ON patch_trailers(series_key);
CREATE INDEX IF NOT EXISTS patch_trailers_person ON patch_trailers(person_id);
CREATE TABLE IF NOT EXISTS persons (
  id   TEXT PRIMARY KEY,
  json TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS person_addresses (
  address   TEXT PRIMARY KEY,
  person_id TEXT NOT NULL
) WITHOUT ROWID;
${DERIVATION_INDEXES.map((i) => i.sql).join('\n')}
`;
