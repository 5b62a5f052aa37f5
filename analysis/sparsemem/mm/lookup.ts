// Lookups: __nr_to_section, the section flag tests, pfn_section_valid, pfn_valid (generic and
// arm64, by version and patch), pfn_to_online_page, get_dev_pagemap, and reading a struct page.
// Pseudo-code source: ../shared/reference/sparsemem.md §3.1-§3.3, §3.9 (keys cited per function).

import { pfnOverflowsPhys, pfnToSectionNr, subsectionIndex } from '../profile.js';
import { type KState, type PageState, type Section, crash, detect, hasFlag, mutated, rootOf, sectionSlot } from '../state.js';
import { type Gen, point } from '../steps.js';
import { classifyAddress, hex, pageAddress } from '../vmemmap.js';

/** What __nr_to_section() hands back: a section, NULL, or a pointer read from past the root array. */
export type SectionRef = Section | null | 'wild';

export const memstartPfn = (k: KState): number => Number(k.config.memstart >> BigInt(k.profile.pageShift));

/** __nr_to_section (K5.3, K5.10; root bound from v5.18, K6.1). */
export function nrToSection(k: KState, nr: number): SectionRef {
  const root = rootOf(k, nr);
  if (k.impls.nr_to_section === 'v5.18' && root >= k.profile.nrSectionRoots) return null;
  const nullChecks = !mutated(k, 'nr_to_section:drop-null-root-check');
  if (!k.rootArray) {
    if (nullChecks) return null;
    crash(k, 'mem_section-null-root', undefined, 'the mem_section root array is not allocated');
  }
  if (root >= k.profile.nrSectionRoots) {
    // mem_section[root] reads past the NR_SECTION_ROOTS pointers: whatever lies there is used.
    detect(k, 'mem_section-oob', 1, undefined, `section ${nr}: root ${root} >= NR_SECTION_ROOTS ${k.profile.nrSectionRoots}`);
    return 'wild';
  }
  if (!k.roots.has(root)) {
    if (nullChecks) return null;
    crash(k, 'mem_section-null-root', undefined, `mem_section[${root}] is NULL`);
  }
  return sectionSlot(k, nr);
}

/** Reading ms->section_mem_map. A NULL ms is the caller's check; a wild one is an oops. */
function mapOf(k: KState, ms: SectionRef): bigint {
  if (ms === 'wild') crash(k, 'wild-section-deref', undefined, 'section pointer taken from past mem_section[]');
  return ms ? ms.map : 0n;
}

export const presentSection = (k: KState, ms: SectionRef): boolean => (mapOf(k, ms) & k.profile.flags.PRESENT) !== 0n;
export const validSection = (k: KState, ms: SectionRef): boolean => (mapOf(k, ms) & k.profile.flags.HAS_MEM_MAP) !== 0n;
export const onlineSection = (k: KState, ms: SectionRef): boolean => (mapOf(k, ms) & k.profile.flags.IS_ONLINE) !== 0n;
export function earlySection(k: KState, ms: SectionRef): boolean {
  const f = k.profile.flags.IS_EARLY;
  return f !== 0n && (mapOf(k, ms) & f) !== 0n;
}
/** online_device_section (v5.12+): ONLINE and TAINT_ZONE_DEVICE both set. */
export function onlineDeviceSection(k: KState, ms: SectionRef): boolean {
  const f = k.profile.flags;
  if (f.TAINT_ZONE_DEVICE === 0n) return false;
  const both = f.IS_ONLINE | f.TAINT_ZONE_DEVICE;
  return (mapOf(k, ms) & both) === both;
}

/** pfn_section_valid (§3.1): v5.3..v6.7 plain; v6.8 READ_ONCE; v6.10 tolerates a NULL usage. */
export function* pfnSectionValid(k: KState, ms: Section, pfn: number): Gen<boolean> {
  if (k.impls.pfn_section_valid === 'none') return true;
  yield point('pfn_section_valid: read ms->usage');
  const usage = ms.usage;
  if (k.impls.pfn_section_valid === 'v6.10' && !usage) return false;
  yield point('pfn_section_valid: test_bit(idx, usage->subsection_map)');
  if (!usage) crash(k, 'null-usage-deref', pfn, `section ${ms.nr}: ms->usage is NULL`);
  if (usage.freed) detect(k, 'usage-after-free', 1, pfn, `section ${ms.nr}: usage #${usage.id} was freed`);
  return ((usage.map >> BigInt(subsectionIndex(k.profile, pfn))) & 1n) === 1n;
}

