// The embedded store leaves search indexing out of putMessages and indexes the rows above the last
// indexed id in bulk (indexForSearch, or search() catching up first), on real mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from '../../test/fixtures.js';
import { distinctiveWords, realMessages } from '../contract/testData.js';
import Database from 'better-sqlite3';
import { openSqliteStore } from './store.js';
import { messageToRow } from './rows.js';

const dir = join(WORK_DIR, `sqlite-index-${process.pid}`);

test("every message is searchable once, whatever batch and duplicates it came with; an older file's per-row trigger is dropped", async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'store.db');
  const messages = await realMessages();
  // A file as earlier versions wrote it: search kept up to date by a trigger on every insert.
  let store = await openSqliteStore(path);
  store.db.exec(`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_fts(rowid, subject, from_name, from_address, body) VALUES (new.id, new.subject, new.from_name, new.from_address, new.body);
  END`);
  const insert = store.db.prepare(`INSERT INTO messages (${Object.keys(messageToRow(messages[0])).join(', ')})
    VALUES (${Object.keys(messageToRow(messages[0])).map((k) => '@' + k).join(', ')})`);
  for (const m of messages.slice(0, 5)) insert.run(messageToRow(m));
  await store.close();

  store = await openSqliteStore(path);
  try {
    assert.equal(store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger'`).pluck().get(), 0);
    // Batches mixing new messages with ones already stored, and one batch of duplicates only.
    await store.putMessages([...messages.slice(3, 12), messages[0]]);
    await store.putMessages(messages.slice(0, 12));
    await store.putMessages(messages.slice(12));
    for (const { message, word } of distinctiveWords(messages)) {
      assert.deepEqual((await store.search({ text: word })).map((h) => h.msgid), [message.msgid], `search for '${word}'`);
    }
    const indexed = store.db.prepare(`SELECT count(*) FROM message_fts_docsize`).pluck().get();
    assert.equal(indexed, messages.length, 'each message indexed once');
    // FTS5 compares the index with the messages table and throws when they disagree.
    store.db.exec(`INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)`);
  } finally {
    await store.close();
  }
});

test('writes leave the bodies to indexForSearch, which indexes what earlier writes left, each message once; search catches up unless another writer holds the lock', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'deferred.db');
  const messages = await realMessages();
  const half = Math.floor(messages.length / 2);
  const indexed = (s: { db: Database.Database }): number => s.db.prepare(`SELECT count(*) FROM message_fts_docsize`).pluck().get() as number;
  let store = await openSqliteStore(path);
  try {
    assert.equal(store.db.pragma('page_size', { simple: true }), 65536, 'a new file gets 64 KiB pages');
    await store.putMessages(messages.slice(0, half));
    assert.equal(indexed(store), 0, 'putMessages indexes nothing itself');
    await store.indexForSearch();
    assert.equal(indexed(store), half);
    await store.putMessages(messages);
    assert.equal(indexed(store), half, 'the rest waits for indexForSearch');
  } finally {
    await store.close();
  }
  // Another connection holds the write lock (an ingest into the same file): search does not wait
  // for it, and answers from what is indexed so far.
  const other = new Database(path);
  store = await openSqliteStore(path);
  try {
    other.exec('BEGIN IMMEDIATE');
    const t0 = performance.now();
    const late = distinctiveWords(messages).find(({ message }) => messages.indexOf(message) >= half)!;
    assert.deepEqual(await store.search({ text: late.word }), [], 'not indexed yet, and the lock is taken');
    assert.ok(performance.now() - t0 < 1000, 'search did not wait for the lock');
    other.exec('ROLLBACK');
    // With the lock free, search indexes the rest itself first.
    for (const { message, word } of distinctiveWords(messages)) {
      assert.deepEqual((await store.search({ text: word })).map((h) => h.msgid), [message.msgid], `search for '${word}'`);
    }
    assert.equal(indexed(store), messages.length, 'each message indexed once');
    await store.indexForSearch();
    assert.equal(indexed(store), messages.length, 'nothing left: a second call adds nothing');
    store.db.exec(`INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)`);
  } finally {
    other.close();
    await store.close();
  }
});
