// The Neo4j side of the write benchmarks (graph, export, neo4j): the project's test database,
// emptied and ready for the clock, and the graph elements it holds.
import type { Neo4jStore } from '../../graph/neo4j/store.js';

/**
 * The test database emptied, opened, and with the deletions that emptying queued for the
 * (eventually consistent) full-text index already applied, so they are not timed with the writes
 * measured; or why there is none (no server). `release` closes it and empties it again.
 */
export async function emptyNeo4jForBench(): Promise<{ store: Neo4jStore; release(): Promise<void> } | { skipped: string }> {
  const { claimTestDatabase } = await import('../../graph/neo4j/testDatabase.js');
  const claim = await claimTestDatabase();
  if (!claim.ok) return { skipped: claim.reason };
  await claim.reset();
  const { openNeo4jStore } = await import('../../graph/neo4j/store.js');
  const store = await openNeo4jStore();
  await store.indexForSearch();
  return {
    store,
    release: async () => {
      await store.close();
      await claim.reset();
    },
  };
}

/** Nodes and relationships in the database, the test database's own marker node left out. */
export async function graphElements(store: Neo4jStore): Promise<{ nodes: number; relationships: number }> {
  return store.conn.read(async (tx) => {
    const res = await tx.run(
      `CALL { MATCH (n) WHERE NOT n:LoregraphTestDatabase RETURN count(n) AS nodes }
       CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships`,
    );
    return { nodes: Number(res.records[0].get('nodes')), relationships: Number(res.records[0].get('relationships')) };
  });
}
