// Reading whole stores out (threading, export): messages page through the seq index in insertion
// order, one read transaction per page; thread containers stream from one query.
import neo4j from 'neo4j-driver';
import type { StoredMessage, ThreadAssignment, ThreadingRecord } from '../store.js';
import { explainConnectError, type Neo4jConnection } from './connection.js';
import { propsToMessage, type MessageProps } from './rows.js';

const PAGE = 1000;

async function* pages<T>(
  conn: Neo4jConnection,
  cypher: string,
  map: (row: Record<string, unknown>) => T,
): AsyncIterable<T> {
  let after = -1;
  for (;;) {
    const rows = await conn.read(async (tx) => {
      const res = await tx.run(cypher, { after: neo4j.int(after), limit: neo4j.int(PAGE) });
      return res.records.map((r) => r.toObject() as Record<string, unknown>);
    });
    for (const row of rows) yield map(row);
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].seq as number;
  }
}

export function allMessages(conn: Neo4jConnection): AsyncIterable<StoredMessage> {
  return pages(
    conn,
    `MATCH (m:Message) WHERE m.seq > $after
     WITH m ORDER BY m.seq LIMIT $limit
     CALL {
       WITH m
       OPTIONAL MATCH (m)-[f:FROM_SOURCE]->(a:Archive)
       WITH f, a ORDER BY a.source, f.offset
       RETURN [x IN collect({source: a.source, format: f.format, offset: f.offset}) WHERE x.source IS NOT NULL] AS sources
     }
     RETURN m.seq AS seq, properties(m) AS props, sources
     ORDER BY seq`,
    (row) => ({ ...propsToMessage(row.props as MessageProps), sources: row.sources as StoredMessage['sources'] }),
  );
}

export function threadingRecords(conn: Neo4jConnection): AsyncIterable<ThreadingRecord> {
  return pages(
    conn,
    `MATCH (m:Message) WHERE m.seq > $after
     RETURN m.seq AS seq, m.msgid AS msgid, m.inReplyTo AS inReplyTo, m.referencesJson AS referencesJson,
            m.normalizedSubject AS normalizedSubject, m.subjectJson AS subjectJson, m.date AS date,
            m.inferredJson AS inferredJson
     ORDER BY m.seq LIMIT $limit`,
    (r) => ({
      msgid: r.msgid as string,
      inReplyTo: (r.inReplyTo as string | null) ?? null,
      references: JSON.parse(r.referencesJson as string) as string[],
      normalizedSubject: r.normalizedSubject as string,
      isReply: (JSON.parse(r.subjectJson as string) as { isReply: boolean }).isReply,
      date: (r.date as string | null) ?? null,
      inferredParent: r.inferredJson
        ? (JSON.parse(r.inferredJson as string) as ThreadingRecord['inferredParent'])
        : null,
    }),
  );
}

/** Every container of the forest, ordered by root, depth, msgid (as the embedded store). */
export async function* allThreadAssignments(conn: Neo4jConnection): AsyncIterable<ThreadAssignment> {
  const session = conn.session('READ');
  try {
    const result = session.run(
      `MATCH (c:Message)-[i:IN_THREAD]->(t:Thread)
       OPTIONAL MATCH (c)-[r:REPLY_TO]->(p:Message)
       RETURN c.msgid AS msgid, t.root AS root, p.msgid AS parent, r.method AS method,
              r.confidence AS confidence, r.evidence AS evidence, coalesce(c.ghost, false) AS ghost,
              i.depth AS depth
       ORDER BY root, depth, msgid`,
    );
    for await (const rec of result) {
      const r = rec.toObject() as Record<string, unknown>;
      yield {
        msgid: r.msgid as string,
        root: r.root as string,
        parent: (r.parent as string | null) ?? null,
        method: (r.method as ThreadAssignment['method']) ?? null,
        confidence: (r.confidence as number | null) ?? null,
        evidence: (r.evidence as string | null) ?? null,
        ghost: r.ghost as boolean,
        depth: r.depth as number,
      };
    }
  } catch (e) {
    throw explainConnectError(e, conn.config);
  } finally {
    await session.close();
  }
}
