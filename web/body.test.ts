import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bodyBlocks, type QuoteBlock } from './body.js';
import { SEED } from '../test/fixtures.js';

describe('body blocks', () => {
  test('own text, a quoted run with its depth, and own text again', () => {
    const blocks = bodyBlocks(['On Mon, A wrote:', '> first', '>> deeper', '>', '> last', '', 'My reply.'].join('\n'));
    assert.deepEqual(
      blocks.map((b) => b.kind),
      ['text', 'quote', 'text'],
    );
    const q = blocks[1] as QuoteBlock;
    assert.equal(q.depth, 2);
    assert.equal(q.lineCount, 4);
    assert.equal(q.preview, 'first');
    assert.equal(q.open, false);
    assert.equal(blocks[2].kind === 'text' && blocks[2].text, '\nMy reply.');
  });

  test('a blank line between quoted lines stays in the quote; a short quote is open', () => {
    const blocks = bodyBlocks(['> a', '', '> b', 'reply'].join('\n'));
    assert.equal(blocks.length, 2);
    const q = blocks[0] as QuoteBlock;
    assert.equal(q.lineCount, 3);
    assert.equal(q.open, true);
  });

  test('a patch body is split into description and a diff with classed lines', () => {
    const body = [
      'Fix the thing.',
      '',
      'Signed-off-by: A <a@b>',
      '---',
      'diff --git a/mm/sparse.c b/mm/sparse.c',
      'index 1111111..2222222 100644',
      '--- a/mm/sparse.c',
      '+++ b/mm/sparse.c',
      '@@ -1,3 +1,3 @@ int pfn_valid(unsigned long pfn)',
      ' a',
      '-b',
      '+c',
    ].join('\n');
    const blocks = bodyBlocks(body);
    const diff = blocks.find((b) => b.kind === 'diff');
    assert.ok(diff && diff.kind === 'diff');
    assert.deepEqual(
      diff.lines.map((l) => l.cls),
      ['file', 'file', 'file', 'file', 'hunk', 'ctx', 'del', 'add'],
    );
    assert.equal(blocks[0].kind, 'text');
  });

  test('seed 000 (a mail-archive thread dump) has quoted runs several levels deep', () => {
    const blocks = bodyBlocks(readFileSync(SEED.armPfnValid, 'utf8'));
    const quotes = blocks.filter((b): b is QuoteBlock => b.kind === 'quote');
    assert.ok(quotes.length > 5);
    assert.ok(quotes.some((q) => q.depth >= 4));
    assert.ok(quotes.some((q) => !q.open));
  });
});
