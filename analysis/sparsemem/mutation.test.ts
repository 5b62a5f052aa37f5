// Honesty: break one step of a modelled function and the reproduction's outcome must flip. If an
// outcome were written down anywhere instead of computed, these would not move.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MUTATIONS, loadScenario, runScenario } from './index.js';

describe('mutations flip the reproductions', () => {
  test('dropping the NR_MEM_SECTIONS check from V3 makes it read outside mem_section', () => {
    const fixed = runScenario('arm64-pfn-valid-oob', { variants: ['arm64-pfn-valid-v3'] });
    const broken = runScenario('arm64-pfn-valid-oob', { variants: ['arm64-pfn-valid-v3'], mutations: ['pfn_valid:drop-bounds-check'] });
    assert.equal(fixed.outcome.observed, 'never');
    assert.equal(broken.outcome.observed, 'always');
    assert.deepEqual(broken.mutations, ['pfn_valid:drop-bounds-check']);
  });
  test('dropping the sub-section test from v5.12 pfn_to_online_page() brings the poisoned page back', () => {
    const fixed = runScenario('zone-device-section-collision', { kernel: 'v5.12' });
    const broken = runScenario('zone-device-section-collision', { kernel: 'v5.12', mutations: ['pfn_to_online_page:drop-subsection-check'] });
    assert.equal(fixed.outcome.observed, 'never');
    assert.equal(broken.outcome.observed, 'always');
    assert.equal(broken.first.observations.page, 'poisoned');
  });
  test('dropping the RCU read side from v6.8 pfn_valid() brings the use-after-free back', () => {
    const fixed = runScenario('compaction-vs-memunmap-usage', { kernel: 'v6.8' });
    const broken = runScenario('compaction-vs-memunmap-usage', { kernel: 'v6.8', mutations: ['pfn_valid:drop-rcu'] });
    assert.equal(fixed.outcome.observed, 'never');
    assert.equal(broken.outcome.observed, 'sometimes');
    assert.equal(broken.exhaustive, true);
  });
  test("dropping v5.3's early-section shortcut brings linux-next's kmemleak crash back", () => {
    const fixed = runScenario('kmemleak-partly-present-early-section', { kernel: 'v5.3' });
    const broken = runScenario('kmemleak-partly-present-early-section', { kernel: 'v5.3', mutations: ['pfn_valid:drop-early-shortcut'] });
    assert.equal(fixed.outcome.observed, 'never');
    assert.equal(broken.outcome.observed, 'always');
  });
  test('dropping the NULL-root check makes pfn_valid() dereference an unallocated root', () => {
    const pfn = '0x8_0000_0000'; // section 2^17 on arm64 v5.11: root 512, never allocated
    const fixed = runScenario('arm64-pfn-valid-oob', { variants: ['arm64-pfn-valid-v3'], params: { pfn } });
    const broken = runScenario('arm64-pfn-valid-oob', { variants: ['arm64-pfn-valid-v3'], params: { pfn }, mutations: ['nr_to_section:drop-null-root-check'] });
    assert.equal(fixed.detectors['mem_section-null-root'], undefined);
    assert.equal(fixed.first.observations.valid, false);
    assert.equal(broken.detectors['mem_section-null-root']?.total, 1);
    assert.match(broken.first.crashed ?? '', /mem_section\[512\] is NULL/);
  });
  test('unknown mutations are refused rather than ignored', () => {
    assert.throws(() => runScenario('arm64-pfn-valid-oob', { mutations: ['pfn_valid:no-such-step'] }), /unknown mutation/);
    assert.ok(MUTATIONS.length >= 4);
  });
});

describe('pfn_valid() bounds handling over random pfns (arm64 v5.11, 4K, PA 48)', () => {
  // NR_MEM_SECTIONS 2^18 and NR_SECTION_ROOTS 1024 (§1): V2 2/2 reads past the root array exactly
  // when the root index of the pfn's section is >= NR_SECTION_ROOTS; V3 never does.
  const s = loadScenario('arm64-pfn-valid-oob');
  test('V2 2/2 reads out of bounds iff the root index is past NR_SECTION_ROOTS; V3 never', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 2 ** 53 - 1 })), (pfn) => {
        const params = { pfn: `0x${pfn.toString(16)}` };
        const v2 = runScenario(s, { params });
        const v3 = runScenario(s, { params, variants: ['arm64-pfn-valid-v3'] });
        const rootIndex = Math.floor(pfn / 2 ** 18 / 256);
        return (v2.detectors['mem_section-oob'] !== undefined) === rootIndex >= 1024 && v3.detectors['mem_section-oob'] === undefined;
      }),
      { numRuns: 60 },
    );
  });
});
