// The patch graph (graph/patches.ts) in the embedded store: tables in schema.ts, one transaction
// per write call. Records that are always read whole (segments, a series with its revisions) are
// kept as JSON beside the columns queries filter on.
import type Database from 'better-sqlite3';
import { UntilChanged } from './untilChanged.js';
import { statementCache } from './statements.js';
import type { Message } from '../../ingest/model.js';
import type {
  CommentRecord,
  HunkCommentView,
  HunkQuery,
  HunkRecord,
  HunkView,
  LineageRecord,
  MessageDerivation,
  PatchGraphStats,
  PatchGraphStore,
  PersonRecord,
  QuoteRecord,
  ReplyLinkRecord,
  SegmentRecord,
  SeriesGraph,
  SeriesGraphPart,
  SeriesRecord,
  SeriesView,
  TrailerAttributionRecord,
  TrailerRecord,
  PersonTrailers,
} from '../patches.js';
import { fileMatches, seriesFirstDate, seriesSearchText, sortComments, sortHunkViews, sortLineage, sortTrailers, supersededQuote } from '../patchViews.js';
import { rowToMessage, type MessageRow } from './rows.js';
import { DERIVATION_INDEXES, DERIVATION_TABLES } from './schema.js';

type Db = Database.Database;

/** Series eachSeries() reads at a time. */
const SERIES_PAGE = 500;

interface HunkRow {
  msgid: string;
  kind: 'patch' | 'quoted';
  idx: number;
  file: string | null;
  old_path: string | null;
  new_path: string | null;
  status: HunkRecord['status'];
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  header: string;
  function_name: string | null;
  start_line: number;
  end_line: number;
  source: string;
  depth: number;
}

interface CommentRow {
  msgid: string;
  rule: 'patch' | 'quoted';
  hunk_msgid: string;
  hunk_kind: 'patch' | 'quoted';
  hunk_index: number;
  quoted_from: number;
  quoted_to: number;
  file: string | null;
  line_text: string;
  old_line: number | null;
  new_line: number | null;
  comment_from: number | null;
  comment_to: number | null;
  comment_depth: number | null;
  comment: string;
  confidence: number;
}

interface QuoteRow {
  msgid: string;
  quoted: string;
  depth: number;
  start_line: number;
  end_line: number;
  rule: QuoteRecord['rule'];
  evidence: string;
}

interface TrailerRow {
  msgid: string;
  role: TrailerRecord['role'];
  line: number;
  name: string;
  value: string;
  person_name: string | null;
  person_address: string | null;
}

function hunkFromRow(r: HunkRow): HunkRecord {
  return {
    msgid: r.msgid,
    index: r.idx,
    kind: r.kind,
    file: r.file,
    oldPath: r.old_path,
    newPath: r.new_path,
    status: r.status,
    oldStart: r.old_start,
    oldLines: r.old_lines,
    newStart: r.new_start,
    newLines: r.new_lines,
    header: r.header,
    functionName: r.function_name,
    startLine: r.start_line,
    endLine: r.end_line,
    source: r.source,
    depth: r.depth,
  };
}

