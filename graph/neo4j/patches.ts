// The patch graph (graph/patches.ts) on Neo4j. Graph shape:
//   (:Message)-[:HAS_HUNK]->(:Hunk {key, msgid, kind, index, functionName, json})
//       kind 'patch': the message's own diff or attachment; 'quoted': a hunk the message quotes
//   (:Hunk)-[:TOUCHES]->(:File {path})            old and new path
//   (:Hunk)-[:IN_FUNCTION]->(:Symbol {key: 'function:<name>', kind: 'function', name})
//   (:Message)-[:QUOTES {depth, startLine, endLine, rule, evidence}]->(:Message)
//   (:Message)-[:COMMENTS_ON {rule, json}]->(:Hunk)
//   (:Message {segmentsJson, trailersJson, derived: true})
//   (:Series {key, title, searchText, firstDate, json})-[:HAS_VERSION]->(:Revision {key, version, rfc, stable, title})
//   (:Revision)-[:HAS_PATCH {role: 'cover'|'patch', rule}]->(:Patch {key, msgid, title})-[:MAIL]->(:Message)
//   (:Revision)-[:NEXT_VERSION {rule, evidence}]->(:Revision)
//   (:Message)-[:DISCUSSES {rule, evidence, revision}]->(:Patch)   a reply whose chain leads to the patch/cover
//   (:Patch)-[:NEXT_VERSION {rule, score, evidence, fromRevision, toRevision}]->(:Patch)
//   (:Person {id, name, addresses, names, json})-[:TRAILER {name, text, via, status, revision, json}]->(:Patch)
// Every write is one managed transaction of UNWIND batches with parameters only; the view a query
// returns is read back from the `json` the records were written with, so both stores answer alike.
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
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
import type { Neo4jConnection } from './connection.js';
import { compareKeys as cmp } from '../order.js';
import { allMessages } from './iterate.js';

/** Uniqueness constraints (each also the lookup index) of the patch graph's node keys. */
export const PATCH_SCHEMA_STATEMENTS = [
  'CREATE CONSTRAINT loregraph_series_key IF NOT EXISTS FOR (s:Series) REQUIRE s.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_revision_key IF NOT EXISTS FOR (r:Revision) REQUIRE r.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_patch_key IF NOT EXISTS FOR (p:Patch) REQUIRE p.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_hunk_key IF NOT EXISTS FOR (h:Hunk) REQUIRE h.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_file_path IF NOT EXISTS FOR (f:File) REQUIRE f.path IS UNIQUE',
  'CREATE CONSTRAINT loregraph_symbol_key IF NOT EXISTS FOR (s:Symbol) REQUIRE s.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE',
  'CREATE INDEX loregraph_patch_msgid IF NOT EXISTS FOR (p:Patch) ON (p.msgid)',
];

/** Labels the patch graph owns (cleared with the rest of the store). */
export const PATCH_LABELS = ['Series', 'Revision', 'Patch', 'Hunk', 'File', 'Symbol', 'Person'];

const CHUNK = 1000;
/** Series eachSeries() reads at a time. */
const SERIES_PAGE = 500;

async function unwind<T>(tx: ManagedTransaction, cypher: string, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.run(cypher, { rows: rows.slice(i, i + CHUNK) });
}

/** Like unwind, with each chunk's rows made just before it is sent. */
async function unwindMapped<T>(tx: ManagedTransaction, cypher: string, items: T[], map: (item: T) => unknown): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) await tx.run(cypher, { rows: items.slice(i, i + CHUNK).map(map) });
}

function hunkKey(msgid: string, kind: string, index: number): string {
  return `${msgid}\u0000${kind}\u0000${index}`;
}

function commentRow(c: CommentRecord): Record<string, unknown> {
  return { msgid: c.msgid, hunk: hunkKey(c.hunkMsgid, c.hunkKind, c.hunkIndex), rule: c.rule, quotedFrom: c.quotedLines[0], json: JSON.stringify(c) };
}

