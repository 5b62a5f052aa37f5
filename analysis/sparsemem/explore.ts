// Exhaustive exploration. Interleavings: a depth-first enumeration of every schedule of the
// threads' steps (each execution replays its prefix on a fresh clone of the post-setup state, then
// takes the first enabled thread; every other enabled thread at every later point becomes a new
// prefix, so each schedule is run exactly once). Sequences: every sequence of operations of a given
// length over an alphabet, invariants checked after each. Both stop at maxExecutions and say
// whether they finished.

import { runOp, checkInvariant, opLabel } from './ops.js';
import { rcuCallbacksReady, rcuGracePeriod } from './mm/sections.js';
import type { InvariantName, OpSpec } from './scenario.js';
import { type KState, KernelCrash, cloneState, detect } from './state.js';
import { type Gen, type StepPoint, point } from './steps.js';

export interface Bounds {
  maxExecutions: number;
  maxSteps: number;
}

export const DEFAULT_BOUNDS: Bounds = { maxExecutions: 200_000, maxSteps: 10_000 };

export interface Execution {
  /** "thread: step" for every step run, in order */
  schedule: string[];
  state: KState;
  crashed: string | null;
  deadlock: boolean;
  truncated: boolean;
}

export interface ExploreReport {
  executions: number;
  exhaustive: boolean;
  steps: number;
}

interface ThreadSpec {
  name: string;
  daemon: boolean;
  body: (k: KState) => Gen<void>;
}

interface Live {
  spec: ThreadSpec;
  gen: Gen<void>;
  pending: StepPoint | null;
  op: string;
  weight: number;
}

function* opsThread(k: KState, ops: readonly OpSpec[]): Gen<void> {
  for (const op of ops) yield* runOp(k, op);
}

/** The RCU grace-period machinery, as a thread that may run whenever callbacks are ready. */
function* rcuDaemon(k: KState): Gen<void> {
  for (;;) {
    yield point('rcu: grace period ends, kfree_rcu callbacks run', rcuCallbacksReady);
    rcuGracePeriod(k);
  }
}

export function threadSpecs(threads: readonly { name: string; ops: readonly OpSpec[] }[]): ThreadSpec[] {
  return [
    ...threads.map((t) => ({ name: t.name, daemon: false, body: (k: KState) => opsThread(k, t.ops) })),
    { name: 'rcu', daemon: true, body: rcuDaemon },
  ];
}

function switchTo(k: KState, tid: number, th: Live): void {
  k.tid = tid;
  k.thread = th.spec.name;
  k.op = th.op;
  k.weight = th.weight;
}

function execute(initial: KState, specs: ThreadSpec[], prefix: readonly number[], bounds: Bounds, inPlace: boolean): { exec: Execution; choices: number[]; enabledAt: number[][] } {
  const k = inPlace ? initial : cloneState(initial);
  const live: Live[] = specs.map((spec) => ({ spec, gen: spec.body(k), pending: null, op: '', weight: 1 }));
  const schedule: string[] = [];
  const choices: number[] = [];
  const enabledAt: number[][] = [];
  let crashed: string | null = null;
  let deadlock = false;
  let truncated = false;
  const step = (i: number): void => {
    const th = live[i];
    switchTo(k, i, th);
    const r = th.gen.next();
    th.op = k.op;
    th.weight = k.weight;
    th.pending = r.done ? null : r.value;
  };
  const done = new Set<number>();
  try {
    // every body starts with a scheduling point: priming runs no model code
    for (let i = 0; i < live.length; i++) {
      step(i);
      if (!live[i].pending) done.add(i);
    }
    for (;;) {
      if (!live.some((t, i) => !t.spec.daemon && !done.has(i))) break;
      const enabled: number[] = [];
      for (let i = 0; i < live.length; i++) {
        const p = live[i].pending;
        if (!done.has(i) && p && (!p.guard || p.guard(k))) enabled.push(i);
      }
      if (enabled.length === 0) {
        deadlock = true;
        detect(k, 'deadlock', 1);
        break;
      }
      if (schedule.length >= bounds.maxSteps) {
        truncated = true;
        break;
      }
      const pos = choices.length;
      const choice = pos < prefix.length ? prefix[pos] : enabled[0];
      if (!enabled.includes(choice)) throw new Error('replayed schedule diverged: the model is not deterministic');
      enabledAt.push(enabled);
      choices.push(choice);
      schedule.push(`${live[choice].spec.name}: ${(live[choice].pending as StepPoint).label}`);
      step(choice);
      if (!live[choice].pending) done.add(choice);
    }
    if (!crashed && !deadlock) {
      k.rcuReaders = [];
      rcuGracePeriod(k);
    }
  } catch (e) {
    if (!(e instanceof KernelCrash)) throw e;
    crashed = e.message;
  }
  return { exec: { schedule, state: k, crashed, deadlock, truncated }, choices, enabledAt };
}

