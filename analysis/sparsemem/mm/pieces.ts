// Uniform pieces of a pfn range: sub-ranges over which every input of the modelled lookups is
// constant (section, sub-section bit, memmap state, memblock region, dev_pagemap, altmap, zone
// span). A walker evaluates one pfn per piece and weighs the result by the piece's length, so a
// walk over terabytes costs a few thousand evaluations.

import { pfnToSectionNr, sectionNrToPfn } from '../profile.js';
import { type KState, type Section, touchedSections } from '../state.js';

export interface Piece {
  start: number;
  end: number;
}

export function pieces(k: KState, start: number, end: number): Piece[] {
  if (end <= start) return [];
  const p = k.profile;
  const cuts = new Set<number>();
  const add = (x: number): void => {
    if (x > start && x < end) cuts.add(x);
  };
  const firstNr = pfnToSectionNr(p, start);
  const lastNr = pfnToSectionNr(p, end - 1);
  // A section boundary is a cut only where the neighbours differ in what a lookup can see: the
  // flag bits, the usage block's kind and sub-section map. Identical neighbours merge, so 4 TiB of
  // uniform boot RAM is one piece, not 32768.
  const full = (1n << BigInt(p.subsectionsPerSection)) - 1n;
  const lowBits = ~p.flags.MAP_MASK & 0xffff_ffff_ffff_ffffn;
  const sameKind = (a: Section, b: Section): boolean =>
    (a.map === b.map || (a.map & lowBits) === (b.map & lowBits)) &&
    (a.map === 0n) === (b.map === 0n) &&
    (a.usage === null) === (b.usage === null) &&
    (!a.usage || !b.usage || (a.usage.boot === b.usage.boot && a.usage.freed === b.usage.freed && a.usage.map === b.usage.map));
  let prevNr = -2;
  let prevSec: Section | null = null;
  const all = touchedSections(k);
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid].nr < firstNr) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < all.length && all[i].nr <= lastNr; i++) {
    const s = all[i];
    if (s.map === 0n && !s.usage) continue; // never-used or fully removed: not live
    const base = sectionNrToPfn(p, s.nr);
    if (s.nr !== prevNr + 1) add(sectionNrToPfn(p, prevNr + 1));
    if (s.nr !== prevNr + 1 || !prevSec || !sameKind(prevSec, s)) add(base);
    prevNr = s.nr;
    prevSec = s;
    if (s.usage && s.usage.map !== 0n && s.usage.map !== full) {
      let prev = -1n;
      for (let i = 0; i < p.subsectionsPerSection; i++) {
        const bit = (s.usage.map >> BigInt(i)) & 1n;
        if (bit !== prev) add(base + i * p.pagesPerSubsection);
        prev = bit;
      }
    }
  }
  if (prevNr >= 0) add(sectionNrToPfn(p, prevNr + 1));
  // where mem_section stops being indexable: NR_MEM_SECTIONS and the end of the root array
  add(sectionNrToPfn(p, p.nrMemSections));
  add(sectionNrToPfn(p, p.nrSectionRoots * p.sectionsPerRoot));
  k.memmap.boundaries(start, end, cuts);
  for (const r of k.memblock) {
    add(r.start);
    add(r.end);
  }
  for (const pg of k.pgmaps.values()) {
    add(pg.start);
    add(pg.end);
    if (pg.altmap) {
      add(pg.altmap.base + pg.altmap.reserve);
      add(pg.altmap.base + pg.altmap.reserve + pg.altmap.free);
    }
  }
  for (const sp of k.spans) {
    add(sp.start);
    add(sp.end);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: Piece[] = [];
  let s = start;
  for (const c of sorted) {
    out.push({ start: s, end: c });
    s = c;
  }
  out.push({ start: s, end });
  return out;
}
