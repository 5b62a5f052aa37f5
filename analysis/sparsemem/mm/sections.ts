// Adding and removing memory at section level: __add_pages -> sparse_add_section ->
// section_activate, and __remove_pages -> sparse_remove_section -> section_deactivate (§3.5, §3.6).
// Each step that touches shared state ends with a scheduling point.

import { pfnToSectionNr, sectionNrToPfn } from '../profile.js';
import { type Altmap, type KState, type Section, hasFlag, sectionSlot, trace, warnOn } from '../state.js';
import { type Gen, point } from '../steps.js';
import { sectionChunks, sparseIndexInit, sparseInitOneSection, subsectionMask } from './boot.js';
import { earlySection, validSection } from './lookup.js';
import { depopulateMemmap, populateMemmap } from './populate.js';

export type Errno = 0 | 'EINVAL' | 'EEXIST' | 'ENOMEM' | 'ENXIO' | 'EBUSY' | 'ERANGE';

const U64 = 0xffff_ffff_ffff_ffffn;

/** check_pfn_span (K5.3): VMEMMAP needs sub-section alignment (section alignment before v5.3). */
function checkPfnSpan(k: KState, pfn: number, n: number): boolean {
  const unit = k.impls.pfn_section_valid === 'none' ? k.profile.pagesPerSection : k.profile.pagesPerSubsection;
  return pfn % unit === 0 && n % unit === 0;
}

/** section_activate (K5.3; K5.10 via fill_subsection_map). Returns an errno or 0. */
function sectionActivate(k: KState, ms: Section, pfn: number, n: number): Errno {
  const p = k.profile;
  if (k.impls.pfn_section_valid === 'none') {
    // v5.2 sparse_add_one_section: a present section is -EEXIST; the memmap covers the section
    if (hasFlag(ms, p.flags.PRESENT)) return 'EEXIST';
    ms.usage = { id: k.nextUsageId++, map: 1n, boot: false, freed: false };
    const start = sectionNrToPfn(p, ms.nr);
    populateMemmap(k, start, start + p.pagesPerSection);
    return 0;
  }
  let fresh = false;
  if (!ms.usage) {
    ms.usage = { id: k.nextUsageId++, map: 0n, boot: false, freed: false };
    fresh = true;
  }
  const mask = subsectionMask(k, pfn, n);
  let err: Errno = 0;
  if (mask === 0n) err = 'EINVAL';
  else if ((mask & ms.usage.map) !== 0n) err = 'EEXIST';
  if (err) {
    if (fresh) {
      ms.usage.freed = true;
      ms.usage = null;
    }
    return err;
  }
  ms.usage.map |= mask;
  // a partial add into an early section reuses the boot memmap
  if (n < p.pagesPerSection && earlySection(k, ms)) return 0;
  const unit = p.pagesPerSubsection;
  populateMemmap(k, Math.floor(pfn / unit) * unit, Math.ceil((pfn + n) / unit) * unit);
  return 0;
}

/** sparse_add_section (K5.3/K6.8 mm/sparse.c). */
function sparseAddSection(k: KState, pfn: number, n: number): Errno {
  const nr = pfnToSectionNr(k.profile, pfn);
  sparseIndexInit(k, nr);
  const ms = sectionSlot(k, nr) as Section;
  const err = sectionActivate(k, ms, pfn, n);
  if (err) return err;
  // page_init_poison(memmap of [pfn, pfn + n)) under DEBUG_VM (§3.8)
  if (k.config.poison) k.memmap.set(pfn, pfn + n, { s: 'poisoned' });
  ms.map |= k.profile.flags.PRESENT;
  k.highestPresentSection = Math.max(k.highestPresentSection, nr);
  sparseInitOneSection(k, ms, 0n);
  ms.hotplugged = true;
  return 0;
}

/** __add_pages (K5.3 mm/memory_hotplug.c), one scheduling point per section. */
export function* addPages(k: KState, pfn: number, n: number, altmap: Altmap | null): Gen<Errno> {
  if (altmap && (altmap.base !== pfn || altmap.reserve + altmap.free > n)) {
    warnOn(k, true, '__add_pages: altmap');
    return 'EINVAL';
  }
  if (!checkPfnSpan(k, pfn, n)) {
    warnOn(k, true, 'Misaligned __add_pages', pfn);
    return 'EINVAL';
  }
  for (const c of sectionChunks(k, pfn, pfn + n)) {
    yield point(`sparse_add_section ${c.nr}`);
    const err = sparseAddSection(k, c.pfn, c.n);
    if (err) {
      trace(k, `sparse_add_section ${c.nr}`, `-${err}`);
      return err;
    }
  }
  trace(k, '__add_pages', `pfn 0x${pfn.toString(16)} + 0x${n.toString(16)}`);
  return 0;
}

/** kfree(usage) or kfree_rcu(usage): the RCU variant frees after the current readers are gone. */
function freeUsage(k: KState, ms: Section, rcu: boolean): void {
  const u = ms.usage;
  if (!u) return;
  if (rcu) k.rcuPending.push({ usage: u, waitFor: k.rcuReaders.map((r) => r.cs) });
  else u.freed = true;
}

