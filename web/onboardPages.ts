// The onboarding digest (/onboard?files=<glob>&symbols=a,b): for an area of the kernel, the key
// debates, recurring concerns, people to ask and a glossary of its symbols with where each is
// defined — all read from the graph (hunks by file and function, claims by symbol).
import type { Request } from 'express';
import type { GraphStore } from '../graph/store.js';
import type { ClaimView } from '../graph/claims.js';
import type { HunkView } from '../graph/patches.js';
import { badRequest } from './errors.js';
import { stringParam } from './params.js';
import { symbolParam } from './symbolPages.js';
import { normalText } from '../analysis/claimTask.js';

export interface GlossaryEntry {
  name: string;
  /** Files whose hunks name it as their function, most often first. */
  definedIn: { file: string; hunks: number }[];
  claims: number;
  threads: number;
}

export interface Debate {
  thread: string;
  subject: string;
  claims: number;
  disagreements: number;
  comments: number;
  people: string[];
  last: string | null;
}

export interface RecurringConcern {
  symbol: string;
  /** Threads where a distinct sentence about the symbol was first raised. */
  threads: number;
  /** Each distinct sentence once, at its first posting, with how many later messages repeat it
   *  (a commit message re-sent with every revision of a series is one concern, not one per thread). */
  concerns: (ClaimView & { repeatedIn: number })[];
}

export interface Contact {
  name: string;
  patches: number;
  comments: number;
  claims: number;
}

export interface OnboardData {
  query: { files: string | null; symbols: string[] };
  hunks: number;
  glossary: GlossaryEntry[];
  debates: Debate[];
  concerns: RecurringConcern[];
  people: Contact[];
}

const GLOB = /^[A-Za-z0-9_.\/*?+-]{1,200}$/;
const MAX_SYMBOLS = 20;
/** Functions of the matched files added to the glossary besides the symbols asked for. */
const FROM_FILES = 15;
const TOP = 10;

/** A shell-style glob (`*` within a path segment, `**` across, `?` one character) as a RegExp. */
export function globRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+\\^$()[\]{}|]/g, '\\$&');
  }
  return new RegExp(`^${re}${glob.endsWith('/') ? '.*' : ''}$`);
}

/** What the store can be asked for a glob: the directory before its first wildcard, or the exact path. */
function storeQueryFor(glob: string): string {
  const w = glob.search(/[*?]/);
  if (w === -1) return glob;
  const dir = glob.slice(0, w).replace(/[^/]*$/, '');
  return dir;
}

function symbolsParam(raw: string | undefined): string[] {
  if (!raw) return [];
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length > MAX_SYMBOLS) throw badRequest(`at most ${MAX_SYMBOLS} symbols`);
  return [...new Set(names.map((n) => symbolParam(n)))];
}

