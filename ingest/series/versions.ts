// Version linking: which revisions are postings of one series (v1, v2, … and resends), and in
// which order. Revisions are joined by the strongest evidence available, each edge recorded:
//  - `change-id`: the same b4 change-id;
//  - `thread`: a revision's root replies into the other (v2 cover In-Reply-To v1, partial re-roll);
//  - `cover-subject`: equal normalised cover titles, same author when both authors are known;
//  - `patch-titles`: at least half of the smaller revision's patch titles are shared (same author
//    when both are known);
//  - `patch-diff`: same author and total, different versions, and the patches touch (nearly) the same
//    files — only when the messages are given and no title was shared.
import type { Message } from '../model.js';
import { parseDiff } from '../segment/diff.js';
import { sameSender } from './classify.js';
import { lookupOf, type MessageLookup, type Messages } from './messages.js';
import type { Revision, Series, SeriesRevision, VersionEdge, VersionRule } from './types.js';
import { pushTo } from './buckets.js';

/** A title shared by more revisions than this is too common to be evidence (`Simple test`). */
const MAX_SHARED = 50;

const RULE_RANK: Record<VersionRule, number> = {
  'change-id': 0,
  thread: 1,
  'cover-subject': 2,
  'patch-titles': 3,
  'patch-diff': 4,
};

export interface VersionOptions {
  /** Messages by msgid, to compare diffs when no title links two revisions. */
  messages?: Messages;
  /** Minimum Jaccard overlap of touched files for a `patch-diff` edge. Default 0.8. */
  minFileOverlap?: number;
}

function norm(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

function authorsCompatible(a: Revision, b: Revision): boolean {
  if (!a.author || !b.author) return true;
  return sameSender(a.author, b.author);
}

function patchTitles(r: Revision): Set<string> {
  return new Set(r.patches.filter((p) => p.rule !== 'carried').map((p) => norm(p.title)).filter((t) => t.length > 0));
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    while (p !== (this.parent.get(p) ?? p)) p = this.parent.get(p) ?? p;
    this.parent.set(x, p);
    return p;
  }
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.parent.set(rb, ra);
    return true;
  }
}

/** Files touched by the revision's own patches (empty when no patch mail is available). */
function filesTouched(r: Revision, byId: MessageLookup): Set<string> {
  const out = new Set<string>();
  for (const p of r.patches) {
    if (!p.msgid || p.rule === 'carried') continue;
    const m = byId.get(p.msgid);
    if (!m) continue;
    for (const f of parseDiff(m.body)) {
      const path = f.newPath ?? f.oldPath;
      if (path) out.add(path);
    }
  }
  return out;
}

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** As authorsCompatible, and also one person with two mailboxes (the same name on both). */
function sameAuthor(a: Revision, b: Revision): boolean {
  if (authorsCompatible(a, b)) return true;
  const name = (r: Revision): string | undefined => r.author?.name?.trim().toLowerCase() || undefined;
  return name(a) !== undefined && name(a) === name(b);
}

