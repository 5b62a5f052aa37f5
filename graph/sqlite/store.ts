// The embedded GraphStore: a single SQLite file through better-sqlite3 (WAL, FTS5).
// better-sqlite3 is synchronous; the contract is async so that Neo4j fits the same shape.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Message, Skip } from '../../ingest/model.js';
import type {
  ArchiveRecord,
  GraphStore,
  PutMessagesResult,
  SearchHit,
  SearchQuery,
  StoredMessage,
  StoreStats,
  ThreadAssignment,
  ThreadForest,
  ThreadingRecord,
  ThreadListEntry,
  ThreadView,
} from '../store.js';
import { SNIPPET_CLOSE, SNIPPET_OPEN } from '../store.js';
import { SCHEMA_SQL, SCHEMA_VERSION, DERIVATION_TABLES } from './schema.js';
import { statementCache } from './statements.js';
import { MESSAGE_COLUMNS, messageToValues, rowToAssignment, rowToMessage, type MessageRow, type ThreadAssignmentRow } from './rows.js';
import { toFtsQuery } from './fts.js';
import { buildThreadView, type ContainerRow } from '../threadView.js';
import { SqlitePatchGraph } from './patches.js';
import { SqliteClaimStore } from './claims.js';

type Db = Database.Database;

/** Page size of new files (SQLite's largest). */
const PAGE_SIZE = 65536;

/** Messages indexed for search per transaction by indexForSearch(). */
const SEARCH_CHUNK = 20_000;

const FTS_SETTINGS: [string, number][] = [
  ['hashsize', 16 * 1024 * 1024],
  ['automerge', 8],
];

export class SqliteStore implements GraphStore {
  readonly backend = 'sqlite' as const;
  readonly db: Db;
  readonly path: string;
  readonly patches: SqlitePatchGraph;
  readonly claims: SqliteClaimStore;
  /** Prepared once per SQL text (statements.ts): messages, threads and batches are read and
   * written with the same few statements many times over. */
  private readonly prepare: (sql: string) => Database.Statement;

  constructor(path: string) {
    this.path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    // 64 KiB pages for a new file (an existing one keeps the size it was made with): a message row
    // with its body then fits in its leaf page instead of a chain of 4 KiB overflow pages, and a
    // bulk load writes (to the WAL, then the database) a sixteenth as many pages — on the
    // 30,000-message benchmark the writes took 0.95-1.04 CPU-s instead of 1.5-1.8, and building the
    // search index 1.6 instead of 1.9-2.0.
    this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('temp_store = MEMORY');
    // A 16 MiB page cache: ingest writes append, so a larger cache buys little and costs resident memory.
    this.db.pragma('cache_size = -16384');
    this.prepare = statementCache(this.db);
    this.migrate();
    this.patches = new SqlitePatchGraph(this.db);
    this.claims = new SqliteClaimStore(this.db);
  }

