// The concern summary of a patch series, from the store: per revision and patch, the concerns
// raised (who, where, status across versions, verdict), the other claims the model checked, the
// trailers collected; and the same checks per patch in b4's CI-check shape (analysis/checks/b4.ts).
import type { GraphStore } from '../graph/store.js';
import type { ClaimCheckView, ClaimView } from '../graph/claims.js';
import type { RevisionRecord, SeriesView } from '../graph/patches.js';
import { revisionName } from '../graph/patchViews.js';
import { b4Checks, type PatchChecks, type ReviewedClaim } from './checks/index.js';
import { StoredContexts, storedLink, storedVerdict } from './storedClaims.js';
import { claimUrl, claimWhere } from './claimRender.js';
import { shownConcern } from './claims/index.js';

export interface SummaryClaim {
  id: string;
  kind: string;
  author: string;
  date: string | null;
  text: string;
  url: string;
  where: string;
  status: string | null;
  statusWhy: string | null;
  verdict: string;
  why: string;
  checks: ClaimCheckView[];
  /** The classifier's confidence in the kind. */
  confidence: number;
  /**
   * A concern at the bar the classifier was tuned to (analysis/claims shownConcern: concern
   * evidence and a confidence at or above the threshold chosen on the train split). The others are
   * followed too (questions about named code, lower-confidence concerns) but are guesses to read.
   */
  sure: boolean;
}

export interface SummaryPatch {
  /** Member key of the patch or cover; the revision key for claims about the revision as a whole. */
  key: string;
  label: string;
  msgid: string | null;
  concerns: SummaryClaim[];
  /** Other claims (assertions, questions…) that a check decided. */
  checked: SummaryClaim[];
  trailers: { text: string; by: string | null; status: string }[];
}

export interface SummaryRevision {
  key: string;
  version: number;
  /** Posted as an RFC. */
  rfc: boolean;
  /** The stable kernel a backport posting is for, else null. */
  stable: string | null;
  title: string;
  date: string | null;
  author: string | null;
  patches: SummaryPatch[];
}

export interface SeriesClaimSummary {
  series: { key: string; title: string };
  revisions: SummaryRevision[];
  concerns: number;
  /** Of those, concerns at the classifier's high-precision bar (SummaryClaim.sure). */
  sure: number;
  /** Concerns by lifecycle status. */
  statuses: Record<string, number>;
  open: number;
  /** Set when only some concerns are listed (`summary --open`, `--sure`): which, and how many are. */
  filter?: SummaryFilter & { shown: number; revisions: number };
}

/** Which concerns a summary lists; the counts above stay those of the whole series. */
export interface SummaryFilter {
  /** Only concerns still open. */
  open?: boolean;
  /** Only concerns at the classifier's high-precision bar. */
  sure?: boolean;
}

/**
 * The summary listing only the concerns the filter keeps, and only the patches and revisions that
 * still list a concern or a claim the model checked; the series-wide counts are kept.
 */
export function filterSummary(s: SeriesClaimSummary, f: SummaryFilter): SeriesClaimSummary {
  if (!f.open && !f.sure) return s;
  const keep = (c: SummaryClaim): boolean => (!f.open || c.status === 'open') && (!f.sure || c.sure);
  let shown = 0;
  const revisions = s.revisions
    .map((r) => ({
      ...r,
      patches: r.patches
        .map((p) => {
          const concerns = p.concerns.filter(keep);
          shown += concerns.length;
          return { ...p, concerns };
        })
        .filter((p) => p.concerns.length > 0 || p.checked.length > 0),
    }))
    .filter((r) => r.patches.length > 0);
  return { ...s, revisions, filter: { ...(f.open ? { open: true } : {}), ...(f.sure ? { sure: true } : {}), shown, revisions: s.revisions.length } };
}

/** A series by key, or the one series whose title (or revision, patch, author, change-id) matches. */
export async function findSeries(store: GraphStore, query: string): Promise<SeriesView> {
  const exact = await store.patches.seriesDetail(query);
  if (exact) return exact;
  const found = await store.patches.series(query);
  if (found.length === 1) return found[0];
  if (found.length === 0) throw new Error(`no series matches '${query}' (loregraph series lists them)`);
  throw new Error(`'${query}' matches ${found.length} series; give a key:\n${found.map((s) => `  ${s.key}  ${s.title}`).join('\n')}`);
}

function summaryClaim(c: ClaimView): SummaryClaim {
  return {
    id: c.id,
    kind: c.kind,
    author: c.author,
    date: c.date,
    text: c.text,
    url: claimUrl(c),
    where: claimWhere(c),
    status: c.status,
    statusWhy: c.statusWhy,
    verdict: c.verdict,
    why: c.why,
    checks: c.checks,
    confidence: c.confidence,
    sure: shownConcern(c),
  };
}

function patchLabel(r: Pick<RevisionRecord, 'version' | 'rfc' | 'stable'>, index: number | null, total: number | null, title: string): string {
  return `[${r.rfc ? 'RFC ' : ''}PATCH${r.stable ? ` ${r.stable}` : ''} v${r.version}${index !== null ? ` ${index}/${total ?? '?'}` : ''}] ${title}`;
}

