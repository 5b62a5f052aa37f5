// Writes: every call is one managed transaction (retried whole on transient errors, committed
// whole or not at all), rows go in as parameters through UNWIND, and MERGE on the node keys makes
// writing the same records twice change nothing.
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { Message, Skip } from '../../ingest/model.js';
import type { ArchiveRecord, PutMessagesResult, ThreadAssignment } from '../store.js';
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

export async function putMessages(conn: Neo4jConnection, messages: Message[]): Promise<PutMessagesResult> {
  if (messages.length === 0) return { inserted: 0, duplicates: 0, duplicateMsgids: [] };
  return conn.write(`putMessages, ${messages.length} messages`, async (tx) => {
    // Taking the write lock on the sequence counter first (a write that leaves nothing behind)
    // serialises concurrent writers, so the "already stored?" answer below stays true until commit.
    const counter = await tx.run(
      `MERGE (c:Counter {name: 'message'}) ON CREATE SET c.value = 0
       SET c.locked = true REMOVE c.locked
       RETURN c.value AS value`,
    );
    let seq = counter.records[0].get('value') as number;
    const ids = [...new Set(messages.map((m) => m.msgid))];
    const stored = new Set<string>();
    for (const part of chunks(ids)) {
      const res = await tx.run(
        `UNWIND $ids AS id MATCH (m:Message {msgid: id}) WHERE m.seq IS NOT NULL RETURN m.msgid AS msgid`,
        { ids: part },
      );
      for (const r of res.records) stored.add(r.get('msgid') as string);
    }
    const fresh: Record<string, unknown>[] = [];
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
      fresh.push({
        ...source,
        props: messageToProps(m, ++seq),
        author: key ? { key, name: m.from.name, address: m.from.address } : null,
      });
    }
    // New messages with their author and first source in one pass. A ghost container of the same
    // id may exist already: it becomes the stored message (ghosts have no sources or authors).
    await runChunked(
      tx,
      `UNWIND $rows AS r
       MERGE (m:Message {msgid: r.msgid})
       SET m += r.props
       MERGE (a:Archive {source: r.source})
       CREATE (m)-[:FROM_SOURCE {offset: r.offset, format: r.format}]->(a)
       WITH m, r WHERE r.author IS NOT NULL
       MERGE (w:Address {key: r.author.key}) ON CREATE SET w.name = r.author.name, w.address = r.author.address
       CREATE (w)-[:WROTE]->(m)`,
      fresh,
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
    return { inserted: fresh.length, duplicates: duplicateMsgids.length, duplicateMsgids };
  });
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
 * Ghost containers that are not stored messages are deleted with the old forest.
 */
export async function replaceThreadForest(conn: Neo4jConnection, assignments: ThreadAssignment[]): Promise<void> {
  const rows = assignments.map((a) => ({
    msgid: a.msgid,
    root: a.root,
    parent: a.parent,
    method: a.method,
    confidence: a.confidence,
    evidence: a.evidence,
    ghost: a.ghost,
    depth: neo4j.int(a.depth),
  }));
  await conn.write(`replaceThreadForest, ${assignments.length} containers`, async (tx) => {
    await tx.run(`MATCH (t:Thread) DETACH DELETE t`);
    await tx.run(`MATCH (:Message)-[r:REPLY_TO]->() DELETE r`);
    // Only ghost containers carry `ghost` (true); stored messages leave it unset.
    await tx.run(`MATCH (m:Message) WHERE m.ghost = true AND m.seq IS NULL DETACH DELETE m`);
    await tx.run(`MATCH (m:Message) WHERE m.ghost = true REMOVE m.ghost`);
    await runChunked(
      tx,
      `UNWIND $rows AS r
       MERGE (m:Message {msgid: r.msgid})
       SET m.ghost = CASE WHEN r.ghost THEN true ELSE null END
       MERGE (t:Thread {root: r.root})
       CREATE (m)-[:IN_THREAD {depth: r.depth}]->(t)`,
      rows,
    );
    await runChunked(
      tx,
      `UNWIND $rows AS r
       MATCH (m:Message {msgid: r.msgid})
       MERGE (p:Message {msgid: r.parent})
       CREATE (m)-[:REPLY_TO {method: r.method, confidence: r.confidence, evidence: r.evidence}]->(p)`,
      rows.filter((r) => r.parent !== null),
    );
  });
}
