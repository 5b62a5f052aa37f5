// The claim check page as the template draws it.
import type { CheckRun } from '../analysis/checks/index.js';
import type { ClaimCheckData } from './claimCheckPages.js';
import { storedRun } from './claimCheckPages.js';
import { presentClaim } from './presentClaims.js';
import { checkUrl } from './presentCheck.js';
import { runQuery } from './presentScenario.js';
import { RUN_CAPS } from './scenarioPages.js';
import { messageUrl, threadUrl } from './urls.js';

const OBSERVED_TEXT: Record<string, string> = { always: 'Always', sometimes: 'Sometimes', never: 'Never' };

/** The map is the first execution's final state: one execution is all it takes to draw it. */
function mapUrl(r: CheckRun): string {
  const bounds = { maxExecutions: 1, maxSteps: Math.min(r.bounds.maxSteps, RUN_CAPS.maxSteps) };
  const q = runQuery({ scenario: r.scenario, variants: r.variants, params: r.params, bounds, kernel: r.kernel, profile: r.profile });
  return `/scenario/${encodeURIComponent(r.scenario)}/map.svg${q}`;
}

function runView(r: CheckRun) {
  return {
    check: r.check,
    checkUrl: checkUrl(r.check),
    case: r.case,
    scenario: r.scenario,
    scenarioUrl: `/scenario/${encodeURIComponent(r.scenario)}`,
    label: r.label,
    role: r.role,
    variants: r.variants,
    kernel: r.kernel,
    profile: r.profile,
    params: Object.entries(r.params).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    bounds: r.bounds,
    modelVersion: r.modelVersion,
    observed: r.observed,
    observedText: OBSERVED_TEXT[r.observed] ?? r.observed,
    outcome: r.outcome.description,
    satisfied: r.satisfied,
    executions: r.executions,
    exhaustive: r.exhaustive,
    stepsExplored: r.stepsExplored,
    detectors: Object.entries(r.detectors).map(([name, c]) => ({ name, executions: c.executions, total: c.total })),
    verdict: r.verdict,
    why: r.why,
    traceKind: r.trace.kind,
    trace: {
      steps: r.trace.steps.map((t) => ({ thread: t.thread, step: t.step, detail: t.detail ?? '' })),
      crashed: r.trace.crashed,
      deadlock: false,
      observations: Object.entries(r.trace.observations).map(([name, value]) => ({ name, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    },
    mapUrl: mapUrl(r),
    inputHash: r.inputHash,
  };
}

/** Stored runs by the variant of the code they ran (under review first), each verdict and its why said once. */
function groupByVariant(d: ClaimCheckData) {
  const groups = new Map<string, { role: string; label: string; verdict: string; why: string; runs: ReturnType<typeof runView>[] }>();
  for (const v of d.runs) {
    const key = `${v.role}\u0000${v.label}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { role: v.role, label: v.label, verdict: v.variantVerdict, why: v.variantWhy, runs: [] }));
    g.runs.push(runView(storedRun(v)));
  }
  return [...groups.values()]
    .sort((a, b) => (a.role === 'under-review' ? 0 : 1) - (b.role === 'under-review' ? 0 : 1))
    .map((g, i) => ({ ...g, open: i === 0 }));
}

export function presentClaimCheck(d: ClaimCheckData) {
  const c = d.claim;
  return {
    title: `claim: ${c.text.slice(0, 80)}`,
    modelVersion: d.modelVersion,
    claim: presentClaim(c),
    claimFull: c,
    messageUrl: messageUrl(c.msgid),
    threadUrl: c.thread ? threadUrl(c.thread) : null,
    links: c.links.map((l) => ({ ...l, url: checkUrl(l.check) })),
    checks: c.checks,
    variants: groupByVariant(d),
    fresh: d.fresh?.map((f) => ({ ...runView(f.run), key: f.key, previous: f.previous, sameVerdict: f.sameVerdict, capped: f.capped })) ?? null,
    runAction: `${checkUrl(c.id)}/run`,
    caps: d.caps,
    rerunsLeft: d.rerunsLeft,
  };
}
