// Acceptance, end to end from the raw seed files: parse the dump, extract the claims, read them in
// their thread, link them to checks and run the model. Every verdict asserted here is computed by
// those runs; the tests say which verdict the runs must yield.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../test/fixtures.js';
import { readMessages } from './messages.js';
import { reviewMessages, type ReviewedClaim } from './pipeline.js';
import { check, claimWhere, variant } from '../../test/verdicts.js';

const cache = new Map<string, Promise<ReviewedClaim[]>>();
function review(path: string, includeQuoted = false): Promise<ReviewedClaim[]> {
  const key = `${path}:${includeQuoted}`;
  let p = cache.get(key);
  if (!p) cache.set(key, (p = readMessages([path]).then((ms) => reviewMessages(ms, { includeQuoted }))));
  return p;
}

function claim(all: ReviewedClaim[], text: string, from?: string): ReviewedClaim {
  return claimWhere(all, (r) => r.context.claim.text.includes(text) && (!from || r.context.message.from.name === from), text);
}

describe('seed 000: arm64 pfn_valid() for ZONE_DEVICE (mail-archive.com page)', () => {
  test("Will Deacon's concern about patch 2/2's ordering: confirmed on V2 2/2, refuted on V3", async () => {
    const r = claim(await review(SEED.armPfnValid), 'with patch 2/2 we call that *before* checking that pfn_to_section_nr() is sane', 'Will Deacon');
    const c = check(r, 'pfn_valid-reads-past-mem_section');
    assert.equal(r.verdict.verdict, 'confirmed');
    const v2 = variant(c, ['arm64-pfn-valid-v2-2of2']);
    assert.equal(v2.role, 'under-review');
    assert.equal(v2.verdict, 'confirmed');
    assert.equal(v2.kernel, 'v5.11');
    assert.ok(v2.runs[0].detectors['mem_section-oob'], 'the trace shows the out-of-bounds read');
    const v3 = variant(c, ['arm64-pfn-valid-v3']);
    assert.equal(v3.role, 'counterfactual');
    assert.equal(v3.verdict, 'refuted');
    assert.equal(v3.runs[0].exhaustive, true);
    assert.ok(c.reasons.some((x) => /claim names patch 2/.test(x)), c.reasons.join('\n'));
  });

  test('Anshuman Khandual: "pfn_valid() fails for all ZONE_DEVICE based memory" is confirmed on v5.10 arm64', async () => {
    const r = claim(await review(SEED.armPfnValid), 'currently pfn_valid() fails for all ZONE_DEVICE based memory types', 'Anshuman Khandual');
    const c = check(r, 'pfn_valid-false-for-zone-device');
    assert.equal(r.verdict.verdict, 'confirmed');
    const base = variant(c, []);
    assert.equal(base.role, 'under-review', 'the patch mail describes the code before the patch');
    assert.equal(base.kernel, 'v5.10');
    assert.equal(base.profile, 'arm64-4k-va48');
    assert.deepEqual(base.runs.map((x) => x.case), ['fsdax', 'generic', 'p2pdma', 'device-private']);
    for (const run of base.runs) assert.equal(run.trace.observations.validPfns, 0, run.case);
    assert.equal(variant(c, ['arm64-pfn-valid-v2-1of2']).verdict, 'refuted', 'the patch under review fixes it');
  });

  test('David Hildenbrand: only hotplugged sections have SECTION_HAS_MEM_MAP without SECTION_IS_EARLY - confirmed', async () => {
    const r = claim(await review(SEED.armPfnValid), 'Only hotplugged sections (DIMMs, dax/kmem) set SECTION_HAS_MEM_MAP without SECTION_IS_EARLY', 'David Hildenbrand');
    const c = check(r, 'hotplug-sections-not-early-invariant');
    assert.equal(c.polarity, 'invariant-holds');
    assert.equal(r.verdict.verdict, 'confirmed');
    const [run] = c.variants[0].runs;
    assert.equal(run.exhaustive, true);
    assert.equal(run.executions, 9 ** 4);
    assert.equal(run.observed, 'never');
  });

  test('claims about pfn_valid() that no check decides are unchecked, with the nearest check and why it does not apply', async () => {
    const r = claim(await review(SEED.armPfnValid), "What's to stop somebody changing that and quietly breaking our pfn_valid() implementation?");
    assert.equal(r.verdict.verdict, 'unchecked');
    assert.match(r.verdict.why, /^no check covers .*\(pfn_valid\).*nearest: pfn_valid-false-for-zone-device/);
  });
});

