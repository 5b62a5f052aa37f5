// What the index pages read on a large archive: the thread list comes from thread_summaries
// (rebuilt with the forest, and built once for files threaded before it existed), and the symbol
// and series indexes are computed once per state of the database — a write by this connection or
// a commit by another one (an ingest beside `loregraph serve`) is seen at the next read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PEERS_DIR, SEED, WORK_DIR } from '../../test/fixtures.js';
import { ingest } from '../../ingest/pipeline.js';
import { openSqliteStore } from './store.js';

const dir = join(WORK_DIR, `sqlite-index-pages-${process.pid}`);

test('thread list, symbol and series indexes follow every write, from this connection or another', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'store.db');
  const reader = await openSqliteStore(path);
  const writer = await openSqliteStore(path);
  try {
    await ingest([SEED.armPfnValid], writer, { workers: 0 });
    const threads = await reader.threads();
    assert.ok(threads.length >= 1);
    assert.ok(threads.some((t) => /pfn_valid\(\) for ZONE_DEVICE/.test(t.subject)));
    const symbols = await reader.claims.symbols();
    assert.ok(symbols.some((s) => s.name === 'pfn_valid'));
    const series = await reader.patches.seriesIndex();
    assert.deepEqual(await reader.patches.seriesIndex(), series, 'the same until something is written');

    // Another connection commits: the reader sees the new threads, symbols and series.
    await ingest([resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox')], writer, { workers: 0 });
    const after = await reader.threads();
    assert.ok(after.length > threads.length);
    assert.ok(after.some((t) => /gic-v3-its/.test(t.subject)));
    assert.ok((await reader.claims.symbols()).some((s) => s.name === '__irq_can_set_affinity'));
    assert.ok((await reader.patches.seriesIndex()).length > series.length);
    assert.ok((await reader.patches.seriesIndex('gic-v3-its')).length >= 1);

    // The reader's own writes count too.
    await ingest([SEED.lkmlDevicePrivate], reader, { workers: 0 });
    assert.ok((await reader.threads()).some((t) => /device private pages/.test(t.subject)));

    // Every listed thread agrees with the thread it names.
    for (const t of await reader.threads()) {
      const view = await reader.thread(t.root);
      assert.ok(view, t.root);
      assert.equal(t.messages, view.messages.filter((m) => !m.ghost).length, t.root);
    }
  } finally {
    await writer.close();
    await reader.close();
  }
});

test('a file threaded before thread_summaries existed gets them when opened', async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'old.db');
  let store = await openSqliteStore(path);
  await ingest([SEED.armPfnValid], store, { workers: 0, derive: false });
  const listed = await store.threads();
  store.db.exec('DROP TABLE thread_summaries');
  await store.close();
  store = await openSqliteStore(path);
  try {
    assert.deepEqual(await store.threads(), listed);
  } finally {
    await store.close();
  }
});