/** memblock_is_map_memory (K5.10 mm/memblock.c): in memblock.memory and not MEMBLOCK_NOMAP. */
export function memblockIsMapMemory(k: KState, pfn: number): boolean {
  const r = k.memblock.find((m) => pfn >= m.start && pfn < m.end);
  return !!r && !r.nomap;
}

function rcuLock(k: KState): void {
  k.rcuReaders.push({ tid: k.tid, cs: k.rcuNextCs++ });
}
function rcuUnlock(k: KState): void {
  const i = k.rcuReaders.findIndex((r) => r.tid === k.tid);
  if (i >= 0) k.rcuReaders.splice(i, 1);
}

const beyondSections = (k: KState, nr: number): boolean => !mutated(k, 'pfn_valid:drop-bounds-check') && nr >= k.profile.nrMemSections;

/** The generic pfn_valid (§3.2) in its versions. */
function* genericPfnValid(k: KState, pfn: number): Gen<boolean> {
  const impl = k.impls.pfn_valid;
  if ((impl === 'generic-v5.14' || impl === 'generic-v6.8') && pfnOverflowsPhys(k.profile, pfn)) return false;
  const nr = pfnToSectionNr(k.profile, pfn);
  if (beyondSections(k, nr)) return false;
  const ms = nrToSection(k, nr);
  const rcu = impl === 'generic-v6.8' && !mutated(k, 'pfn_valid:drop-rcu');
  if (rcu) rcuLock(k);
  try {
    yield point('pfn_valid: valid_section(ms)');
    if (!validSection(k, ms)) return false;
    const s = ms as Section;
    if (impl === 'generic-v5.2') return true;
    // v5.3: early sections are valid over their whole span (v10 of the sub-section series, §6.1);
    // linux-next of June 2019 (v9) checked the sub-section map of early sections too.
    const shortcut = impl !== 'generic-next-20190612' && !mutated(k, 'pfn_valid:drop-early-shortcut');
    if (shortcut && earlySection(k, s)) return true;
    return yield* pfnSectionValid(k, s, pfn);
  } finally {
    if (rcu) rcuUnlock(k);
  }
}

/** arm64's own pfn_valid (arch/arm64/mm/init.c; §3.9) and the 2021 patches. */
function* arm64PfnValid(k: KState, pfn: number): Gen<boolean> {
  const impl = k.impls.pfn_valid;
  const nr = pfnToSectionNr(k.profile, pfn);
  // V2 2/2 declares `ms = __pfn_to_section(pfn)` before any check [M:32018121663]
  let ms: SectionRef = impl === 'arm64-v2-2of2' ? nrToSection(k, nr) : null;
  if (pfnOverflowsPhys(k.profile, pfn)) return false;
  if (beyondSections(k, nr)) return false;
  if (impl !== 'arm64-v2-2of2') ms = nrToSection(k, nr);
  yield point('pfn_valid: valid_section(ms)');
  if (!validSection(k, ms)) return false;
  const s = ms as Section;
  // V2 1/2 onwards: hotplugged and ZONE_DEVICE sections skip memblock (eeb0753ba27b)
  if (impl !== 'arm64-v5.10' && !earlySection(k, s)) return yield* pfnSectionValid(k, s, pfn);
  return memblockIsMapMemory(k, pfn);
}

export function* pfnValid(k: KState, pfn: number): Gen<boolean> {
  return k.impls.pfn_valid.startsWith('arm64-') ? yield* arm64PfnValid(k, pfn) : yield* genericPfnValid(k, pfn);
}

/** pfn_valid_within (<= v5.14): pfn_valid with CONFIG_HOLES_IN_ZONE (arm64), else 1. */
function* pfnValidWithin(k: KState, pfn: number): Gen<boolean> {
  return k.profile.holesInZone ? yield* pfnValid(k, pfn) : true;
}

