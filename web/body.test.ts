import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bodyBlocks, type QuoteBlock, type TextBlock } from './body.js';

describe('body blocks', () => {
  test('attribution, a quoted run with its depth, and own text', () => {
    const blocks = bodyBlocks(['On Mon, Feb 1, 2021, Will Deacon wrote:', '> first', '>> deeper', '>', '> last', '', 'My reply.'].join('\n'));
    const kinds = blocks.map((b) => (b.kind === 'text' ? `text:${b.role}` : b.kind));
    assert.deepEqual(kinds.slice(0, 2), ['text:attribution', 'quote']);
    const q = blocks[1] as QuoteBlock;
    assert.equal(q.depth, 2);
    assert.equal(q.preview, 'first');
    assert.equal(q.attribution, 'Will Deacon');
    assert.equal(q.open, false, 'a long quote starts collapsed');
    assert.ok(blocks.some((b) => b.kind === 'text' && b.text.includes('My reply.')));
  });

  test('a short quote is open', () => {
    const q = bodyBlocks(['> a', 'reply'].join('\n')).find((b): b is QuoteBlock => b.kind === 'quote');
    assert.ok(q);
    assert.equal(q.open, true);
  });

  test('a patch: description, trailers, diffstat and a diff with classed lines', () => {
    const body = [
      'Fix the thing.',
      '',
      'Signed-off-by: A Person <a@example.org>',
      '---',
      ' mm/sparse.c | 2 +-',
      ' 1 file changed, 1 insertion(+), 1 deletion(-)',
      '',
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
      diff.lines.filter((l) => l.text !== '').map((l) => l.cls),
      ['file', 'file', 'file', 'file', 'hunk', 'ctx', 'del', 'add'],
    );
    const roles = blocks.filter((b): b is TextBlock => b.kind === 'text').map((b) => b.role);
    assert.ok(roles.includes('trailers'));
    assert.ok(roles.includes('diffstat'));
  });

  test('a quoted hunk under review is a quote with diff-classed lines, shown open', () => {
    const body = [
      'On Tue, Feb 2, 2021 at 09:41, A wrote:',
      '> @@ -1,3 +1,3 @@ int pfn_valid(unsigned long pfn)',
      '>  a',
      '> -b',
      '> +c',
      '',
      'Why is this needed?',
    ].join('\n');
    const q = bodyBlocks(body).find((b): b is QuoteBlock => b.kind === 'quote');
    assert.ok(q);
    assert.equal(q.diff, true);
    assert.equal(q.open, true);
    assert.deepEqual(
      q.lines.map((l) => l.cls),
      ['hunk', 'ctx', 'del', 'add'],
    );
  });

  test('a reply whose dump lost the > markers: the text found in the parent becomes a quote', () => {
    const parent = 'pfn_valid() validates a pfn but basically it checks for a valid struct page\nbacking for that pfn.';
    const reply = ['On 02.02.21 13:35, Will Deacon wrote:', parent, '', 'I disagree.'].join('\n');
    const q = bodyBlocks(reply, [parent]).find((b): b is QuoteBlock => b.kind === 'quote');
    assert.ok(q, 'the parent text is recognised as quoted');
    assert.equal(q.markersLost, true);
    assert.equal(bodyBlocks(reply).some((b) => b.kind === 'quote'), false, 'without the parent it is own text');
  });
});
