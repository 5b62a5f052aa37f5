// runScenario: build the profile and variants, run the setup, explore the threads' interleavings
// (or the operation sequences), and evaluate the scenario's outcome predicate on every execution.
// Nothing here knows what a scenario "should" yield: the outcome is whatever the runs show.

import { type Bounds, DEFAULT_BOUNDS, type Execution, exploreInterleavings, exploreSequences } from './explore.js';
import { type Profile, makeProfile, sectionFlagsFor } from './profile.js';
import { type Predicate, type Scenario, bytesToPfns, instantiate, loadScenario, parseBig } from './scenario.js';
import { type KState, type TraceEntry, KernelCrash, newState } from './state.js';
import { runOp } from './ops.js';
import { type SlotImpls, resolveImpls } from './variants.js';
import { MUTATIONS } from './mutations.js';

export const MODEL_VERSION = 'loregraph-sparsemem-model 1.0.0';

export type Observed = 'always' | 'sometimes' | 'never';

export interface RunOptions {
  /** applied after the scenario's own variants */
  variants?: readonly string[];
  /** scenario parameters (override the scenario's defaults) */
  params?: Record<string, unknown>;
  /** override the scenario's profile / kernel */
  profile?: string;
  kernel?: string;
  config?: { poison?: boolean; memstart?: string | number };
  /** deliberately broken modelled steps, for mutation testing (see MUTATIONS) */
  mutations?: readonly string[];
  bounds?: Partial<Bounds>;
}

export interface ExecutionSummary {
  schedule: string[];
  trace: TraceEntry[];
  crashed: string | null;
  deadlock: boolean;
  detectors: Record<string, number>;
  observations: Record<string, unknown>;
}

export interface RunResult {
  modelVersion: string;
  scenario: string;
  title: string;
  params: Record<string, unknown>;
  profile: {
    name: string;
    arch: string;
    kernel: string;
    pageShift: number;
    sectionSizeBits: number;
    maxPhysmemBits: number;
    nrMemSections: number;
    sectionsPerRoot: number;
    nrSectionRoots: number;
    pagesPerSection: number;
    pagesPerSubsection: number;
    subsectionsPerSection: number;
    vmemmapStart: string;
    vmemmapEnd: string;
  };
  variants: string[];
  impls: SlotImpls;
  mutations: string[];
  mode: 'interleavings' | 'sequences';
  outcome: { description: string; observed: Observed; satisfied: number; executions: number };
  executions: number;
  exhaustive: boolean;
  /** steps executed over all explored executions */
  stepsExplored: number;
  /** per detector: in how many executions it fired, and its total count */
  detectors: Record<string, { executions: number; total: number }>;
  /** the first execution explored (the default schedule) */
  first: ExecutionSummary;
  /** an execution where the outcome holds / does not hold, if any */
  witness: ExecutionSummary | null;
  counterexample: ExecutionSummary | null;
  elapsedMs: number;
}

export interface RunResultWithState extends RunResult {
  /** the final state of the first execution (for --explain); not serialised */
  finalState: KState;
}

function predicateHolds(p: Predicate, e: Execution): boolean {
  if ('all' in p) return p.all.every((q) => predicateHolds(q, e));
  if ('any' in p) return p.any.some((q) => predicateHolds(q, e));
  if ('not' in p) return !predicateHolds(p.not, e);
  if ('detector' in p) {
    let n = 0;
    if (p.detector.endsWith('*')) {
      const pre = p.detector.slice(0, -1);
      for (const [name, c] of e.state.counts) if (name.startsWith(pre)) n += c;
    } else n = e.state.counts.get(p.detector) ?? 0;
    if (p.equals !== undefined) return n === p.equals;
    return n >= (p.min ?? 1);
  }
  const v = e.state.observations.get(p.observation);
  if (p.equals !== undefined && v !== p.equals) return false;
  if (p.in !== undefined && !p.in.includes(v)) return false;
  if (p.gt !== undefined && !(typeof v === 'number' && v > p.gt)) return false;
  if (p.lt !== undefined && !(typeof v === 'number' && v < p.lt)) return false;
  return v !== undefined;
}

function summarize(e: Execution): ExecutionSummary {
  return {
    schedule: e.schedule,
    trace: e.state.trace,
    crashed: e.crashed,
    deadlock: e.deadlock,
    detectors: Object.fromEntries(e.state.counts),
    observations: Object.fromEntries(e.state.observations),
  };
}

function profileSummary(p: Profile): RunResult['profile'] {
  return {
    name: p.name,
    arch: p.arch,
    kernel: p.kernel.label,
    pageShift: p.pageShift,
    sectionSizeBits: p.sectionSizeBits,
    maxPhysmemBits: p.maxPhysmemBits,
    nrMemSections: p.nrMemSections,
    sectionsPerRoot: p.sectionsPerRoot,
    nrSectionRoots: p.nrSectionRoots,
    pagesPerSection: p.pagesPerSection,
    pagesPerSubsection: p.pagesPerSubsection,
    subsectionsPerSection: p.subsectionsPerSection,
    vmemmapStart: '0x' + p.layout.vmemmapStart.toString(16),
    vmemmapEnd: '0x' + p.layout.vmemmapEnd.toString(16),
  };
}

