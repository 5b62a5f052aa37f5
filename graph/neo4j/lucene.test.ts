// The search query for Neo4j's full-text index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toLuceneQuery } from './lucene.js';

test('words are ANDed, phrases kept, OR kept between terms, prefixes lower-cased', () => {
  assert.deepEqual(toLuceneQuery('pfn_valid ZONE_DEVICE'), {
    lucene: '"pfn_valid" AND "zone_device"',
    phrases: [
      { tokens: ['pfn_valid'], prefix: false },
      { tokens: ['zone_device'], prefix: false },
    ],
  });
  assert.equal(toLuceneQuery('"block integrity" btt')?.lucene, '"block integrity" AND "btt"');
  assert.equal(toLuceneQuery('irq OR interrupt')?.lucene, '"irq" OR "interrupt"');
  assert.equal(toLuceneQuery('Allyes*')?.lucene, 'allyes*');
  assert.equal(toLuceneQuery('OR lonely OR')?.lucene, '"or" AND "lonely"');
});

test('Lucene syntax typed by a user is never passed through', () => {
  assert.equal(toLuceneQuery('ms->usage')?.lucene, '"ms usage"');
  assert.equal(toLuceneQuery('mm/sparse.c')?.lucene, '"mm sparse c"');
  assert.equal(toLuceneQuery('subject:foo~2 +bar -baz^3')?.lucene, '"subject foo 2" AND "bar" AND "baz 3"');
  // A trailing OR has nothing to join and is dropped (as in the embedded store's FTS5 query).
  assert.equal(toLuceneQuery('title:(x OR')?.lucene, '"title x"');
  assert.equal(toLuceneQuery('"unbalanced')?.lucene, '"unbalanced"');
  assert.equal(toLuceneQuery('\\ ** () [] {}'), null);
  assert.equal(toLuceneQuery('   '), null);
});