const COMMENTS_CYPHER = `UNWIND $rows AS r
  MATCH (m:Message {msgid: r.msgid}) MATCH (h:Hunk {key: r.hunk})
  MERGE (m)-[c:COMMENTS_ON {rule: r.rule, quotedFrom: r.quotedFrom}]->(h)
  SET c.json = r.json`;

/** Everything derived from the message `m` in scope, as one row (messageSegments, derivationBatches). */
const DERIVATION_RETURN = `
  CALL { WITH m OPTIONAL MATCH (m)-[q:QUOTES]->(o:Message)
    RETURN collect(CASE WHEN q IS NULL THEN null ELSE {quoted: o.msgid, depth: q.depth, startLine: q.startLine, endLine: q.endLine, rule: q.rule, evidence: q.evidence} END) AS quotes }
  CALL { WITH m OPTIONAL MATCH (m)-[:HAS_HUNK]->(h:Hunk) RETURN collect(h.json) AS hunks }
  CALL { WITH m OPTIONAL MATCH (m)-[c:COMMENTS_ON]->() RETURN collect(c.json) AS comments }
  RETURN m.msgid AS msgid, m.segmentsJson AS segmentsJson, m.trailersJson AS trailersJson, quotes, hunks, comments`;

interface DerivationRow {
  msgid: string;
  segmentsJson: string;
  trailersJson: string;
  quotes: ({ quoted: string; depth: number; startLine: number; endLine: number; rule: 'attribution' | 'ancestor'; evidence: string } | null)[];
  hunks: string[];
  comments: string[];
}

/** A message's comments in the order the embedded store lists them (quoted lines, rule, hunk). */
function sortCommentsByPlace(c: CommentRecord[]): CommentRecord[] {
  return c.sort((a, b) => a.quotedLines[0] - b.quotedLines[0] || cmp(a.rule, b.rule) || cmp(a.hunkMsgid, b.hunkMsgid) || a.hunkIndex - b.hunkIndex);
}

function derivationFromRow(row: DerivationRow): MessageDerivation {
  const msgid = row.msgid;
  const quotes = row.quotes
    .filter((q): q is NonNullable<typeof q> => q !== null)
    .map((q) => ({ msgid, ...q }))
    .sort((a, b) => a.startLine - b.startLine);
  const hunks = row.hunks.map((j) => JSON.parse(j) as HunkRecord).sort((a, b) => a.kind.localeCompare(b.kind) || a.index - b.index);
  const comments = sortCommentsByPlace(row.comments.map((j) => JSON.parse(j) as CommentRecord));
  const trailers = (JSON.parse(row.trailersJson) as TrailerRecord[]).sort((a, b) => a.line - b.line || cmp(a.role, b.role) || cmp(a.name, b.name));
  return { msgid, segments: JSON.parse(row.segmentsJson) as SegmentRecord[], quotes, hunks, trailers, comments };
}


/**
 * One part of the series graph, written in the replaceSeriesGraph transaction. A series node
 * carries the lineage and trailer attributions of its revisions as JSON, which is why they come in
 * the series' part (graph/patches.ts SeriesGraphPart).
 */