/** Build the initial model state of a scenario (profile, variants, memblock) before any op. */
export function initialState(s: Scenario, opts: RunOptions = {}): KState {
  const cfgIn = { ...s.config, ...opts.config };
  const profile = makeProfile(opts.profile ?? s.profile, opts.kernel ?? s.kernel, { pageExtension: cfgIn.pageExtension });
  const variants = [...(s.variants ?? []), ...(opts.variants ?? [])];
  const impls = resolveImpls(profile.arch, profile.kernel, variants);
  // A TAINT_ZONE_DEVICE patch applied to an older kernel brings its flag bit (1f90a3477df3, §2).
  if (impls.zone_device_taint === 'v5.12' && profile.flags.TAINT_ZONE_DEVICE === 0n) {
    const f = sectionFlagsFor({ label: 'v5.12', code: 512, next2019: false });
    profile.flags = { ...f, NID_SHIFT: profile.flags.NID_SHIFT };
  }
  for (const m of opts.mutations ?? []) if (!MUTATIONS.some((x) => x.name === m)) throw new Error(`unknown mutation '${m}'`);
  const firstBase = s.memory.length ? parseBig(s.memory[0].base) : 0n;
  const memstart = cfgIn.memstart !== undefined ? parseBig(cfgIn.memstart) : (firstBase >> 30n) << 30n; // assumed: DRAM start rounded down to 1 GiB
  const k = newState(profile, impls, { poison: cfgIn.poison ?? true, memstart, pageExtension: !!cfgIn.pageExtension }, new Set(opts.mutations ?? []));
  const regions = s.memory.map((m) => {
    const start = bytesToPfns(profile, m.base, 'memory base');
    return { start, end: start + bytesToPfns(profile, m.size, 'memory size'), nid: m.nid ?? 0, nomap: !!m.nomap };
  });
  k.memblock = regions.sort((a, b) => a.start - b.start);
  k.maxPfn = Math.max(0, ...regions.map((r) => r.end));
  return k;
}

function runSetup(k: KState, s: Scenario): string | null {
  try {
    for (const op of s.setup ?? []) {
      const g = runOp(k, op);
      for (let r = g.next(); !r.done; r = g.next()) {
        if (r.value.guard && !r.value.guard(k)) throw new Error(`setup step '${r.value.label}' blocks`);
      }
    }
    return null;
  } catch (e) {
    if (e instanceof KernelCrash) return e.message;
    throw e;
  }
}

/** Run a scenario (an instantiated Scenario object, or a name/path plus options.params). */
export function runScenario(scenario: Scenario | string, opts: RunOptions = {}): RunResultWithState {
  const t0 = performance.now();
  const s = typeof scenario === 'string' ? loadScenario(scenario, opts.params) : opts.params ? instantiate(scenario, opts.params) : scenario;
  const bounds: Bounds = { ...DEFAULT_BOUNDS, ...s.bounds, ...opts.bounds };
  const k = initialState(s, opts);
  const setupCrash = runSetup(k, s);
  let satisfied = 0;
  let total = 0;
  let first: Execution | null = null;
  let witness: Execution | null = null;
  let counter: Execution | null = null;
  const detectors: Record<string, { executions: number; total: number }> = {};
  const onExecution = (e: Execution): void => {
    total++;
    first ??= e;
    const holds = predicateHolds(s.outcome.when, e);
    if (holds) {
      satisfied++;
      witness ??= e;
    } else counter ??= e;
    for (const [name, c] of e.state.counts) {
      const d = (detectors[name] ??= { executions: 0, total: 0 });
      d.executions++;
      d.total += c;
    }
  };
  let report;
  let mode: RunResult['mode'] = 'interleavings';
  if (setupCrash) {
    onExecution({ schedule: [], state: k, crashed: setupCrash, deadlock: false, truncated: false });
    report = { executions: 1, exhaustive: true, steps: 0 };
  } else if (s.sequences) {
    mode = 'sequences';
    report = exploreSequences(k, s.sequences.choices, s.sequences.depth, s.sequences.checkAfterEach ?? [], bounds, onExecution);
  } else {
    report = exploreInterleavings(k, s.threads ?? [], bounds, onExecution);
  }
  const firstExec = first as Execution | null;
  if (!firstExec) throw new Error(`scenario ${s.name} explored no execution`);
  const observed: Observed = satisfied === 0 ? 'never' : satisfied === total ? 'always' : 'sometimes';
  const w = witness as Execution | null;
  const c = counter as Execution | null;
  return {
    modelVersion: MODEL_VERSION,
    scenario: s.name,
    title: s.title,
    params: s.params ?? {},
    profile: profileSummary(k.profile),
    variants: [...(s.variants ?? []), ...(opts.variants ?? [])],
    impls: k.impls,
    mutations: [...(opts.mutations ?? [])],
    mode,
    outcome: { description: s.outcome.description, observed, satisfied, executions: total },
    executions: report.executions,
    exhaustive: report.exhaustive,
    stepsExplored: report.steps,
    detectors,
    first: summarize(firstExec),
    witness: w ? summarize(w) : null,
    counterexample: c ? summarize(c) : null,
    elapsedMs: performance.now() - t0,
    finalState: firstExec.state,
  };
}