/** Every interleaving of the threads' steps from the given state. */
export function exploreInterleavings(
  initial: KState,
  threads: readonly { name: string; ops: readonly OpSpec[] }[],
  bounds: Bounds,
  onExecution: (e: Execution) => void,
): ExploreReport {
  const specs = threadSpecs(threads);
  // One thread and no kfree_rcu(): there is exactly one schedule, so it may run on the given state
  // itself instead of a copy (a terabyte layout is costly to copy). Checked below.
  const single = threads.length <= 1 && initial.impls.section_deactivate !== 'v6.8';
  const stack: number[][] = [[]];
  let executions = 0;
  let steps = 0;
  while (stack.length > 0) {
    if (executions >= bounds.maxExecutions) return { executions, exhaustive: false, steps };
    const prefix = stack.pop() as number[];
    const { exec, choices, enabledAt } = execute(initial, specs, prefix, bounds, single);
    if (single && enabledAt.some((e) => e.length > 1)) throw new Error('internal: a single-thread scenario had a scheduling choice');
    executions++;
    steps += choices.length;
    onExecution(exec);
    for (let i = choices.length - 1; i >= prefix.length; i--) {
      for (const alt of enabledAt[i]) if (alt !== choices[i]) stack.push([...choices.slice(0, i), alt]);
    }
    if (exec.truncated) return { executions, exhaustive: false, steps };
  }
  return { executions, exhaustive: true, steps };
}

/** Run one operation to completion, alone (sequence exploration). */
function runAlone(k: KState, op: OpSpec): string | null {
  const g = runOp(k, op);
  try {
    for (;;) {
      const r = g.next();
      if (r.done) break;
    }
    k.rcuReaders = [];
    rcuGracePeriod(k);
    return null;
  } catch (e) {
    if (!(e instanceof KernelCrash)) throw e;
    return e.message;
  }
}

/** Every sequence of `depth` operations drawn from `choices`, invariants checked after each. */
export function exploreSequences(
  initial: KState,
  choices: readonly OpSpec[],
  depth: number,
  invariants: readonly InvariantName[],
  bounds: Bounds,
  onExecution: (e: Execution) => void,
): ExploreReport {
  let executions = 0;
  let steps = 0;
  let exhaustive = true;
  const dfs = (k: KState, path: string[], left: number): void => {
    if (!exhaustive) return;
    if (left === 0) {
      if (executions >= bounds.maxExecutions) {
        exhaustive = false;
        return;
      }
      executions++;
      onExecution({ schedule: path, state: k, crashed: null, deadlock: false, truncated: false });
      return;
    }
    for (const op of choices) {
      const next = cloneState(k);
      steps++;
      const crashed = runAlone(next, op);
      for (const inv of invariants) checkInvariant(next, inv);
      const label = `main: ${opLabel(op)}`;
      if (crashed) {
        executions++;
        onExecution({ schedule: [...path, label], state: next, crashed, deadlock: false, truncated: false });
        continue;
      }
      dfs(next, [...path, label], left - 1);
    }
  };
  dfs(initial, [], depth);
  return { executions, exhaustive, steps };
}
