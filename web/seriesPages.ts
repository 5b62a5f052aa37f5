// The series pages: every series (with a filter), one series with its revisions on a timeline,
// patches per revision with their lineage, trailers, and the range-diff of two postings of a patch.
import type { Request } from 'express';
import { structuredPatch } from 'diff';
import type { GraphStore } from '../graph/store.js';
import type { LineageRecord, PatchMemberRecord, SeriesRecord, SeriesView, TrailerAttributionRecord } from '../graph/patches.js';
import { badRequest, notFound } from './errors.js';
import { intParam, msgidParam, stringParam } from './params.js';
import { revisionName } from '../graph/patchViews.js';
import { seriesSummary, type SeriesClaimSummary } from '../analysis/seriesSummary.js';

export interface SeriesListEntry {
  key: string;
  title: string;
  revisions: number;
  versions: number[];
  /** As a reader calls them: `v2`, `RFC v1`. */
  versionNames: string[];
  patches: number;
  first: string | null;
  last: string | null;
  authors: string[];
}

export interface SeriesListData {
  q: string | null;
  total: number;
  page: number;
  pageSize: number;
  series: SeriesListEntry[];
}

export interface SeriesData {
  series: SeriesView;
  /** The concern summary (`loregraph summary`): per revision and patch, concerns with status and verdict. */
  summary: SeriesClaimSummary;
}

export interface RangeDiffLine {
  kind: 'hunk' | 'add' | 'del' | 'same';
  text: string;
}

export interface RangeDiffData {
  series: { key: string; title: string };
  /** `name`: the revision as a reader calls it (`v2`, `RFC v1`). */
  a: { msgid: string; revision: string; version: number; name: string; title: string; index: number | null };
  b: { msgid: string; revision: string; version: number; name: string; title: string; index: number | null };
  /** The commit message (the mail's text before its first `---` line), then the diff. */
  parts: RangeDiffPart[];
}

export interface RangeDiffPart {
  name: 'commit message' | 'diff';
  /** Whether either posting has this part at all. */
  present: boolean;
  identical: boolean;
  /** The diff of the two texts, line by line (`+`/`-` of an inner diff kept as text). */
  lines: RangeDiffLine[];
  /** The diff computation gave up (too many differences for its time budget). */
  tooBig: boolean;
}

const PAGE = 50;
/** The range-diff's own time budget (the `diff` package's timeout, in ms). */
const DIFF_TIMEOUT_MS = 2000;

function entry(s: SeriesRecord): SeriesListEntry {
  const dates = s.revisions.map((r) => r.date).filter((d): d is string => d !== null).sort();
  return {
    key: s.key,
    title: s.title,
    revisions: s.revisions.length,
    versions: s.revisions.map((r) => r.version),
    versionNames: s.revisions.map(revisionName),
    patches: s.revisions.reduce((n, r) => n + r.patches.length, 0),
    first: dates[0] ?? null,
    last: dates[dates.length - 1] ?? null,
    authors: [...new Set(s.revisions.map((r) => r.author).filter((a): a is string => a !== null))],
  };
}

export async function loadSeriesList(store: GraphStore, req: Request): Promise<SeriesListData> {
  const q = stringParam(req.query, 'q', 200) ?? null;
  const page = intParam(req.query, 'page', { min: 1, max: 100000, fallback: 1 });
  const all = (await store.patches.seriesIndex(q ?? undefined)).map(entry);
  all.sort((a, b) => (b.last ?? '').localeCompare(a.last ?? '') || a.title.localeCompare(b.title));
  return { q, total: all.length, page, pageSize: PAGE, series: all.slice((page - 1) * PAGE, page * PAGE) };
}

/** A series key from the URL: the store's own ids, so only their length and emptiness are checked. */
function seriesKey(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('a series key is required');
  if (raw.length > 1000) throw badRequest('that series key is too long to be one');
  return raw.trim();
}

export async function loadSeries(store: GraphStore, req: Request): Promise<SeriesData> {
  const key = seriesKey(req.params.key);
  const series = await store.patches.seriesDetail(key);
  if (!series) throw notFound(`no series '${key}' (see /series for the list)`);
  return { series, summary: await seriesSummary(store, series) };
}

