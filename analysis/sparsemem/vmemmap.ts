// The virtual memory map: where pfn_to_page() puts a struct page, and which kernel region an
// address falls in. 64-bit arithmetic with BigInt, wrapping like unsigned long does (§4).

import type { KernelVersion } from './kernel.js';
import type { ArchConfig } from './profile.js';

const MASK64 = 0xffff_ffff_ffff_ffffn;
export const wrap64 = (x: bigint): bigint => x & MASK64;
export const hex = (x: bigint | number): string => '0x' + (typeof x === 'bigint' ? wrap64(x) : x).toString(16);

export type AddressRegion = 'vmemmap' | 'user' | 'linear-map' | 'vmalloc-kernel' | 'above-vmemmap' | 'below-vmemmap' | 'non-canonical';

export interface Region {
  name: AddressRegion;
  start: bigint;
  /** exclusive; 2^64 for the top region */
  end: bigint;
}

export interface VmemmapLayout {
  vmemmapStart: bigint;
  vmemmapEnd: bigint;
  /** The pfn whose struct page sits at VMEMMAP_START: PHYS_PFN(memstart_addr) on arm64, 0 on x86. */
  firstPfnDependsOnMemstart: boolean;
  regions: Region[];
  source: string;
}

const TOP = 1n << 64n;
const neg = (x: bigint): bigint => wrap64(-x);

function arm64Layout(cfg: ArchConfig, k: KernelVersion): VmemmapLayout {
  const va = BigInt(cfg.vaBits);
  const pageShift = BigInt(cfg.pageShift);
  const pageOffset = neg(1n << va); // _PAGE_OFFSET(va) = -(1 << va)
  const pageEnd = neg(1n << (va - 1n)); // _PAGE_END(va) = -(1 << (va - 1))
  const userEnd = 1n << va; // TTBR0 covers [0, 2^VA_BITS)
  let start: bigint;
  let end: bigint;
  let source: string;
  let linear: Region;
  if (k.code <= 503) {
    // Old layout (K5.2/K5.3 arch/arm64/include/asm/memory.h): PAGE_OFFSET = 2^64 - 2^(VA_BITS-1),
    // VMEMMAP_SIZE = 1 << (VA_BITS - PAGE_SHIFT - 1 + STRUCT_PAGE_MAX_SHIFT), START = PAGE_OFFSET - SIZE.
    // The reference gives no VMEMMAP_END there; we take PAGE_OFFSET (the next region).
    const oldOffset = neg(1n << (va - 1n));
    const size = 1n << (va - pageShift - 1n + 6n);
    start = wrap64(oldOffset - size);
    end = oldOffset;
    linear = { name: 'linear-map', start: oldOffset, end: TOP };
    source = 'K5.2/K5.3 memory.h (old layout)';
    return {
      vmemmapStart: start,
      vmemmapEnd: end,
      firstPfnDependsOnMemstart: true,
      regions: [
        { name: 'user', start: 0n, end: userEnd },
        { name: 'vmalloc-kernel', start: pageOffset, end: start },
        { name: 'vmemmap', start, end },
        linear,
      ],
      source,
    };
  }
  // VMEMMAP_SIZE = (_PAGE_END(VA_BITS_MIN) - PAGE_OFFSET) >> (PAGE_SHIFT - STRUCT_PAGE_MAX_SHIFT)
  const size = (pageEnd - pageOffset) >> (pageShift - 6n);
  if (k.code <= 510) {
    // K5.10: START = -SIZE - 2M, END = START + SIZE. v5.4..v5.9 are assumed to match K5.10 (UNVERIFIED).
    start = wrap64(neg(size) - (2n << 20n));
    end = start + size;
    source = 'K5.10 memory.h';
  } else if (k.code <= 608) {
    // K5.11..K6.8: START = -(1 << (VA_BITS - VMEMMAP_SHIFT)), VMEMMAP_SHIFT = PAGE_SHIFT - 6
    start = neg(1n << (va - (pageShift - 6n)));
    end = start + size;
    source = 'K5.11..K6.8 memory.h';
  } else {
    // v6.9+ (K6.12, 32697ff38287): SIZE = (range >> PAGE_SHIFT) * 64, END = -1 GiB, START = END - SIZE
    end = neg(1n << 30n);
    start = end - (((pageEnd - pageOffset) >> pageShift) * 64n);
    source = 'K6.12 memory.h';
  }
  return {
    vmemmapStart: start,
    vmemmapEnd: end,
    firstPfnDependsOnMemstart: true,
    regions: [
      { name: 'user', start: 0n, end: userEnd },
      { name: 'linear-map', start: pageOffset, end: pageEnd },
      { name: 'vmalloc-kernel', start: pageEnd, end: start },
      { name: 'vmemmap', start, end },
      { name: 'above-vmemmap', start: end, end: TOP },
    ],
    source,
  };
}

function x86Layout(cfg: ArchConfig): VmemmapLayout {
  // __VMEMMAP_BASE_L4 / _L5 and the direct-map bases (K5.3/K6.8 pgtable_64_types.h). The window's
  // size is derived: struct pages for every pfn below 2^MAX_PHYSMEM_BITS (§1, §4).
  const l5 = cfg.pagingLevels === 5;
  const start = l5 ? 0xffd4_0000_0000_0000n : 0xffff_ea00_0000_0000n;
  const physBits = l5 ? 52n : 46n;
  const end = start + ((1n << (physBits - BigInt(cfg.pageShift))) * 64n);
  const directMap = l5 ? 0xff11_0000_0000_0000n : 0xffff_8880_0000_0000n;
  const userEnd = 1n << BigInt(cfg.vaBits - 1);
  return {
    vmemmapStart: start,
    vmemmapEnd: end,
    firstPfnDependsOnMemstart: false,
    regions: [
      { name: 'user', start: 0n, end: userEnd },
      { name: 'linear-map', start: directMap, end: start },
      { name: 'vmemmap', start, end },
      { name: 'above-vmemmap', start: end, end: TOP },
    ],
    source: l5 ? 'K6.8 __VMEMMAP_BASE_L5' : 'K6.8 __VMEMMAP_BASE_L4',
  };
}

export function vmemmapLayout(cfg: ArchConfig, k: KernelVersion): VmemmapLayout {
  return cfg.arch === 'arm64' ? arm64Layout(cfg, k) : x86Layout(cfg);
}

export function classifyAddress(layout: VmemmapLayout, addr: bigint): AddressRegion {
  for (const r of layout.regions) if (addr >= r.start && addr < r.end) return r.name;
  return 'non-canonical';
}

/**
 * pfn_to_page(pfn) as an address. arm64: vmemmap = VMEMMAP_START - PHYS_PFN(memstart_addr)
 * (K5.10..K6.12 pgtable.h); x86: vmemmap = VMEMMAP_START (vmemmap_base). Unsigned 64-bit wrap.
 */
export function pageAddress(layout: VmemmapLayout, memstartPfn: number, pfn: number): bigint {
  const base = layout.firstPfnDependsOnMemstart ? BigInt(memstartPfn) : 0n;
  return wrap64(layout.vmemmapStart + (BigInt(pfn) - base) * 64n);
}
