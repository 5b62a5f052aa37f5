// The runner: each linked check is run on the model for every planned variant and case, and the
// verdict is derived from what the runs observed, the claim's polarity and whether exploration was
// exhaustive within the bounds. A run keeps everything needed to reproduce it (scenario, params,
// variants, kernel, profile, bounds, model version) and a hash of those inputs.
import { createHash } from 'node:crypto';
import { DEFAULT_BOUNDS, loadScenario, MODEL_VERSION, runScenario, type Bounds, type ExecutionSummary, type RunResult, type Scenario } from '../sparsemem/index.js';
import { findCheck, MODAL } from './catalog.js';
import type { CheckCase, CheckRun, CheckVerdict, ClaimContext, ClaimLink, ClaimVerdict, LinkResult, Polarity, TraceSummary, VariantPlan, VariantRole, VariantVerdict, Verdict } from './types.js';

type Decided = Exclude<Verdict, 'unchecked'>;

/** Steps kept per trace; the rest are counted in `omitted` (walkers over terabytes make long traces). */
const MAX_TRACE_STEPS = 400;

/** JSON with object keys sorted, so equal inputs hash equally. */
function canonical(v: unknown): string {
  if (typeof v === 'bigint') return JSON.stringify(v.toString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The inputs a run depends on; their hash identifies the run. */
export interface RunInputs {
  check: string;
  case: string;
  scenario: string;
  params: Record<string, unknown>;
  outcome?: CheckCase['outcome'];
  polarity: Polarity;
  role: VariantRole;
  label: string;
  variants: string[];
  kernel: string;
  profile: string;
  bounds: Partial<Bounds>;
  modal: boolean;
}

/** The scenario of a case with the plan's code only: a scenario's own `variants` are its default, not the claim's. */
function instantiateCase(inp: RunInputs): Scenario {
  const s = { ...loadScenario(inp.scenario, inp.params), variants: [] };
  return inp.outcome ? { ...s, outcome: inp.outcome } : s;
}

export function inputHash(inp: RunInputs, scenario: Scenario): string {
  const { template: _t, ...doc } = scenario;
  void _t;
  const material = { modelVersion: MODEL_VERSION, check: inp.check, case: inp.case, scenario: doc, variants: inp.variants, kernel: inp.kernel, profile: inp.profile, bounds: { ...DEFAULT_BOUNDS, ...scenario.bounds, ...inp.bounds }, polarity: inp.polarity, modal: inp.modal };
  return createHash('sha256').update(canonical(material)).digest('hex');
}

function verdictOf(r: RunResult, polarity: Polarity, modal: boolean): { verdict: Decided; why: string; trace: 'witness' | 'counterexample' | 'first' } {
  const { observed, satisfied, executions } = r.outcome;
  const bounded = `${executions} execution${executions === 1 ? '' : 's'}${r.exhaustive ? ', exhaustive within the bounds' : `, cut off at the bounds (${r.executions} explored)`}`;
  const what = r.outcome.description;
  if (polarity === 'outcome-happens') {
    if (observed === 'always') return { verdict: 'confirmed', why: `observed in every execution (${bounded}): ${what}`, trace: 'witness' };
    if (observed === 'sometimes') {
      return { verdict: 'confirmed', why: `observed in ${satisfied} of ${executions} executions (${r.exhaustive ? 'exhaustive' : 'bounded'}): it can happen${modal ? ', as the claim says' : ''}: ${what}`, trace: 'witness' };
    }
    return r.exhaustive
      ? { verdict: 'refuted', why: `never observed (${bounded}); the outcome checked: ${what}`, trace: 'first' }
      : { verdict: 'inconclusive', why: `not observed, but exploration was not exhaustive (${bounded})`, trace: 'first' };
  }
  if (observed !== 'never') return { verdict: 'refuted', why: `counterexample in ${satisfied} of ${executions} executions: ${what}`, trace: 'witness' };
  return r.exhaustive
    ? { verdict: 'confirmed', why: `holds in every explored execution (${bounded}): never ${what}`, trace: 'first' }
    : { verdict: 'inconclusive', why: `no counterexample, but exploration was not exhaustive (${bounded})`, trace: 'first' };
}

function traceOf(kind: TraceSummary['kind'], e: ExecutionSummary): TraceSummary & { omitted: number } {
  return {
    kind,
    schedule: e.schedule.slice(0, MAX_TRACE_STEPS),
    steps: e.trace.slice(0, MAX_TRACE_STEPS).map((t) => ({ thread: t.thread, step: t.step, ...(t.detail !== undefined ? { detail: t.detail } : {}) })),
    omitted: Math.max(0, e.trace.length - MAX_TRACE_STEPS),
    crashed: e.crashed,
    detectors: e.detectors,
    observations: Object.fromEntries(Object.entries(e.observations).map(([k, v]) => [k, typeof v === 'bigint' ? '0x' + v.toString(16) : v])),
  };
}

/**
 * Runs already made in this process, by input hash (plus the label, which the hash leaves out): the
 * same quoted claim in ten replies is one run. Runs are pure in their inputs, so this only saves time.
 */
const memo = new Map<string, CheckRun>();
const MEMO_SIZE = 512;

/** Run one case of a check on one variant. Pure given its inputs: the same inputs give the same run. */
export function runCase(inp: RunInputs, opts: { fresh?: boolean } = {}): CheckRun {
  const scenario = instantiateCase(inp);
  const key = `${inputHash(inp, scenario)} ${inp.role} ${inp.label}`;
  const known = opts.fresh ? undefined : memo.get(key);
  if (known) return structuredClone(known);
  const run = execute(inp, scenario);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value ?? '');
  memo.set(key, run);
  return structuredClone(run);
}

function execute(inp: RunInputs, scenario: Scenario): CheckRun {
  const r = runScenario(scenario, { variants: inp.variants, kernel: inp.kernel, profile: inp.profile, bounds: inp.bounds });
  const v = verdictOf(r, inp.polarity, inp.modal);
  const exec = v.trace === 'witness' ? r.witness : v.trace === 'counterexample' ? r.counterexample : r.first;
  return {
    check: inp.check,
    case: inp.case,
    scenario: inp.scenario,
    params: scenario.params ?? inp.params,
    outcome: scenario.outcome,
    polarity: inp.polarity,
    role: inp.role,
    label: inp.label,
    variants: inp.variants,
    kernel: r.profile.kernel,
    profile: r.profile.name,
    bounds: { ...DEFAULT_BOUNDS, ...scenario.bounds, ...inp.bounds },
    modelVersion: r.modelVersion,
    observed: r.outcome.observed,
    satisfied: r.outcome.satisfied,
    executions: r.outcome.executions,
    exhaustive: r.exhaustive,
    stepsExplored: r.stepsExplored,
    detectors: r.detectors,
    trace: traceOf(exec ? v.trace : 'first', exec ?? r.first),
    verdict: v.verdict,
    why: v.why,
    inputHash: inputHash(inp, scenario),
    modal: inp.modal,
  };
}

/** Re-run a recorded run from its own inputs on the model (never from the memo): what `loregraph check` does to reproduce a verdict. */
export function rerun(run: CheckRun): CheckRun {
  return runCase({
    check: run.check,
    case: run.case,
    scenario: run.scenario,
    params: run.params,
    outcome: run.outcome,
    polarity: run.polarity,
    role: run.role,
    label: run.label,
    variants: run.variants,
    kernel: run.kernel,
    profile: run.profile,
    bounds: run.bounds,
    modal: run.modal,
  }, { fresh: true });
}

/** Several cases on one variant: all agree, or the verdict is inconclusive (mixed). */
function combineCases(runs: CheckRun[]): { verdict: Decided; why: string } {
  const kinds = new Set(runs.map((r) => r.verdict));
  if (kinds.size === 1) {
    const [only] = kinds;
    return { verdict: only, why: runs.length === 1 ? runs[0].why : `${only} in all ${runs.length} cases: ${runs.map((r) => `${r.case}: ${r.why}`).join('; ')}` };
  }
  return { verdict: 'inconclusive', why: `mixed: ${runs.map((r) => `${r.case} ${r.verdict}`).join(', ')}` };
}

export function runVariant(link: ClaimLink, plan: VariantPlan, modal: boolean): VariantVerdict {
  const check = findCheck(link.check);
  if (!check) throw new Error(`unknown check ${link.check}`);
  const runs = link.plan.cases.map((c) =>
    runCase({ check: check.name, case: c.id, scenario: c.scenario, params: c.params, outcome: c.outcome, polarity: link.plan.polarity, role: plan.role, label: plan.label, variants: plan.variants, kernel: plan.kernel, profile: plan.profile, bounds: check.bounds, modal }),
  );
  const { verdict, why } = combineCases(runs);
  return { role: plan.role, appliesPatch: plan.appliesPatch, label: plan.label, variants: plan.variants, kernel: plan.kernel, profile: plan.profile, verdict, why, runs };
}

/** Run every planned variant of a link; the check's verdict is the one on the code under review. */
export function runLink(link: ClaimLink, modal: boolean): CheckVerdict {
  const variants = link.plan.variants.map((p) => runVariant(link, p, modal));
  const primary = variants.find((v) => v.role === 'under-review') ?? variants[0];
  return { check: link.check, polarity: link.plan.polarity, reasons: link.plan.reasons, verdict: primary.verdict, variants };
}

/** Run the links of a claim and derive the claim's verdict (unchecked, with the reason, when none). */
export function verdictFor(ctx: ClaimContext, linked: LinkResult): ClaimVerdict {
  const base = { claimId: ctx.claim.id, msgid: ctx.claim.msgid, text: ctx.claim.text, nearMisses: linked.nearMisses };
  if (linked.links.length === 0) return { ...base, verdict: 'unchecked', why: linked.unchecked ?? 'no check applies', checks: [] };
  const modal = MODAL.test(ctx.claim.text);
  const checks = linked.links.map((l) => runLink(l, modal));
  const kinds = new Set(checks.map((c) => c.verdict));
  let verdict: Verdict;
  let why: string;
  if (kinds.size === 1) {
    verdict = checks[0].verdict;
    why = checks.map((c) => `${c.check}: ${c.variants.find((v) => v.role === 'under-review')?.why ?? ''}`).join('; ');
  } else {
    verdict = 'inconclusive';
    why = `the checks disagree: ${checks.map((c) => `${c.check} ${c.verdict}`).join(', ')}`;
  }
  return { ...base, verdict, why, checks };
}
