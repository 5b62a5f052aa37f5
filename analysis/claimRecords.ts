// From what analysis/checks computed (a claim's link result and verdict) to the records the claim
// store keeps: CHECKED_BY links with their reasons, CheckRuns keyed by check + variant + params
// hash, VERDICT edges per variant. Also the JSON form of a run (bigints kept exactly) and a cache
// of verdicts keyed by everything a run depends on, so the same runs are made once per ingest.
import { createHash } from 'node:crypto';
import type { Claim } from './claims/index.js';
import { findCheck, MODAL, verdictFor, type CheckRun, type ClaimContext, type ClaimVerdict, type LinkResult } from './checks/index.js';
import type { CheckLinkRecord, CheckRunRecord, ClaimRecord, VerdictRecord } from '../graph/claims.js';

/** JSON that keeps bigints (scenario parameters may be pfns beyond 2^53) as `{"$bigint": "…"}`. */
export function toJsonSafe(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v))) as unknown;
}

export function fromJsonSafe<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$bigint') return BigInt((v as { $bigint: string }).$bigint);
    }
    return v;
  }) as T;
}

function sha(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(toJsonSafe(value))).digest('hex');
}

/** The model variants of a run as one name (`base` for the kernel without any patch). */
export function variantName(variants: readonly string[]): string {
  return variants.length ? variants.join('+') : 'base';
}

/** CheckRun key: check + variant + hash of the remaining inputs (case, scenario, params, kernel, profile, bounds, polarity). */
export function runKey(run: CheckRun): { key: string; paramsHash: string } {
  const paramsHash = sha({
    case: run.case,
    scenario: run.scenario,
    params: run.params,
    outcome: run.outcome,
    polarity: run.polarity,
    kernel: run.kernel,
    profile: run.profile,
    bounds: run.bounds,
    modal: run.modal,
    modelVersion: run.modelVersion,
  }).slice(0, 16);
  return { key: `${run.check}/${variantName(run.variants)}/${paramsHash}`, paramsHash };
}

export function runRecord(run: CheckRun): CheckRunRecord {
  const { key, paramsHash } = runKey(run);
  return {
    key,
    check: run.check,
    variant: variantName(run.variants),
    paramsHash,
    inputHash: run.inputHash,
    case: run.case,
    scenario: run.scenario,
    kernel: run.kernel,
    modelVersion: run.modelVersion,
    verdict: run.verdict,
    why: run.why,
    run: toJsonSafe(run),
  };
}

/** The links, runs and verdict edges of one claim's verdict. */
export function verdictRecords(link: LinkResult, verdict: ClaimVerdict): { links: CheckLinkRecord[]; runs: CheckRunRecord[]; verdicts: VerdictRecord[] } {
  const links: CheckLinkRecord[] = link.links.map((l) => ({
    claimId: link.claimId,
    check: l.check,
    decides: findCheck(l.check)?.decides ?? '',
    polarity: l.plan.polarity,
    reasons: l.plan.reasons,
  }));
  const runs: CheckRunRecord[] = [];
  const verdicts: VerdictRecord[] = [];
  for (const c of verdict.checks) {
    for (const v of c.variants) {
      for (const r of v.runs) {
        const rec = runRecord(r);
        runs.push(rec);
        verdicts.push({ run: rec.key, claimId: link.claimId, check: c.check, role: v.role, label: v.label, appliesPatch: v.appliesPatch, verdict: v.verdict, why: v.why });
      }
    }
  }
  return { links, runs, verdicts };
}

/**
 * Verdicts by what their runs depend on: the links' checks, polarity, cases and variant plans,
 * and whether the claim hedges. Two claims with the same plan get the same runs, made once; the
 * reasons (which differ per claim) are the claim's own.
 */
export class VerdictCache {
  private readonly cache = new Map<string, ClaimVerdict>();
  hits = 0;
  misses = 0;

  verdict(ctx: ClaimContext, link: LinkResult): ClaimVerdict {
    if (link.links.length === 0) return verdictFor(ctx, link);
    const key = sha({
      modal: MODAL.test(ctx.claim.text),
      links: link.links.map((l) => ({ check: l.check, polarity: l.plan.polarity, cases: l.plan.cases, variants: l.plan.variants })),
    });
    const cached = this.cache.get(key);
    if (cached) {
      this.hits++;
      return {
        ...cached,
        claimId: ctx.claim.id,
        msgid: ctx.claim.msgid,
        text: ctx.claim.text,
        nearMisses: link.nearMisses,
        checks: cached.checks.map((c, i) => ({ ...c, reasons: link.links[i].plan.reasons })),
      };
    }
    this.misses++;
    const fresh = verdictFor(ctx, link);
    this.cache.set(key, fresh);
    return fresh;
  }
}

/** The extractor's claim as analysis/checks reads it, from a stored record. */
export function claimOfRecord(r: ClaimRecord): Claim {
  return {
    id: r.id,
    msgid: r.msgid,
    sentenceIndex: r.sentenceIndex,
    text: r.text,
    kind: r.kind,
    confidence: r.confidence,
    entities: r.entities,
    lines: r.lines,
    origin: r.origin,
    quoteDepth: r.quoteDepth,
    answers: r.answers,
    stance: r.stance,
    extractorVersion: r.extractorVersion,
  };
}
