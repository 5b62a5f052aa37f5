import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { toFtsQuery } from './fts.js';

// A real FTS5 table with the store's tokenizer, so the queries are checked by SQLite itself.
function table(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(body, tokenize = "unicode61 tokenchars '_'")`);
  const ins = db.prepare('INSERT INTO t(rowid, body) VALUES (?, ?)');
  ins.run(1, 'pfn_valid() fails for all ZONE_DEVICE based memory types');
  ins.run(2, 'the section usage is read through ms->usage after section_deactivate()');
  ins.run(3, 'see mm/sparse.c and the pfn walker; valid pfns only');
  ins.run(4, 'NOT a keyword: AND OR NEAR ( ) "quotes" and col:umn');
  return db;
}

function match(q: string): number[] {
  const db = table();
  const fts = toFtsQuery(q);
  if (!fts) return [];
  return (db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid').all(fts) as { rowid: number }[]).map(
    (r) => r.rowid,
  );
}

test('kernel identifiers are whole tokens: pfn_valid does not match "valid"', () => {
  assert.deepEqual(match('pfn_valid()'), [1]);
  assert.deepEqual(match('valid'), [3]);
});

test('ms->usage and paths search as phrases of their tokens', () => {
  assert.deepEqual(match('ms->usage'), [2]);
  assert.deepEqual(match('mm/sparse.c'), [3]);
});

test('FTS5 syntax typed by a user is searched for, not executed', () => {
  assert.deepEqual(match('NEAR ( col:umn'), [4]);
  assert.deepEqual(match('"quotes" AND'), [4]);
  assert.equal(toFtsQuery('()  :: ->'), null);
});

test('prefix search, phrases and OR', () => {
  assert.deepEqual(match('sect*'), [2]);
  assert.deepEqual(match('"pfn walker"'), [3]);
  assert.deepEqual(match('ZONE_DEVICE OR section_deactivate'), [1, 2]);
  assert.deepEqual(match('ZONE_DEVICE OR'), [1]);
});
