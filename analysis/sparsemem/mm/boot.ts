// Boot: memblock, memory_present, sparse_init / sparse_init_nid, subsection_map_init and the
// boot memmap initialisation (§3.4).

import { pfnToSectionNr, sectionNrToPfn, subsectionIndex } from '../profile.js';
import { type KState, type MemblockRegion, type PageState, type Section, detect, sectionSlot, trace } from '../state.js';
import { runSync } from '../steps.js';
import { pfnValid, pfnToPageAddress } from './lookup.js';
import { pieces } from './pieces.js';
import { populateMemmap } from './populate.js';

const U64 = 0xffff_ffff_ffff_ffffn;

export function setMemblock(k: KState, regions: MemblockRegion[]): void {
  k.memblock = [...regions].sort((a, b) => a.start - b.start);
  k.maxPfn = Math.max(0, ...k.memblock.map((r) => r.end));
}

/** sparse_index_init: allocate the root array (EXTREME) and the root holding nr. */
export function sparseIndexInit(k: KState, nr: number): void {
  k.rootArray = true;
  const root = Math.floor(nr / k.profile.sectionsPerRoot);
  if (!k.roots.has(root)) k.roots.set(root, new Map());
}

/**
 * memory_present (K5.3/K6.8 mm/sparse.c): every section touched by a memblock range gets the early
 * encoding `(nid << SECTION_NID_SHIFT) | SECTION_IS_ONLINE` and then SECTION_MARKED_PRESENT. With
 * SECTION_NID_SHIFT 3 (v5.3..v5.14) the nid lands on IS_EARLY/TAINT bits (§2).
 */
export function memoryPresent(k: KState): void {
  const f = k.profile.flags;
  for (const r of k.memblock) {
    const early = (((BigInt(r.nid) << BigInt(f.NID_SHIFT)) | f.IS_ONLINE) & U64) | f.PRESENT;
    const first = pfnToSectionNr(k.profile, r.start);
    const last = pfnToSectionNr(k.profile, r.end - 1);
    for (let nr = first; nr <= last; nr++) {
      sparseIndexInit(k, nr);
      const ms = sectionSlot(k, nr) as Section;
      ms.map = ms.map === 0n ? early : ms.map | f.PRESENT;
      k.highestPresentSection = Math.max(k.highestPresentSection, nr);
    }
  }
  trace(k, 'memory_present', `${k.memblock.length} memblock ranges`);
}

/** sparse_encode_mem_map: memmap address of the section's first pfn minus that pfn * sizeof(page). */
export function encodeMemmap(k: KState, nr: number): bigint {
  if (k.encodedMemmap !== undefined) return k.encodedMemmap;
  const first = sectionNrToPfn(k.profile, nr);
  return (k.encodedMemmap = (pfnToPageAddress(k, first).addr - BigInt(first) * 64n) & U64);
}

/** sparse_init_one_section (K5.3+): keep the low flag bits, OR in memmap | HAS_MEM_MAP | flags. */
export function sparseInitOneSection(k: KState, ms: Section, flags: bigint, encoded?: bigint): void {
  const f = k.profile.flags;
  const low = f.MAP_LAST_BIT - 1n; // ~SECTION_MAP_MASK
  const enc = encoded ?? encodeMemmap(k, ms.nr);
  if ((enc & low) !== 0n) detect(k, 'BUG_ON:sparse_encode_mem_map', 1, sectionNrToPfn(k.profile, ms.nr));
  ms.map = (ms.map & low) | enc | f.HAS_MEM_MAP | flags;
}

/**
 * sparse_init + sparse_init_nid: whole-section memmaps from memblock (raw, poisoned under DEBUG_VM),
 * then sparse_init_one_section(..., SECTION_IS_EARLY). Runs of consecutive present sections are
 * populated with one call (vmemmap_populate's range check is exact per run, see populate.ts).
 */
