// The two stores must agree: the same mail ingested into SQLite and into Neo4j gives the same
// answers to every query (search scores aside: each engine ranks by its own formula, so search is
// compared by the set of hits and what each hit shows, snippet included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from '../../test/fixtures.js';
import { openSqliteStore } from '../sqlite/store.js';
import { neo4jConfig, openNeo4jStore } from '../neo4j/store.js';
import { claimTestDatabase } from '../neo4j/testDatabase.js';
import type { GraphStore, SearchHit } from '../store.js';
import type { Message } from '../../ingest/model.js';
import { ingestInto } from './suite.js';
import { collect, distinctiveWords, KVMARM_MBOX, realMessages, variedMessages } from './testData.js';

const claim = await claimTestDatabase();
const skip = claim.ok ? undefined : `store agreement test skipped: ${claim.reason} — run \`npm run neo4j\` or set NEO4J_URI`;
if (skip && process.env.CI === 'true') {
  test('store agreement: a Neo4j server must answer under CI', () => {
    assert.fail(`no usable Neo4j at ${neo4jConfig().uri} under CI=true: ${skip}`);
  });
} else if (skip) console.log(skip);

/** Real threads, renamed copies of them, one thread missing its root (a ghost) and a message that arrived twice. */
async function corpus(): Promise<{ first: Message[]; second: Message[] }> {
  const real = await realMessages();
  const copies = variedMessages(real, 3);
  const kvmarmRoot = real.find((m) => m.provenance.source === KVMARM_MBOX && m.inReplyTo === null);
  const first = [...real.filter((m) => m !== kvmarmRoot), ...copies];
  const second = [{ ...real[3], provenance: { source: '/mirror/second.mbox', format: 'mbox' as const, offset: 512 } }];
  return { first, second };
}

function searchView(hits: SearchHit[]): Map<string, Omit<SearchHit, 'score'>> {
  return new Map(hits.map(({ score: _score, ...rest }) => [rest.msgid, rest]));
}

test('SQLite and Neo4j give the same answers for the same mail', { skip, timeout: 300_000 }, async () => {
  if (!claim.ok) return;
  await claim.reset();
  const dir = join(WORK_DIR, `agreement-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const stores: GraphStore[] = [await openSqliteStore(join(dir, 'store.db')), await openNeo4jStore()];
  try {
    const { first, second } = await corpus();
    for (const store of stores) {
      await ingestInto(store, first);
      await store.putMessages(second);
      await store.putSkips([{ source: '/mirror/second.mbox', offset: 0, reason: 'no headers' }]);
      await store.putArchive({
        source: '/mirror/second.mbox', format: 'mbox', bytes: 2048, messages: 1, duplicates: 1, skipped: 1,
        truncated: false, ingestedAt: '2026-11-21T09:00:00.000Z',
      });
    }
    const [sqlite, neo4j] = stores;
    assert.deepEqual(await neo4j.stats(), await sqlite.stats());
    assert.deepEqual(await neo4j.threads(), await sqlite.threads());
    assert.deepEqual(await neo4j.threads({ limit: 3, offset: 2 }), await sqlite.threads({ limit: 3, offset: 2 }));
    assert.deepEqual(await collect(neo4j.allThreadAssignments()), await collect(sqlite.allThreadAssignments()));
    assert.deepEqual(await collect(neo4j.allMessages()), await collect(sqlite.allMessages()));
    assert.deepEqual(await collect(neo4j.threadingRecords()), await collect(sqlite.threadingRecords()));
    assert.deepEqual(await neo4j.skips(), await sqlite.skips());
    assert.deepEqual(await neo4j.archives(), await sqlite.archives());
    for (const m of first.filter((_, i) => i % 5 === 0)) {
      assert.deepEqual(await neo4j.thread(m.msgid), await sqlite.thread(m.msgid), `thread(${m.msgid})`);
    }
    const ghostRoot = (await collect(sqlite.allThreadAssignments())).find((a) => a.ghost);
    assert.ok(ghostRoot);
    assert.deepEqual(await neo4j.thread(ghostRoot.msgid), await sqlite.thread(ghostRoot.msgid));

    const words = distinctiveWords(await realMessages()).map((d) => d.word);
    const queries = [
      ...words.slice(0, 4).map((text) => ({ text })),
      { text: 'disabled', limit: 200 },
      { text: 'disabled counters', author: 'Zyngier', limit: 200 },
      { text: '"block integrity"', limit: 200 },
      { text: 'irq*', since: '2020-05-30', until: '2020-06-02', limit: 200 },
      { text: 'kvm_pmu_disable_counter_mask()', limit: 200 },
    ];
    for (const q of queries) {
      const [a, b] = [await sqlite.search(q), await neo4j.search(q)];
      assert.ok(a.length > 0, `search ${JSON.stringify(q)} finds something`);
      assert.deepEqual(searchView(b), searchView(a), `search ${JSON.stringify(q)}`);
    }
  } finally {
    for (const s of stores) await s.close();
  }
});
