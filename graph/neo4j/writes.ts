// Writes: every call is one managed transaction (retried whole on transient errors, committed
// whole or not at all), rows go in as parameters through UNWIND, and MERGE on the node keys makes
// writing the same records twice change nothing.
import neo4j, { type Integer, type ManagedTransaction } from 'neo4j-driver';
import type { Message, Skip } from '../../ingest/model.js';
import type { ArchiveRecord, PutMessagesResult, ThreadForest } from '../store.js';
import type { Neo4jConnection } from './connection.js';
import { addressKey, messageToProps } from './rows.js';

/** Rows per UNWIND statement inside one transaction. */
const CHUNK = 2000;

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function runChunked<T>(tx: ManagedTransaction, cypher: string, rows: T[]): Promise<void> {
  for (const part of chunks(rows)) await tx.run(cypher, { rows: part });
}

/** A message new to the store, with what its relationships need. */
interface FreshRow {
  msgid: string;
  offset: unknown;
  format: string;
  props: Record<string, unknown>;
}

/**
 * Rows grouped by archive and author, so each group's Archive and Address are found once (by
 * their key) rather than once per message: the groups' nodes are merged first, then a message is
 * a CREATE and two relationships, with no index lookup of its own.
 */
function groupRows(
  rows: { row: FreshRow; source: string; author: { key: string; name: string | null; address: string | null } | null }[],
): { groups: { source: string; author: string | null; rows: FreshRow[] }[]; sources: string[]; authors: { key: string; name: string | null; address: string | null }[] } {
  const groups = new Map<string, { source: string; author: string | null; rows: FreshRow[] }>();
  const authors = new Map<string, { key: string; name: string | null; address: string | null }>();
  const sources = new Set<string>();
  for (const { row, source, author } of rows) {
    sources.add(source);
    if (author && !authors.has(author.key)) authors.set(author.key, author);
    const key = JSON.stringify([source, author?.key ?? null]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { source, author: author?.key ?? null, rows: [] }));
    g.rows.push(row);
  }
  return { groups: [...groups.values()], sources: [...sources], authors: [...authors.values()] };
}

export async function putMessages(conn: Neo4jConnection, messages: Message[]): Promise<PutMessagesResult> {
  if (messages.length === 0) return { inserted: 0, duplicates: 0, duplicateMsgids: [] };
  return conn.write(`putMessages, ${messages.length} messages`, async (tx) => {
    // Taking the write lock on the sequence counter first (a write that leaves nothing behind)
    // serialises the writers that create Message nodes (this and replaceThreadForest), so what
    // the lookup below finds stays true until commit.
    let seq = await lockCounter(tx);
    const ids = [...new Set(messages.map((m) => m.msgid))];
    // Stored messages (seq set), and ghost containers of the thread forest (no seq).
    const stored = new Set<string>();
    const ghosts = new Set<string>();
    for (const part of chunks(ids)) {
      const res = await tx.run(
        `UNWIND $ids AS id MATCH (m:Message {msgid: id}) RETURN m.msgid AS msgid, m.seq IS NOT NULL AS stored`,
        { ids: part },
      );
      for (const r of res.records) (r.get('stored') ? stored : ghosts).add(r.get('msgid') as string);
    }
    const fresh: Parameters<typeof groupRows>[0] = [];
    const adopted: Record<string, unknown>[] = [];
    const again: Record<string, unknown>[] = [];
    const duplicateMsgids: string[] = [];
    for (const m of messages) {
      const source = { msgid: m.msgid, source: m.provenance.source, format: m.provenance.format, offset: neo4j.int(m.provenance.offset) };
      if (stored.has(m.msgid)) {
        duplicateMsgids.push(m.msgid);
        again.push(source);
        continue;
      }
      stored.add(m.msgid);
      const key = addressKey(m.from);
      const author = key ? { key, name: m.from.name, address: m.from.address } : null;
      const props = messageToProps(m, ++seq);
      // A ghost container of the same id becomes the stored message (ghosts have no sources or authors).
      if (ghosts.has(m.msgid)) adopted.push({ ...source, props, author });
      else fresh.push({ row: { msgid: m.msgid, offset: source.offset, format: source.format, props }, source: source.source, author });
    }
    if (fresh.length > 0) {
      const { groups, sources, authors } = groupRows(fresh);
      await runChunked(tx, `UNWIND $rows AS source MERGE (:Archive {source: source})`, sources);
      await runChunked(
        tx,
        `UNWIND $rows AS a MERGE (w:Address {key: a.key}) ON CREATE SET w.name = a.name, w.address = a.address`,
        authors,
      );
      // Groups in chunks of about CHUNK messages.
      let part: typeof groups = [];
      let size = 0;
      const flush = async (): Promise<void> => {
        if (part.length === 0) return;
        await tx.run(
          `UNWIND $groups AS g
           MATCH (a:Archive {source: g.source})
           OPTIONAL MATCH (w:Address {key: g.author})
           UNWIND g.rows AS r
           CREATE (m:Message) SET m = r.props
           CREATE (m)-[:FROM_SOURCE {offset: r.offset, format: r.format}]->(a)
           FOREACH (_ IN CASE WHEN w IS NULL THEN [] ELSE [1] END | CREATE (w)-[:WROTE]->(m))`,
          { groups: part },
        );
        part = [];
        size = 0;
      };
      for (const g of groups) {
        part.push(g);
        size += g.rows.length;
        if (size >= CHUNK) await flush();
      }
      await flush();
    }
    await runChunked(
      tx,
      `UNWIND $rows AS r
       MATCH (m:Message {msgid: r.msgid})
       SET m += r.props
       MERGE (a:Archive {source: r.source})
       CREATE (m)-[:FROM_SOURCE {offset: r.offset, format: r.format}]->(a)
       WITH m, r WHERE r.author IS NOT NULL
       MERGE (w:Address {key: r.author.key}) ON CREATE SET w.name = r.author.name, w.address = r.author.address
       CREATE (w)-[:WROTE]->(m)`,
      adopted,
    );
    // Messages seen before: only their provenance is added (once per source and offset).
    await runChunked(
      tx,
      `UNWIND $rows AS r
       MATCH (m:Message {msgid: r.msgid})
       MERGE (a:Archive {source: r.source})
       MERGE (m)-[f:FROM_SOURCE {offset: r.offset}]->(a) ON CREATE SET f.format = r.format`,
      again,
    );
    await tx.run(`MATCH (c:Counter {name: 'message'}) SET c.value = $value`, { value: neo4j.int(seq) });
    return { inserted: fresh.length + adopted.length, duplicates: duplicateMsgids.length, duplicateMsgids };
  });
}