  private migrate(): void {
    const hasMeta = this.db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'`)
      .get() as { name: string } | undefined;
    if (hasMeta) {
      const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as
        | { value: string }
        | undefined;
      if (row && Number(row.value) === 1) this.migrateFromV1();
      else if (row && Number(row.value) !== SCHEMA_VERSION) {
        throw new Error(
          `${this.path} has schema version ${row.value}, this loregraph uses ${SCHEMA_VERSION}: re-ingest into a new --db file`,
        );
      }
    }
    const hadSummaries = this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'thread_summaries'`).get() !== undefined;
    this.db.exec(SCHEMA_SQL);
    // A file threaded before thread_summaries existed gets them once, from its forest.
    if (!hadSummaries) this.summarizeThreads();
    this.db
      .prepare(`INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)`)
      .run(String(SCHEMA_VERSION));
    this.tuneFullText();
  }

  /** Version 1 keyed the per-message derivations by Message-ID (schema.ts says why no longer):
   * they are dropped here and made again by the next derive stage; messages, threads, the series
   * graph and claims are kept. */
  private migrateFromV1(): void {
    this.db.transaction(() => {
      for (const t of DERIVATION_TABLES) this.db.exec(`DROP TABLE IF EXISTS ${t}`);
      this.db.exec(SCHEMA_SQL);
      this.db.prepare(`UPDATE meta SET value = ? WHERE key = 'schema_version'`).run(String(SCHEMA_VERSION));
    })();
  }

  /**
   * FTS5 settings for ingest-sized batches (stored in the index, so set once per file): pending
   * terms are flushed at 16 MiB instead of 1 MiB, and segments are merged 8 at a time instead of
   * 4 — fewer, larger segments and less rewriting (FTS5 CPU of a bulk load down by about a third).
   */
  private tuneFullText(): void {
    const config = this.db.prepare(`SELECT v FROM message_fts_config WHERE k = ?`).pluck();
    for (const [key, value] of FTS_SETTINGS) {
      // Literal integers of this file (FTS5 wants integer values, and binds would make them real).
      if (config.get(key) !== value) this.db.exec(`INSERT INTO message_fts(message_fts, rank) VALUES ('${key}', ${value})`);
    }
  }

  async putMessages(messages: Message[]): Promise<PutMessagesResult> {
    const insert = this.prepare(`INSERT OR IGNORE INTO messages (${MESSAGE_COLUMNS.join(', ')})
      VALUES (${MESSAGE_COLUMNS.map(() => '?').join(', ')})`);
    const source = this.prepare(`INSERT OR IGNORE INTO message_sources(msgid, source, format, offset) VALUES (?, ?, ?, ?)`);
    // Full-text indexing is left to indexForSearch() (the rows above the last indexed id), so a
    // bulk load indexes its bodies in a few large statements instead of one per batch.
    const run = this.db.transaction((batch: Message[]) => {
      let inserted = 0;
      const duplicateMsgids: string[] = [];
      for (const m of batch) {
        if (insert.run(messageToValues(m)).changes > 0) inserted++;
        else duplicateMsgids.push(m.msgid);
        source.run(m.msgid, m.provenance.source, m.provenance.format, m.provenance.offset);
      }
      return { inserted, duplicates: duplicateMsgids.length, duplicateMsgids };
    });
    return run(messages);
  }

  /**
   * Indexes for search every message above the last one indexed, in id order, SEARCH_CHUNK rows
   * per transaction. Messages are never deleted and their ids only grow, so "indexed" is always a
   * prefix of the ids, and the index's own largest id says where to go on: an interrupted run
   * leaves whole chunks indexed and the next call does the rest, each message once.
   */
  async indexForSearch(): Promise<void> {
    this.indexPending();
  }

  private indexPending(): number {
    const lastIndexed = this.db.prepare(`SELECT coalesce(max(id), 0) FROM message_fts_docsize`).pluck();
    const lastStored = this.db.prepare(`SELECT coalesce(max(id), 0) FROM messages`).pluck();
    const index = this.db.prepare(
      `INSERT INTO message_fts(rowid, subject, from_name, from_address, body)
       SELECT id, subject, from_name, from_address, body FROM messages WHERE id > ? AND id <= ? ORDER BY id`,
    );
    let indexed = 0;
    const chunk = this.db.transaction((): boolean => {
      // Read inside the transaction: another connection may have indexed meanwhile.
      const from = lastIndexed.get() as number;
      const to = Math.min(lastStored.get() as number, from + SEARCH_CHUNK);
      if (to <= from) return false;
      indexed += index.run(from, to).changes;
      return true;
    });
    while (chunk.immediate()) {
      // one chunk per transaction
    }
    return indexed;
  }

  /** True when some stored message is not in the full-text index yet. */
  private searchBehind(): boolean {
    const row = this.db
      .prepare(`SELECT (SELECT coalesce(max(id), 0) FROM messages) > (SELECT coalesce(max(id), 0) FROM message_fts_docsize) AS behind`)
      .get() as { behind: number };
    return row.behind === 1;
  }

  async putSkips(skips: Skip[]): Promise<void> {
    const stmt = this.db.prepare(`INSERT OR IGNORE INTO skips(source, offset, reason) VALUES (?, ?, ?)`);
    this.db.transaction((rows: Skip[]) => {
      for (const s of rows) stmt.run(s.source, s.offset, s.reason);
    })(skips);
  }

  async putArchive(a: ArchiveRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO archives(source, format, bytes, messages, duplicates, skipped, truncated, ingested_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(source) DO UPDATE SET format = excluded.format, bytes = excluded.bytes,
           messages = excluded.messages, duplicates = excluded.duplicates, skipped = excluded.skipped,
           truncated = excluded.truncated, ingested_at = excluded.ingested_at`,
      )
      .run(a.source, a.format, a.bytes, a.messages, a.duplicates, a.skipped, a.truncated ? 1 : 0, a.ingestedAt);
  }

  async replaceThreadForest(forest: ThreadForest): Promise<void> {
    const stmt = this.prepare(`INSERT INTO thread_nodes(msgid, root, parent, method, confidence, evidence, ghost, depth)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const put = (a: ThreadAssignment): void => {
      stmt.run(a.msgid, a.root, a.parent, a.method, a.confidence, a.evidence, a.ghost ? 1 : 0, a.depth);
    };
    if (Symbol.iterator in forest) {
      // An array or a synchronous stream: one synchronous transaction, nothing can run between its rows.
      this.db.transaction((rows: Iterable<ThreadAssignment>) => {
        this.db.exec('DELETE FROM thread_nodes');
        for (const a of rows) put(a);
        this.summarizeThreads();
      }).immediate(forest);
      return;
    }
    // An asynchronous stream: the same transaction, held open across its awaits.
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db.exec('DELETE FROM thread_nodes');
      for await (const a of forest) put(a);
      this.summarizeThreads();
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** thread_summaries from the forest: messages, first and last date, and the root's subject (else
   * that of the shallowest, earliest message) of every thread holding a stored message. */
  private summarizeThreads(): void {
    this.db.exec(`DELETE FROM thread_summaries;
      INSERT INTO thread_summaries(root, messages, first, last, subject)
      SELECT t.root, count(m.id), min(m.date), max(m.date),
             coalesce(rm.subject, (SELECT m2.subject FROM thread_nodes t2 JOIN messages m2 ON m2.msgid = t2.msgid
                                   WHERE t2.root = t.root ORDER BY t2.depth, m2.date LIMIT 1), '')
      FROM thread_nodes t
      LEFT JOIN messages m ON m.msgid = t.msgid
      LEFT JOIN messages rm ON rm.msgid = t.root
      GROUP BY t.root
      HAVING count(m.id) > 0;`);
  }

  async *threadingRecords(): AsyncIterable<ThreadingRecord> {
    const stmt = this.db.prepare(
      `SELECT msgid, in_reply_to, references_json, normalized_subject, subject_json, date, inferred_json
       FROM messages ORDER BY id`,
    );
    for (const r of stmt.iterate() as Iterable<{
      msgid: string;
      in_reply_to: string | null;
      references_json: string;
      normalized_subject: string;
      subject_json: string;
      date: string | null;
      inferred_json: string | null;
    }>) {
      const subject = JSON.parse(r.subject_json) as { isReply: boolean };
      yield {
        msgid: r.msgid,
        inReplyTo: r.in_reply_to,
        references: JSON.parse(r.references_json) as string[],
        normalizedSubject: r.normalized_subject,
        isReply: subject.isReply,
        date: r.date,
        inferredParent: r.inferred_json ? (JSON.parse(r.inferred_json) as ThreadingRecord['inferredParent']) : null,
      };
    }
  }

  async *allMessages(): AsyncIterable<StoredMessage> {
    const stmt = this.db.prepare(`SELECT * FROM messages ORDER BY id`);
    for (const r of stmt.iterate() as Iterable<MessageRow>) yield this.withSources(rowToMessage(r));
  }

  async *allThreadAssignments(): AsyncIterable<ThreadAssignment> {
    const stmt = this.db.prepare(`SELECT * FROM thread_nodes ORDER BY root, depth, msgid`);
    for (const r of stmt.iterate() as Iterable<ThreadAssignmentRow>) yield rowToAssignment(r);
  }

  async stats(): Promise<StoreStats> {
    const one = (sql: string): number => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      archives: one(`SELECT count(*) AS n FROM archives`),
      messages: one(`SELECT count(*) AS n FROM messages`),
      syntheticMessages: one(`SELECT count(*) AS n FROM messages WHERE synthetic = 1`),
      ghosts: one(`SELECT count(*) AS n FROM thread_nodes WHERE ghost = 1`),
      threads: one(`SELECT count(DISTINCT root) AS n FROM thread_nodes`),
      skipped: one(`SELECT count(*) AS n FROM skips`),
    };
  }

  private withSources(m: Message): StoredMessage {
    const sources = this
      .prepare(`SELECT source, format, offset FROM message_sources WHERE msgid = ? ORDER BY source, offset`)
      .all(m.msgid) as StoredMessage['sources'];
    return { ...m, sources };
  }

  async message(msgid: string): Promise<StoredMessage | null> {
    const r = this.prepare(`SELECT * FROM messages WHERE msgid = ?`).get(msgid) as MessageRow | undefined;
    return r ? this.withSources(rowToMessage(r)) : null;
  }

  async messageBody(msgid: string): Promise<string | null> {
    return (this.prepare(`SELECT body FROM messages WHERE msgid = ?`).pluck().get(msgid) as string | undefined) ?? null;
  }

  async threads(opts: { limit?: number; offset?: number } = {}): Promise<ThreadListEntry[]> {
    const rows = this.db
      .prepare(
        `SELECT root, messages, first, last, subject FROM thread_summaries
         ORDER BY last DESC, root
         LIMIT ? OFFSET ?`,
      )
      .all(opts.limit ?? -1, opts.offset ?? 0) as ThreadListEntry[];
    return rows;
  }

  async thread(msgid: string): Promise<ThreadView | null> {
    const node = this.prepare(`SELECT root FROM thread_nodes WHERE msgid = ?`).get(msgid) as
      | { root: string }
      | undefined;
    if (!node) return null;
    const rows = this
      .prepare(
        `SELECT t.msgid, t.parent, t.method, t.confidence, t.evidence, t.ghost, t.depth,
                m.from_name AS fromName, m.from_address AS fromAddress, m.date, m.subject
         FROM thread_nodes t LEFT JOIN messages m ON m.msgid = t.msgid
         WHERE t.root = ?`,
      )
      .all(node.root) as (Omit<ContainerRow, 'ghost'> & { ghost: number })[];
    return buildThreadView(
      node.root,
      rows.map((r) => ({ ...r, ghost: r.ghost === 1 })),
    );
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    const match = toFtsQuery(q.text);
    if (!match) return [];
    if (this.searchBehind()) this.catchUpSearch();
    const where: string[] = ['message_fts MATCH @match'];
    const params: Record<string, string | number> = {
      match,
      open: SNIPPET_OPEN,
      close: SNIPPET_CLOSE,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
    };
    if (q.author) {
      where.push(`(m.from_name LIKE @author ESCAPE '\\' OR m.from_address LIKE @author ESCAPE '\\')`);
      params.author = `%${q.author.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    }
    if (q.since) {
      where.push('m.date >= @since');
      params.since = q.since;
    }
    if (q.until) {
      where.push('m.date < @until');
      params.until = q.until;
    }
    if (q.listId) {
      where.push('m.list_id = @listId');
      params.listId = q.listId;
    }
    const rows = this.db
      .prepare(
        `SELECT m.msgid, m.subject, coalesce(m.from_name, m.from_address, '') AS "from", m.date,
                snippet(message_fts, 3, @open, @close, '…', 16) AS snippet, -bm25(message_fts) AS score
         FROM message_fts JOIN messages m ON m.id = message_fts.rowid
         WHERE ${where.join(' AND ')}
         ORDER BY bm25(message_fts), m.date DESC
         LIMIT @limit OFFSET @offset`,
      )
      .all(params) as SearchHit[];
    return rows;
  }

  /**
   * Indexes what putMessages left unindexed before a search. When another connection holds the
   * write lock (an ingest into the same file is running), the search goes on with the messages
   * indexed so far instead of waiting: that ingest indexes the rest when its messages are in. So
   * it does when the file cannot be written (a read-only copy).
   */
  private catchUpSearch(): void {
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.indexPending();
    } catch (e) {
      if (!(e instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED|READONLY)/.test(e.code))) throw e;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  async skips(): Promise<Skip[]> {
    return this.db.prepare(`SELECT source, offset, reason FROM skips ORDER BY source, offset`).all() as Skip[];
  }

  async archives(): Promise<ArchiveRecord[]> {
    const rows = this.db.prepare(`SELECT * FROM archives ORDER BY source`).all() as (Omit<
      ArchiveRecord,
      'truncated' | 'ingestedAt'
    > & { truncated: number; ingested_at: string })[];
    return rows.map(({ truncated, ingested_at, ...r }) => ({ ...r, truncated: truncated === 1, ingestedAt: ingested_at }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export async function openSqliteStore(path: string): Promise<SqliteStore> {
  return new SqliteStore(path);
}
