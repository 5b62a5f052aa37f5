// The store contract, run unchanged against the embedded SQLite store and a real Neo4j server.
//
// Neo4j: NEO4J_URI (default bolt://127.0.0.1:7687) with NEO4J_USER/NEO4J_PASSWORD (default
// neo4j/loregraph-dev, what `npm run neo4j` sets). No server: the Neo4j tests are skipped with a
// message, except under CI=true, where that is a failure. Each test empties the database first,
// so the suite refuses a database holding data it did not write (set NEO4J_TEST_WIPE=1 to allow).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from '../../test/fixtures.js';
import { openSqliteStore } from '../sqlite/store.js';
import { openNeo4jStore, neo4jConfig } from '../neo4j/store.js';
import { claimTestDatabase } from '../neo4j/testDatabase.js';
import { defineStoreContract } from './suite.js';

const sqliteDir = join(WORK_DIR, `contract-sqlite-${process.pid}`);
rmSync(sqliteDir, { recursive: true, force: true });
mkdirSync(sqliteDir, { recursive: true });
let sqliteRun = 0;
defineStoreContract('sqlite', () => openSqliteStore(join(sqliteDir, `store-${++sqliteRun}.db`)));

const { uri } = neo4jConfig();
const claim = await claimTestDatabase();
if (claim.ok) {
  defineStoreContract('neo4j', () => openNeo4jStore(), { reset: claim.reset });
} else if (process.env.CI === 'true') {
  test('Neo4j contract suite: a Neo4j server must answer under CI', () => {
    assert.fail(`no usable Neo4j at ${uri} under CI=true: ${claim.reason}`);
  });
} else {
  const reason = `Neo4j contract suite skipped: ${claim.reason} — run \`npm run neo4j\` (needs Java 17 + Maven) or set NEO4J_URI`;
  console.log(reason);
  defineStoreContract('neo4j', () => openNeo4jStore(), { skip: reason });
}
