// GraphStore on a real Neo4j server through neo4j-driver. Module map:
//   connection.ts  driver, configuration (options or NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD), errors
//   schema.ts      constraints, indexes, full-text index
//   rows.ts        Message <-> (:Message) properties
//   writes.ts      batched idempotent writes        queries.ts  stats, message, threads, thread, search…
//   iterate.ts     whole-store reads (threading, export)   lucene.ts  search query and snippets
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
import { Neo4jConnection, type Neo4jConfig } from './connection.js';
import { AWAIT_FULLTEXT, ensureSchema } from './schema.js';
import * as iterate from './iterate.js';
import * as queries from './queries.js';
import * as writes from './writes.js';
import { Neo4jPatchGraph } from './patches.js';
import { Neo4jClaimStore } from './claims.js';

export { DEFAULT_NEO4J_PASSWORD, DEFAULT_NEO4J_URI, DEFAULT_NEO4J_USER, neo4jConfig, type Neo4jConfig } from './connection.js';

export class Neo4jStore implements GraphStore {
  readonly backend = 'neo4j' as const;
  readonly conn: Neo4jConnection;
  readonly patches: Neo4jPatchGraph;
  readonly claims: Neo4jClaimStore;

  constructor(conn: Neo4jConnection) {
    this.conn = conn;
    this.patches = new Neo4jPatchGraph(conn);
    this.claims = new Neo4jClaimStore(conn);
  }

  get uri(): string {
    return this.conn.config.uri;
  }

  putMessages(messages: Message[]): Promise<PutMessagesResult> {
    return writes.putMessages(this.conn, messages);
  }

  putSkips(skips: Skip[]): Promise<void> {
    return writes.putSkips(this.conn, skips);
  }

  putArchive(archive: ArchiveRecord): Promise<void> {
    return writes.putArchive(this.conn, archive);
  }

  replaceThreadForest(forest: ThreadForest): Promise<void> {
    return writes.replaceThreadForest(this.conn, forest);
  }

  /** Waits until the (eventually consistent) full-text index holds every committed message. */
  async indexForSearch(): Promise<void> {
    await this.conn.read((tx) => tx.run(AWAIT_FULLTEXT));
  }

  threadingRecords(): AsyncIterable<ThreadingRecord> {
    return iterate.threadingRecords(this.conn);
  }

  allMessages(): AsyncIterable<StoredMessage> {
    return iterate.allMessages(this.conn);
  }

  allThreadAssignments(): AsyncIterable<ThreadAssignment> {
    return iterate.allThreadAssignments(this.conn);
  }

  stats(): Promise<StoreStats> {
    return queries.stats(this.conn);
  }

  message(msgid: string): Promise<StoredMessage | null> {
    return queries.message(this.conn, msgid);
  }

  messageBody(msgid: string): Promise<string | null> {
    return queries.messageBody(this.conn, msgid);
  }

  threads(opts?: { limit?: number; offset?: number }): Promise<ThreadListEntry[]> {
    return queries.threads(this.conn, opts);
  }

  thread(msgid: string): Promise<ThreadView | null> {
    return queries.thread(this.conn, msgid);
  }

  search(query: SearchQuery): Promise<SearchHit[]> {
    return queries.search(this.conn, query);
  }

  skips(): Promise<Skip[]> {
    return queries.skips(this.conn);
  }

  archives(): Promise<ArchiveRecord[]> {
    return queries.archives(this.conn);
  }

  /**
   * Deletes every node and relationship loregraph keeps (Message, Address, Archive, Thread, Skip,
   * Counter, and the patch graph's labels), in batches; the schema stays. For tests and for re-ingesting from scratch.
   */
  async clear(): Promise<void> {
    const session = this.conn.session('WRITE');
    try {
      await session.run(
        `MATCH (n) WHERE n:Message OR n:Address OR n:Archive OR n:Thread OR n:Skip OR n:Counter
            OR n:Series OR n:Revision OR n:Patch OR n:Hunk OR n:File OR n:Symbol OR n:Person
            OR n:Claim OR n:Check OR n:CheckRun
         CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
      );
    } finally {
      await session.close();
    }
  }

  close(): Promise<void> {
    return this.conn.close();
  }
}

/**
 * Connects to Neo4j (options, else NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE, else
 * bolt://127.0.0.1:7687 as neo4j/loregraph-dev), checks the credentials and makes sure the schema
 * exists. Throws an error that says how to start a server when none answers.
 */
export async function openNeo4jStore(opts: Partial<Neo4jConfig> = {}): Promise<Neo4jStore> {
  const conn = await Neo4jConnection.open(opts);
  try {
    await ensureSchema(conn);
  } catch (e) {
    await conn.close();
    throw e;
  }
  return new Neo4jStore(conn);
}