/** section_deactivate (§3.6) in its three versions. */
function* sectionDeactivate(k: KState, ms: Section, pfn: number, n: number): Gen<void> {
  const f = k.profile.flags;
  const impl = k.impls.section_deactivate;
  const early = earlySection(k, ms);
  const mask = k.impls.pfn_section_valid === 'none' ? 1n : subsectionMask(k, pfn, n);
  if (!ms.usage || (mask & ms.usage.map) !== mask) {
    warnOn(k, true, 'section already deactivated', pfn);
    return;
  }
  ms.usage.map ^= mask;
  const empty = ms.usage.map === 0n;
  const sectionStart = sectionNrToPfn(k.profile, ms.nr);
  let freeMemmap = false;
  if (empty) {
    if (impl === 'v5.3') {
      if (!early) {
        yield point(`section_deactivate ${ms.nr}: kfree(ms->usage)`);
        freeUsage(k, ms, false);
        yield point(`section_deactivate ${ms.nr}: ms->usage = NULL`);
        ms.usage = null;
      }
      yield point(`section_deactivate ${ms.nr}: section_mem_map = encode(NULL)`);
      ms.map = (-BigInt(sectionStart) * 64n) & U64 & f.MAP_MASK;
    } else {
      const rcu = impl === 'v6.8';
      if (rcu) {
        yield point(`section_deactivate ${ms.nr}: clear SECTION_HAS_MEM_MAP`);
        ms.map &= ~f.HAS_MEM_MAP & U64;
      }
      if (!ms.usage.boot) {
        yield point(`section_deactivate ${ms.nr}: ${rcu ? 'kfree_rcu' : 'kfree'}(ms->usage)`);
        freeUsage(k, ms, rcu);
        yield point(`section_deactivate ${ms.nr}: ms->usage = NULL`);
        ms.usage = null;
      }
      if (!rcu) {
        yield point(`section_deactivate ${ms.nr}: clear SECTION_HAS_MEM_MAP`);
        ms.map &= ~f.HAS_MEM_MAP & U64;
      }
    }
    freeMemmap = true;
  }
  yield point(`section_deactivate ${ms.nr}: free memmap`);
  const wholeSection = (): void => depopulateMemmap(k, sectionStart, sectionStart + k.profile.pagesPerSection);
  if (impl === 'v5.3') {
    // K5.3: early && memmap ? free_map_bootmem(memmap) : depopulate_section_memmap(pfn, n) - a
    // partial removal from an early section unmaps that part of the boot memmap
    if (early && freeMemmap) wholeSection();
    else depopulateMemmap(k, pfn, pfn + n);
  } else if (!early) depopulateMemmap(k, pfn, pfn + n);
  else if (freeMemmap) wholeSection();
  if (empty && impl !== 'v5.3') ms.map = 0n;
}

/** __remove_pages -> sparse_remove_section -> section_deactivate, per section. */
export function* removePages(k: KState, pfn: number, n: number): Gen<Errno> {
  if (!checkPfnSpan(k, pfn, n)) {
    warnOn(k, true, 'Misaligned __remove_pages', pfn);
    return 'EINVAL';
  }
  for (const c of sectionChunks(k, pfn, pfn + n)) {
    yield point(`sparse_remove_section ${c.nr}`);
    const ms = sectionSlot(k, c.nr);
    if (!ms || !validSection(k, ms)) {
      warnOn(k, true, 'sparse_remove_section: !valid_section', c.pfn);
      continue;
    }
    yield* sectionDeactivate(k, ms, c.pfn, c.n);
  }
  trace(k, '__remove_pages', `pfn 0x${pfn.toString(16)} + 0x${n.toString(16)}`);
  return 0;
}

/** online_mem_sections / offline_mem_sections (§3.7): whole sections. */
export function setSectionsOnline(k: KState, pfn: number, n: number, online: boolean): void {
  const f = k.profile.flags;
  for (let nr = pfnToSectionNr(k.profile, pfn); nr <= pfnToSectionNr(k.profile, pfn + n - 1); nr++) {
    const ms = sectionSlot(k, nr);
    if (!ms || !validSection(k, ms)) {
      warnOn(k, true, 'online_mem_sections: !valid_section', sectionNrToPfn(k.profile, nr));
      continue;
    }
    ms.map = online ? ms.map | f.IS_ONLINE : ms.map & ~f.IS_ONLINE & U64;
  }
}

/** RCU grace period: run the kfree_rcu callbacks whose readers have all left. */
export function rcuCallbacksReady(k: KState): boolean {
  return k.rcuPending.some((p) => p.waitFor.every((cs) => !k.rcuReaders.some((r) => r.cs === cs)));
}

export function rcuGracePeriod(k: KState): void {
  k.rcuPending = k.rcuPending.filter((p) => {
    const done = p.waitFor.every((cs) => !k.rcuReaders.some((r) => r.cs === cs));
    if (done) p.usage.freed = true;
    return !done;
  });
}