/** get_dev_pagemap: the pgmap xarray lookup (K5.10 mm/memremap.c). */
export function getDevPagemap(k: KState, pfn: number): string | null {
  for (const p of k.pgmaps.values()) if (pfn >= p.start && pfn < p.end) return p.id;
  return null;
}

/** pfn_to_online_page (§3.3). Returns the pfn whose struct page is handed out, or null. */
export function* pfnToOnlinePage(k: KState, pfn: number): Gen<number | null> {
  const impl = k.impls.pfn_to_online_page;
  const nr = pfnToSectionNr(k.profile, pfn);
  yield point('pfn_to_online_page: online_section');
  if (nr >= k.profile.nrMemSections) return null;
  const ms = nrToSection(k, nr);
  if (!onlineSection(k, ms)) return null;
  const s = ms as Section;
  if (impl === 'macro-v5.2' || impl === 'macro-v5.3' || impl === 'skip-bad-pfns-2019') {
    if (!(yield* pfnValidWithin(k, pfn))) return null;
    if (impl === 'skip-bad-pfns-2019' && !(yield* pfnSectionValid(k, s, pfn))) return null; // [M:48946387300]
    return pfn;
  }
  if (impl === 'collision-rfc-2021') {
    if (!(yield* pfnValidWithin(k, pfn))) return null; // the Jan 2021 draft [M:18407208646]
  } else {
    // v2 of the 2021 series had no arch pfn_valid() test; v3 added it (variants.ts).
    if (impl === 'v5.12' && k.profile.haveArchPfnValid && !(yield* pfnValid(k, pfn))) return null;
    if (!mutated(k, 'pfn_to_online_page:drop-subsection-check') && !(yield* pfnSectionValid(k, s, pfn))) return null;
  }
  if (!onlineDeviceSection(k, s)) return pfn;
  yield point('pfn_to_online_page: get_dev_pagemap');
  return getDevPagemap(k, pfn) ? null : pfn;
}

/** How a struct page looks to a reader: its memmap state, or 'unmapped'. */
export type PageView = PageState['s'] | 'unmapped';

export function pageView(k: KState, pfn: number): PageView {
  return k.memmap.get(pfn)?.s ?? 'unmapped';
}

/** pfn_to_page(pfn) as an address, with the region it lands in (§4). */
export function pfnToPageAddress(k: KState, pfn: number): { addr: bigint; region: ReturnType<typeof classifyAddress> } {
  const addr = pageAddress(k.profile.layout, memstartPfn(k), pfn);
  return { addr, region: classifyAddress(k.profile.layout, addr) };
}

/** Fire the detectors for memmap addresses that are not in the vmemmap window. */
export function checkMemmapAddress(k: KState, pfn: number, count = 1): boolean {
  const { addr, region } = pfnToPageAddress(k, pfn);
  if (region === 'vmemmap') return true;
  detect(k, 'memmap-outside-vmemmap', count, pfn, `${hex(addr)} in ${region}`);
  if (region === 'user') detect(k, 'memmap-wrapped-to-user', count, pfn, hex(addr));
  else if (region === 'linear-map' || region === 'vmalloc-kernel') detect(k, 'memmap-in-kernel-region', count, pfn, `${hex(addr)} in ${region}`);
  return false;
}

/**
 * A read of struct page fields (page->flags via page_to_nid/page_zone/stable_page_flags).
 * Uninitialised memmap is garbage but readable; a poisoned one trips VM_BUG_ON(PagePoisoned).
 */
export function readPage(k: KState, pfn: number, what: string): PageState | null {
  detect(k, 'memmap-touch', k.weight, pfn, what);
  if (!checkMemmapAddress(k, pfn, k.weight)) crash(k, 'wild-memmap-access', pfn, what);
  const st = k.memmap.get(pfn);
  if (!st) crash(k, 'unmapped-memmap-read', pfn, what);
  if (st.s === 'uninit') {
    detect(k, 'uninit-page-read', k.weight, pfn, what);
    detect(k, 'bad-memmap-read', k.weight, pfn, what);
    return null;
  }
  if (st.s === 'poisoned') {
    detect(k, 'poisoned-page-read', 1, pfn, what);
    detect(k, 'bad-memmap-read', 1, pfn, what);
    crash(k, 'VM_BUG_ON:PagePoisoned', pfn, what);
  }
  return st;
}

export const sectionHasFlag = hasFlag;