/**
 * Takes the write lock on the message counter (creating it at 0) and returns its value. Every
 * write that creates Message nodes takes it first, so they never race on a msgid.
 */
async function lockCounter(tx: ManagedTransaction): Promise<number> {
  const counter = await tx.run(
    `MERGE (c:Counter {name: 'message'}) ON CREATE SET c.value = 0
     SET c.locked = true REMOVE c.locked
     RETURN c.value AS value`,
  );
  return counter.records[0].get('value') as number;
}

export async function putSkips(conn: Neo4jConnection, skips: Skip[]): Promise<void> {
  if (skips.length === 0) return;
  const rows = skips.map((s) => ({ source: s.source, offset: neo4j.int(s.offset), reason: s.reason }));
  await conn.write(`putSkips, ${skips.length} skips`, (tx) =>
    runChunked(tx, `UNWIND $rows AS r MERGE (:Skip {source: r.source, offset: r.offset, reason: r.reason})`, rows),
  );
}

export async function putArchive(conn: Neo4jConnection, a: ArchiveRecord): Promise<void> {
  await conn.write(`putArchive ${a.source}`, async (tx) => {
    await tx.run(
      `MERGE (a:Archive {source: $source})
       SET a.format = $format, a.bytes = $bytes, a.messages = $messages, a.duplicates = $duplicates,
           a.skipped = $skipped, a.truncated = $truncated, a.ingestedAt = $ingestedAt`,
      {
        source: a.source,
        format: a.format,
        bytes: neo4j.int(a.bytes),
        messages: neo4j.int(a.messages),
        duplicates: neo4j.int(a.duplicates),
        skipped: neo4j.int(a.skipped),
        truncated: a.truncated,
        ingestedAt: a.ingestedAt,
      },
    );
  });
}

/**
 * Replaces the whole forest in one transaction: readers see the old forest or the new one.
 * Ghost containers that are not stored messages are deleted with the old forest. The forest is
 * read as it is written, CHUNK containers at a time (each chunk's nodes, then its REPLY_TO links),
 * so it is never held whole here; a retry of the transaction reads it again from the start.
 */
export async function replaceThreadForest(conn: Neo4jConnection, forest: ThreadForest): Promise<void> {
  // An iterator (a generator object) can be read once; anything else starts over when iterated.
  const oneShot = typeof (forest as { next?: unknown }).next === 'function';
  let attempts = 0;
  await conn.write('replaceThreadForest', async (tx) => {
    if (++attempts > 1 && oneShot) {
      throw new Error('the forest was a one-shot stream, read by the failed attempt: it cannot be written again');
    }
    // Ghost containers are Message nodes too: taken in turn with putMessages (see lockCounter).
    await lockCounter(tx);
    await tx.run(`MATCH (t:Thread) DETACH DELETE t`);
    await tx.run(`MATCH (:Message)-[r:REPLY_TO]->() DELETE r`);
    // Only ghost containers carry `ghost` (true); stored messages leave it unset.
    await tx.run(`MATCH (m:Message) WHERE m.ghost = true AND m.seq IS NULL DETACH DELETE m`);
    await tx.run(`MATCH (m:Message) WHERE m.ghost = true REMOVE m.ghost`);
    let part: ForestRow[] = [];
    const flush = async (): Promise<void> => {
      if (part.length === 0) return;
      await tx.run(
        `UNWIND $rows AS r
         MERGE (m:Message {msgid: r.msgid})
         SET m.ghost = CASE WHEN r.ghost THEN true ELSE null END
         MERGE (t:Thread {root: r.root})
         CREATE (m)-[:IN_THREAD {depth: r.depth}]->(t)`,
        { rows: part },
      );
      // A parent not written yet (a forest in no particular order) is merged here and gets its
      // ghost flag when its own row comes: the end state does not depend on the order.
      const linked = part.filter((r) => r.parent !== null);
      if (linked.length) {
        await tx.run(
          `UNWIND $rows AS r
           MATCH (m:Message {msgid: r.msgid})
           MERGE (p:Message {msgid: r.parent})
           CREATE (m)-[:REPLY_TO {method: r.method, confidence: r.confidence, evidence: r.evidence}]->(p)`,
          { rows: linked },
        );
      }
      part = [];
    };
    for await (const a of forest) {
      part.push({
        msgid: a.msgid,
        root: a.root,
        parent: a.parent,
        method: a.method,
        confidence: a.confidence,
        evidence: a.evidence,
        ghost: a.ghost,
        depth: neo4j.int(a.depth),
      });
      if (part.length >= CHUNK) await flush();
    }
    await flush();
  });
}

interface ForestRow {
  msgid: string;
  root: string;
  parent: string | null;
  method: string | null;
  confidence: number | null;
  evidence: string | null;
  ghost: boolean;
  depth: Integer;
}
