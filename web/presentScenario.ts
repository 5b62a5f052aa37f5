// The scenario pages as the HTML templates draw them: outcome label, trace rows, detector table,
// the re-run form's fields, and URLs that name the same run (page, JSON, SVG map).
import { VARIANTS, type ExecutionSummary } from '../analysis/sparsemem/index.js';
import type { RunRequest } from './model/runTypes.js';
import type { Comparison, RunView, ScenarioData, ScenarioListData } from './scenarioPages.js';

const OBSERVED_TEXT: Record<string, string> = { always: 'Always', sometimes: 'Sometimes', never: 'Never' };

/** The query string naming a run's inputs (empty for a scenario's defaults). */
export function runQuery(request: RunRequest, defaults?: RunRequest['bounds']): string {
  const qs = new URLSearchParams();
  if (request.variants.length) qs.set('variants', request.variants.join(','));
  for (const [k, v] of Object.entries(request.params)) qs.set(`p.${k}`, String(v));
  if (request.kernel) qs.set('kernel', request.kernel);
  if (request.profile) qs.set('profile', request.profile);
  if (!defaults || defaults.maxExecutions !== request.bounds.maxExecutions) qs.set('maxExecutions', String(request.bounds.maxExecutions));
  if (!defaults || defaults.maxSteps !== request.bounds.maxSteps) qs.set('maxSteps', String(request.bounds.maxSteps));
  const s = qs.toString();
  return s ? `?${s}` : '';
}

export function scenarioUrl(name: string): string {
  return `/scenario/${encodeURIComponent(name)}`;
}

function traceRows(e: ExecutionSummary | null) {
  if (!e) return null;
  return {
    crashed: e.crashed,
    deadlock: e.deadlock,
    steps: e.trace.map((t, i) => ({ n: i + 1, thread: t.thread, step: t.step, detail: t.detail ?? '' })),
    detectors: Object.entries(e.detectors).map(([name, count]) => ({ name, count })),
    observations: Object.entries(e.observations).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) })),
  };
}

export function presentScenarioList(d: ScenarioListData) {
  return {
    title: 'Model scenarios',
    ...d,
    scenarios: d.scenarios.map((s) => ({ ...s, url: scenarioUrl(s.name) })),
  };
}

/** One run as the templates draw it: outcome, detectors, traces, the map and the URLs naming the run. */
export function presentRun(name: string, run: RunView, defaults: RunRequest['bounds'], comparison: Comparison | null) {
  const r = run.result;
  const base = scenarioUrl(name);
  const q = runQuery(run.request, defaults);
  return {
    request: run.request,
    fresh: run.fresh,
    observed: r.outcome.observed,
    observedText: OBSERVED_TEXT[r.outcome.observed] ?? r.outcome.observed,
    outcome: r.outcome,
    exhaustive: r.exhaustive,
    executions: r.executions,
    stepsExplored: r.stepsExplored,
    elapsedMs: Math.round(r.elapsedMs),
    mode: r.mode,
    runVariants: r.variants,
    profile: r.profile,
    impls: Object.entries(r.impls).map(([slot, impl]) => ({ slot, impl })),
    detectors: Object.entries(r.detectors).map(([dname, c]) => ({ name: dname, executions: c.executions, total: c.total })),
    first: traceRows(r.first),
    witness: r.outcome.observed === 'sometimes' ? traceRows(r.witness) : null,
    counterexample: r.outcome.observed === 'sometimes' ? traceRows(r.counterexample) : null,
    mapText: run.mapText,
    mapUrl: `${base}/map.svg${runQuery(run.request)}`,
    permalink: `${base}${q}`,
    comparison,
  };
}

/** The re-run form's variant boxes: every variant of the model, the chosen ones ticked. */
export function variantChoices(own: readonly string[], chosen: readonly string[]) {
  const ownSet = new Set(own);
  const chosenSet = new Set(chosen);
  return VARIANTS.map((v) => ({
    name: v.name,
    description: v.description,
    arch: v.arch ?? null,
    own: ownSet.has(v.name),
    checked: chosenSet.has(v.name),
  }));
}

export function presentScenario(d: ScenarioData) {
  const base = scenarioUrl(d.scenario.name);
  return {
    title: `scenario ${d.scenario.name}`,
    modelVersion: d.modelVersion,
    scenario: d.scenario,
    params: Object.entries(d.scenario.params).map(([name, value]) => ({
      name,
      field: `p.${name}`,
      value: String(value),
      overridden: Object.hasOwn(d.run.request.params, name),
    })),
    caps: d.caps,
    ...presentRun(d.scenario.name, d.run, d.scenario.bounds, d.comparison),
    runAction: `${base}/run`,
    variantChoices: variantChoices(d.scenario.variants, d.run.request.variants),
    rerunsLeft: d.rerunsLeft,
  };
}