/** Every edge between two revisions that the evidence supports. */
export function versionEdges(revisions: readonly Revision[], opts: VersionOptions = {}): VersionEdge[] {
  const edges: VersionEdge[] = [];
  const seen = new Set<string>();
  const byRevId = new Map(revisions.map((r) => [r.id, r]));
  const push = (a: Revision, b: Revision, rule: VersionRule, evidence: string): void => {
    // A backport for one stable kernel is not a version of the mainline posting, nor of the
    // backport for another (AUTOSEL posts the same titles for 5.3, 5.2, 4.19… at once).
    if (a.id === b.id || a.stable !== b.stable) return;
    const [from, to] = (a.date ?? '') <= (b.date ?? '') ? [a, b] : [b, a];
    const k = `${from.id}\u0000${to.id}\u0000${rule}`;
    if (seen.has(k)) return;
    seen.add(k);
    edges.push({ from: from.id, to: to.id, rule, evidence });
  };

  // Per change-id and stable kernel: b4 keeps a series' change-id in its stable backports.
  const byChangeId = new Map<string, Revision[]>();
  for (const r of revisions) if (r.changeId) pushTo(byChangeId, seriesChangeKey(r.changeId, r.stable), r);
  for (const group of byChangeId.values()) {
    for (let i = 1; i < group.length; i++) push(group[0], group[i], 'change-id', `both carry change-id ${group[0].changeId}`);
  }

  // A posting threaded into another is its next version when the same person sent both: someone
  // else's patch in the thread (the kbuild robot's "[RFC PATCH] …: foo() can be static", a
  // reviewer's alternative) answers the series and is not a version of it.
  for (const r of revisions) {
    for (const t of r.threadedTo) {
      const o = byRevId.get(t.revision);
      if (o && sameAuthor(o, r)) push(o, r, 'thread', `v${r.version} root <${r.id}> replies to <${t.msgid}> of v${o.version}`);
    }
    if (r.rerollOf) {
      const o = byRevId.get(r.rerollOf.revision);
      if (o && sameAuthor(o, r)) push(o, r, 'thread', `partial re-roll: ${r.rerollOf.evidence}`);
    }
  }

  const byCover = new Map<string, Revision[]>();
  for (const r of revisions) {
    if (!r.cover || !r.cover.title) continue;
    const k = norm(r.cover.title);
    pushTo(byCover, k, r);
  }
  for (const [title, group] of byCover) {
    if (group.length > MAX_SHARED) continue;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        if (authorsCompatible(group[i], group[j])) {
          push(group[i], group[j], 'cover-subject', `cover letters titled "${title}"`);
        }
      }
    }
  }

  const titles = new Map(revisions.map((r) => [r.id, patchTitles(r)]));
  const byTitle = new Map<string, Revision[]>();
  for (const r of revisions) for (const t of titles.get(r.id) ?? []) pushTo(byTitle, t, r);
  const sharedCount = new Map<string, { a: Revision; b: Revision; shared: string[] }>();
  for (const [t, group] of byTitle) {
    if (group.length > MAX_SHARED) continue;
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const k = `${group[i].id}\u0000${group[j].id}`;
        const e = sharedCount.get(k) ?? { a: group[i], b: group[j], shared: [] };
        e.shared.push(t);
        sharedCount.set(k, e);
      }
    }
  }
  for (const { a, b, shared } of sharedCount.values()) {
    const smaller = Math.min(titles.get(a.id)?.size ?? 0, titles.get(b.id)?.size ?? 0);
    if (shared.length * 2 >= smaller && authorsCompatible(a, b)) {
      const shown = shared.slice(0, 3).map((t) => `"${t}"`).join(', ');
      push(a, b, 'patch-titles', `${shared.length} of ${smaller} patch titles shared: ${shown}${shared.length > 3 ? ', …' : ''}`);
    }
  }

  if (opts.messages) {
    const byId = lookupOf(opts.messages);
    const minOverlap = opts.minFileOverlap ?? 0.8;
    const cache = new Map<string, Set<string>>();
    const filesOf = (r: Revision): Set<string> => {
      let f = cache.get(r.id);
      if (!f) {
        f = filesTouched(r, byId);
        cache.set(r.id, f);
      }
      return f;
    };
    const linked = new Set(edges.flatMap((e) => [`${e.from}\u0000${e.to}`, `${e.to}\u0000${e.from}`]));
    // Only revisions of one author with one total are compared (bucketed, not all pairs).
    const buckets = new Map<string, Revision[]>();
    for (const r of revisions) {
      const who = r.author?.address ?? r.author?.name?.toLowerCase();
      if (!who || r.total === null) continue;
      const k = `${who}|${r.total}`;
      pushTo(buckets, k, r);
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i++) {
        for (let j = i + 1; j < bucket.length; j++) {
          const a = bucket[i];
          const b = bucket[j];
          if (a.version === b.version || !a.author || !b.author || !sameSender(a.author, b.author)) continue;
          if (linked.has(`${a.id}\u0000${b.id}`)) continue;
          const fa = filesOf(a);
          const fb = filesOf(b);
          const overlap = jaccard(fa, fb);
          if (fa.size > 0 && overlap >= minOverlap) {
            push(a, b, 'patch-diff', `same author and total, v${a.version}/v${b.version}, touched files overlap ${overlap.toFixed(2)}`);
          }
        }
      }
    }
  }
  return edges;
}

/** A change-id, with the stable kernel of a backport (`id@5.10`): one series per kernel. */
function seriesChangeKey(changeId: string, stable: string | null): string {
  return stable ? `${changeId}@${stable}` : changeId;
}

function compareRevisions(a: Revision, b: Revision): number {
  if (a.version !== b.version) return a.version - b.version;
  return (a.date ?? '').localeCompare(b.date ?? '');
}

/**
 * A series' revisions in the order they were posted. RFC postings and patch postings are numbered
 * on their own: an author may post RFC v3 and RFC v4 and then start again at v1 (virtio-mem,
 * 2019-2020), so each track is ordered by version (then date) and the two are merged by date.
 */
