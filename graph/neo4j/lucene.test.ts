// The search query for Neo4j's full-text index and the snippets computed from message bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SNIPPET_CLOSE as C, SNIPPET_OPEN as O } from '../store.js';
import { snippet, toLuceneQuery } from './lucene.js';

test('words are ANDed, phrases kept, OR kept between terms, prefixes lower-cased', () => {
  assert.deepEqual(toLuceneQuery('pfn_valid ZONE_DEVICE'), {
    lucene: '"pfn_valid" AND "zone_device"',
    highlight: ['pfn_valid', 'zone_device'],
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

test('snippet: a window around the first match, matches marked, cuts shown', () => {
  const body =
    'Hi Marc, one two three four five six seven eight nine ten eleven twelve the pfn_valid() check ' +
    'fails for ZONE_DEVICE memory thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';
  const s = snippet(body, ['pfn_valid', 'zone_device'], 8);
  assert.equal(s, `…twelve the ${O}pfn_valid${C}() check fails for ${O}ZONE_DEVICE${C} memory…`);
  assert.equal(snippet('short body', ['absent'], 16), 'short body');
  assert.equal(snippet('Disabling disabled counters', ['disab*'], 16), `${O}Disabling${C} ${O}disabled${C} counters`);
  assert.equal(snippet('', ['x']), '');
});
