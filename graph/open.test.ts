import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { WORK_DIR } from '../test/fixtures.js';
import { openStore, wantsNeo4j } from './open.js';

test('the embedded store is the default; --neo4j or NEO4J_URI (without --db) select Neo4j', () => {
  const saved = process.env.NEO4J_URI;
  try {
    delete process.env.NEO4J_URI;
    assert.equal(wantsNeo4j({}), null);
    assert.equal(wantsNeo4j({ db: 'x.db' }), null);
    assert.equal(wantsNeo4j({ neo4j: 'bolt://127.0.0.1:7999' }), 'bolt://127.0.0.1:7999');
    process.env.NEO4J_URI = 'bolt://127.0.0.1:7998';
    assert.equal(wantsNeo4j({}), 'bolt://127.0.0.1:7998');
    assert.equal(wantsNeo4j({ db: 'x.db' }), null, 'an explicit --db wins over the environment');
  } finally {
    if (saved === undefined) delete process.env.NEO4J_URI;
    else process.env.NEO4J_URI = saved;
  }
});

test('opening an unreachable Neo4j fails with an error that says how to start one', async () => {
  await assert.rejects(openStore({ neo4j: 'bolt://127.0.0.1:1' }), /npm run neo4j/);
});

test('opening the default embedded store gives a working SQLite store', async () => {
  const db = resolve(WORK_DIR, 'open-test.db');
  rmSync(db, { force: true });
  const store = await openStore({ db });
  try {
    assert.equal(store.backend, 'sqlite');
    assert.equal((await store.stats()).messages, 0);
  } finally {
    await store.close();
  }
});