describe("seed 001: Dan Williams' reply, flattened raw RFC 822 (2021)", () => {
  test('David: after memunmap (poisoning) pfn_to_online_page() might return something that will BUG_ON: confirmed on v5.11, refuted with the fix', async () => {
    const r = claim(await review(SEED.flatRfc822, true), 'pfn_to_online_page() might return something that will BUG_ON via page_to_nid()');
    assert.equal(r.context.claim.origin, 'quoted');
    const c = check(r, 'pfn_to_online_page-returns-poisoned-after-memunmap');
    assert.deepEqual(c.variants[0].runs.map((x) => x.case), ['poisoned'], 'the text before it says the memmap is poisoned');
    assert.equal(r.verdict.verdict, 'confirmed');
    const base = variant(c, []);
    assert.equal(base.kernel, 'v5.11');
    assert.equal(base.verdict, 'confirmed');
    assert.equal(base.runs[0].trace.observations.page, 'poisoned');
    assert.equal(variant(c, ['p2op-zone-device-collision-2021-rfc']).verdict, 'confirmed', 'the patch as first posted still returns it');
    assert.equal(variant(c, ['p2op-zone-device-collision-2021']).verdict, 'refuted');
  });

  test('David: after memunmap (no poisoning) pfn_to_online_page() might return something that is ZONE_DEVICE: the unpoisoned case only', async () => {
    const r = claim(await review(SEED.flatRfc822, true), 'pfn_to_online_page() might return something that is ZONE_DEVICE.');
    const c = check(r, 'pfn_to_online_page-returns-poisoned-after-memunmap');
    assert.deepEqual(c.variants[0].runs.map((x) => x.case), ['not-poisoned']);
    assert.equal(variant(c, []).runs[0].trace.observations.page, 'Device');
    assert.equal(r.verdict.verdict, 'confirmed');
    assert.equal(variant(c, ['p2op-zone-device-collision-2021']).verdict, 'refuted');
  });

  test('David: pfn_to_online_page() will return a struct page as get_dev_pagemap() is now NULL - both poisoning configurations', async () => {
    const r = claim(await review(SEED.flatRfc822, true), 'pfn_to_online_page() will return a struct page as get_dev_pagemap() is now NULL');
    const c = check(r, 'pfn_to_online_page-returns-poisoned-after-memunmap');
    assert.deepEqual(c.variants[0].runs.map((x) => x.case), ['poisoned', 'not-poisoned']);
    assert.equal(variant(c, []).verdict, 'confirmed');
    assert.equal(variant(c, ['p2op-zone-device-collision-2021']).verdict, 'refuted');
  });
});

