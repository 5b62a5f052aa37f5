// Memory hotplug and ZONE_DEVICE: add_memory / online / offline / remove_memory and
// memremap_pages / memunmap_pages, with the locks they take (§3.5-§3.8, §5).

import { pfnToSectionNr } from '../profile.js';
import { type DevPagemap, type KState, type LockName, type Zone, canWrite, dropWrite, sectionSlot, takeWrite, trace } from '../state.js';
import { type Gen, point } from '../steps.js';
import { getDevPagemap, memstartPfn, readPage } from './lookup.js';
import { type Errno, addPages, removePages, setSectionsOnline } from './sections.js';

export type HotplugErrno = Errno | 'E2BIG';

function* lock(k: KState, l: LockName): Gen<void> {
  yield point(`${l === 'mem_hotplug_lock' ? 'mem_hotplug_begin' : 'lock_device_hotplug'}`, (s) => canWrite(s, l));
  takeWrite(k, l);
}

function* unlock(k: KState, l: LockName): Gen<void> {
  yield point(l === 'mem_hotplug_lock' ? 'mem_hotplug_done' : 'unlock_device_hotplug');
  dropWrite(k, l);
}

/** page_init_poison over whatever memmap exists in [start, end) (only with poisoning enabled). */
function poisonRange(k: KState, start: number, end: number): void {
  if (!k.config.poison) return;
  for (const r of k.memmap.query(start, end)) k.memmap.set(r.start, r.end, { s: 'poisoned' });
}

function subtract<T extends { start: number; end: number }>(r: T, start: number, end: number): T[] {
  if (r.end <= start || r.start >= end) return [r];
  const out: T[] = [];
  if (r.start < start) out.push({ ...r, end: start });
  if (r.end > end) out.push({ ...r, start: end });
  return out;
}

function addSpan(k: KState, nid: number, zone: Zone, start: number, end: number): void {
  const s = k.spans.find((x) => x.nid === nid && x.zone === zone);
  if (s) {
    s.start = Math.min(s.start, start);
    s.end = Math.max(s.end, end);
  } else k.spans.push({ nid, zone, start, end });
}

/** The physical pfn range the arm64 linear map can cover: [memstart, memstart + 2^(VA_BITS-1)). */
function linearMapPfns(k: KState): { start: number; end: number } {
  const start = memstartPfn(k);
  return { start, end: start + 2 ** (k.profile.vaBits - 1 - k.profile.pageShift) };
}

/**
 * Whether the range may be hot-plugged. arm64 arch_add_memory checks inside_linear_region (K5.10);
 * from v6.8 mhp_range_allowed(need_mapping) (K6.8); v6.12 clamps to arm64 PHYSMEM_END (K6.12).
 */
function rangeAllowed(k: KState, start: number, end: number, needMapping: boolean): boolean {
  if (k.profile.arch !== 'arm64') return end <= 2 ** (k.profile.maxPhysmemBits - k.profile.pageShift);
  const lin = linearMapPfns(k);
  if (needMapping) return start >= lin.start && end <= lin.end;
  if (k.profile.kernel.code >= 612) return end <= lin.end;
  return end <= 2 ** (k.profile.maxPhysmemBits - k.profile.pageShift);
}

/** memblock_add_node on hot-add: unconditional in K5.3, only with ARCH_KEEP_MEMBLOCK (arm64) in K5.10. */
const keepsMemblock = (k: KState): boolean => k.profile.kernel.code < 510 || k.profile.arch === 'arm64';