async function writeSeriesGraphPart(tx: ManagedTransaction, part: SeriesGraphPart): Promise<void> {
  const g: SeriesGraph = {
    series: part.series ?? [],
    replies: part.replies ?? [],
    lineage: part.lineage ?? [],
    trailers: part.trailers ?? [],
    persons: part.persons ?? [],
  };
  const seriesOfRevision = new Map<string, string>();
  for (const s of g.series) for (const r of s.revisions) seriesOfRevision.set(r.key, s.key);
  const group = <T>(items: T[], revision: (t: T) => string): Map<string, T[]> => {
    const out = new Map<string, T[]>();
    for (const t of items) {
      const key = seriesOfRevision.get(revision(t)) ?? '';
      const list = out.get(key);
      if (list) list.push(t);
      else out.set(key, [t]);
    }
    return out;
  };
  const lineageOf = group(g.lineage, (l) => l.toRevision);
  // Every attribution is kept with its series; those naming a person are also TRAILER edges.
  const trailersOf = group(g.trailers, (t) => t.revision);
  const revisions = g.series.flatMap((s) => s.revisions.map((r) => ({ series: s.key, key: r.key, version: r.version, rfc: r.rfc ?? false, stable: r.stable ?? null, title: r.title })));
  const members = g.series.flatMap((s) =>
    s.revisions.flatMap((r) =>
      [...(r.cover ? [{ m: r.cover, role: 'cover' }] : []), ...r.patches.map((m) => ({ m, role: 'patch' }))].map(({ m, role }) => ({
        revision: r.key,
        key: m.key,
        msgid: m.msgid,
        title: m.title,
        role,
        rule: m.rule,
      })),
    ),
  );
  const next = g.series.flatMap((s) => s.next);
  // The rows that carry JSON (series, persons, attributions: hundreds of MB for a large archive)
  // are made a chunk at a time, as each statement is sent.
  await unwindMapped(
    tx,
    `UNWIND $rows AS r CREATE (:Series {key: r.key, title: r.title, searchText: r.searchText, firstDate: r.firstDate, json: r.json,
       lineageJson: r.lineageJson, trailersJson: r.trailersJson, trailerCount: r.trailerCount})`,
    g.series,
    (s) => {
      const trailers = trailersOf.get(s.key) ?? [];
      return {
        key: s.key,
        title: s.title,
        searchText: seriesSearchText(s),
        firstDate: seriesFirstDate(s),
        json: JSON.stringify(s),
        lineageJson: JSON.stringify(lineageOf.get(s.key) ?? []),
        trailersJson: JSON.stringify(trailers),
        trailerCount: trailers.length,
      };
    },
  );
  await unwind(
    tx,
    `UNWIND $rows AS r MATCH (s:Series {key: r.series}) CREATE (s)-[:HAS_VERSION]->(:Revision {key: r.key, version: r.version, rfc: r.rfc, stable: r.stable, title: r.title})`,
    revisions,
  );
  await unwind(
    tx,
    `UNWIND $rows AS r
     MATCH (rev:Revision {key: r.revision})
     MERGE (p:Patch {key: r.key}) ON CREATE SET p.title = r.title
     SET p.msgid = coalesce(p.msgid, r.msgid)
     CREATE (rev)-[:HAS_PATCH {role: r.role, rule: r.rule}]->(p)
     WITH p, r WHERE r.msgid IS NOT NULL
     MATCH (m:Message {msgid: r.msgid})
     MERGE (p)-[:MAIL]->(m)`,
    members,
  );
  await unwind(
    tx,
    `UNWIND $rows AS r MATCH (m:Message {msgid: r.msgid}) MATCH (p:Patch {key: r.target})
     MERGE (m)-[d:DISCUSSES {revision: r.revision}]->(p) SET d.rule = r.rule, d.evidence = r.evidence`,
    g.replies,
  );
  await unwind(
    tx,
    `UNWIND $rows AS r MATCH (a:Revision {key: r.from}) MATCH (b:Revision {key: r.to}) CREATE (a)-[:NEXT_VERSION {rule: r.rule, evidence: r.evidence}]->(b)`,
    next,
  );
  await unwind(
    tx,
    `UNWIND $rows AS r MATCH (a:Patch {key: r.from}) MATCH (b:Patch {key: r.to})
     CREATE (a)-[:NEXT_VERSION {rule: r.rule, score: r.score, evidence: r.evidence, fromRevision: r.fromRevision, toRevision: r.toRevision}]->(b)`,
    g.lineage,
  );
  await unwindMapped(
    tx,
    `UNWIND $rows AS r CREATE (:Person {id: r.id, name: r.name, addresses: r.addresses, names: r.names, json: r.json})`,
    g.persons,
    (p) => ({ id: p.id, name: p.name, addresses: p.addresses, names: p.names, json: JSON.stringify(p) }),
  );
  await unwindMapped(
    tx,
    `UNWIND $rows AS r MATCH (p:Person {id: r.person}) MATCH (x:Patch {key: r.patch})
     CREATE (p)-[:TRAILER {name: r.name, text: r.text, via: r.via, status: r.status, revision: r.revision, json: r.json}]->(x)`,
    g.trailers.filter((t) => t.personId),
    (t) => ({ person: t.personId, patch: t.patch, name: t.name, text: t.text, via: t.via, status: t.status, revision: t.revision, json: JSON.stringify(t) }),
  );
}