export function sparseInit(k: KState): void {
  const p = k.profile;
  const todo: Section[] = [];
  for (const root of k.roots.values()) {
    for (const ms of root.values()) if ((ms.map & p.flags.PRESENT) !== 0n && (ms.map & p.flags.HAS_MEM_MAP) === 0n) todo.push(ms);
  }
  todo.sort((a, b) => a.nr - b.nr);
  const raw: PageState = k.config.poison ? { s: 'poisoned' } : { s: 'uninit' };
  const enc = encodeMemmap(k, 0); // with a virtual memmap the encoding is the same for every section
  for (let i = 0; i < todo.length; ) {
    let j = i + 1;
    while (j < todo.length && todo[j].nr === todo[j - 1].nr + 1) j++;
    const start = sectionNrToPfn(p, todo[i].nr);
    const end = sectionNrToPfn(p, todo[j - 1].nr + 1);
    populateMemmap(k, start, end);
    k.memmap.set(start, end, raw);
    for (let x = i; x < j; x++) {
      const ms = todo[x];
      ms.usage = { id: k.nextUsageId++, map: 0n, boot: true, freed: false };
      sparseInitOneSection(k, ms, p.flags.IS_EARLY, enc);
    }
    i = j;
  }
  trace(k, 'sparse_init', `memmaps of ${todo.length} present sections populated, SECTION_IS_EARLY set`);
}

const FULL = new Map<number, bigint>();
const fullMask = (subs: number): bigint => {
  let m = FULL.get(subs);
  if (m === undefined) FULL.set(subs, (m = (1n << BigInt(subs)) - 1n));
  return m;
};

/** Bits idx(pfn) .. idx(pfn + n - 1) of one section's sub-section map. */
export function subsectionMask(k: KState, pfn: number, n: number): bigint {
  const p = k.profile;
  if (p.subsectionsPerSection === 1) return 1n;
  if (n === p.pagesPerSection) return fullMask(p.subsectionsPerSection);
  const a = subsectionIndex(p, pfn);
  const b = subsectionIndex(p, pfn + n - 1);
  return ((1n << BigInt(b - a + 1)) - 1n) << BigInt(a);
}

/** Split [start, end) at section boundaries. */
export function* sectionChunks(k: KState, start: number, end: number): Generator<{ nr: number; pfn: number; n: number }> {
  let pfn = start;
  while (pfn < end) {
    const nr = pfnToSectionNr(k.profile, pfn);
    const next = Math.min(end, sectionNrToPfn(k.profile, nr + 1));
    yield { nr, pfn, n: next - pfn };
    pfn = next;
  }
}

/** subsection_map_init for every memblock.memory range, NOMAP included (UNVERIFIED, §3.4). */
export function subsectionMapInit(k: KState): void {
  if (k.impls.pfn_section_valid === 'none') return;
  for (const r of k.memblock) {
    for (const c of sectionChunks(k, r.start, r.end)) {
      const ms = sectionSlot(k, c.nr);
      if (ms?.usage) {
        const mask = subsectionMask(k, c.pfn, c.n);
        ms.usage.map = ms.usage.map === 0n ? mask : ms.usage.map | mask;
      }
    }
  }
}

/** Node spans: one zone (Normal) per node from its first to its last memblock pfn. */
function nodeSpans(k: KState): Map<number, { start: number; end: number }> {
  const spans = new Map<number, { start: number; end: number }>();
  for (const r of k.memblock) {
    const s = spans.get(r.nid);
    spans.set(r.nid, s ? { start: Math.min(s.start, r.start), end: Math.max(s.end, r.end) } : { start: r.start, end: r.end });
  }
  return spans;
}

/**
 * free_area_init: subsection_map_init, then memmap_init_zone(MEMINIT_EARLY) over each zone's span,
 * initialising the struct pages of pfns that are early_pfn_valid (= pfn_valid). Model assumption
 * (UNVERIFIED for v5.11+, where holes got their own init): span pfns that are not pfn_valid and
 * section tails beyond the span keep the raw (poisoned) boot memmap.
 */
export function freeAreaInit(k: KState): void {
  subsectionMapInit(k);
  // boot memory blocks are online from the start (memory_present sets SECTION_IS_ONLINE, §2)
  k.onlineRam.push(...k.memblock.map((r) => ({ start: r.start, end: r.end })));
  for (const [nid, span] of nodeSpans(k)) {
    k.spans.push({ nid, zone: 'Normal', start: span.start, end: span.end });
    for (const piece of pieces(k, span.start, span.end)) {
      if (runSync(k, pfnValid(k, piece.start))) {
        k.memmap.set(piece.start, piece.end, { s: 'init', zone: 'Normal', nid, reserved: false, pgmap: null });
      }
    }
  }
  trace(k, 'free_area_init', 'sub-section maps set; boot memmap initialised over zone spans');
}

export function boot(k: KState, phase: 'all' | 'memory_present' | 'sparse_init' | 'free_area_init'): void {
  if (phase === 'all' || phase === 'memory_present') memoryPresent(k);
  if (phase === 'all' || phase === 'sparse_init') sparseInit(k);
  if (phase === 'all' || phase === 'free_area_init') freeAreaInit(k);
}