export function* addMemory(k: KState, start: number, end: number, nid: number): Gen<HotplugErrno> {
  yield* lock(k, 'device_hotplug_lock');
  yield* lock(k, 'mem_hotplug_lock');
  let err: HotplugErrno = rangeAllowed(k, start, end, true) ? 0 : 'E2BIG';
  if (!err) {
    if (keepsMemblock(k)) {
      k.memblock.push({ start, end, nid, nomap: false });
      k.memblock.sort((a, b) => a.start - b.start);
    }
    err = yield* addPages(k, start, end - start, null);
    if (err) k.memblock = k.memblock.filter((r) => !(r.start === start && r.end === end));
    else k.maxPfn = Math.max(k.maxPfn, end);
  }
  yield* unlock(k, 'mem_hotplug_lock');
  yield* unlock(k, 'device_hotplug_lock');
  trace(k, 'add_memory', err ? `-${err}` : 'ok');
  return err;
}

/** online_pages: memmap initialised for the zone, then online_mem_sections (K5.3). */
export function* onlineMemory(k: KState, start: number, end: number, nid: number, zone: Zone): Gen<HotplugErrno> {
  yield* lock(k, 'device_hotplug_lock');
  yield* lock(k, 'mem_hotplug_lock');
  k.memmap.set(start, end, { s: 'init', zone, nid, reserved: false, pgmap: null });
  addSpan(k, nid, zone, start, end);
  yield point('online_mem_sections');
  setSectionsOnline(k, start, end - start, true);
  k.onlineRam.push({ start, end });
  yield* unlock(k, 'mem_hotplug_lock');
  yield* unlock(k, 'device_hotplug_lock');
  trace(k, 'online_pages', 'ok');
  return 0;
}

/** offline_pages: offline_mem_sections; from v5.5 remove_pfn_range_from_zone poisons the memmap. */
export function* offlineMemory(k: KState, start: number, end: number): Gen<HotplugErrno> {
  yield* lock(k, 'device_hotplug_lock');
  yield* lock(k, 'mem_hotplug_lock');
  setSectionsOnline(k, start, end - start, false);
  k.onlineRam = k.onlineRam.flatMap((r) => subtract(r, start, end));
  yield point('remove_pfn_range_from_zone');
  if (k.impls.remove_poison === 'v5.5') poisonRange(k, start, end);
  yield* unlock(k, 'mem_hotplug_lock');
  yield* unlock(k, 'device_hotplug_lock');
  trace(k, 'offline_pages', 'ok');
  return 0;
}

export function* removeMemory(k: KState, start: number, end: number): Gen<HotplugErrno> {
  yield* lock(k, 'device_hotplug_lock');
  yield* lock(k, 'mem_hotplug_lock');
  let err: HotplugErrno = 0;
  // memory blocks must be offline first (-EBUSY otherwise)
  if (k.onlineRam.some((r) => r.start < end && r.end > start)) err = 'EBUSY';
  if (!err) {
    err = yield* removePages(k, start, end - start);
    k.memblock = k.memblock.flatMap((r) => subtract(r, start, end));
  }
  yield* unlock(k, 'mem_hotplug_lock');
  yield* unlock(k, 'device_hotplug_lock');
  trace(k, 'remove_memory', err ? `-${err}` : 'ok');
  return err;
}

/**
 * move_pfn_range_to_zone(ZONE_DEVICE) under mem_hotplug_lock: TAINT_ZONE_DEVICE (v5.12) on the
 * sections of an unaligned start and of the first pfn after an unaligned end; then memmap_init_zone's
 * ZONE_DEVICE branch initialises only the altmap's memmap-holding pages, skipping altmap->reserve
 * unless the 2019 RFC is applied (K5.3 mm/page_alloc.c [M:550603882]; RFC [M:19579240799]).
 */
function moveToZoneDevice(k: KState, pg: DevPagemap): void {
  const p = k.profile;
  if (k.impls.zone_device_taint === 'v5.12') {
    for (const pfn of [pg.start, pg.end]) {
      if (pfn % p.pagesPerSection === 0) continue;
      const ms = sectionSlot(k, pfnToSectionNr(p, pfn));
      if (ms) ms.map |= p.flags.TAINT_ZONE_DEVICE;
    }
  }
  addSpan(k, pg.nid, 'Device', pg.start, pg.end);
  const a = pg.altmap;
  if (!a) return;
  const from = k.impls.altmap_memmap_init === 'rfc-2019' ? a.base : pg.start === a.base ? pg.start + a.reserve : pg.start;
  k.memmap.set(from, a.base + a.reserve + a.free, { s: 'init', zone: 'Device', nid: pg.nid, reserved: true, pgmap: null });
}

