// b4 CI-check export of the verdicts of seed 000, computed end to end from the raw page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../test/fixtures.js';
import { b4Checks } from './b4.js';
import { readMessages } from './messages.js';
import { reviewMessages } from './pipeline.js';

const reviewed = readMessages([SEED.armPfnValid]).then((ms) => reviewMessages(ms));

test('per patch: V2 2/2 fails on the ordering concern, V2 1/2 passes the ZONE_DEVICE claim it fixes', async () => {
  const patches = b4Checks(await reviewed);
  const two = patches.find((p) => p.patch === '[PATCH V2 2/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
  assert.ok(two, patches.map((p) => p.patch).join('\n'));
  const oob = two.checks.filter((c) => c.summary.startsWith('pfn_valid-reads-past-mem_section'));
  assert.ok(oob.length >= 1);
  for (const c of oob) {
    assert.equal(c.status, 'fail');
    assert.equal(c.tool, 'loregraph');
    assert.equal(c.url, null, 'mail-archive.com pages carry no Message-ID: no lore link is made up');
    assert.match(c.details, /^\* V2 2\/2 \(under review\)/m);
    assert.match(c.details, /^- V3 .*refuted/m);
  }
  const one = patches.find((p) => p.patch === '[PATCH V2 1/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
  assert.ok(one);
  const zd = one.checks.find((c) => c.summary.includes('currently pfn_valid() fails for all ZONE_DEVICE'));
  assert.equal(zd?.status, 'pass', 'with V2 1/2 applied the claimed failure is gone');
  const inv = one.checks.find((c) => c.summary.startsWith('hotplug-sections-not-early-invariant'));
  assert.equal(inv?.status, 'pass');
  for (const p of patches) for (const c of p.checks) assert.deepEqual(Object.keys(c).sort(), ['details', 'status', 'summary', 'tool', 'url']);
});

test('unchecked claims are left out, or reported as warn with the reason when asked', async () => {
  const all = await reviewed;
  const without = b4Checks(all).flatMap((p) => p.checks);
  const withUnchecked = b4Checks(all, { includeUnchecked: true }).flatMap((p) => p.checks);
  const unchecked = all.filter((r) => r.verdict.verdict === 'unchecked').length;
  assert.equal(withUnchecked.length - without.length, unchecked);
  for (const c of withUnchecked.filter((x) => x.summary.startsWith('unchecked'))) {
    assert.equal(c.status, 'warn');
    assert.match(c.details, /^no check (?:covers|applies)/);
  }
});
