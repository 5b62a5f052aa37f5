// The embedded store indexes each putMessages batch's new rows for search in the batch's own
// transaction (one INSERT … SELECT, no per-row trigger), on real mail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from '../../test/fixtures.js';
import { distinctiveWords, realMessages } from '../contract/testData.js';
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
