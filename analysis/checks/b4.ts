// Check results per patch in the shape of b4's CI-check JSON: {tool, status, summary, url, details}.
//
// Mapping (status of one claim x check, from the verdict on the code under review):
//   the claim says a bad outcome happens (polarity outcome-happens):
//       confirmed -> fail   (the model shows the outcome on the patch under review)
//       refuted   -> pass   (exhaustive within bounds, the outcome never happens)
//   the claim says an invariant holds / an outcome does not happen:
//       confirmed -> pass   (holds in every explored state)
//       refuted   -> fail   (the model found a counterexample)
//   inconclusive -> warn    (exploration cut off at the bounds, or the cases disagree)
//   unchecked    -> omitted; with `includeUnchecked`, warn carrying the reason no check applies
// The deciding run is the one with the patch under review applied (for a claim in the patch's own
// description, which is about the code before it, that is the counterfactual "patch applied" run;
// when the patch touches nothing the check runs, the code under review). The other runs (the fixed
// revision, the kernel without the patch) are listed in `details`: b4 reports on the patch.
import type { Message } from '../../ingest/model.js';
import { patchIndexNamed } from './patches.js';
import type { ReviewedClaim } from './pipeline.js';
import type { CheckVerdict, ClaimContext, VariantVerdict } from './types.js';

export interface B4Check {
  tool: string;
  status: 'pass' | 'warn' | 'fail';
  summary: string;
  url: string | null;
  details: string;
}

export interface PatchChecks {
  /** `[PATCH V2 2/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory` */
  patch: string;
  version: number | null;
  index: number | null;
  checks: B4Check[];
}

export interface B4Options {
  tool?: string;
  includeUnchecked?: boolean;
  /** Link for a claim (the web page of the claim); default: lore by Message-ID for real ids. */
  urlFor?: (claimId: string, message: Message) => string | null;
}

/** The run b4 reports: the one with the patch under review applied, else the code under review. */
export function b4Deciding(check: CheckVerdict): VariantVerdict {
  return check.variants.find((v) => v.appliesPatch) ?? check.variants.find((v) => v.role === 'under-review') ?? check.variants[0];
}

export function b4Status(check: CheckVerdict): B4Check['status'] {
  const { verdict } = b4Deciding(check);
  if (verdict === 'inconclusive') return 'warn';
  const badHappens = check.polarity === 'outcome-happens';
  return badHappens === (verdict === 'confirmed') ? 'fail' : 'pass';
}

function patchOf(ctx: ClaimContext): { key: string; version: number | null; index: number | null } {
  const s = ctx.thread.subject;
  const index = patchIndexNamed(ctx.claim.text) ?? s.index;
  const tags = ['PATCH', s.isRfc ? 'RFC' : null, s.version ? `V${s.version}` : null, index !== null ? `${index}/${s.total ?? '?'}` : null].filter(Boolean).join(' ');
  return { key: `[${tags}] ${ctx.thread.title}`, version: s.version, index };
}

function lore(claimId: string, m: Message): string | null {
  return m.synthetic ? null : `https://lore.kernel.org/r/${encodeURIComponent(m.msgid)}`;
}

function quote(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function b4Checks(reviewed: readonly ReviewedClaim[], opts: B4Options = {}): PatchChecks[] {
  const tool = opts.tool ?? 'loregraph';
  const byPatch = new Map<string, PatchChecks>();
  const add = (ctx: ClaimContext, c: B4Check): void => {
    const p = patchOf(ctx);
    let entry = byPatch.get(p.key);
    if (!entry) byPatch.set(p.key, (entry = { patch: p.key, version: p.version, index: p.index, checks: [] }));
    entry.checks.push(c);
  };
  for (const r of reviewed) {
    const { claim, message } = r.context;
    const url = (opts.urlFor ?? lore)(claim.id, message);
    const who = message.from.name ?? message.from.address ?? 'unknown';
    if (r.verdict.verdict === 'unchecked') {
      if (opts.includeUnchecked) add(r.context, { tool, status: 'warn', summary: `unchecked: ${who}: "${quote(claim.text)}"`, url, details: r.verdict.why });
      continue;
    }
    for (const c of r.verdict.checks) {
      const lines = c.variants.map((v) => `${v === b4Deciding(c) ? '*' : '-'} ${v.label} [${v.kernel} ${v.profile}${v.variants.length ? ' ' + v.variants.join('+') : ''}]: ${v.verdict} - ${v.why}`);
      const runs = c.variants.flatMap((v) => v.runs.map((run) => `${run.case}@${run.label}: ${run.inputHash.slice(0, 16)}`));
      add(r.context, {
        tool,
        status: b4Status(c),
        summary: `${c.check}: ${b4Deciding(c).verdict} on ${b4Deciding(c).label} (${who}: "${quote(claim.text)}")`,
        url,
        details: [`claim ${claim.id}; polarity ${c.polarity}`, ...c.reasons.map((x) => `why linked: ${x}`), ...lines, `model ${c.variants[0]?.runs[0]?.modelVersion ?? ''}; runs ${runs.join(', ')}`].join('\n'),
      });
    }
  }
  return [...byPatch.values()];
}
