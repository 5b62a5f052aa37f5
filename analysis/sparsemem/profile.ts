// Architecture + kernel-version profiles: every constant of SPARSEMEM the model needs, derived the
// way include/linux/mmzone.h derives them. Source keys (K5.3, [M:...]) refer to
// ../shared/reference/sparsemem.md §0.
//
// Numbers: pfns and section numbers are JS numbers (exact below 2^53, and we reject pfns beyond);
// every bit operation on them goes through shr()/shl() below because JS bit operators are 32-bit.
// Virtual addresses and section_mem_map words are 64-bit and use BigInt.

import { type KernelVersion, parseKernel } from './kernel.js';
import { type VmemmapLayout, vmemmapLayout } from './vmemmap.js';

export type Arch = 'x86_64' | 'arm64';

/** An architecture configuration; the kernel version completes it into a Profile. */
export interface ArchConfig {
  name: string;
  arch: Arch;
  description: string;
  pageShift: number;
  vaBits: number;
  /** CONFIG_ARM64_PA_BITS on arm64; on x86 the paging level decides MAX_PHYSMEM_BITS. */
  paBits: number;
  pagingLevels: 4 | 5;
}

export const ARCH_CONFIGS: readonly ArchConfig[] = [
  { name: 'x86_64-l4', arch: 'x86_64', description: 'x86_64, 4-level paging, 4K pages', pageShift: 12, vaBits: 48, paBits: 46, pagingLevels: 4 },
  { name: 'x86_64-l5', arch: 'x86_64', description: 'x86_64, 5-level paging, 4K pages', pageShift: 12, vaBits: 57, paBits: 52, pagingLevels: 5 },
  { name: 'arm64-4k-va39', arch: 'arm64', description: 'arm64, 4K pages, 39-bit VA, 48-bit PA', pageShift: 12, vaBits: 39, paBits: 48, pagingLevels: 4 },
  { name: 'arm64-4k-va48', arch: 'arm64', description: 'arm64, 4K pages, 48-bit VA, 48-bit PA', pageShift: 12, vaBits: 48, paBits: 48, pagingLevels: 4 },
  { name: 'arm64-64k-va48', arch: 'arm64', description: 'arm64, 64K pages, 48-bit VA, 48-bit PA', pageShift: 16, vaBits: 48, paBits: 48, pagingLevels: 4 },
];

/** Bit positions of section_mem_map's flags for one kernel version (§2). 0n = flag absent. */
export interface SectionFlags {
  PRESENT: bigint;
  HAS_MEM_MAP: bigint;
  IS_ONLINE: bigint;
  IS_EARLY: bigint;
  TAINT_ZONE_DEVICE: bigint;
  MAP_LAST_BIT: bigint;
  MAP_MASK: bigint;
  NID_SHIFT: number;
}

export interface Profile extends ArchConfig {
  kernel: KernelVersion;
  /** sizeof(struct mem_section): 16 B, 32 B with CONFIG_PAGE_EXTENSION (K5.3/K6.8 mmzone.h). */
  memSectionBytes: 16 | 32;
  sectionSizeBits: number;
  maxPhysmemBits: number;
  pfnSectionShift: number;
  pagesPerSection: number;
  sectionsShift: number;
  nrMemSections: number;
  sectionsPerRoot: number;
  nrSectionRoots: number;
  /** 0 on kernels without sub-sections (v5.2). */
  pfnSubsectionShift: number;
  pagesPerSubsection: number;
  subsectionsPerSection: number;
  flags: SectionFlags;
  layout: VmemmapLayout;
  /** arm64 selects HOLES_IN_ZONE and HAVE_ARCH_PFN_VALID until v5.14/v5.16 (§1, §3.9). */
  holesInZone: boolean;
  haveArchPfnValid: boolean;
}

export const STRUCT_PAGE_SIZE = 64; // sizeof(struct page) assumed 64 -> STRUCT_PAGE_MAX_SHIFT 6 (K5.10/K6.8 mm_types.h)
export const SUBSECTION_SHIFT = 21; // fixed 2 MiB on all arches since the v10 series (K5.3 mmzone.h)

const POW2: readonly number[] = Array.from({ length: 64 }, (_, i) => 2 ** i);
export const pow2 = (n: number): number => POW2[n];
export const shr = (x: number, n: number): number => Math.floor(x / POW2[n]);
export const shl = (x: number, n: number): number => x * POW2[n];

export interface ProfileOptions {
  pageExtension?: boolean;
}

export function sectionFlagsFor(kernel: KernelVersion): SectionFlags {
  // §2 table: v5.2 has no IS_EARLY; v5.3..v5.11 add it at bit 3; v5.12 adds TAINT at bit 4;
  // v5.15 moves SECTION_NID_SHIFT to 6; v6.0 turns them into an enum with NID_SHIFT = last bit index.
  const c = kernel.code;
  const early = c >= 503 ? 1n << 3n : 0n;
  const taint = c >= 512 ? 1n << 4n : 0n;
  const lastBitIndex = c >= 512 ? 5n : c >= 503 ? 4n : 3n;
  const nidShift = c >= 600 ? 5 : c >= 515 ? 6 : 3;
  const MAP_LAST_BIT = 1n << lastBitIndex;
  return {
    PRESENT: 1n,
    HAS_MEM_MAP: 2n,
    IS_ONLINE: 4n,
    IS_EARLY: early,
    TAINT_ZONE_DEVICE: taint,
    MAP_LAST_BIT,
    MAP_MASK: ~(MAP_LAST_BIT - 1n) & 0xffff_ffff_ffff_ffffn,
    NID_SHIFT: nidShift,
  };
}

