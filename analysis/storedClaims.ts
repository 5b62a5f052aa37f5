// Stored claims read back for analysis/checks: a claim's context rebuilt from the store (its
// message and the thread-subject group it was derived in), its stored verdict rebuilt from the
// stored runs, and a re-check that links and runs the claim again and says what changed.
import type { GraphStore, StoredMessage } from '../graph/store.js';
import type { CheckRunView, ClaimRecord, ClaimView } from '../graph/claims.js';
import {
  claimContext,
  linkClaim,
  threadContexts,
  type CheckRun,
  type CheckVerdict,
  type ClaimContext,
  type ClaimVerdict,
  type LinkResult,
  type ThreadContext,
  type VariantVerdict,
} from './checks/index.js';
import { claimOfRecord, fromJsonSafe, VerdictCache, verdictRecords } from './claimRecords.js';

/** Thread contexts of stored messages, computed over their thread-subject group (as the claims stage does). */
export class StoredContexts {
  private groups: Map<string, string[]> | null = null;
  private readonly threads = new Map<string, Map<string, ThreadContext>>();
  private readonly messages = new Map<string, StoredMessage>();

  constructor(private readonly store: GraphStore) {}

  private async group(key: string): Promise<Map<string, ThreadContext>> {
    let ctx = this.threads.get(key);
    if (ctx) return ctx;
    if (!this.groups) {
      this.groups = new Map();
      for await (const r of this.store.threadingRecords()) {
        const k = r.normalizedSubject.toLowerCase();
        const g = this.groups.get(k);
        if (g) g.push(r.msgid);
        else this.groups.set(k, [r.msgid]);
      }
    }
    const members: StoredMessage[] = [];
    for (const id of this.groups.get(key) ?? []) {
      const m = this.messages.get(id) ?? (await this.store.message(id));
      if (m) members.push(m);
    }
    ctx = threadContexts(members);
    this.threads.set(key, ctx);
    return ctx;
  }

  async message(msgid: string): Promise<StoredMessage | null> {
    let m = this.messages.get(msgid) ?? null;
    if (!m) {
      m = await this.store.message(msgid);
      if (m) this.messages.set(msgid, m);
    }
    return m;
  }

  /** The claim in its message and thread, as analysis/checks reads it (null when its message is gone). */
  async context(c: ClaimRecord): Promise<ClaimContext | null> {
    const m = await this.message(c.msgid);
    if (!m) return null;
    const thread = (await this.group(m.subject.normalized.toLowerCase())).get(m.msgid);
    return thread ? claimContext(claimOfRecord(c), m, thread) : null;
  }
}

/** The verdict the store holds for a claim, rebuilt from its links, verdict edges and runs. */
export function storedVerdict(view: ClaimView, runs: CheckRunView[]): ClaimVerdict {
  const checks: CheckVerdict[] = [];
  for (const link of view.links) {
    const mine = runs.filter((r) => r.check === link.check);
    const variants: VariantVerdict[] = [];
    for (const label of [...new Set(mine.map((r) => r.label))]) {
      const of = mine.filter((r) => r.label === label);
      const full = of.map((r) => fromJsonSafe<CheckRun>(r.run));
      variants.push({
        role: of[0].role as VariantVerdict['role'],
        appliesPatch: of[0].appliesPatch,
        label,
        variants: full[0].variants,
        kernel: full[0].kernel,
        profile: full[0].profile,
        verdict: of[0].variantVerdict,
        why: of[0].variantWhy,
        runs: full,
      });
    }
    variants.sort((a, b) => (a.role === b.role ? 0 : a.role === 'under-review' ? -1 : 1));
    const primary = variants.find((v) => v.role === 'under-review') ?? variants[0];
    if (!primary) continue;
    checks.push({ check: link.check, polarity: link.polarity as CheckVerdict['polarity'], reasons: link.reasons, verdict: primary.verdict, variants });
  }
  return { claimId: view.id, msgid: view.msgid, text: view.text, verdict: view.verdict, why: view.why, checks, nearMisses: [] };
}

