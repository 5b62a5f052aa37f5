// The modelled kernel state: the mem_section root array, per-section flags and usage, the memmap
// state of every pfn range, memblock, dev_pagemaps, zone spans, locks and RCU; plus what the
// detectors saw. Everything a step may change is here, so a state can be cloned for exploration.

import { IntervalMap } from './intervals.js';
import type { Profile } from './profile.js';
import type { SlotImpls } from './variants.js';

export type Zone = 'Normal' | 'Movable' | 'Device';

export type PageState =
  | { s: 'uninit' }
  | { s: 'poisoned' }
  | { s: 'init'; zone: Zone; nid: number; reserved: boolean; pgmap: string | null };

export const samePage = (a: PageState, b: PageState): boolean =>
  a.s === b.s &&
  (a.s !== 'init' || (b.s === 'init' && a.zone === b.zone && a.nid === b.nid && a.reserved === b.reserved && a.pgmap === b.pgmap));

/** struct mem_section_usage: the sub-section bitmap (pageblock flags are not modelled). */
export interface Usage {
  id: number;
  map: bigint;
  /** allocated from memblock at boot: PageReserved(virt_to_page(usage)) is true (§3.4) */
  boot: boolean;
  freed: boolean;
}

export interface Section {
  nr: number;
  /** section_mem_map, 64 bits */
  map: bigint;
  usage: Usage | null;
  /** ghost state, not in the kernel: sparse_add_section() ran on this section */
  hotplugged: boolean;
}

export interface MemblockRegion {
  start: number;
  end: number;
  nid: number;
  nomap: boolean;
}

export type PgmapType = 'device-private' | 'fsdax' | 'generic' | 'p2pdma';

export interface Altmap {
  base: number;
  reserve: number;
  free: number;
}

export interface DevPagemap {
  id: string;
  type: PgmapType;
  start: number;
  end: number;
  nid: number;
  altmap: Altmap | null;
}

export interface Span {
  nid: number;
  zone: Zone;
  start: number;
  end: number;
}

export type LockName = 'mem_hotplug_lock' | 'device_hotplug_lock';

export interface LockState {
  writer: number | null;
  readers: number[];
}

export interface ModelConfig {
  /**
   * CONFIG_DEBUG_VM with page_init_poisoning: raw memmaps are filled with 0xff (§3.8). The model
   * also assumes CONFIG_DEBUG_VM_PGFLAGS then, so reading a poisoned page trips
   * VM_BUG_ON_PAGE(PagePoisoned) (PF_POISONED_CHECK) and ends the execution.
   */
  poison: boolean;
  /** arm64 memstart_addr (physical); pfn_to_page is relative to it (§4). */
  memstart: bigint;
  /** CONFIG_PAGE_EXTENSION: 32-byte mem_section (§1). */
  pageExtension: boolean;
}

export interface DetectorEvent {
  detector: string;
  thread: string;
  op: string;
  pfn?: number;
  detail?: string;
  count: number;
}

export interface TraceEntry {
  thread: string;
  step: string;
  detail?: string;
}

/** A modelled oops/BUG: it ends the execution. No JS stack is captured (explorations throw many). */
export class KernelCrash extends Error {
  readonly detector: string;
  constructor(detector: string, message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.detector = detector;
  }
}

export interface KState {
  profile: Profile;
  impls: SlotImpls;
  config: ModelConfig;
  mutations: ReadonlySet<string>;
  /** the root-pointer array `mem_section` itself (SPARSEMEM_EXTREME) has been allocated */
  rootArray: boolean;
  /** allocated roots; a missing key is a NULL root; a missing section inside a root is all-zero */
  roots: Map<number, Map<number, Section>>;
  memmap: IntervalMap<PageState>;
  memblock: MemblockRegion[];
  pgmaps: Map<string, DevPagemap>;
  spans: Span[];
  /** memory blocks of System RAM currently online (ghost bookkeeping for remove_memory's -EBUSY) */
  onlineRam: { start: number; end: number }[];
  maxPfn: number;
  highestPresentSection: number;
  locks: Record<LockName, LockState>;
  /** open RCU read-side critical sections: thread and a unique section id */
  rcuReaders: { tid: number; cs: number }[];
  rcuNextCs: number;
  /** kfree_rcu() callbacks waiting for the critical sections open when they were queued */
  rcuPending: { usage: Usage; waitFor: number[] }[];
  nextUsageId: number;
  counts: Map<string, number>;
  events: DetectorEvent[];
  observations: Map<string, unknown>;
  trace: TraceEntry[];
  /** the running thread (index) and its name and current op, for reports */
  tid: number;
  thread: string;
  op: string;
  /** how many pfns the current evaluation stands for (walkers evaluate one pfn per uniform piece) */
  weight: number;
  /** sparse_encode_mem_map's value, the same for every section with a virtual memmap (cached) */
  encodedMemmap?: bigint;
  /** cache of the section structs in order (see liveSections) */
  sortedSections?: Section[];
}

export function newState(profile: Profile, impls: SlotImpls, config: ModelConfig, mutations: ReadonlySet<string>): KState {
  return {
    profile,
    impls,
    config,
    mutations,
    rootArray: false,
    roots: new Map(),
    memmap: new IntervalMap<PageState>(samePage),
    memblock: [],
    pgmaps: new Map(),
    spans: [],
    onlineRam: [],
    maxPfn: 0,
    highestPresentSection: -1,
    locks: { mem_hotplug_lock: { writer: null, readers: [] }, device_hotplug_lock: { writer: null, readers: [] } },
    rcuReaders: [],
    rcuNextCs: 1,
    rcuPending: [],
    nextUsageId: 1,
    counts: new Map(),
    events: [],
    observations: new Map(),
    trace: [],
    tid: 0,
    thread: 'main',
    op: '',
    weight: 1,
  };
}

