// Scenario operations: each runs as a generator on the model state, starting with a scheduling
// point, and records what it saw as named observations.

import { boot } from './mm/boot.js';
import { addMemory, memremapPages, memunmapPages, offlineMemory, onlineMemory, removeMemory } from './mm/hotplug.js';
import { earlySection, pageView, pfnToOnlinePage, pfnToPageAddress, pfnValid, checkMemmapAddress, readPage, validSection } from './mm/lookup.js';
import { pieces } from './mm/pieces.js';
import { type WalkStats, type Walker, kmemleakScan, walkPfns, walkRange } from './mm/walkers.js';
import { type InvariantName, type OpSpec, bytesToPfns, parseNum, zoneOf } from './scenario.js';
import { type KState, canRead, detect, dropRead, liveSections, sectionSlot, takeRead, trace } from './state.js';
import { pfnToSectionNr } from './profile.js';
import { type Gen, point, runSync } from './steps.js';
import { hex } from './vmemmap.js';

const pfnRange = (k: KState, op: OpSpec): { start: number; end: number } => {
  if (op.base === undefined || op.size === undefined) throw new Error(`${op.op} needs base and size`);
  const start = bytesToPfns(k.profile, op.base, `${op.op} base`);
  return { start, end: start + bytesToPfns(k.profile, op.size, `${op.op} size`) };
};

function observe(k: KState, name: string | undefined, value: unknown): void {
  if (name) k.observations.set(name, value);
}

function pfnOf(op: OpSpec): number {
  if (op.pfn === undefined) throw new Error(`${op.op} needs pfn`);
  return parseNum(op.pfn);
}

/** Invariants the model can check on any state (§6.5 David's claim; §3.4). */
export function checkInvariant(k: KState, name: InvariantName): boolean {
  let ok = true;
  if (name === 'hotplugged-if-not-early') {
    // "Only hotplugged sections set SECTION_HAS_MEM_MAP without SECTION_IS_EARLY" [M:31371940917]
    for (const s of liveSections(k)) if (validSection(k, s) && !earlySection(k, s) && !s.hotplugged) ok = false;
  } else {
    // pfn_valid() on every present pfn is false and reads no struct page
    const before = k.counts.get('memmap-touch') ?? 0;
    for (const piece of pieces(k, 0, Math.max(k.maxPfn, 1))) if (runSync(k, pfnValid(k, piece.start))) ok = false;
    if ((k.counts.get('memmap-touch') ?? 0) !== before) ok = false;
  }
  k.observations.set(`invariant.${name}`, ok);
  if (!ok) detect(k, `invariant-violated:${name}`, 1);
  return ok;
}

function* walk(k: KState, w: Walker, op: OpSpec): Gen<void> {
  const stats: WalkStats = { visited: 0, pagesRead: 0, badReads: 0 };
  // `locked`: a walker that holds get_online_mems() (mem_hotplug_lock, read side) as kmemleak does
  const locked = !!op.locked && w !== 'kmemleak';
  if (locked) {
    yield point('get_online_mems', (s) => canRead(s, 'mem_hotplug_lock'));
    takeRead(k, 'mem_hotplug_lock');
  }
  try {
    if (w === 'kmemleak') yield* kmemleakScan(k, op.pfns ? op.pfns.map(parseNum) : null, stats);
    else if (op.pfns) yield* walkPfns(k, w, op.pfns.map(parseNum), stats);
    else if (op.pfn !== undefined) yield* walkPfns(k, w, [pfnOf(op)], stats);
    else if (op.from !== undefined || op.to !== undefined || w !== 'compaction') {
      yield* walkRange(k, w, op.from !== undefined ? parseNum(op.from) : 0, op.to !== undefined ? parseNum(op.to) : k.maxPfn, stats);
    } else {
      // compaction scans the zones it compacts: every populated zone but ZONE_DEVICE
      for (const span of k.spans.filter((s) => s.zone !== 'Device')) yield* walkRange(k, w, span.start, span.end, stats);
    }
  } finally {
    if (locked) dropRead(k, 'mem_hotplug_lock');
    const name = op.as ?? w;
    observe(k, `${name}.visited`, stats.visited);
    observe(k, `${name}.pagesRead`, stats.pagesRead);
    observe(k, `${name}.badReads`, stats.badReads);
    trace(k, w, `visited ${stats.visited} pfns, read ${stats.pagesRead} struct pages, ${stats.badReads} of them uninitialised/poisoned`);
  }
}

export function opLabel(op: OpSpec): string {
  const arg = op.id ?? (op.pfn !== undefined ? String(op.pfn) : op.base !== undefined ? `${op.base}+${op.size}` : op.phase ?? op.name ?? '');
  return arg ? `${op.op} ${arg}` : op.op;
}