/** memmap_init_zone_device (K5.3 / K6.8): after the altmap offset, without mem_hotplug_lock. */
function memmapInitZoneDevice(k: KState, pg: DevPagemap): void {
  const from = pg.altmap ? pg.altmap.base + pg.altmap.reserve + pg.altmap.free : pg.start;
  k.memmap.set(from, pg.end, { s: 'init', zone: 'Device', nid: pg.nid, reserved: true, pgmap: pg.id });
}

/** memremap_pages -> pagemap_range (K5.10 mm/memremap.c, same shape in K5.3 and K6.8). */
export function* memremapPages(k: KState, pg: DevPagemap): Gen<HotplugErrno> {
  if (getDevPagemap(k, pg.start) || getDevPagemap(k, pg.end - 1)) return 'ENOMEM';
  if (k.memblock.some((r) => r.start < pg.end && r.end > pg.start)) return 'ENXIO'; // region_intersects System RAM
  const priv = pg.type === 'device-private';
  const allowed = k.profile.kernel.code >= 608 || !priv ? rangeAllowed(k, pg.start, pg.end, !priv) : true;
  if (!allowed) {
    trace(k, 'memremap_pages', `${pg.id}: range not allowed`);
    return priv ? 'E2BIG' : 'EINVAL';
  }
  k.pgmaps.set(pg.id, pg); // xa_store_range(&pgmap_array, ...)
  yield* lock(k, 'mem_hotplug_lock');
  // DEVICE_PRIVATE: add_pages only (no linear map); others: arch_add_memory (linear map + __add_pages)
  const err = yield* addPages(k, pg.start, pg.end - pg.start, pg.altmap);
  if (!err) moveToZoneDevice(k, pg);
  yield* unlock(k, 'mem_hotplug_lock');
  if (err) {
    k.pgmaps.delete(pg.id);
    trace(k, 'memremap_pages', `${pg.id}: -${err}`);
    return err;
  }
  // x86 add_pages() also raises max_pfn (K5.3 arch/x86/mm/init_64.c)
  if (k.profile.arch === 'x86_64') k.maxPfn = Math.max(k.maxPfn, pg.end);
  yield point('memmap_init_zone_device');
  memmapInitZoneDevice(k, pg);
  trace(k, 'memremap_pages', `${pg.id} (${pg.type}) pfn 0x${pg.start.toString(16)}-0x${pg.end.toString(16)}`);
  return 0;
}

/** memunmap_pages -> pageunmap_range (K5.10; first page per 77e080e7680e from v5.4). */
export function* memunmapPages(k: KState, id: string): Gen<HotplugErrno> {
  const pg = k.pgmaps.get(id);
  if (!pg) return 'EINVAL';
  const first = k.impls.memunmap_first_page === 'v5.3' || !pg.altmap ? pg.start : pg.start + pg.altmap.reserve + pg.altmap.free;
  readPage(k, first, 'memunmap_pages: page_zone(first_page)');
  yield* lock(k, 'mem_hotplug_lock');
  if (k.impls.remove_poison === 'v5.5') poisonRange(k, pg.start, pg.end); // remove_pfn_range_from_zone
  const err = yield* removePages(k, pg.start, pg.end - pg.start);
  yield* unlock(k, 'mem_hotplug_lock');
  yield point('memunmap_pages: xa_erase pgmap');
  k.pgmaps.delete(id);
  trace(k, 'memunmap_pages', `${id}${err ? ` -${err}` : ''}`);
  return err;
}
