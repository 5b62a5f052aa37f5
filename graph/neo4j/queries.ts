// Queries: each runs in a managed read transaction and returns the same plain objects, in the
// same order, as the embedded store (graph/sqlite/store.ts) — the contract suite checks both.
import { buildThreadView, type ContainerRow } from '../threadView.js';
import neo4j from 'neo4j-driver';
import type { Skip } from '../../ingest/model.js';
import type {
  ArchiveRecord,
  SearchHit,
  SearchQuery,
  StoredMessage,
  StoreStats,
  ThreadListEntry,
  ThreadMessageView,
  ThreadView,
} from '../store.js';
import type { Neo4jConnection } from './connection.js';
import { AWAIT_FULLTEXT, FULLTEXT_INDEX } from './schema.js';
import { toLuceneQuery } from './lucene.js';
import { snippet } from './snippet.js';
import { propsToMessage, type MessageProps } from './rows.js';

export async function stats(conn: Neo4jConnection): Promise<StoreStats> {
  return conn.read(async (tx) => {
    const res = await tx.run(
      `CALL { MATCH (a:Archive) WHERE a.ingestedAt IS NOT NULL RETURN count(a) AS archives }
       CALL { MATCH (m:Message) WHERE m.seq IS NOT NULL RETURN count(m) AS messages }
       CALL { MATCH (m:Message) WHERE m.seq IS NOT NULL AND m.synthetic = true RETURN count(m) AS synthetic }
       CALL { MATCH (m:Message) WHERE m.ghost = true RETURN count(m) AS ghosts }
       CALL { MATCH (t:Thread) RETURN count(t) AS threads }
       CALL { MATCH (s:Skip) RETURN count(s) AS skipped }
       RETURN archives, messages, synthetic, ghosts, threads, skipped`,
    );
    const r = res.records[0];
    return {
      archives: r.get('archives') as number,
      messages: r.get('messages') as number,
      syntheticMessages: r.get('synthetic') as number,
      ghosts: r.get('ghosts') as number,
      threads: r.get('threads') as number,
      skipped: r.get('skipped') as number,
    };
  });
}

export async function messageBody(conn: Neo4jConnection, msgid: string): Promise<string | null> {
  return conn.read(async (tx) => {
    const res = await tx.run(`MATCH (m:Message {msgid: $msgid}) WHERE m.seq IS NOT NULL RETURN m.body AS body`, { msgid });
    return (res.records[0]?.get('body') as string | undefined) ?? null;
  });
}

export async function message(conn: Neo4jConnection, msgid: string): Promise<StoredMessage | null> {
  return conn.read(async (tx) => {
    const res = await tx.run(
      `MATCH (m:Message {msgid: $msgid}) WHERE m.seq IS NOT NULL
       OPTIONAL MATCH (m)-[f:FROM_SOURCE]->(a:Archive)
       WITH m, f, a ORDER BY a.source, f.offset
       RETURN properties(m) AS props,
              [x IN collect({source: a.source, format: f.format, offset: f.offset}) WHERE x.source IS NOT NULL] AS sources`,
      { msgid },
    );
    const r = res.records[0];
    if (!r) return null;
    const sources = r.get('sources') as StoredMessage['sources'];
    return { ...propsToMessage(r.get('props') as MessageProps), sources };
  });
}

function page(opts: { limit?: number; offset?: number }): { skip: unknown; limit: unknown } {
  return {
    skip: neo4j.int(Math.max(0, opts.offset ?? 0)),
    limit: neo4j.int(opts.limit === undefined || opts.limit < 0 ? Number.MAX_SAFE_INTEGER : opts.limit),
  };
}

export async function threads(conn: Neo4jConnection, opts: { limit?: number; offset?: number } = {}): Promise<ThreadListEntry[]> {
  return conn.read(async (tx) => {
    // Newest activity first; threads without any date last (as SQLite sorts NULL in DESC).
    const res = await tx.run(
      `MATCH (t:Thread)<-[:IN_THREAD]-(c:Message) WHERE c.seq IS NOT NULL
       WITH t, count(c) AS messages, min(c.date) AS first, max(c.date) AS last
       ORDER BY last IS NULL, last DESC, t.root
       SKIP $skip LIMIT $limit
       CALL {
         WITH t
         MATCH (t)<-[i:IN_THREAD]-(c:Message) WHERE c.seq IS NOT NULL
         RETURN c.subject AS subject
         ORDER BY c.msgid = t.root DESC, i.depth, c.date IS NOT NULL, c.date, c.msgid
         LIMIT 1
       }
       RETURN t.root AS root, coalesce(subject, '') AS subject, messages, first, last`,
      page(opts),
    );
    return res.records.map((r) => ({
      root: r.get('root') as string,
      subject: r.get('subject') as string,
      messages: r.get('messages') as number,
      first: (r.get('first') as string | null) ?? null,
      last: (r.get('last') as string | null) ?? null,
    }));
  });
}


