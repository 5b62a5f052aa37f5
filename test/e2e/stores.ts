// The web route tests run once per real store: SQLite (a fresh file) and Neo4j (the test
// database, claimed for this test file and wiped before the seeds are ingested into it).
// Without a Neo4j server the Neo4j variant is skipped with the reason printed; under CI=true
// it fails instead, so a CI run cannot pass without having tested Neo4j.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { neo4jConfig, openNeo4jStore } from '../../graph/neo4j/store.js';
import { claimTestDatabase } from '../../graph/neo4j/testDatabase.js';
import { seedAndServe, seededServer, type Seeded, type SeedOptions } from './seeded.js';

export interface RouteStore {
  name: 'sqlite' | 'neo4j';
  /** The seed samples ingested by the real pipeline into this store, served by the real server. */
  open(name: string, opts?: SeedOptions): Promise<Seeded>;
}

async function neo4jVariant(): Promise<{ store: RouteStore } | { unavailable: string }> {
  const claim = await claimTestDatabase();
  if (!claim.ok) return { unavailable: claim.reason };
  return {
    store: {
      name: 'neo4j',
      async open(name, opts) {
        await claim.reset();
        return seedAndServe(`${name}-neo4j`, await openNeo4jStore(), neo4jConfig().uri, opts);
      },
    },
  };
}

/**
 * Declares `body` (the before/after hooks and tests of a route-test file) once per store, each in
 * a `describe` named after it. Call it at the top level of the test file with `await`.
 */
export async function forEachStore(body: (store: RouteStore) => void): Promise<void> {
  describe('sqlite', () => body({ name: 'sqlite', open: seededServer }));
  const neo4j = await neo4jVariant();
  if ('store' in neo4j) {
    describe('neo4j', () => body(neo4j.store));
    return;
  }
  const reason = `Neo4j route tests skipped: ${neo4j.unavailable} — run \`npm run neo4j\` or set NEO4J_URI`;
  if (process.env.CI === 'true') {
    describe('neo4j', () => {
      test('a Neo4j server must answer under CI', () => {
        assert.fail(`no usable Neo4j at ${neo4jConfig().uri} under CI=true: ${neo4j.unavailable}`);
      });
    });
    return;
  }
  console.log(reason);
  describe('neo4j', { skip: reason }, () => {});
}
