import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { readMboxMessages } from '../series/testMbox.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { attributeTrailers, groupRevisions, linkLineage, linkVersions } from '../series/index.js';
import type { Message } from '../model.js';
import { digestMessage } from './digest.js';
import { deriveMessage } from './message.js';

/** Everything the series steps decide, in a comparable form. */
function analysis(messages: Message[]): unknown {
  const byId = new Map(messages.map((m) => [m.msgid, m]));
  const grouping = groupRevisions(messages);
  const series = linkVersions(grouping.revisions, { messages: byId });
  return {
    roles: [...grouping.roles].sort(([a], [b]) => a.localeCompare(b)),
    comments: grouping.comments,
    series: series.map((s) => ({ key: s.key, revisions: s.revisions.map((r) => r.key), edges: s.edges, next: s.next })),
    lineage: series.flatMap((s) => linkLineage(s, { messages: byId })),
    trailers: attributeTrailers(grouping, byId).map((t) => [t.patch, t.givenIn, t.text, t.status, t.via, t.trailer.line]),
  };
}

function assertSame(messages: Message[], label: string): void {
  // As the derive stage makes them (from what deriving the message computed), and on their own.
  const digests = messages.map((m) => digestMessage(m, deriveMessage(m, { ancestors: [], author: () => undefined }).computed));
  assert.deepEqual(digests, messages.map((m) => digestMessage(m)), label);
  assert.deepEqual(analysis(digests), analysis(messages), label);
}

describe('digests give the series steps the same answers as whole messages', () => {
  const mboxes: [string, string[]][] = [
    ['b4', readdirSync(resolve(PEERS_DIR, 'b4')).filter((f) => f.endsWith('.mbox'))],
    ['patchwork/series', readdirSync(resolve(PEERS_DIR, 'patchwork/series')).filter((f) => f.endsWith('.mbox'))],
    ['lfdr-list-archives', readdirSync(resolve(PEERS_DIR, 'lfdr-list-archives')).filter((f) => f.endsWith('.mbox'))],
  ];
  for (const [dir, files] of mboxes) {
    test(`every ${dir} mbox (${files.length})`, async () => {
      assert.ok(files.length > 0);
      for (const f of files.sort()) assertSame(await readMboxMessages(resolve(PEERS_DIR, dir, f)), `${dir}/${f}`);
    });
  }

  test('seed 002, the sub-section hotplug author archive (versions, lineage by title and diff)', () => {
    const { messages } = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive);
    assertSame(messages, 'seed 002');
  });

  test('a digest keeps every line where it was and drops recipients, prose and context lines', async () => {
    const [patch] = await readMboxMessages(resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox'));
    const d = digestMessage(patch);
    const kept = d.body.split('\n');
    assert.ok(kept.length <= patch.body.split('\n').length);
    kept.forEach((l, i) => assert.ok(l === '' || l === patch.body.split('\n')[i] || /^[+-][0-9a-f]{16}$/.test(l), `line ${i}: ${l}`));
    assert.deepEqual([d.to, d.cc], [[], []]);
    assert.ok(d.body.length < patch.body.length / 2, `${d.body.length} of ${patch.body.length}`);
    assert.match(d.body, /^diff --git a\/drivers\/irqchip\/irq-gic-v3-its\.c/m);
    assert.match(d.body, /^Signed-off-by: /m);
    assert.match(d.body, /^\+[0-9a-f]{16}$/m);
  });
});