describe('seed 003: arm64 device-private pages (lkml.org, 2023)', () => {
  const ranges: [string, string][] = [
    ['pfn_to_page(0x800_0000) will return VMEMMAP_START', 'start@0x8000000'],
    ['for any x < 0x800_0000 will produce a kernel VA that points into the vmalloc area', 'below@0x7ffffff'],
    ['for values 0xc00_0000 < x < 0x1000_0000 will produce a kernel VA that points outside the region', 'past-end@0xc000001'],
    ['for any x >= 0x1000_0000 will wrap around', 'wrap@0x10000000'],
  ];
  for (const [text, firstCase] of ranges) {
    test(`Ard Biesheuvel: pfn_to_page() ${text} - confirmed`, async () => {
      const r = claim(await review(SEED.lkmlDevicePrivate, true), text, 'Ard Biesheuvel');
      const c = check(r, 'pfn_to_page-range-39bit');
      assert.equal(r.verdict.verdict, 'confirmed');
      const [v] = c.variants;
      assert.equal(v.profile, 'arm64-4k-va39');
      assert.equal(v.kernel, 'v6.3');
      assert.equal(v.runs[0].case, firstCase);
    });
  }

  test('John Hubbard: "the warning is a false positive" - refuted, with and without his patch', async () => {
    const r = claim(await review(SEED.lkmlDevicePrivate, true), 'So, the warning is a false positive for this case.');
    const c = check(r, 'vmemmap-warn-is-real');
    assert.equal(c.polarity, 'outcome-does-not-happen');
    assert.equal(r.verdict.verdict, 'refuted');
    for (const v of c.variants) {
      assert.equal(v.verdict, 'refuted', v.label);
      assert.ok((v.runs[0].detectors['memmap-outside-vmemmap']?.total ?? 0) > 0);
    }
    assert.ok(variant(c, []).runs[0].detectors['WARN:vmemmap_populate'], 'without the patch the WARN fires');
    assert.equal(variant(c, ['arm64-vmemmap-no-warn-device-private-2023']).runs[0].detectors['WARN:vmemmap_populate'], undefined, 'with it, silence');
  });

  test('Ard: "I don\'t think this is a false positive" - confirmed by the same runs', async () => {
    const r = claim(await review(SEED.lkmlDevicePrivate, true), "I don't think this is a false positive.");
    assert.equal(check(r, 'vmemmap-warn-is-real').polarity, 'outcome-happens');
    assert.equal(r.verdict.verdict, 'confirmed');
  });
});

describe('seed 004: RFC v2 initialising ZONE_DEVICE reserved struct pages (lkml.org, 2019)', () => {
  for (const text of ["#3 and #4 can't be detected.", 'The PFN walker could still stumble over uninitialized memmaps.']) {
    test(`David Hildenbrand: "${text}" - confirmed with the RFC applied`, async () => {
      const r = claim(await review(SEED.lkmlZoneDeviceInit, true), text);
      const c = check(r, 'pfn-walker-reads-uninitialised-memmap');
      const rfc = variant(c, ['memmap-init-altmap-rfc-2019']);
      assert.equal(rfc.role, 'under-review');
      assert.equal(rfc.kernel, 'v5.3');
      assert.deepEqual(rfc.runs.map((x) => x.case), ['case3', 'case4']);
      assert.equal(rfc.verdict, 'confirmed');
      assert.equal(r.verdict.verdict, 'confirmed');
      const race = rfc.runs[1];
      assert.equal(race.exhaustive, true);
      assert.equal(race.observed, 'sometimes', 'case 4 is a race: some interleavings read the memmap first');
      assert.equal(race.trace.kind, 'witness');
    });
  }
});

describe("seed 002: Dan Williams' author archive (2019) - libnvdimm locking", () => {
  test('claims about nvdimm_bus_list_mutex, device_lock and lockdep are extracted and honestly unchecked', async () => {
    const all = await review(SEED.danAuthorArchive);
    const locking = all.filter((r) => r.context.claim.entities.some((e) => ['nvdimm_bus_list_mutex', 'device_lock', 'lockdep'].includes(e.name)));
    assert.ok(locking.length >= 5, `${locking.length}`);
    for (const names of ['nvdimm_bus_list_mutex', 'device_lock', 'lockdep']) assert.ok(locking.some((r) => r.context.claim.entities.some((e) => e.name === names)), names);
    for (const r of locking) {
      assert.equal(r.verdict.verdict, 'unchecked', r.verdict.text);
      assert.equal(r.verdict.checks.length, 0);
      assert.match(r.verdict.why, /^no check covers (?:libnvdimm|driver-core, libnvdimm) locking \(/, r.verdict.why);
    }
    const mutex = locking.find((r) => r.context.claim.entities.some((e) => e.name === 'nvdimm_bus_list_mutex'));
    assert.match(mutex?.verdict.why ?? '', /no check covers libnvdimm locking \(.*nvdimm_bus_list_mutex/);
  });
});
