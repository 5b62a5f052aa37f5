// The reproductions of issue 5: each scenario shows the outcome on the code under review and its
// absence on the fixed code. Every verdict below is computed by running the model.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, runScenario, sectionRows } from './index.js';

describe('arm64 V2 2/2: __pfn_to_section() before the NR_MEM_SECTIONS check', () => {
  test('V2 2/2 reads outside mem_section for a pfn beyond NR_MEM_SECTIONS', () => {
    const r = runScenario('arm64-pfn-valid-oob');
    assert.equal(r.outcome.observed, 'always');
    assert.equal(r.detectors['mem_section-oob']?.total, 1);
    assert.equal(r.first.observations.valid, false, 'the pfn is still reported invalid: the read itself is the bug');
  });
  test('V3 and the generic pfn_valid() check the section number first', () => {
    for (const v of ['arm64-pfn-valid-v3', 'generic-pfn-valid']) {
      const r = runScenario('arm64-pfn-valid-oob', { variants: [v] });
      assert.equal(r.outcome.observed, 'never', v);
      assert.equal(r.detectors['mem_section-oob'], undefined, v);
    }
  });
  test('after v5.12 shrank SECTION_SIZE_BITS the same pfn is still out of bounds for V2 2/2', () => {
    const r = runScenario('arm64-pfn-valid-oob', { kernel: 'v5.12' });
    assert.equal(r.profile.sectionSizeBits, 27);
    assert.equal(r.outcome.observed, 'always');
  });
  test('a pfn inside the section range reads nothing out of bounds, even on V2 2/2', () => {
    const r = runScenario('arm64-pfn-valid-oob', { params: { pfn: '0x90000' } });
    assert.equal(r.outcome.observed, 'never');
    assert.equal(r.first.observations.valid, true);
  });
});

describe('arm64 v5.10: pfn_valid() and memory added by memremap_pages()', () => {
  test('v5.10 says no pfn of a ZONE_DEVICE range is valid although its struct pages are initialised', () => {
    const r = runScenario('arm64-pfn-valid-zone-device');
    assert.equal(r.outcome.observed, 'always');
    assert.equal(r.first.observations.validPfns, 0);
    assert.equal(r.first.observations.memmap, 'Device');
  });
  test('V2 1/2 makes every pfn of the range valid', () => {
    const r = runScenario('arm64-pfn-valid-zone-device', { variants: ['arm64-pfn-valid-v2-1of2'] });
    assert.equal(r.outcome.observed, 'never');
    assert.equal(r.first.observations.validPfns, 0x40000);
  });
});

describe('invariant: SECTION_HAS_MEM_MAP without SECTION_IS_EARLY only on hotplugged sections', () => {
  for (const [profile, kernel] of [['x86_64-l4', 'v5.11'], ['arm64-4k-va48', 'v5.12'], ['x86_64-l5', 'v6.8']]) {
    test(`holds over every explored boot + hotplug sequence (${profile} ${kernel})`, () => {
      const r = runScenario('early-section-invariant', { params: { profile, kernel, depth: 3 } });
      assert.equal(r.mode, 'sequences');
      assert.equal(r.exhaustive, true);
      assert.equal(r.executions, 9 ** 3);
      assert.equal(r.outcome.observed, 'never', JSON.stringify(r.witness?.schedule));
      assert.equal(r.first.observations['invariant.pfn-valid-false-without-memmap'], true);
    });
  }
  test('holds for boot memory on nodes 1 and 2, whose nid bits overlap the flags with SECTION_NID_SHIFT 3', () => {
    for (const nid of [1, 2]) {
      const r = runScenario('early-section-invariant', { params: { kernel: 'v5.12', nid, depth: 2 } });
      assert.equal(r.outcome.observed, 'never', `nid ${nid}`);
      assert.equal(r.first.observations['invariant.pfn-valid-false-without-memmap'], true);
    }
  });
  test('hot-adding into the unpopulated half of a boot section keeps it early and marks its sub-sections', () => {
    const s = parseScenario(`
name: half-section-add
title: t
profile: x86_64-l4
kernel: v5.11
memory: [{ base: 0, size: 192M }]
setup:
  - { op: boot }
  - { op: add_memory, base: 192M, size: 64M, as: added }
  - { op: invariant, name: hotplugged-if-not-early, as: inv }
outcome: { description: d, when: { observation: inv, equals: true } }
`);
    const r = runScenario(s);
    assert.equal(r.first.observations.added, 'ok');
    assert.equal(r.outcome.observed, 'always');
    const row = sectionRows(r.finalState).find((x) => x.first === 1);
    assert.equal(row?.flags, 'PMOE-');
    assert.equal(row?.active, '#'.repeat(64));
  });
  test('a kernel without SECTION_IS_EARLY (v5.2) yields a counterexample with its trace', () => {
    const r = runScenario('early-section-invariant', { params: { kernel: 'v5.2', depth: 1 } });
    assert.equal(r.outcome.observed, 'always');
    assert.ok(r.witness);
    assert.ok(r.witness.trace.some((t) => t.step === 'sparse_init'));
    assert.equal(r.witness.observations['invariant.hotplugged-if-not-early'], false);
  });
});

