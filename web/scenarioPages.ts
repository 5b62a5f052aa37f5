// The scenario pages: the list of the model's scenarios, one scenario run (outcome, trace,
// detectors, the section map) and its re-run. Runs go through the ModelRunner (a worker per run,
// bounded in executions, steps and time); re-runs are POSTs, rate-limited per server.
import type { Request } from 'express';
import {
  ARCH_CONFIGS,
  DEFAULT_BOUNDS,
  KERNEL_LABELS,
  MODEL_VERSION,
  VARIANTS,
  listScenarioFiles,
  loadScenario,
  type RunResult,
  type Scenario,
} from '../analysis/sparsemem/index.js';
import { badRequest, notFound } from './errors.js';
import { intParam, stringParam } from './params.js';
import type { SlidingWindowLimit } from './rateLimit.js';
import type { ModelRunner } from './model/runner.js';
import type { RunRequest } from './model/runTypes.js';

/** What a web request may ask of the model at most. */
export const RUN_CAPS = { maxExecutions: 20_000, maxSteps: 10_000 } as const;

export interface ModelContext {
  runner: ModelRunner;
  rerunLimit: SlidingWindowLimit;
}

export interface ScenarioSummary {
  name: string;
  title: string;
  profile: string;
  kernel: string;
  variants: string[];
  mode: 'interleavings' | 'sequences';
  params: Record<string, unknown>;
}

export interface ScenarioListData {
  modelVersion: string;
  scenarios: ScenarioSummary[];
  variants: { name: string; description: string; source: string; arch: string | null }[];
}

export interface RunView {
  request: RunRequest;
  result: RunResult;
  /** The section map of the first execution's final state, as text (the SVG is at mapUrl). */
  mapText: string;
  /** Whether this run was made for this request (a re-run) or reused from an earlier one. */
  fresh: boolean;
}

export interface Comparison {
  /** Which earlier run the fresh one is compared with. */
  against: 'same-inputs' | 'scenario-defaults' | null;
  previous: { observed: string; exhaustive: boolean; executions: number; variants: string[] } | null;
  sameVerdict: boolean | null;
}

export interface ScenarioData {
  modelVersion: string;
  scenario: ScenarioSummary & {
    description: string | null;
    sources: string[];
    claims: string[];
    outcome: string;
    /** The bounds a run gets when none are asked for (the scenario's, capped). */
    bounds: { maxExecutions: number; maxSteps: number };
  };
  caps: typeof RUN_CAPS;
  run: RunView;
  comparison: Comparison | null;
  rerunsLeft: number;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,100}$/;
const PARAM_TEXT = /^[A-Za-z0-9_.:+-]{1,64}$/;

function summarize(s: Scenario): ScenarioSummary {
  return {
    name: s.name,
    title: s.title,
    profile: s.profile,
    kernel: s.kernel,
    variants: [...(s.variants ?? [])],
    mode: s.sequences ? 'sequences' : 'interleavings',
    params: { ...(s.params ?? {}) },
  };
}

let listCache: ScenarioListData | null = null;

/** The shipped scenarios are read once: they are files of the installation, not of the store. */
export function loadScenarioList(): ScenarioListData {
  listCache ??= {
    modelVersion: MODEL_VERSION,
    scenarios: listScenarioFiles().map((f) => summarize(loadScenario(f.name))),
    variants: VARIANTS.map((v) => ({ name: v.name, description: v.description, source: v.source, arch: v.arch ?? null })),
  };
  return listCache;
}

/** A scenario named in a URL: only names of the shipped files are accepted (never a path). */
export function scenarioName(raw: unknown): string {
  if (typeof raw !== 'string' || !NAME.test(raw)) throw badRequest('a scenario name is lower-case letters, digits and dashes');
  if (!listScenarioFiles().some((f) => f.name === raw)) throw notFound(`no scenario '${raw}' (see /scenario for the list)`);
  return raw;
}

/** Variant names, each checked against the model's VARIANTS. */
export function variantList(raw: unknown, field: string): string[] {
  const items: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v !== 'string') throw badRequest(`'${field}' must be text`);
    for (const part of v.split(',')) if (part.trim() !== '') items.push(part.trim());
  };
  if (Array.isArray(raw)) raw.forEach(push);
  else if (raw !== undefined) push(raw);
  if (items.length > VARIANTS.length) throw badRequest(`at most ${VARIANTS.length} variants`);
  for (const v of items) {
    if (!VARIANTS.some((k) => k.name === v)) {
      throw badRequest(`unknown variant '${v.slice(0, 80)}' (known: ${VARIANTS.map((k) => k.name).join(', ')})`);
    }
  }
  return [...new Set(items)];
}

/** `p.NAME` fields: overrides of the parameters the scenario declares, typed like their defaults. */
function paramOverrides(fields: Record<string, unknown>, declared: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(fields)) {
    if (!key.startsWith('p.')) continue;
    const name = key.slice(2);
    if (!Object.hasOwn(declared, name)) {
      throw badRequest(`the scenario has no parameter '${name.slice(0, 60)}' (it has: ${Object.keys(declared).join(', ') || 'none'})`);
    }
    if (typeof raw !== 'string') throw badRequest(`'${key}' must be given once, as text`);
    const v = raw.trim();
    if (v === '') continue;
    const def = declared[name];
    if (typeof def === 'number') {
      if (!/^-?\d{1,15}$/.test(v)) throw badRequest(`'${key}' must be a whole number, like its default ${def}`);
      out[name] = Number(v);
    } else if (typeof def === 'boolean') {
      if (v !== 'true' && v !== 'false') throw badRequest(`'${key}' must be true or false`);
      out[name] = v === 'true';
    } else {
      if (!PARAM_TEXT.test(v)) throw badRequest(`'${key}' must be 1 to 64 letters, digits or _ . : + -`);
      out[name] = v;
    }
  }
  return out;
}

