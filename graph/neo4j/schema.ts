// The Neo4j schema loregraph relies on: node keys as uniqueness constraints (each one also gives
// the lookup index), range indexes for every other property a query filters or sorts on, and a
// full-text index over subject, author and body for search.
//
// Graph shape (see ARCHITECTURE.md):
//   (:Message {msgid, seq, …})            a stored message (seq: insertion order); a ghost container
//                                          for an unseen message is (:Message {msgid, ghost: true})
//   (:Address {key, name, address})-[:WROTE]->(:Message)
//   (:Message)-[:FROM_SOURCE {offset, format}]->(:Archive {source, …})
//   (:Message)-[:IN_THREAD {depth}]->(:Thread {root})
//   (:Message)-[:REPLY_TO {method, confidence, evidence}]->(:Message)
//   (:Skip {source, offset, reason})
//   (:Counter {name})                      the message sequence
import type { Neo4jConnection } from './connection.js';
import { PATCH_SCHEMA_STATEMENTS } from './patches.js';
import { CLAIM_SCHEMA_STATEMENTS } from './claims.js';

export const FULLTEXT_INDEX = 'loregraph_message_text';

/**
 * The full-text index is eventually consistent: a write commits without waiting for Lucene, whose
 * updates a background thread applies in larger batches (fewer, larger segments, so less merging).
 * On the 30,000-message benchmark the server spent 15-16 CPU-s instead of 19-34 and the writes
 * no longer waited for the index. indexForSearch() and search() wait until it has caught up.
 */
const FULLTEXT_STATEMENT =
  `CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} IF NOT EXISTS FOR (m:Message) ON EACH [m.subject, m.author, m.body] ` +
  'OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}';

/** Waits until every eventually consistent index has applied the updates committed so far. */
export const AWAIT_FULLTEXT = 'CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()';

const STATEMENTS = [
  'CREATE CONSTRAINT loregraph_message_msgid IF NOT EXISTS FOR (m:Message) REQUIRE m.msgid IS UNIQUE',
  'CREATE CONSTRAINT loregraph_archive_source IF NOT EXISTS FOR (a:Archive) REQUIRE a.source IS UNIQUE',
  'CREATE CONSTRAINT loregraph_thread_root IF NOT EXISTS FOR (t:Thread) REQUIRE t.root IS UNIQUE',
  'CREATE CONSTRAINT loregraph_address_key IF NOT EXISTS FOR (a:Address) REQUIRE a.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_counter_name IF NOT EXISTS FOR (c:Counter) REQUIRE c.name IS UNIQUE',
  'CREATE CONSTRAINT loregraph_skip_key IF NOT EXISTS FOR (s:Skip) REQUIRE (s.source, s.offset, s.reason) IS UNIQUE',
  // Only lookups the queries make are indexed (each index costs every message write): messages
  // page through `seq` in insertion order, and `seq IS NOT NULL` tells a stored message from a
  // ghost container; ghosts are counted and cleared through `ghost`; archives filter on ingestedAt.
  // Author, date and list filters apply to full-text hits, so they need no index of their own.
  'CREATE INDEX loregraph_message_seq IF NOT EXISTS FOR (m:Message) ON (m.seq)',
  'CREATE INDEX loregraph_message_ghost IF NOT EXISTS FOR (m:Message) ON (m.ghost)',
  'CREATE INDEX loregraph_archive_ingested IF NOT EXISTS FOR (a:Archive) ON (a.ingestedAt)',
  FULLTEXT_STATEMENT,
  // The patch graph (patches.ts): Series, Revision, Patch, Hunk, File, Symbol, Person keys.
  ...PATCH_SCHEMA_STATEMENTS,
  // Claims (claims.ts): Claim, Symbol, Check, CheckRun keys.
  ...CLAIM_SCHEMA_STATEMENTS,
];

/** Indexes earlier versions created that no query uses any more: dropped so writes stop paying for them. */
const OBSOLETE = ['loregraph_message_date', 'loregraph_message_from', 'loregraph_message_subject', 'loregraph_message_list'];

/** Creates whatever is missing (idempotent) and waits until every index is online. */
export async function ensureSchema(conn: Neo4jConnection): Promise<void> {
  const session = conn.session('WRITE');
  try {
    // Schema commands cannot share a transaction with writes; each runs in its own auto-commit one.
    for (const name of OBSOLETE) await session.run(`DROP INDEX ${name} IF EXISTS`);
    // A full-text index made by an earlier version updates as each write commits: it is made
    // again, eventually consistent (an index's options cannot be changed in place).
    const existing = await session.run(`SHOW FULLTEXT INDEXES YIELD name, options WHERE name = $name RETURN options`, {
      name: FULLTEXT_INDEX,
    });
    const options = existing.records[0]?.get('options') as { indexConfig?: Record<string, unknown> } | undefined;
    if (options && options.indexConfig?.['fulltext.eventually_consistent'] !== true) {
      await session.run(`DROP INDEX ${FULLTEXT_INDEX}`);
    }
    for (const statement of STATEMENTS) await session.run(statement);
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
}
