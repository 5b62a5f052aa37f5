// Patch lineage: each patch of a revision linked to its predecessor in an earlier revision of the
// same series, even when renumbered or retitled. Tried in order, one-to-one within a revision pair:
//  1. `title`: the same normalised title (any number);
//  2. `title-similar`: word-set similarity of the titles ≥ `minTitle` (subsystem prefix included);
//  3. `diff`: similarity of the diffs (touched files, hunk function names, added/removed lines)
//     ≥ `minDiff` — needs the patch mails;
//  then, between adjacent revisions only, `split` (a new patch made of part of an old one that also
//  continues) and `merge` (an old patch with no successor whose changes reappear in a new one).
// A patch with no match in the previous revision is looked up in the ones before it (a revision may
// be only partly visible, e.g. in an author archive); the evidence says which revision matched.
import type { Message } from '../model.js';
import { parseDiff } from '../segment/diff.js';
import { lookupOf, type MessageLookup, type Messages } from './messages.js';
import type { LineageLink, LineageRule, RevisionMember, Series } from './types.js';

export interface LineageOptions {
  /** Patch mails by msgid (or a list), for diff similarity. */
  messages?: Messages;
  /** Default 0.6. */
  minTitle?: number;
  /** Default 0.5. */
  minDiff?: number;
  /** Share of a patch's changed lines found in another for a split/merge. Default 0.5 (at least half). */
  minPart?: number;
  /** Rules to try, in this order. Default all: title, title-similar, diff (diff also finds splits and merges). */
  rules?: readonly LineageRule[];
}

export interface DiffShape {
  files: Set<string>;
  functions: Set<string>;
  lines: Set<string>;
}

function norm(title: string): string {
  return title.replace(/\s+/g, ' ').trim().toLowerCase();
}

function words(title: string): Set<string> {
  return new Set(norm(title).split(/[^a-z0-9_]+/).filter((w) => w.length > 1));
}

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Word-set similarity of two titles, 0..1. */
export function titleSimilarity(a: string, b: string): number {
  return jaccard(words(a), words(b));
}

/** What a patch changes, for diff similarity; null when the mail has no diff. */
export function diffShape(m: Message | undefined): DiffShape | null {
  if (!m) return null;
  const files = new Set<string>();
  const functions = new Set<string>();
  const lines = new Set<string>();
  for (const f of parseDiff(m.body)) {
    const path = f.newPath ?? f.oldPath;
    if (path) files.add(path);
    for (const h of f.hunks) {
      if (h.functionName) functions.add(h.functionName);
      for (const l of h.lines) {
        if (l.kind !== 'add' && l.kind !== 'del') continue;
        const t = l.text.replace(/\s+/g, ' ').trim();
        if (t.length > 2) lines.add(`${l.kind === 'add' ? '+' : '-'}${t}`);
      }
    }
  }
  return files.size > 0 ? { files, functions, lines } : null;
}

/** Similarity of two diffs, 0..1: files 0.4, hunk functions 0.2, changed lines 0.4. */
export function diffSimilarity(a: DiffShape, b: DiffShape): number {
  const fn = a.functions.size === 0 && b.functions.size === 0 ? jaccard(a.files, b.files) : jaccard(a.functions, b.functions);
  return 0.4 * jaccard(a.files, b.files) + 0.2 * fn + 0.4 * jaccard(a.lines, b.lines);
}

function label(p: RevisionMember): string {
  return `${p.index ?? '-'}/${p.total ?? '-'} "${p.title}"`;
}