export class Neo4jPatchGraph implements PatchGraphStore {
  constructor(private readonly conn: Neo4jConnection) {}

  async *messageBatches(size: number): AsyncIterable<Message[]> {
    // allMessages reads a page per transaction, so writing between batches is safe.
    let batch: Message[] = [];
    for await (const m of allMessages(this.conn)) {
      const { sources: _sources, ...message } = m;
      batch.push(message);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  async *authors(): AsyncIterable<{ msgid: string; name: string | null; address: string | null }> {
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (m:Message) WHERE m.seq IS NOT NULL RETURN m.msgid AS msgid, m.fromName AS name, m.fromAddress AS address ORDER BY m.seq`);
      return res.records.map((r) => ({ msgid: r.get('msgid') as string, name: (r.get('name') as string | null) ?? null, address: (r.get('address') as string | null) ?? null }));
    });
    yield* rows;
  }

  async *authoredBy(who: { addresses: string[]; names: string[] }): AsyncIterable<{ msgid: string; name: string | null; address: string | null }> {
    const byAddress = who.addresses.length > 0;
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(
        byAddress
          ? `MATCH (m:Message) WHERE m.seq IS NOT NULL AND m.fromAddress IN $keys RETURN m.msgid AS msgid, m.fromName AS name, m.fromAddress AS address ORDER BY m.seq`
          : `MATCH (m:Message) WHERE m.seq IS NOT NULL AND toLower(m.fromName) IN $keys RETURN m.msgid AS msgid, m.fromName AS name, m.fromAddress AS address ORDER BY m.seq`,
        { keys: byAddress ? who.addresses.map((a) => a.toLowerCase()) : who.names.map((n) => n.toLowerCase()) },
      );
      return res.records.map((r) => ({ msgid: r.get('msgid') as string, name: (r.get('name') as string | null) ?? null, address: (r.get('address') as string | null) ?? null }));
    });
    yield* rows;
  }

  // Each putMessageDerivations replaces what its messages derived, and the lookups are schema
  // indexes Neo4j keeps up itself: nothing to prepare for a bulk rewrite, nothing to finish.
  async startDerivations(): Promise<void> {}

  async finishDerivations(): Promise<void> {}

  async putMessageDerivations(batch: MessageDerivation[]): Promise<void> {
    if (batch.length === 0) return;
    const ids = batch.map((d) => d.msgid);
    const messages = batch.map((d) => ({ msgid: d.msgid, segmentsJson: JSON.stringify(d.segments), trailersJson: JSON.stringify(d.trailers) }));
    const hunks = batch.flatMap((d) =>
      d.hunks.map((h) => ({
        msgid: h.msgid,
        key: hunkKey(h.msgid, h.kind, h.index),
        kind: h.kind,
        index: h.index,
        functionName: h.functionName,
        paths: [...new Set([h.oldPath, h.newPath].filter((p): p is string => !!p))],
        json: JSON.stringify(h),
      })),
    );
    const quotes = batch.flatMap((d) => d.quotes);
    const comments = batch.flatMap((d) => d.comments.map(commentRow));
    await this.conn.write(`putMessageDerivations, ${batch.length} messages`, async (tx) => {
      // What these messages derived before goes first: their hunks (and comments on them), quotes, comments.
      await tx.run(
        `UNWIND $ids AS id MATCH (m:Message {msgid: id})
         OPTIONAL MATCH (m)-[:HAS_HUNK]->(h:Hunk) DETACH DELETE h`,
        { ids },
      );
      await tx.run(`UNWIND $ids AS id MATCH (m:Message {msgid: id})-[r:QUOTES|COMMENTS_ON]->() DELETE r`, { ids });
      await unwind(tx, `UNWIND $rows AS r MATCH (m:Message {msgid: r.msgid}) SET m.segmentsJson = r.segmentsJson, m.trailersJson = r.trailersJson, m.derived = true`, messages);
      await unwind(
        tx,
        `UNWIND $rows AS r
         MATCH (m:Message {msgid: r.msgid})
         CREATE (m)-[:HAS_HUNK]->(h:Hunk {key: r.key, msgid: r.msgid, kind: r.kind, index: r.index, functionName: r.functionName, json: r.json})
         FOREACH (p IN r.paths | MERGE (f:File {path: p}) CREATE (h)-[:TOUCHES]->(f))
         FOREACH (fn IN CASE WHEN r.functionName IS NULL THEN [] ELSE [r.functionName] END |
           MERGE (s:Symbol {key: 'function:' + fn}) ON CREATE SET s.kind = 'function', s.name = fn
           CREATE (h)-[:IN_FUNCTION]->(s))`,
        hunks,
      );
      await unwind(
        tx,
        `UNWIND $rows AS r
         MATCH (m:Message {msgid: r.msgid}) MATCH (q:Message {msgid: r.quoted})
         CREATE (m)-[:QUOTES {depth: r.depth, startLine: r.startLine, endLine: r.endLine, rule: r.rule, evidence: r.evidence}]->(q)`,
        quotes,
      );
      await unwind(tx, COMMENTS_CYPHER, comments);
    });
  }

  async putComments(comments: CommentRecord[]): Promise<void> {
    if (comments.length === 0) return;
    await this.conn.write(`putComments, ${comments.length} comments`, (tx) => unwind(tx, COMMENTS_CYPHER, comments.map(commentRow)));
  }

  async replaceSeriesGraph(parts: Iterable<SeriesGraphPart>): Promise<void> {
    // One transaction for every part; the driver may run it again after a transient failure, and
    // iterating the parts again gives them again (the contract asks for a re-iterable).
    await this.conn.write('replaceSeriesGraph', async (tx) => {
      await tx.run(`MATCH (n) WHERE n:Series OR n:Revision OR n:Patch OR n:Person DETACH DELETE n`);
      for (const part of parts) await writeSeriesGraphPart(tx, part);
    });
  }

  private toView(r: { json: string; lineageJson: string; trailersJson: string }): SeriesView {
    const s = JSON.parse(r.json) as SeriesRecord;
    return {
      ...s,
      lineage: sortLineage(JSON.parse(r.lineageJson) as LineageRecord[]),
      trailers: sortTrailers(JSON.parse(r.trailersJson) as TrailerAttributionRecord[]),
    };
  }

  async series(query?: string): Promise<SeriesView[]> {
    const q = query?.trim().toLowerCase() ?? '';
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(
        `MATCH (s:Series) WHERE $q = '' OR s.searchText CONTAINS $q
         RETURN s.json AS json, s.lineageJson AS lineageJson, s.trailersJson AS trailersJson
         ORDER BY s.firstDate, s.key`,
        { q },
      );
      return res.records.map((r) => r.toObject() as { json: string; lineageJson: string; trailersJson: string });
    });
    return rows.map((r) => this.toView(r));
  }

  async seriesIndex(query?: string): Promise<SeriesRecord[]> {
    const q = query?.trim().toLowerCase() ?? '';
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(
        `MATCH (s:Series) WHERE $q = '' OR s.searchText CONTAINS $q
         RETURN s.json AS json
         ORDER BY s.firstDate, s.key`,
        { q },
      );
      return res.records.map((r) => r.get('json') as string);
    });
    return rows.map((json) => JSON.parse(json) as SeriesRecord);
  }

  async *eachSeries(pageSize = SERIES_PAGE): AsyncIterable<SeriesRecord> {
    for (let skip = 0; ; skip += pageSize) {
      const rows = await this.conn.read(async (tx) => {
        const res = await tx.run(`MATCH (s:Series) RETURN s.json AS json ORDER BY s.firstDate, s.key SKIP $skip LIMIT $limit`, {
          skip: neo4j.int(skip),
          limit: neo4j.int(pageSize),
        });
        return res.records.map((r) => r.get('json') as string);
      });
      for (const json of rows) yield JSON.parse(json) as SeriesRecord;
      if (rows.length < pageSize) return;
    }
  }

  async trailersOf(personId: string): Promise<PersonTrailers[]> {
    const rows = await this.conn.read(async (tx) => {
      // The trailers of a series are one JSON property: the id as it is written there narrows the scan.
      const res = await tx.run(
        `MATCH (s:Series) WHERE s.trailersJson CONTAINS $needle
         RETURN s.key AS key, s.title AS title, s.trailersJson AS trailersJson
         ORDER BY s.firstDate, s.key`,
        { needle: JSON.stringify(personId) },
      );
      return res.records.map((r) => r.toObject() as { key: string; title: string; trailersJson: string });
    });
    return rows
      .map((r) => ({
        seriesKey: r.key,
        seriesTitle: r.title,
        trailers: sortTrailers((JSON.parse(r.trailersJson) as TrailerAttributionRecord[]).filter((t) => t.personId === personId)),
      }))
      .filter((g) => g.trailers.length > 0);
  }

  async seriesDetail(key: string): Promise<SeriesView | null> {
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (s:Series {key: $key}) RETURN s.json AS json, s.lineageJson AS lineageJson, s.trailersJson AS trailersJson`, { key });
      return res.records.map((r) => r.toObject() as { json: string; lineageJson: string; trailersJson: string });
    });
    return rows[0] ? this.toView(rows[0]) : null;
  }

  async hunks(q: HunkQuery): Promise<HunkView[]> {
    if (!q.function && !q.file) return [];
    const match = q.function
      ? `MATCH (:Symbol {key: 'function:' + $fn})<-[:IN_FUNCTION]-(h:Hunk)`
      : q.file?.endsWith('/')
        ? `MATCH (f:File)<-[:TOUCHES]-(h:Hunk) WHERE f.path STARTS WITH $file WITH DISTINCT h`
        : `MATCH (:File {path: $file})<-[:TOUCHES]-(h:Hunk)`;
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(
        `${match}
         MATCH (m:Message {msgid: h.msgid})
         CALL { WITH h
           OPTIONAL MATCH (r:Message)-[c:COMMENTS_ON]->(h)
           RETURN collect(CASE WHEN c IS NULL THEN null ELSE {json: c.json, from: coalesce(r.fromName, r.fromAddress, '(unknown)'), date: r.date} END) AS comments }
         CALL { WITH m
           OPTIONAL MATCH (m)-[pc:COMMENTS_ON {rule: 'patch'}]->()
           RETURN collect(pc.json) AS patchComments }
         CALL { WITH h, m
           OPTIONAL MATCH (s:Series)-[:HAS_VERSION]->(rev:Revision)-[hp:HAS_PATCH {role: 'patch'}]->(p:Patch)-[:MAIL]->(m)
           WHERE h.kind = 'patch' AND hp.rule <> 'carried'
           WITH s, rev ORDER BY rev.key LIMIT 1
           RETURN s.key AS seriesKey, rev.key AS revision }
         CALL { WITH h, m
           OPTIONAL MATCH (r:Message)-[d:DISCUSSES]->(:Patch)-[:MAIL]->(m) WHERE h.kind = 'patch'
           WITH r, collect(d)[0] AS d WHERE r IS NOT NULL
           RETURN collect({msgid: r.msgid, from: coalesce(r.fromName, r.fromAddress, '(unknown)'), date: r.date, subject: coalesce(r.subject, ''),
                           rule: d.rule, evidence: d.evidence}) AS replies }
         RETURN h.json AS json, m.subject AS subject, coalesce(m.fromName, m.fromAddress, '(unknown)') AS from, m.date AS date,
                comments, patchComments, seriesKey, revision, replies`,
        { fn: q.function ?? null, file: q.file ?? null },
      );
      return res.records.map((r) => r.toObject());
    });
    // Each series' JSON (every revision) is read and parsed once, not once per hunk.
    const seriesKeys = [...new Set(rows.map((r) => r.seriesKey as string | null).filter((k): k is string => !!k))];
    const parsedSeries = new Map<string, SeriesRecord>();
    if (seriesKeys.length) {
      await this.conn.read(async (tx) => {
        const res = await tx.run(`UNWIND $keys AS k MATCH (s:Series {key: k}) RETURN s.key AS key, s.json AS json`, { keys: seriesKeys });
        for (const r of res.records) parsedSeries.set(r.get('key') as string, JSON.parse(r.get('json') as string) as SeriesRecord);
      });
    }
    const out: HunkView[] = [];
    for (const r of rows) {
      const h = JSON.parse(r.json as string) as HunkRecord;
      if (q.file && !fileMatches(q.file, h)) continue;
      const patchComments = (r.patchComments as string[]).map((j) => JSON.parse(j) as CommentRecord);
      if (supersededQuote(h, patchComments)) continue;
      let series: HunkView['series'] = null;
      const s = r.seriesKey ? parsedSeries.get(r.seriesKey as string) : undefined;
      if (s) {
        const rev = s.revisions.find((x) => x.key === r.revision);
        const mem = rev?.patches.find((x) => x.msgid === h.msgid);
        if (rev) series = { key: s.key, title: s.title, revision: rev.key, version: rev.version, index: mem?.index ?? null, total: mem?.total ?? rev.total };
      }
      const comments: HunkCommentView[] = (r.comments as ({ json: string; from: string; date: string | null } | null)[])
        .filter((c): c is { json: string; from: string; date: string | null } => c !== null)
        .map((c) => ({ ...(JSON.parse(c.json) as CommentRecord), from: c.from, date: c.date ?? null }));
      const replies = (r.replies as HunkView['replies'])
        .map((x) => ({ ...x, date: x.date ?? null }))
        .sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.msgid.localeCompare(b.msgid));
      out.push({ ...h, subject: (r.subject as string) ?? '', from: r.from as string, date: (r.date as string | null) ?? null, series, comments: sortComments(comments), replies });
    }
    return sortHunkViews(out);
  }

  async messageSegments(msgid: string): Promise<MessageDerivation | null> {
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (m:Message {msgid: $msgid}) WHERE m.derived ${DERIVATION_RETURN}`, { msgid });
      return res.records.map((r) => r.toObject() as DerivationRow);
    });
    return rows[0] ? derivationFromRow(rows[0]) : null;
  }

  async *derivationBatches(size: number): AsyncIterable<MessageDerivation[]> {
    let after = '';
    for (;;) {
      const rows = await this.conn.read(async (tx) => {
        const res = await tx.run(
          `MATCH (m:Message) WHERE m.msgid > $after AND m.derived
           WITH m ORDER BY m.msgid LIMIT $limit
           ${DERIVATION_RETURN} ORDER BY msgid`,
          { after, limit: neo4j.int(size) },
        );
        return res.records.map((r) => r.toObject() as DerivationRow);
      });
      if (rows.length === 0) return;
      after = rows[rows.length - 1].msgid;
      yield rows.map(derivationFromRow);
      if (rows.length < size) return;
    }
  }

  async *commentBatches(size: number): AsyncIterable<CommentRecord[]> {
    // Pages by commenting message, then cut into batches of at most `size`.
    let after = '';
    for (;;) {
      const rows = await this.conn.read(async (tx) => {
        const res = await tx.run(
          `MATCH (m:Message) WHERE m.msgid > $after AND EXISTS { (m)-[:COMMENTS_ON]->() }
           WITH m ORDER BY m.msgid LIMIT $limit
           MATCH (m)-[c:COMMENTS_ON]->()
           RETURN m.msgid AS msgid, collect(c.json) AS comments ORDER BY msgid`,
          { after, limit: neo4j.int(size) },
        );
        return res.records.map((r) => r.toObject() as { msgid: string; comments: string[] });
      });
      if (rows.length === 0) return;
      after = rows[rows.length - 1].msgid;
      const comments = rows.flatMap((r) => sortCommentsByPlace(r.comments.map((j) => JSON.parse(j) as CommentRecord)));
      for (let i = 0; i < comments.length; i += size) yield comments.slice(i, i + size);
      if (rows.length < size) return;
    }
  }

  async seriesGraph(): Promise<SeriesGraph> {
    return this.conn.read(async (tx) => {
      const series = await tx.run(`MATCH (s:Series) RETURN s.json AS json, s.lineageJson AS lineageJson, s.trailersJson AS trailersJson ORDER BY s.key`);
      const replies = await tx.run(
        `MATCH (m:Message)-[d:DISCUSSES]->(p:Patch)
         RETURN m.msgid AS msgid, p.key AS target, coalesce(p.msgid, [(p)-[:MAIL]->(x:Message) | x.msgid][0]) AS targetMsgid,
                d.revision AS revision, d.rule AS rule, d.evidence AS evidence
         ORDER BY msgid, target, revision`,
      );
      const persons = await tx.run(`MATCH (p:Person) RETURN p.json AS json ORDER BY p.id`);
      const graph: SeriesGraph = { series: [], replies: [], lineage: [], trailers: [], persons: [] };
      for (const r of series.records) {
        graph.series.push(JSON.parse(r.get('json') as string) as SeriesRecord);
        graph.lineage.push(...(JSON.parse(r.get('lineageJson') as string) as LineageRecord[]));
        graph.trailers.push(...(JSON.parse(r.get('trailersJson') as string) as TrailerAttributionRecord[]));
      }
      graph.lineage.sort((a, b) => cmp(a.fromRevision, b.fromRevision) || cmp(a.from, b.from) || cmp(a.toRevision, b.toRevision) || cmp(a.to, b.to));
      graph.replies = replies.records.map((r) => ({ ...(r.toObject() as ReplyLinkRecord), targetMsgid: (r.get('targetMsgid') as string | null) ?? null }));
      graph.persons = persons.records.map((r) => JSON.parse(r.get('json') as string) as PersonRecord);
      return graph;
    });
  }

  async person(id: string): Promise<PersonRecord | null> {
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (p:Person) WHERE p.id = $id OR $address IN p.addresses RETURN p.json AS json ORDER BY p.id = $id DESC LIMIT 1`, {
        id,
        address: id.toLowerCase(),
      });
      return res.records.map((r) => r.get('json') as string);
    });
    return rows[0] ? (JSON.parse(rows[0]) as PersonRecord) : null;
  }

  async people(): Promise<PersonRecord[]> {
    const rows = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (p:Person) RETURN p.json AS json ORDER BY p.id`);
      return res.records.map((r) => r.get('json') as string);
    });
    return rows.map((j) => JSON.parse(j) as PersonRecord);
  }

  async patchStats(): Promise<PatchGraphStats> {
    return this.conn.read(async (tx) => {
      const count = async (cypher: string): Promise<number> => (await tx.run(cypher)).records[0].get('n') as number;
      return {
        derivedMessages: await count(`MATCH (m:Message) WHERE m.derived RETURN count(m) AS n`),
        hunks: await count(`MATCH (h:Hunk {kind: 'patch'}) RETURN count(h) AS n`),
        quotedHunks: await count(`MATCH (h:Hunk {kind: 'quoted'}) RETURN count(h) AS n`),
        comments: await count(`MATCH ()-[c:COMMENTS_ON]->() RETURN count(c) AS n`),
        quotes: await count(`MATCH ()-[q:QUOTES]->() RETURN count(q) AS n`),
        series: await count(`MATCH (s:Series) RETURN count(s) AS n`),
        revisions: await count(`MATCH (r:Revision) RETURN count(r) AS n`),
        patches: await count(`MATCH (:Revision)-[:HAS_PATCH {role: 'patch'}]->(p:Patch) RETURN count(DISTINCT p) AS n`),
        trailers: await count(`MATCH (s:Series) RETURN coalesce(sum(s.trailerCount), 0) AS n`),
        persons: await count(`MATCH (p:Person) RETURN count(p) AS n`),
      };
    });
  }
}