export async function seriesSummary(store: GraphStore, series: SeriesView): Promise<SeriesClaimSummary> {
  const claims = await store.claims.claims({ series: series.key });
  const revisions: SummaryRevision[] = [...series.revisions]
    .sort((a, b) => a.version - b.version || a.key.localeCompare(b.key))
    .map((r) => {
      const members = [...(r.cover ? [r.cover] : []), ...[...r.patches].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))];
      const patches: SummaryPatch[] = members.map((m) => ({
        key: m.key,
        label: patchLabel(r, m.index, m.total, m.title),
        msgid: m.msgid,
        concerns: [],
        checked: [],
        trailers: series.trailers
          .filter((t) => t.revision === r.key && t.patch === m.key && t.via !== 'own')
          .map((t) => ({ text: t.text, by: t.givenBy, status: t.status })),
      }));
      patches.push({ key: r.key, label: `${revisionName(r)} as a whole (no patch named)`, msgid: null, concerns: [], checked: [], trailers: [] });
      return { key: r.key, version: r.version, rfc: r.rfc ?? false, stable: r.stable ?? null, title: r.title, date: r.date, author: r.author, patches };
    });
  const statuses: Record<string, number> = {};
  let concerns = 0;
  let sure = 0;
  for (const c of claims) {
    const rev = revisions.find((r) => r.key === c.revision);
    if (!rev) continue;
    const patch = rev.patches.find((p) => p.key === c.patch) ?? rev.patches[rev.patches.length - 1];
    // A review concern is what the lifecycle followed (analysis/lifecycle isConcern: a reviewer's
    // concern, NAK, or question or statement of a defect about named code) and gave a status.
    if (c.status !== null) {
      const sc = summaryClaim(c);
      patch.concerns.push(sc);
      concerns++;
      if (sc.sure) sure++;
      statuses[c.status] = (statuses[c.status] ?? 0) + 1;
    } else if (c.verdict !== 'unchecked') patch.checked.push(summaryClaim(c));
  }
  for (const r of revisions) r.patches = r.patches.filter((p) => p.msgid !== null || p.concerns.length || p.checked.length || p.trailers.length || p.key !== r.key);
  return { series: { key: series.key, title: series.title }, revisions, concerns, sure, statuses, open: statuses.open ?? 0 };
}

/** The series' decided checks per patch, in b4's CI-check JSON shape (K's mapping in analysis/checks/b4.ts). */
export async function seriesB4(store: GraphStore, series: SeriesView): Promise<PatchChecks[]> {
  const contexts = new StoredContexts(store);
  const reviewed: ReviewedClaim[] = [];
  const urls = new Map<string, string>();
  for (const c of await store.claims.claims({ series: series.key })) {
    if (c.verdict === 'unchecked') continue;
    const context = await contexts.context(c);
    if (!context) continue;
    const verdict = storedVerdict(c, await store.claims.checkRuns(c.id));
    reviewed.push({ context, link: storedLink(verdict), verdict });
    urls.set(c.id, claimUrl(c));
  }
  return b4Checks(reviewed, { urlFor: (id) => urls.get(id) ?? null });
}

function claimMd(c: SummaryClaim): string[] {
  const out = [
    `- **${c.kind}**${c.status === null ? '' : c.sure ? ' [sure]' : ` [unsure: confidence ${c.confidence.toFixed(2)}]`} — ${c.author}, ${c.date?.slice(0, 10) ?? 'undated'} —${c.status ? ` status **${c.status}** —` : ''} verdict **${c.verdict}**`,
    `  > ${c.text}`,
    `  - where: ${c.where}`,
  ];
  if (c.statusWhy) out.push(`  - status: ${c.statusWhy}`);
  if (c.checks.length === 0 && c.verdict === 'unchecked') out.push(`  - unchecked: ${c.why}`);
  for (const k of c.checks) out.push(`  - check \`${k.name}\` — ${k.variant}: ${k.verdict} — ${k.why}`);
  out.push(`  - claim id: \`${c.id}\``);
  return out;
}

export function summaryMarkdown(s: SeriesClaimSummary): string {
  const counts = Object.entries(s.statuses).map(([k, n]) => `${n} ${k}`).join(', ');
  const revisions = s.filter?.revisions ?? s.revisions.length;
  const lines = [
    `# Concern summary: ${s.series.title}`,
    '',
    `series \`${s.series.key}\` — ${revisions} revision${revisions === 1 ? '' : 's'}, ${s.concerns} concern${s.concerns === 1 ? '' : 's'}${counts ? ` (${counts})` : ''}`,
  ];
  if (s.filter) {
    const which = [s.filter.open ? 'open' : '', s.filter.sure ? '`[sure]`' : ''].filter(Boolean).join(', ');
    lines.push('', `listing the ${s.filter.shown} ${which} concern${s.filter.shown === 1 ? '' : 's'} only, with the patches and revisions they were raised on and any claims the model checked`);
  }
  if (s.concerns > 0) {
    lines.push(
      '',
      `${s.sure} of them \`[sure]\`: concerns at the classifier's high-precision bar; the rest are \`[unsure]\` — questions about named code and lower-confidence concerns, kept so nothing is missed, to be read before acting on (data/claims/README.md gives the measured precision).`,
    );
  }
  for (const r of s.revisions) {
    lines.push('', `## ${revisionName(r)}: ${r.title} (${r.date?.slice(0, 10) ?? 'undated'}${r.author ? `, ${r.author}` : ''})`);
    for (const p of r.patches) {
      lines.push('', `### ${p.label}`);
      if (p.concerns.length === 0) lines.push('', 'no concerns raised');
      else lines.push('', ...p.concerns.flatMap(claimMd));
      if (p.checked.length) lines.push('', 'other claims the model checked:', '', ...p.checked.flatMap(claimMd));
      if (p.trailers.length) lines.push('', `trailers collected: ${p.trailers.map((t) => `${t.text} (${t.status}${t.by ? `, from ${t.by}` : ''})`).join('; ')}`);
    }
  }
  lines.push('');
  if (s.open === 0) lines.push(s.concerns === 0 ? 'No open concerns (no review concerns were raised).' : 'No open concerns.');
  else lines.push(`${s.open} open concern${s.open === 1 ? '' : 's'}.`);
  return lines.join('\n') + '\n';
}