/** Lineage links of one series. */
export function linkLineage(series: Series, opts: LineageOptions = {}): LineageLink[] {
  const minTitle = opts.minTitle ?? 0.6;
  const minDiff = opts.minDiff ?? 0.5;
  const minPart = opts.minPart ?? 0.5;
  // Used as given (a list is indexed): linkLineage runs once per series, and copying the map of
  // every message each time made a whole-archive run quadratic.
  const byId: MessageLookup = opts.messages ? lookupOf(opts.messages) : new Map();
  const shapes = new Map<string, DiffShape | null>();
  const shape = (p: RevisionMember): DiffShape | null => {
    if (!p.msgid) return null;
    if (!shapes.has(p.msgid)) shapes.set(p.msgid, diffShape(byId.get(p.msgid)));
    return shapes.get(p.msgid) ?? null;
  };
  const own = (i: number): RevisionMember[] => series.revisions[i].revision.patches.filter((p) => p.rule !== 'carried');

  const links: LineageLink[] = [];
  for (let k = 1; k < series.revisions.length; k++) {
    const later = series.revisions[k];
    let pending = own(k);
    for (let j = k - 1; j >= 0 && pending.length > 0; j--) {
      const earlier = series.revisions[j];
      const free = new Set(own(j).map((p) => p.key));
      const gap = k - 1 - j;
      const found = new Map<string, { from: RevisionMember; rule: LineageRule; score: number; why: string }>();
      const pass = (rule: LineageRule, score: (a: RevisionMember, b: RevisionMember) => { s: number; why: string } | null): void => {
        const cands: { a: RevisionMember; b: RevisionMember; s: number; why: string }[] = [];
        for (const b of pending) {
          if (found.has(b.key)) continue;
          for (const a of own(j)) {
            if (!free.has(a.key)) continue;
            const r = score(a, b);
            if (r) cands.push({ a, b, ...r });
          }
        }
        cands.sort((x, y) => y.s - x.s || (x.a.index ?? 0) - (y.a.index ?? 0));
        for (const c of cands) {
          if (found.has(c.b.key) || !free.has(c.a.key)) continue;
          free.delete(c.a.key);
          found.set(c.b.key, { from: c.a, rule, score: c.s, why: c.why });
        }
      };
      const rules = opts.rules ?? ['title', 'title-similar', 'diff'];
      if (rules.includes('title')) pass('title', (a, b) => (norm(a.title) === norm(b.title) && a.title ? { s: 1, why: 'same title' } : null));
      if (rules.includes('title-similar')) pass('title-similar', (a, b) => {
        const s = titleSimilarity(a.title, b.title);
        return s >= minTitle ? { s, why: `title word overlap ${s.toFixed(2)}` } : null;
      });
      if (rules.includes('diff')) pass('diff', (a, b) => {
        const sa = shape(a);
        const sb = shape(b);
        if (!sa || !sb) return null;
        const s = diffSimilarity(sa, sb);
        return s >= minDiff ? { s, why: `diff similarity ${s.toFixed(2)} (files, hunk functions, changed lines)` } : null;
      });
      for (const b of pending) {
        const f = found.get(b.key);
        if (!f) continue;
        links.push({
          from: f.from.key,
          to: b.key,
          fromRevision: earlier.key,
          toRevision: later.key,
          rule: f.rule,
          score: Number(f.score.toFixed(3)),
          evidence: `${label(f.from)} → ${label(b)}: ${f.why}${gap > 0 ? `; not found in the ${gap} revision(s) between` : ''}`,
        });
      }
      if (gap === 0 && rules.includes('diff')) {
        links.push(...splitsAndMerges(own(j), own(k), pending.filter((p) => !found.has(p.key)), free, shape, earlier.key, later.key, minPart));
      }
      pending = pending.filter((p) => !found.has(p.key));
    }
  }
  return links;
}

function containment<T>(part: Set<T>, whole: Set<T>): number {
  if (part.size === 0) return 0;
  let shared = 0;
  for (const x of part) if (whole.has(x)) shared++;
  return shared / part.size;
}

function subset<T>(a: Set<T>, b: Set<T>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Between adjacent revisions, after one-to-one matching: a new patch whose changes mostly come from
 * one old patch that already has a successor was split off it (`split`); an old patch left without
 * a successor whose changes mostly reappear inside one new patch was merged into it (`merge`).
 */
function splitsAndMerges(
  olds: RevisionMember[],
  news: RevisionMember[],
  newUnmatched: RevisionMember[],
  oldUnmatched: Set<string>,
  shape: (p: RevisionMember) => DiffShape | null,
  fromRevision: string,
  toRevision: string,
  minPart: number,
): LineageLink[] {
  const out: LineageLink[] = [];
  const best = (part: DiffShape, wholes: RevisionMember[]): { w: RevisionMember; c: number } | null => {
    let top: { w: RevisionMember; c: number } | null = null;
    for (const w of wholes) {
      const sw = shape(w);
      if (!sw || !subset(part.files, sw.files)) continue;
      const c = containment(part.lines, sw.lines);
      if (c >= minPart && (!top || c > top.c)) top = { w, c };
    }
    return top;
  };
  for (const b of newUnmatched) {
    const sb = shape(b);
    if (!sb || sb.lines.size < 3) continue;
    const hit = best(sb, olds.filter((a) => !oldUnmatched.has(a.key)));
    if (!hit) continue;
    out.push({
      from: hit.w.key,
      to: b.key,
      fromRevision,
      toRevision,
      rule: 'split',
      score: Number(hit.c.toFixed(3)),
      evidence: `${label(hit.w)} → ${label(b)}: split: ${Math.round(hit.c * 100)}% of the new patch's changed lines come from the old one, which also continues elsewhere`,
    });
  }
  for (const a of olds.filter((x) => oldUnmatched.has(x.key))) {
    const sa = shape(a);
    if (!sa || sa.lines.size < 3) continue;
    const hit = best(sa, news);
    if (!hit) continue;
    out.push({
      from: a.key,
      to: hit.w.key,
      fromRevision,
      toRevision,
      rule: 'merge',
      score: Number(hit.c.toFixed(3)),
      evidence: `${label(a)} → ${label(hit.w)}: merged: ${Math.round(hit.c * 100)}% of the old patch's changed lines reappear in the new one`,
    });
  }
  return out;
}