describe('linux-next June 2019: kmemleak and a partly present early section (x86)', () => {
  test('pfn_to_online_page() hands kmemleak a poisoned page', () => {
    const r = runScenario('kmemleak-partly-present-early-section');
    assert.equal(r.outcome.observed, 'always');
    assert.match(r.first.crashed ?? '', /PagePoisoned at pfn 0x4000/);
  });
  test('the "skip bad PFNs" fix and v5.3 early-section semantics do not', () => {
    const fixed = runScenario('kmemleak-partly-present-early-section', { variants: ['p2op-skip-bad-pfns-2019'] });
    assert.equal(fixed.outcome.observed, 'never');
    const v53 = runScenario('kmemleak-partly-present-early-section', { kernel: 'v5.3' });
    assert.equal(v53.outcome.observed, 'never');
    assert.equal(v53.first.observations['scan.badReads'], 0);
  });
});

describe('RFC 2019: PFN walkers and uninitialised ZONE_DEVICE memmaps (David\'s cases 3, 4, 5)', () => {
  test('case 5: kpageflags reads the altmap-reserved head of a pmem namespace; the RFC removes it', () => {
    assert.equal(runScenario('kpageflags-altmap-reserved').outcome.observed, 'always');
    const rfc = runScenario('kpageflags-altmap-reserved', { variants: ['memmap-init-altmap-rfc-2019'] });
    assert.equal(rfc.outcome.observed, 'never');
    assert.equal(rfc.first.observations['walk.pagesRead'], 0x2000);
  });
  test('case 3: a partly present section still reads uninitialised memmap with the RFC', () => {
    const r = runScenario('kpageflags-partly-present-section', { variants: ['memmap-init-altmap-rfc-2019'] });
    assert.equal(r.outcome.observed, 'always');
  });
  test('case 4: a walker between memremap_pages() steps still reads uninitialised memmap with the RFC', () => {
    const r = runScenario('kpageflags-vs-memremap', { variants: ['memmap-init-altmap-rfc-2019'] });
    assert.equal(r.exhaustive, true);
    assert.equal(r.outcome.observed, 'sometimes');
    const w = r.witness?.schedule ?? [];
    const read = w.findIndex((s) => s.startsWith('page-types: kpageflags: stable_page_flags'));
    const init = w.indexOf('driver: memmap_init_zone_device');
    assert.ok(read > 0 && w.slice(0, read).some((s) => s.startsWith('driver: sparse_add_section')), w.join('\n'));
    assert.ok(init === -1 || read < init, w.join('\n'));
  });
  test('case 4 exactly: a walker holding get_online_mems() still reads it, between mem_hotplug_done() and memmap_init_zone_device()', () => {
    const r = runScenario('kpageflags-vs-memremap', { variants: ['memmap-init-altmap-rfc-2019'], params: { locked: true } });
    assert.equal(r.outcome.observed, 'sometimes');
    const w = r.witness?.schedule ?? [];
    const read = w.findIndex((s) => s.startsWith('page-types: kpageflags: stable_page_flags'));
    const init = w.indexOf('driver: memmap_init_zone_device');
    assert.ok(w.indexOf('driver: mem_hotplug_done') >= 0 && read > w.indexOf('driver: mem_hotplug_done'), w.join('\n'));
    assert.ok(init === -1 || read < init, w.join('\n'));
    assert.equal(r.witness?.crashed?.startsWith('VM_BUG_ON:PagePoisoned'), true);
  });
});

describe('2021: ZONE_DEVICE section collisions after memunmap_pages()', () => {
  test('v5.11 returns a poisoned page (with poisoning) and a ZONE_DEVICE page (without)', () => {
    const poisoned = runScenario('zone-device-section-collision');
    assert.equal(poisoned.outcome.observed, 'always');
    assert.equal(poisoned.first.observations.page, 'poisoned');
    assert.ok(poisoned.detectors['VM_BUG_ON:PagePoisoned']);
    const plain = runScenario('zone-device-section-collision', { params: { poison: false } });
    assert.equal(plain.outcome.observed, 'always');
    assert.equal(plain.first.observations.page, 'Device');
  });
  test('v5.12 returns nothing', () => {
    for (const poison of [true, false]) {
      const r = runScenario('zone-device-section-collision', { kernel: 'v5.12', params: { poison } });
      assert.equal(r.outcome.observed, 'never');
      assert.equal(r.first.observations.page, 'null');
    }
  });
  test('the fix as first posted (taint + slow path, no sub-section test) still returns the poisoned page', () => {
    const r = runScenario('zone-device-section-collision', { variants: ['p2op-zone-device-collision-2021-rfc'] });
    assert.equal(r.first.observations.page, 'poisoned');
  });
});

