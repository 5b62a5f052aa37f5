// Pure helpers both stores use to answer patch-graph queries the same way: what a series is
// searched by, the deterministic orders, and which quoted hunks a stored patch hunk supersedes.
import type { CommentRecord, HunkRecord, HunkView, LineageRecord, RevisionRecord, SeriesRecord, TrailerAttributionRecord } from './patches.js';

/** How a revision is named to a reader: `v2`, `RFC v2` when it was posted as an RFC, `v1 for 5.3`
 * when it is a backport for a stable kernel. */
export function revisionName(r: Pick<RevisionRecord, 'version' | 'rfc' | 'stable'>): string {
  return `${r.rfc ? 'RFC ' : ''}v${r.version}${r.stable ? ` for ${r.stable}` : ''}`;
}

/** Lower-cased text a `series QUERY` matches: titles, patch titles, authors, change-ids. */
export function seriesSearchText(s: SeriesRecord): string {
  const parts = [s.key, s.title];
  for (const r of s.revisions) {
    parts.push(r.title, r.author ?? '', r.changeId ?? '');
    if (r.cover) parts.push(r.cover.title);
    for (const p of r.patches) parts.push(p.title);
  }
  return parts.join('\n').toLowerCase();
}

export function seriesFirstDate(s: SeriesRecord): string | null {
  const dates = s.revisions.map((r) => r.date).filter((d): d is string => !!d).sort();
  return dates[0] ?? null;
}

const VIA_ORDER = { own: 0, patch: 1, cover: 2 } as const;

export function sortTrailers(t: TrailerAttributionRecord[]): TrailerAttributionRecord[] {
  return [...t].sort(
    (a, b) =>
      a.revision.localeCompare(b.revision) ||
      a.patch.localeCompare(b.patch) ||
      VIA_ORDER[a.via] - VIA_ORDER[b.via] ||
      a.givenIn.localeCompare(b.givenIn) ||
      a.text.localeCompare(b.text) ||
      a.status.localeCompare(b.status),
  );
}

export function sortLineage(l: LineageRecord[]): LineageRecord[] {
  return [...l].sort((a, b) => a.toRevision.localeCompare(b.toRevision) || a.to.localeCompare(b.to) || a.from.localeCompare(b.from));
}

/** Hunk views in a stable order: by date, then message, kind and position. */
export function sortHunkViews(h: HunkView[]): HunkView[] {
  return [...h].sort(
    (a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.msgid.localeCompare(b.msgid) || a.kind.localeCompare(b.kind) || a.index - b.index,
  );
}

export function sortComments<T extends CommentRecord & { date: string | null }>(c: T[]): T[] {
  return [...c].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.msgid.localeCompare(b.msgid) || a.quotedLines[0] - b.quotedLines[0]);
}

/**
 * A quoted hunk whose quote was anchored to a stored patch is shown under that patch's hunk, not
 * again on its own: true when one of the reply's `patch` comments comes from the quoted lines.
 */
export function supersededQuote(h: HunkRecord, patchCommentsOfReply: CommentRecord[]): boolean {
  if (h.kind !== 'quoted') return false;
  return patchCommentsOfReply.some((c) => c.quotedLines[0] <= h.endLine && c.quotedLines[1] >= h.startLine);
}

/** `--file` matches a path exactly, or everything under it when it ends with `/`. */
export function fileMatches(query: string, h: { oldPath: string | null; newPath: string | null }): boolean {
  const ok = (p: string | null): boolean => !!p && (query.endsWith('/') ? p.startsWith(query) : p === query);
  return ok(h.oldPath) || ok(h.newPath);
}