function commentFromRow(r: CommentRow): CommentRecord {
  return {
    msgid: r.msgid,
    hunkMsgid: r.hunk_msgid,
    hunkKind: r.hunk_kind,
    hunkIndex: r.hunk_index,
    rule: r.rule,
    file: r.file,
    lineText: r.line_text,
    oldLine: r.old_line,
    newLine: r.new_line,
    quotedLines: [r.quoted_from, r.quoted_to],
    commentLines: r.comment_from === null || r.comment_to === null ? null : [r.comment_from, r.comment_to],
    commentDepth: r.comment_depth,
    comment: r.comment,
    confidence: r.confidence,
  };
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

export class SqlitePatchGraph implements PatchGraphStore {
  /** Prepared once per SQL text (statements.ts). */
  private readonly prepare: (sql: string) => Database.Statement;

  /** The series index, kept until the database changes (untilChanged.ts). */
  private readonly cached: UntilChanged;

  constructor(private readonly db: Db) {
    this.prepare = statementCache(db);
    this.cached = new UntilChanged(db);
  }

  async *messageBatches(size: number): AsyncIterable<Message[]> {
    // Pages by rowid, each read whole, so the caller may write between batches.
    const page = this.prepare(`SELECT * FROM messages WHERE id > ? ORDER BY id LIMIT ?`);
    let after = 0;
    for (;;) {
      const rows = page.all(after, size) as MessageRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].id ?? after;
      yield rows.map(rowToMessage);
      if (rows.length < size) return;
    }
  }

  async *authors(): AsyncIterable<{ msgid: string; name: string | null; address: string | null }> {
    const rows = this.prepare(`SELECT msgid, from_name AS name, from_address AS address FROM messages ORDER BY id`).all() as {
      msgid: string;
      name: string | null;
      address: string | null;
    }[];
    yield* rows;
  }

  async *authoredBy(who: { addresses: string[]; names: string[] }): AsyncIterable<{ msgid: string; name: string | null; address: string | null }> {
    // Addresses go through the from_address index; names (header-less dumps) are scanned.
    const byAddress = who.addresses.length > 0;
    const rows = this.prepare(
      byAddress
        ? `SELECT msgid, from_name AS name, from_address AS address FROM messages WHERE from_address IN (SELECT value FROM json_each(?)) ORDER BY id`
        : `SELECT msgid, from_name AS name, from_address AS address FROM messages WHERE lower(from_name) IN (SELECT value FROM json_each(?)) ORDER BY id`,
    ).all(JSON.stringify(byAddress ? who.addresses.map((a) => a.toLowerCase()) : who.names.map((n) => n.toLowerCase()))) as {
      msgid: string;
      name: string | null;
      address: string | null;
    }[];
    yield* rows;
  }

  async startDerivations(): Promise<void> {
    this.db.transaction(() => {
      for (const t of DERIVATION_TABLES) this.db.exec(`DELETE FROM ${t}`);
      for (const i of DERIVATION_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${i.name}`);
    })();
  }

  async finishDerivations(): Promise<void> {
    // The same statements as the schema's (IF NOT EXISTS): a run killed before this point gets its
    // indexes back when the file is next opened.
    this.db.transaction(() => {
      for (const i of DERIVATION_INDEXES) this.db.exec(i.sql);
    })();
  }

  /** The rowid the per-message tables are keyed by (schema.ts); undefined for a message not stored. */
  private messageIdOf(): (msgid: string) => number | undefined {
    const stmt = this.prepare(`SELECT id FROM messages WHERE msgid = ?`).pluck();
    return (msgid) => stmt.get(msgid) as number | undefined;
  }

  async putMessageDerivations(batch: MessageDerivation[]): Promise<void> {
    const del = DERIVATION_TABLES.map((t) =>
      this.prepare(`DELETE FROM ${t} WHERE message_id = ?`),
    );
    const seg = this.prepare(`INSERT INTO derived_messages(message_id, msgid, segments_json) VALUES (?, ?, ?)`);
    const quote = this.prepare(`INSERT OR REPLACE INTO quotes(message_id, msgid, quoted, depth, start_line, end_line, rule, evidence)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const hunk = this.prepare(`INSERT OR REPLACE INTO hunks(message_id, msgid, kind, idx, file, old_path, new_path, status, old_start, old_lines,
        new_start, new_lines, header, function_name, start_line, end_line, source, depth)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const trailer = this.prepare(`INSERT OR REPLACE INTO message_trailers(message_id, msgid, role, line, name, value, person_name, person_address)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const comment = this.commentInsert();
    const idOf = this.messageIdOf();
    // Everything derived from a message hangs off its derived_messages row: without one (the first
    // derivation of a message) there is nothing to delete.
    const derived = this.prepare(`SELECT 1 FROM derived_messages WHERE message_id = ?`).pluck();
    this.db.transaction((rows: MessageDerivation[]) => {
      for (const d of rows) {
        // Derivations of a message the store does not hold are dropped (as on Neo4j, where they
        // would have no Message node to hang from).
        const id = idOf(d.msgid);
        if (id === undefined) continue;
        if (derived.get(id) !== undefined) for (const s of del) s.run(id);
        seg.run(id, d.msgid, JSON.stringify(d.segments));
        for (const q of d.quotes) quote.run(id, q.msgid, q.quoted, q.depth, q.startLine, q.endLine, q.rule, q.evidence);
        for (const h of d.hunks) {
          hunk.run(
            id, h.msgid, h.kind, h.index, h.file, h.oldPath, h.newPath, h.status, h.oldStart, h.oldLines,
            h.newStart, h.newLines, h.header, h.functionName, h.startLine, h.endLine, h.source, h.depth,
          );
        }
        for (const t of d.trailers) trailer.run(id, t.msgid, t.role, t.line, t.name, t.value, t.personName, t.personAddress);
        for (const c of d.comments) comment(id, c);
      }
    })(batch);
  }

  private commentInsert(): (messageId: number, c: CommentRecord) => void {
    const stmt = this.prepare(`INSERT OR REPLACE INTO hunk_comments(message_id, msgid, rule, hunk_msgid, hunk_kind, hunk_index, quoted_from, quoted_to,
        file, line_text, old_line, new_line, comment_from, comment_to, comment_depth, comment, confidence)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    return (id, c) =>
      stmt.run(
        id, c.msgid, c.rule, c.hunkMsgid, c.hunkKind, c.hunkIndex, c.quotedLines[0], c.quotedLines[1], c.file, c.lineText,
        c.oldLine, c.newLine, c.commentLines?.[0] ?? null, c.commentLines?.[1] ?? null, c.commentDepth, c.comment, c.confidence,
      );
  }

  async putComments(comments: CommentRecord[]): Promise<void> {
    const insert = this.commentInsert();
    const idOf = this.messageIdOf();
    this.db.transaction((rows: CommentRecord[]) => {
      for (const c of rows) {
        const id = idOf(c.msgid);
        if (id !== undefined) insert(id, c);
      }
    })(comments);
  }

  async replaceSeriesGraph(parts: Iterable<SeriesGraphPart>): Promise<void> {
    const series = this.prepare(`INSERT INTO series(key, title, search_text, first_date, json) VALUES (?, ?, ?, ?, ?)`);
    const member = this.prepare(
      `INSERT OR IGNORE INTO revision_members(revision_key, series_key, member_key, msgid, role, rule) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const lineage = this.prepare(
      `INSERT OR REPLACE INTO lineage(series_key, from_key, to_key, from_revision, to_revision, json) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const trailer = this.prepare(`INSERT INTO patch_trailers(series_key, revision, patch, person_id, json) VALUES (?, ?, ?, ?, ?)`);
    const person = this.prepare(`INSERT INTO persons(id, json) VALUES (?, ?)`);
    const reply = this.prepare(
      `INSERT OR IGNORE INTO patch_replies(msgid, target, target_msgid, revision, rule, evidence) VALUES (@msgid, @target, @targetMsgid, @revision, @rule, @evidence)`,
    );
    const address = this.prepare(`INSERT OR IGNORE INTO person_addresses(address, person_id) VALUES (?, ?)`);
    this.db.transaction(() => {
      for (const t of ['series', 'revision_members', 'patch_replies', 'lineage', 'patch_trailers', 'persons', 'person_addresses']) this.db.exec(`DELETE FROM ${t}`);
      const seriesOfRevision = new Map<string, string>();
      for (const g of parts) {
        for (const s of g.series ?? []) {
          series.run(s.key, s.title, seriesSearchText(s), seriesFirstDate(s), JSON.stringify(s));
          for (const r of s.revisions) {
            seriesOfRevision.set(r.key, s.key);
            if (r.cover) member.run(r.key, s.key, r.cover.key, r.cover.msgid, 'cover', r.cover.rule);
            for (const p of r.patches) member.run(r.key, s.key, p.key, p.msgid, 'patch', p.rule);
          }
        }
        for (const r of g.replies ?? []) reply.run(r);
        for (const l of g.lineage ?? []) {
          lineage.run(seriesOfRevision.get(l.toRevision) ?? '', l.from, l.to, l.fromRevision, l.toRevision, JSON.stringify(l));
        }
        for (const t of g.trailers ?? []) trailer.run(seriesOfRevision.get(t.revision) ?? '', t.revision, t.patch, t.personId, JSON.stringify(t));
        for (const p of g.persons ?? []) {
          person.run(p.id, JSON.stringify(p));
          for (const a of p.addresses) address.run(a, p.id);
        }
      }
    })();
  }

  private view(row: { key: string; json: string }): SeriesView {
    const s = JSON.parse(row.json) as SeriesRecord;
    const lineage = (this.prepare(`SELECT json FROM lineage WHERE series_key = ?`).all(row.key) as { json: string }[]).map(
      (r) => JSON.parse(r.json) as LineageRecord,
    );
    const trailers = (this.prepare(`SELECT json FROM patch_trailers WHERE series_key = ?`).all(row.key) as { json: string }[]).map(
      (r) => JSON.parse(r.json) as TrailerAttributionRecord,
    );
    return { ...s, lineage: sortLineage(lineage), trailers: sortTrailers(trailers) };
  }

  private seriesRows(query?: string): { key: string; json: string }[] {
    return (
      query && query.trim()
        ? this.prepare(`SELECT key, json FROM series WHERE search_text LIKE ? ESCAPE '\\' ORDER BY first_date, key`).all(likePattern(query.trim()))
        : this.prepare(`SELECT key, json FROM series ORDER BY first_date, key`).all()
    ) as { key: string; json: string }[];
  }

  async series(query?: string): Promise<SeriesView[]> {
    return this.seriesRows(query).map((r) => this.view(r));
  }

  async seriesIndex(query?: string): Promise<SeriesRecord[]> {
    return this.cached.list(`seriesIndex\u0000${query?.trim() ?? ''}`, () => this.seriesRows(query).map((r) => JSON.parse(r.json) as SeriesRecord));
  }

  async *eachSeries(pageSize = SERIES_PAGE): AsyncIterable<SeriesRecord> {
    const page = this.prepare(`SELECT json FROM series ORDER BY first_date, key LIMIT ? OFFSET ?`);
    for (let offset = 0; ; offset += pageSize) {
      const rows = page.all(pageSize, offset) as { json: string }[];
      for (const r of rows) yield JSON.parse(r.json) as SeriesRecord;
      if (rows.length < pageSize) return;
    }
  }

  async trailersOf(personId: string): Promise<PersonTrailers[]> {
    const rows = this.prepare(
      `SELECT s.key AS key, s.title AS title, t.json AS json FROM patch_trailers t JOIN series s ON s.key = t.series_key
       WHERE t.person_id = ? ORDER BY s.first_date, s.key`,
    ).all(personId) as { key: string; title: string; json: string }[];
    const out: PersonTrailers[] = [];
    for (const r of rows) {
      if (out.at(-1)?.seriesKey !== r.key) out.push({ seriesKey: r.key, seriesTitle: r.title, trailers: [] });
      out[out.length - 1].trailers.push(JSON.parse(r.json) as TrailerAttributionRecord);
    }
    for (const g of out) g.trailers = sortTrailers(g.trailers);
    return out;
  }

  async seriesDetail(key: string): Promise<SeriesView | null> {
    const row = this.prepare(`SELECT key, json FROM series WHERE key = ?`).get(key) as { key: string; json: string } | undefined;
    return row ? this.view(row) : null;
  }

  async hunks(q: HunkQuery): Promise<HunkView[]> {
    let rows: HunkRow[];
    if (q.function) rows = this.prepare(`SELECT * FROM hunks WHERE function_name = ?`).all(q.function) as HunkRow[];
    else if (q.file) {
      const dir = q.file.endsWith('/');
      const cond = dir ? `substr(new_path, 1, length(@f)) = @f OR substr(old_path, 1, length(@f)) = @f` : `new_path = @f OR old_path = @f`;
      rows = this.prepare(`SELECT * FROM hunks WHERE ${cond}`).all({ f: q.file }) as HunkRow[];
    } else return [];
    const hunks = rows.map(hunkFromRow).filter((h) => !q.file || fileMatches(q.file, h));
    const headers = this.prepare(`SELECT subject, from_name, from_address, date FROM messages WHERE msgid = ?`);
    const commentsOn = this.prepare(
      `SELECT c.*, m.from_name, m.from_address, m.date FROM hunk_comments c LEFT JOIN messages m ON m.msgid = c.msgid
       WHERE c.hunk_msgid = ? AND c.hunk_kind = ? AND c.hunk_index = ?`,
    );
    const patchCommentsBy = this.prepare(
      `SELECT c.* FROM messages m JOIN hunk_comments c ON c.message_id = m.id WHERE m.msgid = ? AND c.rule = 'patch'`,
    );
    const place = this.prepare(
      `SELECT rm.revision_key, s.key AS series_key FROM revision_members rm JOIN series s ON s.key = rm.series_key
       WHERE rm.msgid = ? AND rm.role = 'patch' AND rm.rule != 'carried' ORDER BY rm.revision_key LIMIT 1`,
    );
    const seriesJson = this.prepare(`SELECT json FROM series WHERE key = ?`);
    const repliesTo = this.prepare(
      `SELECT r.msgid, coalesce(m.from_name, m.from_address, '(unknown)') AS "from", m.date, coalesce(m.subject, '') AS subject, r.rule, r.evidence
       FROM patch_replies r LEFT JOIN messages m ON m.msgid = r.msgid WHERE r.target_msgid = ?
       GROUP BY r.msgid ORDER BY m.date, r.msgid`,
    );
    // What belongs to a message is read once per message, not once per hunk (a patch has several),
    // and a series' JSON, which holds every revision, once per call: a directory's hunks on kvmarm
    // read 1 GB of series JSON, 3.4 s, before.
    const once = <T>(read: (key: string) => T): ((key: string) => T) => {
      const seen = new Map<string, T>();
      return (key) => {
        if (!seen.has(key)) seen.set(key, read(key));
        return seen.get(key) as T;
      };
    };
    const headerOf = once((msgid) => headers.get(msgid) as { subject: string; from_name: string | null; from_address: string | null; date: string | null } | undefined);
    const patchCommentsOf = once((msgid) => (patchCommentsBy.all(msgid) as CommentRow[]).map(commentFromRow));
    const placeOf = once((msgid) => place.get(msgid) as { revision_key: string; series_key: string } | undefined);
    const seriesOf = once((key) => JSON.parse((seriesJson.get(key) as { json: string }).json) as SeriesRecord);
    const repliesOf = once((msgid) => repliesTo.all(msgid) as HunkView['replies']);
    const out: HunkView[] = [];
    for (const h of hunks) {
      if (h.kind === 'quoted' && supersededQuote(h, patchCommentsOf(h.msgid))) continue;
      const m = headerOf(h.msgid);
      let series: HunkView['series'] = null;
      if (h.kind === 'patch') {
        const p = placeOf(h.msgid);
        if (p) {
          const s = seriesOf(p.series_key);
          const r = s.revisions.find((x) => x.key === p.revision_key);
          const mem = r?.patches.find((x) => x.msgid === h.msgid);
          if (r) series = { key: s.key, title: s.title, revision: r.key, version: r.version, index: mem?.index ?? null, total: mem?.total ?? r.total };
        }
      }
      const comments: HunkCommentView[] = (commentsOn.all(h.msgid, h.kind, h.index) as (CommentRow & {
        from_name: string | null;
        from_address: string | null;
        date: string | null;
      })[]).map((r) => ({ ...commentFromRow(r), from: r.from_name ?? r.from_address ?? '(unknown)', date: r.date }));
      out.push({
        ...h,
        subject: m?.subject ?? '',
        from: m ? (m.from_name ?? m.from_address ?? '(unknown)') : '(unknown)',
        date: m?.date ?? null,
        series,
        comments: sortComments(comments),
        replies: h.kind === 'patch' ? repliesOf(h.msgid).map((r) => ({ ...r })) : [],
      });
    }
    return sortHunkViews(out);
  }

  /** Reads stored derivations back, one message at a time, with statements prepared once. */
  private derivationReader(): (messageId: number, msgid: string, segmentsJson: string) => MessageDerivation {
    const quotes = this.prepare(`SELECT * FROM quotes WHERE message_id = ? ORDER BY start_line`);
    const trailers = this.prepare(`SELECT * FROM message_trailers WHERE message_id = ? ORDER BY line, role, name`);
    const hunks = this.prepare(`SELECT * FROM hunks WHERE message_id = ? ORDER BY kind, idx`);
    const comments = this.prepare(`SELECT * FROM hunk_comments WHERE message_id = ? ORDER BY quoted_from, rule, hunk_msgid, hunk_index`);
    return (id, msgid, segmentsJson) => ({
      msgid,
      segments: JSON.parse(segmentsJson) as SegmentRecord[],
      quotes: (quotes.all(id) as QuoteRow[]).map((q) => ({
        msgid: q.msgid, quoted: q.quoted, depth: q.depth, startLine: q.start_line, endLine: q.end_line, rule: q.rule, evidence: q.evidence,
      })),
      hunks: (hunks.all(id) as HunkRow[]).map(hunkFromRow),
      trailers: (trailers.all(id) as TrailerRow[]).map((t) => ({
        msgid: t.msgid, role: t.role, name: t.name, value: t.value, personName: t.person_name, personAddress: t.person_address, line: t.line,
      })),
      comments: (comments.all(id) as CommentRow[]).map(commentFromRow),
    });
  }

  async messageSegments(msgid: string): Promise<MessageDerivation | null> {
    const row = this.prepare(
      `SELECT d.message_id, d.segments_json FROM messages m JOIN derived_messages d ON d.message_id = m.id WHERE m.msgid = ?`,
    ).get(msgid) as { message_id: number; segments_json: string } | undefined;
    return row ? this.derivationReader()(row.message_id, msgid, row.segments_json) : null;
  }

  async *derivationBatches(size: number): AsyncIterable<MessageDerivation[]> {
    // In Message-ID order through the messages' msgid index, each row's derivation by its rowid.
    const page = this.prepare(
      `SELECT m.msgid, d.message_id, d.segments_json FROM messages m JOIN derived_messages d ON d.message_id = m.id
       WHERE m.msgid > ? ORDER BY m.msgid LIMIT ?`,
    );
    const read = this.derivationReader();
    let after = '';
    for (;;) {
      // Each page is read whole (one implicit read transaction) before it is handed out.
      const rows = page.all(after, size) as { msgid: string; message_id: number; segments_json: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].msgid;
      yield rows.map((r) => read(r.message_id, r.msgid, r.segments_json));
      if (rows.length < size) return;
    }
  }

  async *commentBatches(size: number): AsyncIterable<CommentRecord[]> {
    // In the table's order: by the commenting message's rowid, then the rest of the key.
    const page = this.prepare(
      `SELECT * FROM hunk_comments WHERE (message_id, rule, hunk_msgid, hunk_kind, hunk_index, quoted_from) > (?, ?, ?, ?, ?, ?)
       ORDER BY message_id, rule, hunk_msgid, hunk_kind, hunk_index, quoted_from LIMIT ?`,
    );
    let after: (string | number)[] = [-1, '', '', '', -1, -1];
    for (;;) {
      const rows = page.all(...after, size) as (CommentRow & { message_id: number })[];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1];
      after = [last.message_id, last.rule, last.hunk_msgid, last.hunk_kind, last.hunk_index, last.quoted_from];
      yield rows.map(commentFromRow);
      if (rows.length < size) return;
    }
  }

  async seriesGraph(): Promise<SeriesGraph> {
    const json = <T>(sql: string): T[] => (this.prepare(sql).all() as { json: string }[]).map((r) => JSON.parse(r.json) as T);
    return this.db.transaction(() => ({
      series: json<SeriesRecord>(`SELECT json FROM series ORDER BY key`),
      replies: this.db
        .prepare(
          `SELECT msgid, target, target_msgid AS targetMsgid, revision, rule, evidence FROM patch_replies ORDER BY msgid, target, revision`,
        )
        .all() as ReplyLinkRecord[],
      lineage: json<LineageRecord>(`SELECT json FROM lineage ORDER BY from_revision, from_key, to_revision, to_key`),
      trailers: json<TrailerAttributionRecord>(`SELECT json FROM patch_trailers ORDER BY series_key, id`),
      persons: json<PersonRecord>(`SELECT json FROM persons ORDER BY id`),
    }))();
  }

  async person(id: string): Promise<PersonRecord | null> {
    const row = (this.prepare(`SELECT json FROM persons WHERE id = ?`).get(id) ??
      this.prepare(`SELECT p.json FROM person_addresses a JOIN persons p ON p.id = a.person_id WHERE a.address = ?`).get(id.toLowerCase())) as
      | { json: string }
      | undefined;
    return row ? (JSON.parse(row.json) as PersonRecord) : null;
  }

  async people(): Promise<PersonRecord[]> {
    return (this.prepare(`SELECT json FROM persons ORDER BY id`).all() as { json: string }[]).map((r) => JSON.parse(r.json) as PersonRecord);
  }

  async patchStats(): Promise<PatchGraphStats> {
    const one = (sql: string): number => (this.prepare(sql).get() as { n: number }).n;
    return {
      derivedMessages: one(`SELECT count(*) AS n FROM derived_messages`),
      hunks: one(`SELECT count(*) AS n FROM hunks WHERE kind = 'patch'`),
      quotedHunks: one(`SELECT count(*) AS n FROM hunks WHERE kind = 'quoted'`),
      comments: one(`SELECT count(*) AS n FROM hunk_comments`),
      quotes: one(`SELECT count(*) AS n FROM quotes`),
      series: one(`SELECT count(*) AS n FROM series`),
      revisions: one(`SELECT count(DISTINCT revision_key) AS n FROM revision_members`),
      patches: one(`SELECT count(DISTINCT member_key) AS n FROM revision_members WHERE role = 'patch'`),
      trailers: one(`SELECT count(*) AS n FROM patch_trailers`),
      persons: one(`SELECT count(*) AS n FROM persons`),
    };
  }
}
