// PFN walkers (§3.10): /proc/kpageflags, kmemleak's struct-page scan, compaction's scanner and
// memory_failure. A walk over a range evaluates one pfn per uniform piece (see pieces.ts) and
// weighs what it saw by the piece's length; a walk over an explicit pfn list visits each pfn, with a
// scheduling point per pfn so concurrent scenarios can interleave there.

import { type KState, canRead, dropRead, takeRead } from '../state.js';
import { type Gen, point } from '../steps.js';
import { getDevPagemap, pfnToOnlinePage, pfnValid, readPage } from './lookup.js';
import { pieces } from './pieces.js';

export type Walker = 'kpageflags' | 'kmemleak' | 'compaction' | 'memory_failure';

export interface WalkStats {
  /** pfns visited */
  visited: number;
  /** pfns whose struct page the walker read */
  pagesRead: number;
  /** struct pages read that were uninitialised or poisoned */
  badReads: number;
}

/** What a walker does with one pfn; returns true when it read the struct page. */
function* visit(k: KState, w: Walker, pfn: number): Gen<boolean> {
  switch (w) {
    case 'kpageflags': {
      // v5.3: pfn_valid() ? pfn_to_page() : NULL; v5.4+: pfn_to_online_page() (aad5f69bc161)
      const page = k.impls.kpageflags === 'v5.3' ? ((yield* pfnValid(k, pfn)) ? pfn : null) : yield* pfnToOnlinePage(k, pfn);
      if (page === null) return false;
      yield point('kpageflags: stable_page_flags(page)');
      readPage(k, page, 'stable_page_flags');
      return true;
    }
    case 'kmemleak': {
      const page = yield* pfnToOnlinePage(k, pfn);
      if (page === null) return false;
      yield point('kmemleak: page_to_nid(page)');
      readPage(k, page, 'kmemleak_scan: page_to_nid');
      return true;
    }
    case 'compaction': {
      if (!(yield* pfnValid(k, pfn))) return false;
      yield point('compaction: page_zone(page)');
      readPage(k, pfn, 'compaction: page_zone');
      return true;
    }
    case 'memory_failure': {
      const page = yield* pfnToOnlinePage(k, pfn);
      if (page !== null) {
        yield point('memory_failure: PageHuge/compound_head(page)');
        readPage(k, page, 'memory_failure');
        return true;
      }
      // ZONE_DEVICE: memory_failure_dev_pagemap reads the page after get_dev_pagemap (K5.10)
      if ((yield* pfnValid(k, pfn)) && getDevPagemap(k, pfn)) {
        readPage(k, pfn, 'memory_failure_dev_pagemap');
        return true;
      }
      return false;
    }
  }
}

function countBad(k: KState): number {
  return k.counts.get('bad-memmap-read') ?? 0;
}

/** Walk a pfn range, one evaluation per uniform piece. */
export function* walkRange(k: KState, w: Walker, start: number, end: number, stats: WalkStats): Gen<void> {
  for (const piece of pieces(k, start, end)) {
    const n = piece.end - piece.start;
    const before = countBad(k);
    k.weight = n;
    try {
      stats.visited += n;
      if (yield* visit(k, w, piece.start)) stats.pagesRead += n;
    } finally {
      k.weight = 1;
      stats.badReads += countBad(k) - before;
    }
  }
}

/** Visit each pfn of a list, one scheduling point per pfn. */
export function* walkPfns(k: KState, w: Walker, pfns: readonly number[], stats: WalkStats): Gen<void> {
  for (const pfn of pfns) {
    yield point(`${w}: pfn 0x${pfn.toString(16)}`);
    const before = countBad(k);
    try {
      stats.visited++;
      if (yield* visit(k, w, pfn)) stats.pagesRead++;
    } finally {
      stats.badReads += countBad(k) - before;
    }
  }
}

/** kmemleak_scan's struct-page pass: under get_online_mems(), every online node's span (K5.3). */
export function* kmemleakScan(k: KState, pfns: readonly number[] | null, stats: WalkStats): Gen<void> {
  yield point('get_online_mems', (s) => canRead(s, 'mem_hotplug_lock'));
  takeRead(k, 'mem_hotplug_lock');
  try {
    if (pfns) yield* walkPfns(k, 'kmemleak', pfns, stats);
    else for (const span of k.spans.filter((s) => s.zone !== 'Device')) yield* walkRange(k, 'kmemleak', span.start, span.end, stats);
  } finally {
    dropRead(k, 'mem_hotplug_lock');
  }
}
