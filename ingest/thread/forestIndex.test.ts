// The compact forest index must answer what the Maps it replaced answered: every container's
// parent, root and ancestor walk, and every stored message's author, on the threaded seeds and
// peer corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { openSqliteStore } from '../../graph/sqlite/store.js';
import { PEERS_DIR, requireShared, SAMPLES_DIR } from '../../test/fixtures.js';
import { ingest } from '../pipeline.js';
import { ancestorsOf, MAX_ANCESTORS } from './ancestors.js';
import { ForestIndex } from './forestIndex.js';

test('ForestIndex gives the parents, roots, ancestors and authors of the stored forest', async () => {
  requireShared();
  const store = await openSqliteStore(':memory:');
  try {
    const peers = readdirSync(PEERS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => resolve(PEERS_DIR, d.name));
    await ingest([SAMPLES_DIR, ...peers], store, { workers: 0, derive: false });
    const forest = [];
    for await (const a of store.allThreadAssignments()) forest.push(a);
    const authors = [];
    for await (const a of store.patches.authors()) authors.push(a);
    assert.ok(forest.length > 300, `${forest.length} containers`);

    const index = await ForestIndex.of(forest, { roots: true });
    for (const a of authors) index.setAuthor(a.msgid, { name: a.name, address: a.address });
    const parents = new Map(forest.filter((a) => a.parent !== null).map((a) => [a.msgid, a.parent as string]));

    assert.equal(index.size, forest.length);
    assert.equal(index.stored, authors.length);
    let walked = 0;
    for (const a of forest) {
      assert.equal(index.parentOf(a.msgid), a.parent ?? undefined, a.msgid);
      assert.equal(index.rootOf(a.msgid), a.root, a.msgid);
      const expected = ancestorsOf(parents, a.msgid);
      assert.deepEqual(index.ancestors(a.msgid), expected, a.msgid);
      assert.deepEqual(index.ancestors(a.msgid, 1), expected.slice(0, 1));
      walked += expected.length;
      assert.equal(ancestorsOf(index.parentLookup, a.msgid, MAX_ANCESTORS).length, expected.length);
    }
    assert.ok(walked > 400, `${walked} ancestor steps`);
    for (const a of authors) assert.deepEqual(index.authorOf(a.msgid), { name: a.name, address: a.address });
    // Ghosts are containers without an author.
    const ghost = forest.find((a) => a.ghost);
    assert.ok(ghost);
    assert.equal(index.has(ghost.msgid), true);
    assert.equal(index.authorOf(ghost.msgid), undefined);
    assert.equal(index.has('<not-in-the-archive@example.org>'), false);
    assert.deepEqual(index.ancestors('<not-in-the-archive@example.org>'), []);
  } finally {
    await store.close();
  }
});

test('ForestIndex stops an ancestor walk at a repeat, as ancestorsOf does', async () => {
  // A threader refuses cycles; the walk must still end on one (a store written by other code).
  const index = await ForestIndex.of([
    { msgid: 'x', root: 'x', parent: 'y', method: null, confidence: null, evidence: null, ghost: false, depth: 0 },
    { msgid: 'y', root: 'x', parent: 'x', method: null, confidence: null, evidence: null, ghost: false, depth: 1 },
  ]);
  assert.deepEqual(index.ancestors('x'), ancestorsOf(new Map([['x', 'y'], ['y', 'x']]), 'x'));
});
