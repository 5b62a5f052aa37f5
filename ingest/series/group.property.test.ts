// Properties of grouping on the real Patchwork series fixtures, over random input orders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { PEERS_DIR } from '../../test/fixtures.js';
import { readMboxMessages } from './testMbox.js';
import { groupRevisions } from './group.js';
import type { Grouping } from './types.js';
import type { Message } from '../model.js';

const PW = resolve(PEERS_DIR, 'patchwork/series');

/** Revisions as sorted lists of their own (not carried) member msgids. */
function shape(g: Grouping): string[] {
  return g.revisions
    .map((r) =>
      [...(r.cover && r.cover.rule !== 'carried' && r.cover.msgid ? [r.cover.msgid] : []), ...r.patches.filter((p) => p.rule !== 'carried' && p.msgid).map((p) => p.msgid as string)]
        .sort()
        .join(' '),
    )
    .filter((x) => x.length > 0)
    .sort();
}

test('grouping does not depend on the order messages arrive in, and places every patch exactly once', async () => {
  const fixtures: Message[][] = [];
  for (const f of readdirSync(PW).filter((x) => x.endsWith('.mbox')).sort()) fixtures.push(await readMboxMessages(resolve(PW, f)));
  assert.equal(fixtures.length, 28);
  for (const messages of fixtures) {
    const expected = shape(groupRevisions(messages));
    const patches = messages.filter((m) => groupRevisions(messages).roles.get(m.msgid)?.role !== 'comment').map((m) => m.msgid).sort();
    assert.deepEqual(expected.flatMap((x) => x.split(' ')).sort(), patches);
    fc.assert(
      fc.property(fc.shuffledSubarray(messages, { minLength: messages.length, maxLength: messages.length }), (shuffled) => {
        assert.deepEqual(shape(groupRevisions(shuffled)), expected);
      }),
      { numRuns: 30, seed: 20190605 },
    );
  }
});