/** The diff of a patch mail: from its first `diff --git` (or `--- a/`) line to the signature. */
export function patchDiff(text: string): string {
  const lines = text.split('\n');
  let start = lines.findIndex((l) => l.startsWith('diff --git '));
  if (start === -1) start = lines.findIndex((l, i) => l.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ '));
  if (start === -1) return '';
  let end = lines.length;
  for (let i = start; i < lines.length; i++) {
    if (lines[i] === '-- ' || lines[i] === '--') {
      end = i;
      break;
    }
  }
  return lines.slice(start, end).join('\n').replace(/\s+$/, '') + '\n';
}

function member(series: SeriesView, msgid: string, which: string) {
  for (const r of series.revisions) {
    const p = r.patches.find((m) => m.msgid === msgid);
    if (p) return { msgid, revision: r.key, version: r.version, name: revisionName(r), title: p.title, index: p.index };
  }
  throw notFound(`<${msgid}> (${which}) is not a patch of series '${series.key}' held in this archive`);
}

/** The commit message of a patch mail: its text before the first `---` line (or before the diff). */
export function commitMessage(text: string): string {
  const lines = text.split('\n');
  let end = lines.findIndex((l) => l === '---' || l.startsWith('diff --git '));
  if (end === -1) end = lines.length;
  return lines.slice(0, end).join('\n').replace(/\s+$/, '') + '\n';
}

async function partsOf(store: GraphStore, msgid: string): Promise<{ message: string; diff: string }> {
  const m = await store.message(msgid);
  if (!m) throw notFound(`no message with Message-ID <${msgid}> is in this archive`);
  const own = patchDiff(m.body);
  if (own) return { message: commitMessage(m.body), diff: own };
  for (const a of m.attachments) if (a.isPatch && a.text) return { message: commitMessage(a.text), diff: patchDiff(a.text) };
  return { message: commitMessage(m.body), diff: '' };
}

function diffPart(name: RangeDiffPart['name'], a: string, b: string, va: number, vb: number): RangeDiffPart {
  const present = a.trim() !== '' || b.trim() !== '';
  if (a === b) return { name, present, identical: true, lines: [], tooBig: false };
  const patch = structuredPatch(`v${va}`, `v${vb}`, a, b, undefined, undefined, { context: 3, timeout: DIFF_TIMEOUT_MS });
  const lines: RangeDiffLine[] = [];
  for (const h of patch?.hunks ?? []) {
    lines.push({ kind: 'hunk', text: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` });
    for (const l of h.lines) {
      const c = l.charAt(0);
      lines.push({ kind: c === '+' ? 'add' : c === '-' ? 'del' : 'same', text: l });
    }
  }
  return { name, present, identical: false, lines, tooBig: patch === undefined };
}

export async function loadRangeDiff(store: GraphStore, req: Request): Promise<RangeDiffData> {
  const key = seriesKey(req.params.key);
  const aRaw = stringParam(req.query, 'a', 1000);
  const bRaw = stringParam(req.query, 'b', 1000);
  if (!aRaw || !bRaw) throw badRequest("a range-diff needs two patches: 'a' and 'b', each a Message-ID");
  const series = await store.patches.seriesDetail(key);
  if (!series) throw notFound(`no series '${key}' (see /series for the list)`);
  const a = member(series, msgidParam(aRaw), 'a');
  const b = member(series, msgidParam(bRaw), 'b');
  const [pa, pb] = await Promise.all([partsOf(store, a.msgid), partsOf(store, b.msgid)]);
  return {
    series: { key: series.key, title: series.title },
    a,
    b,
    parts: [diffPart('commit message', pa.message, pb.message, a.version, b.version), diffPart('diff', pa.diff, pb.diff, a.version, b.version)],
  };
}

/** Lineage of each patch member (by key): what it came from and what it became. */
export function lineageByPatch(lineage: LineageRecord[]): Map<string, { from: LineageRecord[]; to: LineageRecord[] }> {
  const out = new Map<string, { from: LineageRecord[]; to: LineageRecord[] }>();
  const at = (k: string) => {
    let e = out.get(k);
    if (!e) out.set(k, (e = { from: [], to: [] }));
    return e;
  };
  for (const l of lineage) {
    at(l.to).from.push(l);
    at(l.from).to.push(l);
  }
  return out;
}

export function trailersByPatch(trailers: TrailerAttributionRecord[]): Map<string, TrailerAttributionRecord[]> {
  const out = new Map<string, TrailerAttributionRecord[]>();
  for (const t of trailers) {
    const list = out.get(t.patch) ?? [];
    list.push(t);
    out.set(t.patch, list);
  }
  return out;
}

export type { PatchMemberRecord };