export function* runOp(k: KState, op: OpSpec): Gen<void> {
  yield point(opLabel(op));
  k.op = opLabel(op);
  switch (op.op) {
    case 'boot':
      boot(k, op.phase ?? 'all');
      return;
    case 'add_memory': {
      const r = pfnRange(k, op);
      observe(k, op.as, (yield* addMemory(k, r.start, r.end, op.nid ?? 0)) || 'ok');
      return;
    }
    case 'online_memory': {
      const r = pfnRange(k, op);
      observe(k, op.as, (yield* onlineMemory(k, r.start, r.end, op.nid ?? 0, zoneOf(op.zone))) || 'ok');
      return;
    }
    case 'offline_memory': {
      const r = pfnRange(k, op);
      observe(k, op.as, (yield* offlineMemory(k, r.start, r.end)) || 'ok');
      return;
    }
    case 'remove_memory': {
      const r = pfnRange(k, op);
      observe(k, op.as, (yield* removeMemory(k, r.start, r.end)) || 'ok');
      return;
    }
    case 'memremap_pages': {
      const r = pfnRange(k, op);
      const altmap = op.altmap ? { base: r.start, reserve: parseNum(op.altmap.reserve), free: parseNum(op.altmap.free) } : null;
      const pg = { id: op.id ?? 'pgmap', type: op.type ?? 'generic', start: r.start, end: r.end, nid: op.nid ?? 0, altmap };
      observe(k, op.as, (yield* memremapPages(k, pg)) || 'ok');
      return;
    }
    case 'memunmap_pages':
      observe(k, op.as, (yield* memunmapPages(k, op.id ?? 'pgmap')) || 'ok');
      return;
    case 'pfn_valid': {
      const pfn = pfnOf(op);
      const v = yield* pfnValid(k, pfn);
      observe(k, op.as, v);
      trace(k, 'pfn_valid', `pfn ${hex(pfn)} -> ${v}`);
      return;
    }
    case 'pfn_to_online_page': {
      const pfn = pfnOf(op);
      const page = yield* pfnToOnlinePage(k, pfn);
      const view = page === null ? 'null' : pageViewName(k, page);
      observe(k, op.as, view);
      trace(k, 'pfn_to_online_page', `pfn ${hex(pfn)} -> ${view}`);
      if (page !== null && op.read) {
        yield point('page_to_nid(page)');
        readPage(k, page, 'page_to_nid');
      }
      return;
    }
    case 'pfn_to_page': {
      const pfn = pfnOf(op);
      const { addr, region } = pfnToPageAddress(k, pfn);
      checkMemmapAddress(k, pfn);
      observe(k, op.as, hex(addr));
      observe(k, op.as ? `${op.as}.region` : undefined, region);
      observe(k, op.as ? `${op.as}.fromVmemmapStart` : undefined, hex(addr - k.profile.layout.vmemmapStart));
      trace(k, 'pfn_to_page', `pfn ${hex(pfn)} -> ${hex(addr)} (${region})`);
      return;
    }
    case 'section_flags': {
      const pfn = pfnOf(op);
      const ms = sectionSlot(k, pfnToSectionNr(k.profile, pfn));
      const f = k.profile.flags;
      const flags = ms
        ? (['PRESENT', 'HAS_MEM_MAP', 'IS_ONLINE', 'IS_EARLY', 'TAINT_ZONE_DEVICE'] as const).filter((n) => f[n] !== 0n && (ms.map & f[n]) !== 0n).join('|')
        : 'NULL';
      observe(k, op.as, flags || '0');
      trace(k, 'section_flags', `section of pfn ${hex(pfn)}: ${flags || '0'}`);
      return;
    }
    case 'memmap_state': {
      const pfn = pfnOf(op);
      const view = pageViewName(k, pfn);
      observe(k, op.as, view);
      trace(k, 'memmap_state', `pfn ${hex(pfn)}: ${view}`);
      return;
    }
    case 'pfn_valid_scan': {
      const from = op.from !== undefined ? parseNum(op.from) : 0;
      const to = op.to !== undefined ? parseNum(op.to) : k.maxPfn;
      let valid = 0;
      for (const piece of pieces(k, from, to)) if (yield* pfnValid(k, piece.start)) valid += piece.end - piece.start;
      observe(k, op.as, valid);
      trace(k, 'pfn_valid_scan', `${valid} of ${to - from} pfns valid`);
      return;
    }
    case 'kpageflags':
    case 'kmemleak':
    case 'compaction':
    case 'memory_failure':
      yield* walk(k, op.op, op);
      return;
    case 'invariant': {
      if (!op.name) throw new Error('invariant needs name');
      const ok = checkInvariant(k, op.name);
      observe(k, op.as, ok);
      trace(k, 'invariant', `${op.name}: ${ok ? 'holds' : 'VIOLATED'}`);
      return;
    }
  }
}

/** 'null' | 'unmapped' | 'uninit' | 'poisoned' | the zone of an initialised page. */
function pageViewName(k: KState, pfn: number): string {
  const st = k.memmap.get(pfn);
  return st?.s === 'init' ? st.zone : pageView(k, pfn);
}