/** The link result a stored verdict implies (for exporters that take one). */
export function storedLink(verdict: ClaimVerdict): LinkResult {
  return {
    claimId: verdict.claimId,
    links: verdict.checks.map((c) => ({
      claimId: verdict.claimId,
      check: c.check,
      plan: {
        polarity: c.polarity,
        reasons: c.reasons,
        cases: [...new Map(c.variants.flatMap((v) => v.runs).map((r) => [r.case, { id: r.case, scenario: r.scenario, params: r.params, outcome: r.outcome }])).values()],
        variants: c.variants.map((v) => ({ role: v.role, appliesPatch: v.appliesPatch, label: v.label, variants: v.variants, kernel: v.kernel, profile: v.profile, why: v.why })),
      },
    })),
    unchecked: verdict.verdict === 'unchecked' ? verdict.why : null,
    nearMisses: [],
  };
}

/** What differs between a stored verdict and a fresh one (empty: reproduced). */
export function verdictChanges(stored: ClaimVerdict, fresh: ClaimVerdict): string[] {
  const out: string[] = [];
  if (stored.verdict !== fresh.verdict) out.push(`claim verdict: stored ${stored.verdict}, now ${fresh.verdict}`);
  const names = [...new Set([...stored.checks.map((c) => c.check), ...fresh.checks.map((c) => c.check)])];
  for (const name of names) {
    const a = stored.checks.find((c) => c.check === name);
    const b = fresh.checks.find((c) => c.check === name);
    if (!a) {
      out.push(`check ${name}: linked now, not before`);
      continue;
    }
    if (!b) {
      out.push(`check ${name}: no longer linked`);
      continue;
    }
    const labels = [...new Set([...a.variants.map((v) => v.label), ...b.variants.map((v) => v.label)])];
    for (const label of labels) {
      const va = a.variants.find((v) => v.label === label);
      const vb = b.variants.find((v) => v.label === label);
      if (!va || !vb) {
        out.push(`check ${name}, ${label}: ${va ? 'no longer run' : 'run now, not before'}`);
        continue;
      }
      if (va.verdict !== vb.verdict) out.push(`check ${name}, ${label}: stored ${va.verdict}, now ${vb.verdict}`);
      for (const ra of va.runs) {
        const rb = vb.runs.find((r) => r.case === ra.case);
        if (!rb) out.push(`run ${name} ${ra.case} @ ${label}: no longer made`);
        else if (ra.inputHash !== rb.inputHash) {
          out.push(`run ${name} ${ra.case} @ ${label}: inputs changed (${ra.modelVersion === rb.modelVersion ? 'same model version' : `model ${ra.modelVersion} -> ${rb.modelVersion}`})`);
        } else if (ra.verdict !== rb.verdict || ra.observed !== rb.observed || ra.executions !== rb.executions) {
          out.push(`run ${name} ${ra.case} @ ${label}: same inputs, different result (${ra.verdict}/${ra.observed}/${ra.executions} -> ${rb.verdict}/${rb.observed}/${rb.executions})`);
        }
      }
    }
  }
  return out;
}

export interface Recheck {
  view: ClaimView;
  stored: ClaimVerdict;
  fresh: ClaimVerdict;
  link: LinkResult;
  changes: string[];
}

/** Link and run a stored claim again, store the fresh runs and verdict, and say what changed. */
export async function recheckClaim(store: GraphStore, view: ClaimView, contexts: StoredContexts, cache: VerdictCache): Promise<Recheck> {
  const ctx = await contexts.context(view);
  if (!ctx) throw new Error(`the message of claim ${view.id} is not in the store`);
  const stored = storedVerdict(view, await store.claims.checkRuns(view.id));
  const link = linkClaim(ctx);
  const fresh = cache.verdict(ctx, link);
  const recs = verdictRecords(link, fresh);
  await store.claims.putCheckRuns({ claims: [{ claimId: view.id, verdict: fresh.verdict, why: fresh.why }], ...recs });
  return { view, stored, fresh, link, changes: verdictChanges(stored, fresh) };
}
