// The person page: who someone is in the graph (addresses, names, why they were merged), the areas
// they work in (files and functions of their patches, symbols of their claims), their claims by
// kind, the trailers they gave and the threads they wrote in.
import type { Request } from 'express';
import type { GraphStore } from '../graph/store.js';
import type { PersonRecord, TrailerAttributionRecord } from '../graph/patches.js';
import type { ClaimView } from '../graph/claims.js';
import { badRequest, notFound } from './errors.js';

export interface CountedName {
  name: string;
  n: number;
}

export interface PersonData {
  person: PersonRecord;
  /** Messages sent from one of the person's addresses or names (the first MAX_MESSAGES). */
  messages: number;
  threads: { root: string; subject: string; messages: number; last: string | null }[];
  files: CountedName[];
  functions: CountedName[];
  symbols: CountedName[];
  claimsByKind: { kind: string; claims: ClaimView[] }[];
  trailers: (TrailerAttributionRecord & { seriesKey: string; seriesTitle: string })[];
}

/** Messages looked at in full per person page (threads, hunks and claims are read for these). */
const MAX_MESSAGES = 150;
const MAX_THREADS = 60;
const TOP = 25;

export function personParam(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw badRequest('a person id, address or name is required');
  if (raw.length > 300) throw badRequest('that is too long to be a person id, address or name');
  return raw.trim();
}

/** A person by id, else by one of their addresses, else by one of their names. */
async function findPerson(store: GraphStore, key: string): Promise<PersonRecord | null> {
  const byId = await store.patches.person(key);
  if (byId) return byId;
  const lower = key.toLowerCase();
  const people = await store.patches.people();
  return (
    people.find((p) => p.addresses.some((a) => a.toLowerCase() === lower)) ??
    people.find((p) => (p.name ?? '').toLowerCase() === lower || p.names.some((n) => n.toLowerCase() === lower)) ??
    null
  );
}

function counted(map: Map<string, number>): CountedName[] {
  return [...map.entries()]
    .map(([name, n]) => ({ name, n }))
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
    .slice(0, TOP);
}

function bump(map: Map<string, number>, key: string | null): void {
  if (key) map.set(key, (map.get(key) ?? 0) + 1);
}

export async function loadPerson(store: GraphStore, req: Request): Promise<PersonData> {
  const key = personParam(req.params.id);
  const person = await findPerson(store, key);
  if (!person) throw notFound(`no person '${key}' in this archive (an id from /person links, an address or a name)`);
  const addresses = new Set(person.addresses.map((a) => a.toLowerCase()));
  const names = new Set([person.name, ...person.names].filter((n): n is string => n !== null).map((n) => n.toLowerCase()));
  const mine: string[] = [];
  let total = 0;
  for await (const a of store.patches.authoredBy({ addresses: [...addresses], names: [...names] })) {
    total++;
    if (mine.length < MAX_MESSAGES) mine.push(a.msgid);
  }
  const files = new Map<string, number>();
  const functions = new Map<string, number>();
  const symbols = new Map<string, number>();
  const threads = new Map<string, PersonData['threads'][number]>();
  const claims: ClaimView[] = [];
  for (const msgid of mine) {
    const [derived, own] = await Promise.all([store.patches.messageSegments(msgid), store.claims.claims({ msgid })]);
    for (const h of derived?.hunks ?? []) {
      if (h.kind !== 'patch') continue;
      bump(files, h.file);
      bump(functions, h.functionName);
    }
    for (const c of own) {
      if (c.origin !== 'own') continue;
      claims.push(c);
      for (const e of c.entities) if (e.kind !== 'literal' && e.kind !== 'file') bump(symbols, e.name);
    }
    if (threads.size < MAX_THREADS) {
      const t = await store.thread(msgid);
      if (t && !threads.has(t.root)) {
        const dates = t.messages.map((m) => m.date).filter((d): d is string => d !== null).sort();
        threads.set(t.root, { root: t.root, subject: t.subject, messages: t.messages.filter((m) => !m.ghost).length, last: dates[dates.length - 1] ?? null });
      }
    }
  }
  const trailers: PersonData['trailers'] = [];
  for (const s of await store.patches.trailersOf(person.id)) {
    for (const t of s.trailers) if (t.via !== 'own') trailers.push({ ...t, seriesKey: s.seriesKey, seriesTitle: s.seriesTitle });
    for (const t of s.trailers) if (t.via === 'own' && t.name !== 'Signed-off-by' && t.name !== 'Cc') trailers.push({ ...t, seriesKey: s.seriesKey, seriesTitle: s.seriesTitle });
  }
  const kinds = new Map<string, ClaimView[]>();
  for (const c of claims) kinds.set(c.kind, [...(kinds.get(c.kind) ?? []), c]);
  return {
    person,
    messages: total,
    threads: [...threads.values()].sort((a, b) => (b.last ?? '').localeCompare(a.last ?? '')),
    files: counted(files),
    functions: counted(functions),
    symbols: counted(symbols),
    claimsByKind: [...kinds.entries()].map(([kind, list]) => ({ kind, claims: list })).sort((a, b) => b.claims.length - a.claims.length),
    trailers,
  };
}
