// __populate_section_memmap -> vmemmap_populate, and its inverse. On arm64 vmemmap_populate
// WARNs when asked to map struct pages outside [VMEMMAP_START, VMEMMAP_END) (K5.12..K6.12
// arch/arm64/mm/mmu.c); John Hubbard's 2023 patch compiled that WARN out with
// CONFIG_DEVICE_PRIVATE [M:14725980613]. The pages get mapped regardless (§4, §6.6).

import { type KState, warnOn } from '../state.js';
import { checkMemmapAddress, pfnToPageAddress } from './lookup.js';

export function populateMemmap(k: KState, start: number, end: number): void {
  const layout = k.profile.layout;
  const a = pfnToPageAddress(k, start).addr;
  const b = pfnToPageAddress(k, end).addr;
  const inside = a >= layout.vmemmapStart && b <= layout.vmemmapEnd && a < b;
  if (inside) {
    // no wrap, both ends inside: every section of the range is inside, no WARN, no detector
    k.memmap.set(start, end, { s: 'uninit' });
    return;
  }
  // vmemmap_populate() runs per section (from __add_pages / sparse_init_nid)
  const pps = k.profile.pagesPerSection;
  for (let s = start; s < end; ) {
    const e = Math.min(end, (Math.floor(s / pps) + 1) * pps);
    const sa = pfnToPageAddress(k, s).addr;
    const sb = pfnToPageAddress(k, e).addr;
    if (k.impls.vmemmap_populate === 'warn') {
      // WARN_ON((start < VMEMMAP_START) || (end > VMEMMAP_END)), unsigned long compares
      warnOn(k, sa < layout.vmemmapStart || sb > layout.vmemmapEnd, 'vmemmap_populate', s);
    }
    // the struct pages of the first and last pfn tell where this chunk of memmap was mapped
    if (checkMemmapAddress(k, s)) checkMemmapAddress(k, e - 1);
    s = e;
  }
  k.memmap.set(start, end, { s: 'uninit' });
}

/** depopulate_section_memmap / free_map_bootmem: the struct pages are unmapped. */
export function depopulateMemmap(k: KState, start: number, end: number): void {
  k.memmap.set(start, end, undefined);
}