export async function loadOnboard(store: GraphStore, req: Request): Promise<OnboardData> {
  const files = stringParam(req.query, 'files', 200) ?? null;
  if (files !== null && !GLOB.test(files)) throw badRequest(`'files' must be a path glob such as mm/sparse*.c or mm/ (letters, digits, / . _ - * ?)`);
  if (files !== null && files.split('/').includes('..')) throw badRequest(`'files' must not contain '..'`);
  const symbols = symbolsParam(stringParam(req.query, 'symbols', 2000));
  const query = { files, symbols };
  const empty: OnboardData = { query, hunks: 0, glossary: [], debates: [], concerns: [], people: [] };
  if (files === null && symbols.length === 0) return empty;

  const hunks: HunkView[] = [];
  if (files !== null) {
    const q = storeQueryFor(files);
    const re = globRegExp(files);
    const found = q === '' ? [] : await store.patches.hunks({ file: q });
    for (const h of found) if ((h.file && re.test(h.file)) || (h.oldPath && re.test(h.oldPath))) hunks.push(h);
    if (q === '') throw badRequest(`'files' must start with a directory or file name, not a wildcard`);
  }
  const hunkKey = (h: HunkView): string => `${h.msgid}\u0000${h.kind}\u0000${h.index}`;
  const seenHunks = new Set(hunks.map(hunkKey));
  const functionCounts = new Map<string, number>();
  for (const h of hunks) if (h.functionName) functionCounts.set(h.functionName, (functionCounts.get(h.functionName) ?? 0) + 1);
  const fromFiles = [...functionCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, FROM_FILES).map(([n]) => n);
  const names = [...new Set([...symbols, ...fromFiles])];

  const claims: ClaimView[] = [];
  const seenClaims = new Set<string>();
  const glossary: GlossaryEntry[] = [];
  for (const name of names) {
    const [view, defs] = await Promise.all([store.claims.symbol(name), store.patches.hunks({ function: name })]);
    const files = new Map<string, number>();
    for (const h of defs) if (h.file) files.set(h.file, (files.get(h.file) ?? 0) + 1);
    const own = view?.claims ?? [];
    for (const c of own) if (!seenClaims.has(c.id)) (seenClaims.add(c.id), claims.push(c));
    if (symbols.includes(name)) {
      for (const h of defs) {
        const key = hunkKey(h);
        if (!seenHunks.has(key)) (seenHunks.add(key), hunks.push(h));
      }
    }
    glossary.push({
      name,
      definedIn: [...files.entries()].sort((a, b) => b[1] - a[1]).map(([file, n]) => ({ file, hunks: n })),
      claims: own.length,
      threads: new Set(own.map((c) => c.thread ?? c.msgid)).size,
    });
  }

  const debates = new Map<string, Debate>();
  const debate = (thread: string, subject: string, date: string | null): Debate => {
    let d = debates.get(thread);
    if (!d) debates.set(thread, (d = { thread, subject, claims: 0, disagreements: 0, comments: 0, people: [], last: null }));
    if (date && (d.last === null || date > d.last)) d.last = date;
    return d;
  };
  for (const c of claims) {
    const d = debate(c.thread ?? c.msgid, c.subject, c.date);
    d.claims++;
    if (c.stance === 'disagrees' || c.kind === 'nak') d.disagreements++;
    if (!d.people.includes(c.author)) d.people.push(c.author);
  }
  for (const h of hunks) {
    if (h.comments.length === 0) continue;
    const t = await store.thread(h.msgid);
    const d = debate(t?.root ?? h.msgid, t?.subject ?? h.subject, h.date);
    d.comments += h.comments.length;
    for (const c of h.comments) if (!d.people.includes(c.from)) d.people.push(c.from);
  }

  const concerns = recurringConcerns(claims, names);

  const people = new Map<string, Contact>();
  const contact = (name: string): Contact => {
    let p = people.get(name);
    if (!p) people.set(name, (p = { name, patches: 0, comments: 0, claims: 0 }));
    return p;
  };
  for (const h of hunks) {
    if (h.kind === 'patch') contact(h.from).patches++;
    for (const c of h.comments) contact(c.from).comments++;
  }
  for (const c of claims) if (c.origin === 'own') contact(c.author).claims++;

  return {
    query,
    hunks: hunks.length,
    glossary,
    debates: [...debates.values()].sort((a, b) => b.disagreements - a.disagreements || b.claims + b.comments - (a.claims + a.comments)).slice(0, TOP),
    concerns,
    people: [...people.values()].sort((a, b) => b.patches + b.comments + b.claims - (a.patches + a.comments + a.claims)).slice(0, TOP),
  };
}

/** Concerns (and NAKs) per symbol of the digest, each sentence once, symbols raised in more than
 *  one thread or by more than one distinct sentence first. */
export function recurringConcerns(claims: readonly ClaimView[], names: readonly string[]): RecurringConcern[] {
  const wanted = new Set(names);
  const bySymbol = new Map<string, Map<string, ClaimView & { repeatedIn: number }>>();
  const byDate = [...claims].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.id.localeCompare(b.id));
  for (const c of byDate) {
    if (c.kind !== 'concern' && c.kind !== 'nak') continue;
    for (const name of new Set(c.entities.map((e) => e.name))) {
      if (!wanted.has(name)) continue;
      let sentences = bySymbol.get(name);
      if (!sentences) bySymbol.set(name, (sentences = new Map()));
      const key = normalText(c.text); // a re-sent sentence is the same words
      const first = sentences.get(key);
      if (first) first.repeatedIn++;
      else sentences.set(key, { ...c, repeatedIn: 0 });
    }
  }
  return [...bySymbol.entries()]
    .map(([symbol, sentences]) => {
      const list = [...sentences.values()];
      return { symbol, threads: new Set(list.map((c) => c.thread ?? c.msgid)).size, concerns: list };
    })
    .filter((r) => r.threads > 1 || r.concerns.length > 1)
    .sort((a, b) => b.threads - a.threads || b.concerns.length - a.concerns.length || a.symbol.localeCompare(b.symbol))
    .slice(0, TOP);
}
