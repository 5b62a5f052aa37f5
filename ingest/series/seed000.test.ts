// Seed 000: a mail-archive.com thread page — "[PATCH V2 1/2] arm64/mm: Fix pfn_valid() for
// ZONE_DEVICE based memory" and 18 replies. No headers survive; the parents the dump parser
// inferred from quoted text are what ties the replies to the patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SEED } from '../../test/fixtures.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { groupRevisions } from './group.js';

test('seed 000: the V2 1/2 patch and all 18 replies, attached through their inferred parents', () => {
  const { messages } = parseMailArchiveDump(readFileSync(SEED.armPfnValid, 'utf8'), SEED.armPfnValid);
  assert.equal(messages.length, 19);
  const g = groupRevisions(messages);
  assert.equal(g.revisions.length, 1);
  const rev = g.revisions[0];
  assert.equal(rev.version, 2);
  assert.equal(rev.total, 2);
  assert.deepEqual(rev.patches.map((p) => [p.index, p.title]), [[1, 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory']]);
  const patch = rev.patches[0].key;
  assert.equal(g.comments.length, 18);
  assert.ok(g.comments.every((c) => c.target === patch && c.rule === 'thread'));
  assert.deepEqual(g.unattached, []);
  // The first reply reaches the patch directly; later ones through the reply they quote.
  const direct = g.comments.filter((c) => c.evidence.startsWith('reply chain leads to'));
  assert.equal(direct.length, 1);
});
