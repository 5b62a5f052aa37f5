// Neo4j search snippets must be the embedded store's: SQLite's own FTS5 snippet() is the oracle.
// Real bodies (the seed samples and three real kernel threads) go into a real SQLite store; for
// many queries, every hit's FTS5 snippet must equal snippet() computed from the body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ingest } from '../../ingest/pipeline.js';
import { SAMPLES_DIR } from '../../test/fixtures.js';
import { openSqliteStore } from '../sqlite/store.js';
import { SNIPPET_CLOSE as C, SNIPPET_OPEN as O } from '../store.js';
import { realMessages, words } from '../contract/testData.js';
import { toLuceneQuery } from './lucene.js';
import { snippet, tokenize } from './snippet.js';

test('snippet() cuts, marks and elides exactly as SQLite FTS5 snippet() on real mail', { timeout: 120_000 }, async () => {
  const store = await openSqliteStore(':memory:');
  try {
    await ingest([SAMPLES_DIR], store, { workers: 0, derive: false, claims: false });
    await store.putMessages(await realMessages());
    const bodies = new Map<string, string>();
    for await (const m of store.allMessages()) bodies.set(m.msgid, m.body);

    // Fixed queries of every shape, then two words of every tenth message (a common and a rarer one).
    const queries = [
      'pfn_valid', 'pfn_valid()', 'memory', 'the', 'section', 'ZONE_DEVICE memory', '"memory hotplug"', '"signed off by"',
      'sec*', 'irq*', 'pfn_valid OR zone_device', 'ms->usage', 'mm/sparse.c', 'the the', 'a b c d e', 'subsection* section',
      'disabled counters', 'kvm_pmu_disable_counter_mask()', '"block integrity"', 'Williams', 'Reviewed',
    ];
    const all = [...bodies.values()];
    for (let i = 0; i < all.length; i += 10) {
      const ws = [...new Set(words(all[i]).filter((w) => /^[a-z_]{4,}$/.test(w)))];
      if (ws.length >= 2) queries.push(`${ws[0]} ${ws[Math.floor(ws.length / 2)]}`, ws[ws.length - 1]);
    }
    let compared = 0;
    let cut = 0;
    for (const q of queries) {
      const parsed = toLuceneQuery(q);
      assert.ok(parsed, q);
      for (const hit of await store.search({ text: q, limit: 10_000 })) {
        const body = bodies.get(hit.msgid) ?? '';
        assert.equal(snippet(body, parsed.phrases), hit.snippet, `query ${JSON.stringify(q)}, <${hit.msgid}>`);
        compared++;
        if (hit.snippet.startsWith('…')) cut++;
      }
    }
    assert.ok(compared > 1000, `${compared} snippets compared`);
    assert.ok(cut > 100, `${cut} of them start inside the body`);
  } finally {
    await store.close();
  }
});

test('snippet: the window, marks and cuts on small texts', () => {
  const body =
    'Hi Marc, one two three four five six seven eight nine ten eleven twelve the pfn_valid() check ' +
    'fails for ZONE_DEVICE memory thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
  const phrases = toLuceneQuery('pfn_valid ZONE_DEVICE')?.phrases ?? [];
  // The 8-token window is centred on what it covers (as SQLite gives it for this body).
  assert.equal(snippet(body, phrases, 8), `…the ${O}pfn_valid${C}() check fails for ${O}ZONE_DEVICE${C} memory thirteen…`);
  // A phrase is marked as one run; a prefix marks every word it starts.
  assert.equal(snippet('the memory hotplug path.', toLuceneQuery('"memory hotplug"')?.phrases ?? []), `the ${O}memory hotplug${C} path.`);
  assert.equal(snippet('Disabling disabled counters', toLuceneQuery('disab*')?.phrases ?? []), `${O}Disabling${C} ${O}disabled${C} counters`);
  // No match in the body (the hit was on the subject): the body's first words.
  assert.equal(snippet('  short body.', [{ tokens: ['absent'], prefix: false }]), '  short body.');
  assert.equal(snippet('', [{ tokens: ['x'], prefix: false }]), '');
  assert.deepEqual(tokenize('Ünïcode pfn_valid() x86-64').map((t) => t.folded), ['unicode', 'pfn_valid', 'x86', '64']);
});