describe('2023 arm64 39-bit VA, memstart 0x80_0000_0000', () => {
  test("Ard's three pfn_to_page() ranges", () => {
    const r = runScenario('arm64-pfn-to-page-va39');
    assert.equal(r.outcome.observed, 'always');
    assert.equal(r.first.observations.first, r.profile.vmemmapStart);
    assert.equal(r.first.observations['first.region'], 'vmemmap');
    assert.equal(r.first.observations['above.region'], 'above-vmemmap');
    assert.equal(r.first.observations['wrap.region'], 'user');
    assert.equal(r.first.observations['below.region'], 'vmalloc-kernel');
    // just below the window's end is still inside; the first pfn past it is not
    const inside = runScenario('arm64-pfn-to-page-va39', { params: { above: '0xbff_ffff' } });
    assert.equal(inside.first.observations['above.region'], 'vmemmap');
  });
  test('device-private memory above the linear map hits the vmemmap_populate() WARN once per section', () => {
    const r = runScenario('arm64-device-private-vmemmap-warn');
    const sections = 2 ** 30 / 2 ** r.profile.pageShift / r.profile.pagesPerSection;
    assert.equal(r.outcome.observed, 'always');
    assert.equal(r.detectors['WARN:vmemmap_populate']?.total, sections);
    assert.equal(r.detectors['memmap-wrapped-to-user']?.total, sections);
  });
  test('without the WARN (John Hubbard\'s patch) the memmap is still mapped outside the window', () => {
    const r = runScenario('arm64-device-private-vmemmap-warn', { variants: ['arm64-vmemmap-no-warn-device-private-2023'] });
    assert.equal(r.detectors['WARN:vmemmap_populate'], undefined);
    assert.ok((r.detectors['memmap-outside-vmemmap']?.total ?? 0) > 0);
  });
});

describe('2024: compaction pfn_valid() racing memunmap_pages()', () => {
  test('v6.7 dereferences a freed ms->usage in some interleaving', () => {
    const r = runScenario('compaction-vs-memunmap-usage');
    assert.equal(r.exhaustive, true);
    assert.equal(r.outcome.observed, 'sometimes');
    assert.ok(r.executions > 100);
    const w = r.witness?.schedule ?? [];
    assert.ok(w.some((s) => s.includes('kfree(ms->usage)')), w.join('\n'));
  });
  test('v6.8 does so in none', () => {
    const r = runScenario('compaction-vs-memunmap-usage', { kernel: 'v6.8' });
    assert.equal(r.exhaustive, true);
    assert.equal(r.outcome.observed, 'never');
    assert.ok(r.executions > 100);
  });
});

describe('more from the 2021 series', () => {
  test("Dan's report: v5.11 hands out ZONE_DEVICE pages of a shared online section, v5.12 does not", () => {
    assert.equal(runScenario('zone-device-section-collision-mapped').first.observations.page, 'Device');
    const fixed = runScenario('zone-device-section-collision-mapped', { kernel: 'v5.12' });
    assert.equal(fixed.outcome.observed, 'never');
    assert.match(String(fixed.first.observations.flags), /TAINT_ZONE_DEVICE/);
  });
  test('v2 3/5 (taint on top of 2/5) and v5.12 both refuse the shared section\'s ZONE_DEVICE pfn on v5.11', () => {
    for (const v of ['p2op-zone-device-collision-v2-2021', 'p2op-zone-device-collision-2021']) {
      const r = runScenario('zone-device-section-collision-mapped', { variants: [v] });
      assert.equal(r.first.observations.page, 'null', v);
      assert.match(String(r.first.observations.flags), /TAINT_ZONE_DEVICE/, `${v} brings its flag bit to v5.11`);
    }
  });
  test("David on v2 2/5: without the arch pfn_valid() test an arm64 memory hole in an online section gets a struct page; v3 and v5.11 return NULL", () => {
    const v2 = runScenario('arm64-memmap-hole-pfn-to-online-page', { variants: ['p2op-subsection-v2-2021'] });
    assert.equal(v2.outcome.observed, 'always');
    assert.equal(v2.first.observations.valid, false);
    assert.notEqual(v2.first.observations.page, 'null');
    for (const variants of [['p2op-subsection-v3-2021'], []]) {
      const r = runScenario('arm64-memmap-hole-pfn-to-online-page', { variants });
      assert.equal(r.outcome.observed, 'never', variants.join() || 'v5.11');
      assert.equal(r.first.observations.page, 'null');
    }
    // x86 selects no arch pfn_valid(): the sub-section map alone decides, on every variant.
    const x86 = runScenario('arm64-memmap-hole-pfn-to-online-page', { profile: 'x86_64-l4', kernel: 'v5.12' });
    assert.equal(x86.first.observations.valid, true);
  });
  test('SECTION_NID_SHIFT 3 taints the boot sections of node 2 on v5.12; v5.15 does not', () => {
    assert.equal(runScenario('section-nid-overlap').outcome.observed, 'always');
    assert.equal(runScenario('section-nid-overlap', { kernel: 'v5.15' }).outcome.observed, 'never');
  });
});