function boundsOf(fields: Record<string, unknown>, scenario: Scenario): { maxExecutions: number; maxSteps: number } {
  const own = { ...DEFAULT_BOUNDS, ...(scenario.bounds ?? {}) };
  const dflt = { maxExecutions: Math.min(own.maxExecutions, RUN_CAPS.maxExecutions), maxSteps: Math.min(own.maxSteps, RUN_CAPS.maxSteps) };
  return {
    maxExecutions: intParam(fields, 'maxExecutions', { min: 1, max: RUN_CAPS.maxExecutions, fallback: dflt.maxExecutions }),
    maxSteps: intParam(fields, 'maxSteps', { min: 1, max: RUN_CAPS.maxSteps, fallback: dflt.maxSteps }),
  };
}

/** A kernel or profile override: one of the model's own names. */
function choice(fields: Record<string, unknown>, name: 'kernel' | 'profile', known: readonly string[]): string | undefined {
  const v = stringParam(fields, name, 64);
  if (v === undefined) return undefined;
  if (!known.includes(v)) throw badRequest(`unknown ${name} '${v}' (known: ${known.join(', ')})`);
  return v;
}

/** The run a set of fields (query string or form) asks for; the scenario's own variants are applied by the model first. */
export function runRequest(name: string, fields: Record<string, unknown>): { request: RunRequest; scenario: Scenario } {
  const scenario = loadScenario(name);
  const variants = variantList(fields.variant ?? fields.variants, fields.variant !== undefined ? 'variant' : 'variants');
  const params = paramOverrides(fields, scenario.params ?? {});
  const request: RunRequest = { scenario: name, variants, params, bounds: boundsOf(fields, scenario) };
  const kernel = choice(fields, 'kernel', KERNEL_LABELS);
  const profile = choice(fields, 'profile', ARCH_CONFIGS.map((c) => c.name));
  if (kernel) request.kernel = kernel;
  if (profile) request.profile = profile;
  return { scenario, request };
}

function describe(scenario: Scenario, request: RunRequest): ScenarioData['scenario'] {
  const withParams = Object.keys(request.params).length ? loadScenario(scenario.name, request.params) : scenario;
  return {
    ...summarize(withParams),
    description: withParams.description?.trim() ?? null,
    sources: [...(withParams.sources ?? [])],
    claims: [...(withParams.claims ?? [])],
    outcome: withParams.outcome.description,
    bounds: boundsOf({}, scenario),
  };
}

/** Instantiating with bad parameters (an unknown kernel, say) is the caller's mistake: a 400. */
function checked<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof Error && !('status' in err) && /invalid scenario|unknown|no scenario/i.test(err.message)) throw badRequest(err.message);
    throw err;
  }
}

export async function loadScenarioPage(models: ModelContext, req: Request): Promise<ScenarioData> {
  const name = scenarioName(req.params.name);
  const query = req.query as Record<string, unknown>;
  for (const key of ['variants', 'maxExecutions', 'maxSteps']) stringParam(query, key, 2000);
  const { scenario, request } = checked(() => runRequest(name, query));
  const reply = await models.runner.get(request);
  return {
    modelVersion: MODEL_VERSION,
    scenario: checked(() => describe(scenario, request)),
    caps: RUN_CAPS,
    run: { request, result: reply.result, mapText: reply.text, fresh: false },
    comparison: null,
    rerunsLeft: models.rerunLimit.remaining(),
  };
}

/** POST …/run: a fresh run with the form's variants, parameters and bounds, compared with the previous verdict. */
export async function rerunScenario(models: ModelContext, req: Request): Promise<ScenarioData> {
  const name = scenarioName(req.params.name);
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('the form could not be read');
  const { scenario, request } = checked(() => runRequest(name, body));
  const described = checked(() => describe(scenario, request));
  models.rerunLimit.take('re-runs');
  const defaults = checked(() => runRequest(name, {})).request;
  const sameInputs = models.runner.cached(request);
  const before = sameInputs ?? models.runner.cached(defaults);
  const reply = await models.runner.fresh(request);
  const comparison: Comparison = before
    ? {
        against: sameInputs ? 'same-inputs' : 'scenario-defaults',
        previous: {
          observed: before.result.outcome.observed,
          exhaustive: before.result.exhaustive,
          executions: before.result.executions,
          variants: before.result.variants,
        },
        sameVerdict: before.result.outcome.observed === reply.result.outcome.observed && before.result.exhaustive === reply.result.exhaustive,
      }
    : { against: null, previous: null, sameVerdict: null };
  return {
    modelVersion: MODEL_VERSION,
    scenario: described,
    caps: RUN_CAPS,
    run: { request, result: reply.result, mapText: reply.text, fresh: true },
    comparison,
    rerunsLeft: models.rerunLimit.remaining(),
  };
}

/** GET …/map.svg: the section map of the run the same query names. */
export async function loadScenarioSvg(models: ModelContext, req: Request): Promise<string> {
  const name = scenarioName(req.params.name);
  const { request } = checked(() => runRequest(name, req.query as Record<string, unknown>));
  return (await models.runner.get(request)).svg;
}