function postingOrder(group: readonly Revision[]): Revision[] {
  const rfc = group.filter((r) => r.rfc).sort(compareRevisions);
  const patch = group.filter((r) => !r.rfc).sort(compareRevisions);
  const out: Revision[] = [];
  let i = 0;
  let j = 0;
  while (i < rfc.length || j < patch.length) {
    const a = rfc[i];
    const b = patch[j];
    // An RFC goes first unless the patch posting is dated before it (an undated one: RFC first).
    if (a && (!b || !a.date || !b.date || a.date <= b.date)) {
      out.push(a);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}

/** How a revision is tied to its series: its best-ranked edge (`mine`, its edges, is in rule order), and how many more it has. */
function joinedBy(r: Revision, mine: readonly VersionEdge[]): string {
  const label = `${r.rfc ? 'RFC ' : ''}v${r.version}`;
  if (mine.length === 0) return `${label} has no edge of its own`;
  const more = mine.length > 1 ? ` (and ${mine.length - 1} more edge${mine.length > 2 ? 's' : ''})` : '';
  return `${label} belongs to the series by ${mine[0].rule} (${mine[0].evidence})${more}`;
}

/** Group revisions into series (connected by the version edges), each in posting order (postingOrder). */
export function linkVersions(revisions: readonly Revision[], opts: VersionOptions = {}): Series[] {
  const edges = versionEdges(revisions, opts).sort((x, y) => RULE_RANK[x.rule] - RULE_RANK[y.rule]);
  const uf = new UnionFind();
  for (const e of edges) uf.union(e.from, e.to);
  const groups = new Map<string, Revision[]>();
  for (const r of revisions) pushTo(groups, uf.find(r.id), r);
  // Each group's own edges, in the order of `edges` (both ends of an edge share its group's root).
  const edgesOf = new Map<string, VersionEdge[]>();
  for (const e of edges) pushTo(edgesOf, uf.find(e.from), e);
  const out: Series[] = [];
  for (const [root, unordered] of groups) {
    const group = postingOrder(unordered);
    const withId = group.find((r) => r.changeId);
    const earliest = [...group].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''))[0];
    const key = withId?.changeId ? `change-id:${seriesChangeKey(withId.changeId, withId.stable)}` : `series:${earliest.id}`;
    const used = new Map<number, number>();
    const revs: SeriesRevision[] = group.map((r) => {
      const n = (used.get(r.version) ?? 0) + 1;
      used.set(r.version, n);
      return { key: `${key}:v${r.version}${n > 1 ? `.${n}` : ''}`, revision: r };
    });
    const keyOf = new Map(revs.map((x) => [x.revision.id, x.key]));
    const own = edgesOf.get(root) ?? [];
    /** The best-ranked edge between two revisions (`own` is in rule order), either way round. */
    const between = new Map<string, VersionEdge>();
    for (const e of own) for (const k of [`${e.from}\u0000${e.to}`, `${e.to}\u0000${e.from}`]) if (!between.has(k)) between.set(k, e);
    /** Each revision's own edges, in rule order (for the evidence of a series-order link). */
    const edgesOfRevision = new Map<string, VersionEdge[]>();
    for (const e of own) {
      pushTo(edgesOfRevision, e.from, e);
      if (e.to !== e.from) pushTo(edgesOfRevision, e.to, e);
    }
    const joined = (r: Revision): string => joinedBy(r, edgesOfRevision.get(r.id) ?? []);
    const next: Series['next'] = [];
    for (let i = 1; i < revs.length; i++) {
      const b = revs[i].revision.id;
      // Each revision follows the nearest earlier one it has direct evidence with, else the one just
      // before it. A series split in two (v4 re-posted as two v5s, each going on to v6…) so keeps two
      // branches from v4 instead of one chain that alternates between them.
      let from = i - 1;
      let direct: VersionEdge | undefined;
      for (let j = i - 1; j >= 0 && !direct; j--) {
        direct = between.get(`${revs[j].revision.id}\u0000${b}`);
        if (direct) from = j;
      }
      next.push({
        from: revs[from].key,
        to: revs[i].key,
        rule: direct ? direct.rule : 'series-order',
        evidence: direct ? direct.evidence : `no direct evidence between the two; ${joined(revs[from].revision)}; ${joined(revs[i].revision)}`,
      });
    }
    const latest = group[group.length - 1];
    out.push({
      key,
      title: latest.cover?.title ?? group.find((r) => r.cover)?.cover?.title ?? latest.title,
      revisions: revs,
      edges: own.map((e) => ({ ...e, from: keyOf.get(e.from) ?? e.from, to: keyOf.get(e.to) ?? e.to })),
      next,
    });
  }
  return out.sort((a, b) => (a.revisions[0].revision.date ?? '').localeCompare(b.revisions[0].revision.date ?? ''));
}
