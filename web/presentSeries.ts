// The series pages as the templates draw them: a timeline of revisions, each with its patches,
// their lineage (with range-diff links) and trailers.
import type { LineageRecord, PatchMemberRecord, RevisionRecord, TrailerAttributionRecord } from '../graph/patches.js';
import { revisionName } from '../graph/patchViews.js';
import type { RangeDiffData, SeriesData, SeriesListData } from './seriesPages.js';
import { lineageByPatch, trailersByPatch } from './seriesPages.js';
import { encodeId, messageUrl, personUrl, seriesUrl } from './urls.js';
import { claimUrl } from './presentClaims.js';

export function presentSeriesList(d: SeriesListData) {
  const base = (page: number) => {
    const qs = new URLSearchParams();
    if (d.q) qs.set('q', d.q);
    if (page > 1) qs.set('page', String(page));
    const s = qs.toString();
    return s ? `/series?${s}` : '/series';
  };
  return {
    title: d.q ? `series: ${d.q}` : 'Series',
    ...d,
    series: d.series.map((s) => ({ ...s, url: seriesUrl(s.key), versionList: s.versionNames.join(', ') })),
    prevUrl: d.page > 1 ? base(d.page - 1) : null,
    nextUrl: d.page * d.pageSize < d.total ? base(d.page + 1) : null,
  };
}

function anchorOf(key: string): string {
  return 'p-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function revisionAnchor(r: RevisionRecord): string {
  return `v${r.version}-${anchorOf(r.key).slice(2, 40)}`;
}

function trailerView(t: TrailerAttributionRecord) {
  return { ...t, personUrl: t.personId ? personUrl(t.personId) : null, givenInUrl: messageUrl(t.givenIn) };
}

export function presentSeries(d: SeriesData) {
  const s = d.series;
  const lineage = lineageByPatch(s.lineage);
  const trailers = trailersByPatch(s.trailers);
  const members = new Map<string, { m: PatchMemberRecord; r: RevisionRecord }>();
  for (const r of s.revisions) for (const m of r.patches) members.set(m.key, { m, r });
  const link = (l: LineageRecord, other: string) => {
    const o = members.get(other);
    const here = members.get(other === l.to ? l.from : l.to);
    const [a, b] = other === l.to ? [here?.m.msgid, o?.m.msgid] : [o?.m.msgid, here?.m.msgid];
    return {
      anchor: anchorOf(other),
      label: o ? `${revisionName(o.r)}${o.m.index !== null ? ` ${o.m.index}/${o.m.total ?? '?'}` : ''}` : other,
      rule: l.rule,
      score: l.score.toFixed(2),
      evidence: l.evidence,
      rangeDiffUrl: a && b ? `${seriesUrl(s.key)}/range-diff?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}` : null,
    };
  };
  const timeline = [...s.revisions].sort((x, y) => (x.date ?? '').localeCompare(y.date ?? '') || x.version - y.version);
  const revisions = s.revisions.map((r) => ({
    key: r.key,
    anchor: revisionAnchor(r),
    version: r.version,
    name: revisionName(r),
    total: r.total,
    title: r.title,
    author: r.author,
    date: r.date,
    rule: r.rule,
    evidence: r.evidence,
    changeId: r.changeId,
    cover: r.cover ? { ...r.cover, url: r.cover.msgid ? messageUrl(r.cover.msgid) : null } : null,
    patches: r.patches.map((m) => ({
      ...m,
      anchor: anchorOf(m.key),
      url: m.msgid ? messageUrl(m.msgid) : null,
      from: (lineage.get(m.key)?.from ?? []).map((l) => link(l, l.from)),
      to: (lineage.get(m.key)?.to ?? []).map((l) => link(l, l.to)),
      // Review trailers are the news; Cc lines are folded into one line per patch.
      trailers: (trailers.get(m.key) ?? []).filter((t) => t.name.toLowerCase() !== 'cc').map(trailerView),
      cc: (trailers.get(m.key) ?? []).filter((t) => t.name.toLowerCase() === 'cc').map(trailerView),
    })),
  }));
  const dated = timeline.filter((r) => r.date);
  const t0 = dated.length ? Date.parse(dated[0].date ?? '') : 0;
  const t1 = dated.length ? Date.parse(dated[dated.length - 1].date ?? '') : 0;
  const span = Math.max(1, t1 - t0);
  return {
    title: `series: ${s.title}`,
    key: s.key,
    seriesTitle: s.title,
    revisions,
    /** Position along the timeline in tenths (a CSS class; no inline styles under the CSP). */
    timeline: timeline.map((r) => ({
      version: r.version,
      name: revisionName(r),
      date: r.date,
      anchor: revisionAnchor(r),
      patches: r.patches.length,
      step: r.date ? Math.round(((Date.parse(r.date) - t0) / span) * 10) : 0,
    })),
    next: s.next.map((n) => ({ ...n })),
    trailerCount: s.trailers.length,
    summary: {
      concerns: d.summary.concerns,
      sure: d.summary.sure,
      open: d.summary.open,
      statuses: Object.entries(d.summary.statuses).map(([status, n]) => ({ status, n })),
      revisions: d.summary.revisions
        .map((r) => ({
          version: r.version,
          name: revisionName(r),
          title: r.title,
          patches: r.patches
            .filter((p) => p.concerns.length > 0 || p.checked.length > 0)
            .map((p) => ({
              label: p.label,
              url: p.msgid ? messageUrl(p.msgid) : null,
              concerns: p.concerns.map((c) => ({ ...c, checkUrl: claimUrl(c.id), authorUrl: personUrl(c.author) })),
              checked: p.checked.map((c) => ({ ...c, checkUrl: claimUrl(c.id), authorUrl: personUrl(c.author) })),
            })),
        }))
        .filter((r) => r.patches.length > 0),
    },
    graphKey: encodeId(s.key),
  };
}

export function presentRangeDiff(d: RangeDiffData) {
  return {
    title: `range-diff: ${d.a.title}`,
    ...d,
    seriesUrl: seriesUrl(d.series.key),
    aUrl: messageUrl(d.a.msgid),
    bUrl: messageUrl(d.b.msgid),
  };
}