function sectionSizeBitsFor(cfg: ArchConfig, kernel: KernelVersion): number {
  if (cfg.arch === 'x86_64') return 27; // arch/x86/include/asm/sparsemem.h (K5.2/K5.3/K6.8)
  // arm64: 30 up to v5.11; from v5.12 29 for 64K pages, 27 otherwise (f0b13ee23241, K5.12..K6.12)
  if (kernel.code < 512) return 30;
  return cfg.pageShift === 16 ? 29 : 27;
}

export function findArchConfig(name: string): ArchConfig {
  const cfg = ARCH_CONFIGS.find((c) => c.name === name);
  if (!cfg) throw new Error(`unknown profile '${name}' (known: ${ARCH_CONFIGS.map((c) => c.name).join(', ')})`);
  return cfg;
}

export function makeProfile(archName: string, kernelName: string, opts: ProfileOptions = {}): Profile {
  const cfg = findArchConfig(archName);
  const kernel = parseKernel(kernelName);
  const memSectionBytes = opts.pageExtension ? 32 : 16;
  const sectionSizeBits = sectionSizeBitsFor(cfg, kernel);
  // x86: MAX_PHYSMEM_BITS = pgtable_l5_enabled() ? 52 : 46; arm64: CONFIG_ARM64_PA_BITS (§1)
  const maxPhysmemBits = cfg.arch === 'x86_64' ? (cfg.pagingLevels === 5 ? 52 : 46) : cfg.paBits;
  const pfnSectionShift = sectionSizeBits - cfg.pageShift;
  const sectionsShift = maxPhysmemBits - sectionSizeBits;
  const nrMemSections = pow2(sectionsShift);
  // SPARSEMEM_EXTREME: SECTIONS_PER_ROOT = PAGE_SIZE / sizeof(struct mem_section) (§1)
  const sectionsPerRoot = pow2(cfg.pageShift) / memSectionBytes;
  const nrSectionRoots = Math.ceil(nrMemSections / sectionsPerRoot);
  const subsections = kernel.code >= 503; // sub-sections are new in v5.3 (K5.3)
  const pfnSubsectionShift = subsections ? SUBSECTION_SHIFT - cfg.pageShift : pfnSectionShift;
  const profile: Profile = {
    ...cfg,
    kernel,
    memSectionBytes,
    sectionSizeBits,
    maxPhysmemBits,
    pfnSectionShift,
    pagesPerSection: pow2(pfnSectionShift),
    sectionsShift,
    nrMemSections,
    sectionsPerRoot,
    nrSectionRoots,
    pfnSubsectionShift,
    pagesPerSubsection: pow2(pfnSubsectionShift),
    subsectionsPerSection: subsections ? pow2(sectionSizeBits - SUBSECTION_SHIFT) : 1,
    flags: sectionFlagsFor(kernel),
    layout: vmemmapLayout(cfg, kernel),
    // HOLES_IN_ZONE until v5.15 (859a85ddf90e); HAVE_ARCH_PFN_VALID until v5.16 except the v5.14
    // merge-window drop that was partially reverted for v5.14 final (§3.9). x86 selects neither.
    holesInZone: cfg.arch === 'arm64' && kernel.code < 515,
    haveArchPfnValid: cfg.arch === 'arm64' && kernel.code < 516,
  };
  return profile;
}

export const pfnToSectionNr = (p: Profile, pfn: number): number => shr(pfn, p.pfnSectionShift);
export const sectionNrToPfn = (p: Profile, nr: number): number => shl(nr, p.pfnSectionShift);
export const subsectionIndex = (p: Profile, pfn: number): number =>
  shr(pfn - sectionNrToPfn(p, pfnToSectionNr(p, pfn)), p.pfnSubsectionShift);
export const pfnToPhys = (p: Profile, pfn: number): bigint => BigInt(pfn) << BigInt(p.pageShift);
export const physToPfn = (p: Profile, phys: bigint): number => Number(phys >> BigInt(p.pageShift));

/** PHYS_PFN(PFN_PHYS(pfn)) != pfn: the pfn loses bits when shifted into a 64-bit phys_addr_t. */
export function pfnOverflowsPhys(p: Profile, pfn: number): boolean {
  const phys = (BigInt(pfn) << BigInt(p.pageShift)) & 0xffff_ffff_ffff_ffffn;
  return phys >> BigInt(p.pageShift) !== BigInt(pfn);
}

/** Largest pfn the model accepts: JS numbers stay exact below 2^53. */
export const MAX_MODEL_PFN = Number.MAX_SAFE_INTEGER;