export async function thread(conn: Neo4jConnection, msgid: string): Promise<ThreadView | null> {
  const found = await conn.read(async (tx) => {
    const res = await tx.run(
      `MATCH (:Message {msgid: $msgid})-[:IN_THREAD]->(t:Thread)
       MATCH (t)<-[i:IN_THREAD]-(c:Message)
       OPTIONAL MATCH (c)-[r:REPLY_TO]->(p:Message)
       RETURN t.root AS root, c.msgid AS msgid, p.msgid AS parent, r.method AS method,
              r.confidence AS confidence, r.evidence AS evidence, coalesce(c.ghost, false) AS ghost,
              i.depth AS depth, c.fromName AS fromName, c.fromAddress AS fromAddress,
              c.date AS date, c.subject AS subject`,
      { msgid },
    );
    if (res.records.length === 0) return null;
    const root = res.records[0].get('root') as string;
    const rows = res.records.map((r) => {
      const o = r.toObject() as ContainerRow & { root: string };
      return o;
    });
    return { root, rows };
  });
  if (!found) return null;
  return buildThreadView(found.root, found.rows);
}

export async function search(conn: Neo4jConnection, q: SearchQuery): Promise<SearchHit[]> {
  const parsed = toLuceneQuery(q.text);
  if (!parsed) return [];
  const where: string[] = ['m.seq IS NOT NULL'];
  const params: Record<string, unknown> = { query: parsed.lucene, index: FULLTEXT_INDEX, ...page({ limit: q.limit ?? 20, offset: q.offset }) };
  if (q.author) {
    where.push('(toLower(m.fromName) CONTAINS $author OR toLower(m.fromAddress) CONTAINS $author)');
    params.author = q.author.toLowerCase();
  }
  if (q.since) {
    where.push('m.date >= $since');
    params.since = q.since;
  }
  if (q.until) {
    where.push('m.date < $until');
    params.until = q.until;
  }
  if (q.listId) {
    where.push('m.listId = $listId');
    params.listId = q.listId;
  }
  return conn.read(async (tx) => {
    // The index is eventually consistent (schema.ts): what was committed before the search is
    // applied first, so a search sees every stored message, as on the embedded store.
    await tx.run(AWAIT_FULLTEXT);
    const res = await tx.run(
      `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS m, score
       WHERE ${where.join(' AND ')}
       WITH m, score ORDER BY score DESC, m.date IS NULL, m.date DESC, m.msgid SKIP $skip LIMIT $limit
       RETURN m.msgid AS msgid, m.subject AS subject, coalesce(m.fromName, m.fromAddress, '') AS from,
              m.date AS date, m.body AS body, score`,
      params,
    );
    return res.records.map((r) => ({
      msgid: r.get('msgid') as string,
      subject: r.get('subject') as string,
      from: r.get('from') as string,
      date: (r.get('date') as string | null) ?? null,
      snippet: snippet(r.get('body') as string, parsed.phrases),
      score: r.get('score') as number,
    }));
  });
}

export async function skips(conn: Neo4jConnection): Promise<Skip[]> {
  return conn.read(async (tx) => {
    const res = await tx.run(
      `MATCH (s:Skip) RETURN s.source AS source, s.offset AS offset, s.reason AS reason ORDER BY source, offset, reason`,
    );
    return res.records.map((r) => r.toObject() as Skip);
  });
}

export async function archives(conn: Neo4jConnection): Promise<ArchiveRecord[]> {
  return conn.read(async (tx) => {
    const res = await tx.run(
      `MATCH (a:Archive) WHERE a.ingestedAt IS NOT NULL
       RETURN a.source AS source, a.format AS format, a.bytes AS bytes, a.messages AS messages,
              a.duplicates AS duplicates, a.skipped AS skipped, a.truncated AS truncated, a.ingestedAt AS ingestedAt
       ORDER BY source`,
    );
    return res.records.map((r) => r.toObject() as ArchiveRecord);
  });
}
