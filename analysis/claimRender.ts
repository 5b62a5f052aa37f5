// How claims, checks and their runs are shown: plain text blocks for the terminal, the JSON shapes
// the commands print, and where a claim was said (a lore link, or the archive file for messages
// that had no Message-ID of their own).
import type { ClaimView } from '../graph/claims.js';
import type { CheckRun, CheckVerdict, ClaimVerdict } from './checks/index.js';
import { loreUrl, isMadeUpMsgid } from '../web/urls.js';
import { toJsonSafe } from './claimRecords.js';

/** 1-based body lines `52-54` (or `52`). */
export function lineSpan(c: Pick<ClaimView, 'lines'>): string {
  const a = c.lines.start + 1;
  const b = c.lines.end + 1;
  return a === b ? `${a}` : `${a}-${b}`;
}

/** Where the claim was said: its lore link, or for a synthetic id the archive file and the line its message starts on. */
export function claimWhere(c: Pick<ClaimView, 'msgid' | 'synthetic' | 'source' | 'lines'>): string {
  const body = `body lines ${lineSpan(c)}`;
  if (c.synthetic || isMadeUpMsgid(c.msgid)) {
    const at = c.source.line !== null ? `${c.source.path}:${c.source.line}` : c.source.path;
    return `${at} (message starts there; ${c.source.format} dump, no Message-ID), ${body}`;
  }
  return `${loreUrl(c.msgid)} , ${body}`;
}

/** The link alone (lore, or the archive path and line). */
export function claimUrl(c: Pick<ClaimView, 'msgid' | 'synthetic' | 'source'>): string {
  if (c.synthetic || isMadeUpMsgid(c.msgid)) return c.source.line !== null ? `${c.source.path}:${c.source.line}` : c.source.path;
  return loreUrl(c.msgid);
}

/** `claims --json`: one object per claim. */
export function claimJson(c: ClaimView): Record<string, unknown> {
  return {
    id: c.id,
    msgid: c.msgid,
    author: c.author,
    date: c.date,
    text: c.text,
    kind: c.kind,
    entities: c.entities.map((e) => ({ kind: e.kind, name: e.name })),
    answers: c.answers ? { text: c.answers.text, kind: c.answers.kind, claim: c.answersClaim } : null,
    status: c.status,
    checks: c.checks.map((k) => ({ name: k.name, variant: k.variant, verdict: k.verdict, why: k.why })),
    verdict: c.verdict,
    why: c.why,
    origin: c.origin,
    sender: c.sender,
    lines: { start: c.lines.start + 1, end: c.lines.end + 1 },
    url: claimUrl(c),
    series: c.series,
    patch: c.patch,
  };
}

function quoted(text: string, width = 100): string {
  return `"${text.length > width ? text.slice(0, width - 3) + '...' : text}"`;
}

/** One claim as a text block. */
export function claimBlock(c: ClaimView): string {
  const lines = [
    `[${c.kind}] ${c.verdict} — ${c.author}${c.origin === 'quoted' ? `, quoted in a mail from ${c.sender} of` : ','} ${c.date?.slice(0, 10) ?? 'undated'}`,
    `  "${c.text}"`,
    `  where: ${claimWhere(c)}`,
  ];
  const about = [...new Set(c.entities.filter((e) => e.kind !== 'literal').map((e) => `${e.kind} ${e.name}`))];
  if (about.length) lines.push(`  about: ${about.join(', ')}`);
  if (c.answers) lines.push(`  answers: ${quoted(c.answers.text.replace(/\s+/g, ' '))}${c.answersClaim ? ` (claim ${c.answersClaim})` : ''} — stance: ${c.stance}`);
  if (c.status) lines.push(`  status: ${c.status}${c.statusWhy ? ` — ${c.statusWhy}` : ''}`);
  if (c.checks.length === 0) lines.push(`  checks: none — ${c.why}`);
  for (const k of c.checks) lines.push(`  check ${k.name} — ${k.variant}: ${k.verdict} — ${k.why}`);
  lines.push(`  id: ${c.id}`);
  return lines.join('\n');
}

function runLines(r: CheckRun, traceSteps: number): string[] {
  const stats = `observed ${r.observed} (${r.satisfied} of ${r.executions} executions), ${r.exhaustive ? 'exhaustive within the bounds' : 'cut off at the bounds'}, ${r.stepsExplored} steps explored`;
  const out = [
    `      run ${r.case} [${r.scenario}; ${r.kernel} ${r.profile}${r.variants.length ? ' ' + r.variants.join('+') : ''}]: ${r.verdict} — ${stats}`,
    `        outcome: ${r.outcome.description}`,
    `        bounds: ${JSON.stringify(toJsonSafe(r.bounds))}; model ${r.modelVersion}; input ${r.inputHash.slice(0, 16)}`,
  ];
  const detectors = Object.entries(r.detectors).filter(([, d]) => d.total > 0);
  out.push(`        detectors: ${detectors.length ? detectors.map(([k, d]) => `${k} ${d.total} in ${d.executions} executions`).join(', ') : 'none fired'}`);
  const t = r.trace;
  out.push(`        trace (${t.kind}${t.crashed ? `, crashed: ${t.crashed}` : ''}): ${t.steps.length} steps${t.steps.length > traceSteps ? `, first ${traceSteps}` : ''}`);
  for (const s of t.steps.slice(0, traceSteps)) out.push(`          ${s.thread}: ${s.step}${s.detail ? ` — ${s.detail}` : ''}`);
  return out;
}

function checkLines(c: CheckVerdict, traceSteps: number): string[] {
  const out = [`  check ${c.check} (${c.polarity}): ${c.verdict}`];
  for (const r of c.reasons) out.push(`    why linked: ${r}`);
  for (const v of c.variants) {
    out.push(`    ${v.role === 'under-review' ? '*' : '-'} ${v.label} [${v.kernel} ${v.profile}${v.variants.length ? ' ' + v.variants.join('+') : ''}]: ${v.verdict} — ${v.why}`);
    for (const r of v.runs) out.push(...runLines(r, traceSteps));
  }
  return out;
}

/** `check CLAIM_ID`: the verdict with its checks, runs and traces, and whether the re-run reproduced the stored one. */
export function recheckText(c: ClaimView, fresh: ClaimVerdict, changes: string[], traceSteps: number): string {
  const lines = [
    `claim ${c.id} [${c.kind}] — ${c.author}, ${c.date?.slice(0, 10) ?? 'undated'}`,
    `  "${c.text}"`,
    `  where: ${claimWhere(c)}`,
    `verdict: ${fresh.verdict} — ${fresh.why}`,
  ];
  if (changes.length === 0) {
    const runs = fresh.checks.flatMap((k) => k.variants.flatMap((v) => v.runs)).length;
    lines.push(
      fresh.verdict === 'unchecked'
        ? `reproduced: still unchecked (the linker found the same: no check applies)`
        : `reproduced: the stored verdict (${c.verdict}), from ${runs} fresh run${runs === 1 ? '' : 's'} with the same inputs and results`,
    );
  } else {
    lines.push(`changed since it was stored (the fresh result is now stored):`);
    for (const ch of changes) lines.push(`  - ${ch}`);
  }
  for (const k of fresh.checks) lines.push(...checkLines(k, traceSteps));
  if (fresh.nearMisses.length) lines.push(`  near misses: ${fresh.nearMisses.map((n) => `${n.check}: ${n.reason}`).join('; ')}`);
  return lines.join('\n');
}