/** A deep copy; Usage objects keep their identity relations (section <-> RCU queue). */
export function cloneState(k: KState): KState {
  const usages = new Map<Usage, Usage>();
  const cu = (u: Usage): Usage => {
    let c = usages.get(u);
    if (!c) usages.set(u, (c = { ...u }));
    return c;
  };
  const roots = new Map<number, Map<number, Section>>();
  for (const [r, secs] of k.roots) {
    const m = new Map<number, Section>();
    for (const [i, s] of secs) m.set(i, { ...s, usage: s.usage ? cu(s.usage) : null });
    roots.set(r, m);
  }
  return {
    ...k,
    sortedSections: undefined,
    roots,
    memmap: k.memmap.clone(),
    memblock: k.memblock.map((r) => ({ ...r })),
    pgmaps: new Map([...k.pgmaps].map(([id, p]) => [id, { ...p, altmap: p.altmap ? { ...p.altmap } : null }])),
    spans: k.spans.map((s) => ({ ...s })),
    onlineRam: k.onlineRam.map((r) => ({ ...r })),
    locks: {
      mem_hotplug_lock: { writer: k.locks.mem_hotplug_lock.writer, readers: [...k.locks.mem_hotplug_lock.readers] },
      device_hotplug_lock: { writer: k.locks.device_hotplug_lock.writer, readers: [...k.locks.device_hotplug_lock.readers] },
    },
    rcuReaders: k.rcuReaders.map((r) => ({ ...r })),
    rcuPending: k.rcuPending.map((p) => ({ usage: cu(p.usage), waitFor: [...p.waitFor] })),
    counts: new Map(k.counts),
    events: [...k.events],
    observations: new Map(k.observations),
    trace: [...k.trace],
  };
}

// ---------------------------------------------------------------------------------------------
// Detectors

export const MAX_EVENTS = 200;

export function detect(k: KState, detector: string, count = k.weight, pfn?: number, detail?: string): void {
  k.counts.set(detector, (k.counts.get(detector) ?? 0) + count);
  if (k.events.length < MAX_EVENTS) k.events.push({ detector, thread: k.thread, op: k.op, pfn, detail, count });
}

/** WARN_ON(cond): counted, execution continues. */
export function warnOn(k: KState, cond: boolean, site: string, pfn?: number, count = 1): boolean {
  if (cond) detect(k, `WARN:${site}`, count, pfn);
  return cond;
}

/** VM_BUG_ON / BUG_ON / an oops: counted, and the execution stops here. */
export function crash(k: KState, detector: string, pfn?: number, detail?: string): never {
  detect(k, detector, 1, pfn, detail);
  throw new KernelCrash(detector, `${detector}${pfn !== undefined ? ` at pfn 0x${pfn.toString(16)}` : ''}${detail ? `: ${detail}` : ''}`);
}

export function trace(k: KState, step: string, detail?: string): void {
  k.trace.push({ thread: k.thread, step, detail });
}

export function mutated(k: KState, name: string): boolean {
  return k.mutations.has(name);
}

// ---------------------------------------------------------------------------------------------
// Sections as stored memory

export function rootOf(k: KState, nr: number): number {
  return Math.floor(nr / k.profile.sectionsPerRoot);
}

/** The section struct at nr inside an allocated root (created zeroed on first touch). */
export function sectionSlot(k: KState, nr: number): Section | null {
  const root = k.roots.get(rootOf(k, nr));
  if (!root) return null;
  const idx = nr % k.profile.sectionsPerRoot;
  let s = root.get(idx);
  if (!s) {
    root.set(idx, (s = { nr, map: 0n, usage: null, hotplugged: false }));
    k.sortedSections = undefined;
  }
  return s;
}

/** Every section struct ever touched, sorted by number; rebuilt only when a new one appears. */
export function touchedSections(k: KState): Section[] {
  let all = k.sortedSections;
  if (!all) {
    all = [];
    for (const root of k.roots.values()) for (const s of root.values()) all.push(s);
    all.sort((a, b) => a.nr - b.nr);
    k.sortedSections = all;
  }
  return all;
}

/** Every section with a non-zero section_mem_map or a usage block, in order. */
export function liveSections(k: KState): Section[] {
  return touchedSections(k).filter((s) => s.map !== 0n || s.usage);
}

export const hasFlag = (s: Section, flag: bigint): boolean => flag !== 0n && (s.map & flag) !== 0n;

// ---------------------------------------------------------------------------------------------
// Locks (scheduling guards live in the step points that acquire them)

export function canWrite(k: KState, l: LockName): boolean {
  const s = k.locks[l];
  return s.writer === null && s.readers.length === 0;
}
export function canRead(k: KState, l: LockName): boolean {
  return k.locks[l].writer === null;
}
export function takeWrite(k: KState, l: LockName): void {
  if (!canWrite(k, l)) throw new Error(`${l} taken for write while held`);
  k.locks[l].writer = k.tid;
}
export function dropWrite(k: KState, l: LockName): void {
  k.locks[l].writer = null;
}
export function takeRead(k: KState, l: LockName): void {
  k.locks[l].readers.push(k.tid);
}
export function dropRead(k: KState, l: LockName): void {
  const r = k.locks[l].readers;
  const i = r.indexOf(k.tid);
  if (i >= 0) r.splice(i, 1);
}
