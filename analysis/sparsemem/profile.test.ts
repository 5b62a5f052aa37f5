// Profiles: constants derived like include/linux/mmzone.h, checked against the worked tables of the
// reference (§1, §2, §4), and the vmemmap layouts with exact 64-bit arithmetic.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyAddress, makeProfile, pageAddress, parseKernel, resolveImpls, sectionFlagsFor } from './index.js';
import { pfnOverflowsPhys } from './profile.js';

describe('section constants (§1 tables)', () => {
  test('x86_64 4- and 5-level', () => {
    const l4 = makeProfile('x86_64-l4', 'v6.8');
    assert.deepEqual([l4.pagesPerSection, l4.nrMemSections, l4.sectionsPerRoot, l4.nrSectionRoots, l4.pagesPerSubsection, l4.subsectionsPerSection], [32768, 524288, 256, 2048, 512, 64]);
    const l5 = makeProfile('x86_64-l5', 'v6.8', { pageExtension: true });
    assert.deepEqual([l5.nrMemSections, l5.sectionsPerRoot, l5.nrSectionRoots], [33554432, 128, 262144]);
  });
  test("arm64 before and after v5.12's SECTION_SIZE_BITS change", () => {
    const rows: [string, string, number, number, number, number, number][] = [
      ['arm64-4k-va48', 'v5.11', 30, 262144, 2 ** 18, 1024, 512],
      ['arm64-4k-va48', 'v5.12', 27, 32768, 2 ** 21, 8192, 64],
      ['arm64-4k-va39', 'v5.10', 30, 262144, 2 ** 18, 1024, 512],
      ['arm64-64k-va48', 'v5.11', 30, 16384, 2 ** 18, 64, 512],
      ['arm64-64k-va48', 'v5.12', 29, 8192, 2 ** 19, 128, 256],
    ];
    for (const [arch, k, ssb, pps, nr, roots, subs] of rows) {
      const p = makeProfile(arch, k);
      assert.deepEqual([p.sectionSizeBits, p.pagesPerSection, p.nrMemSections, p.nrSectionRoots, p.subsectionsPerSection], [ssb, pps, nr, roots, subs], `${arch} ${k}`);
    }
  });
  test('v5.2 has no sub-sections and no SECTION_IS_EARLY', () => {
    const p = makeProfile('x86_64-l4', 'v5.2');
    assert.equal(p.subsectionsPerSection, 1);
    assert.equal(p.flags.IS_EARLY, 0n);
  });
});

describe('section_mem_map flags by version (§2)', () => {
  test('bits and SECTION_NID_SHIFT', () => {
    const f = (v: string) => sectionFlagsFor(parseKernel(v));
    assert.deepEqual([f('v5.2').MAP_LAST_BIT, f('v5.2').NID_SHIFT], [8n, 3]);
    assert.deepEqual([f('v5.11').IS_EARLY, f('v5.11').TAINT_ZONE_DEVICE, f('v5.11').MAP_LAST_BIT], [8n, 0n, 16n]);
    assert.deepEqual([f('v5.12').TAINT_ZONE_DEVICE, f('v5.12').MAP_LAST_BIT, f('v5.12').NID_SHIFT], [16n, 32n, 3]);
    assert.equal(f('v5.15').NID_SHIFT, 6);
  });
  test('kernel labels outside v5.2..v6.12 are refused', () => {
    assert.throws(() => parseKernel('v4.19'));
    assert.throws(() => parseKernel('v6.13'));
    assert.equal(parseKernel('next-20190612').code, 503);
  });
});

describe('arm64 vmemmap layout (§4 worked values)', () => {
  test('VMEMMAP_START/END by version, 4K pages', () => {
    const rows: [string, string, bigint, bigint][] = [
      ['arm64-4k-va39', 'v6.3', 0xffff_fffe_0000_0000n, 0xffff_ffff_0000_0000n],
      ['arm64-4k-va48', 'v6.3', 0xffff_fc00_0000_0000n, 0xffff_fe00_0000_0000n],
      ['arm64-4k-va39', 'v5.10', 0xffff_fffe_ffe0_0000n, 0xffff_ffff_ffe0_0000n],
      ['arm64-4k-va48', 'v5.10', 0xffff_fdff_ffe0_0000n, 0xffff_ffff_ffe0_0000n],
      ['arm64-4k-va39', 'v6.12', 0xffff_fffe_c000_0000n, 0xffff_ffff_c000_0000n],
      ['arm64-4k-va48', 'v6.12', 0xffff_fdff_c000_0000n, 0xffff_ffff_c000_0000n],
    ];
    for (const [arch, k, start, end] of rows) {
      const p = makeProfile(arch, k);
      assert.equal(p.layout.vmemmapStart, start, `${arch} ${k} start`);
      assert.equal(p.layout.vmemmapEnd, end, `${arch} ${k} end`);
    }
  });
  test('pfn_to_page wraps like unsigned long', () => {
    const p = makeProfile('arm64-4k-va39', 'v6.3');
    const memstartPfn = 0x800_0000;
    assert.equal(pageAddress(p.layout, memstartPfn, 0x1000_0000), 0n);
    assert.equal(classifyAddress(p.layout, pageAddress(p.layout, memstartPfn, 0x7ff_ffff)), 'vmalloc-kernel');
  });
  test('every pfn whose struct page is inside the window lies in the linear map\'s pfn range', () => {
    const p = makeProfile('arm64-4k-va39', 'v6.3');
    const memstartPfn = 0x800_0000;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (pfn) => {
        const inWindow = classifyAddress(p.layout, pageAddress(p.layout, memstartPfn, pfn)) === 'vmemmap';
        return inWindow === (pfn >= memstartPfn && pfn < memstartPfn + 2 ** (39 - 1 - 12));
      }),
    );
  });
  test('PHYS_PFN(PFN_PHYS(pfn)) loses bits only from 2^52 on (4K pages)', () => {
    const p = makeProfile('x86_64-l4', 'v6.8');
    assert.equal(pfnOverflowsPhys(p, 2 ** 52 - 1), false);
    assert.equal(pfnOverflowsPhys(p, 2 ** 52), true);
  });
});

describe('variants', () => {
  test('kernel defaults and overrides', () => {
    const k510 = parseKernel('v5.10');
    assert.equal(resolveImpls('arm64', k510, []).pfn_valid, 'arm64-v5.10');
    assert.equal(resolveImpls('arm64', k510, ['arm64-pfn-valid-v3']).pfn_valid, 'arm64-v3');
    assert.equal(resolveImpls('arm64', k510, ['pfn_valid=generic']).pfn_valid, 'generic-v5.3');
    assert.equal(resolveImpls('arm64', parseKernel('v6.8'), []).pfn_valid, 'generic-v6.8');
    assert.equal(resolveImpls('x86_64', parseKernel('v6.7'), []).section_deactivate, 'v5.10');
    assert.throws(() => resolveImpls('x86_64', k510, ['arm64-pfn-valid-v3']), /arm64 only/);
    assert.throws(() => resolveImpls('x86_64', k510, ['pfn_valid=nonsense']), /no implementation/);
  });
});
