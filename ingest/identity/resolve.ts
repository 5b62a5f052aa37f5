// Identity resolution: one person across addresses and name forms, with the reason for each merge.
//
// Rules, in order:
//  - `same-address`: every name written with one (readable) address is that address's person;
//    `last-first` is recorded too when one of those names is the `Last, First` form of another;
//  - `same-name`: addresses used under the same full name (two or more words after normalisation:
//    case, accents, initials and `(corporate)` notes ignored, `Last, First` reordered) are merged;
//  - `local-part-domain-family`: the same local part at two domains of one organisation
//    (`dwmw@amazon.com`, `dwmw@amazon.co.uk`) when the names do not disagree;
//  - `name-only`: a name seen without an address (text dumps, stripped trailers) joins the one
//    person with that full name; when none or several have it, it stays on its own (several: the
//    ambiguity is recorded). Single-word names never merge: two people may share a first name.
import type { Address, Message } from '../model.js';
import { findTrailerBlock, followupTrailers, parseTrailerLines, splitLines, type Trailer } from '../segment/index.js';
import { localFamilyKey, nameKey } from './names.js';

export interface Observation {
  name: string | null;
  address: string | null;
  /** An archive hid part of the address; it is then not used as a key. */
  obfuscated?: boolean;
}

export type MergeRule = 'same-address' | 'same-name' | 'last-first' | 'local-part-domain-family' | 'name-only';

export interface MergeReason {
  rule: MergeRule;
  detail: string;
}

export interface Person {
  /** `person:<address>` (the smallest address) or `person:name:<name key>` for a name-only person. */
  id: string;
  /** The display name used most often (`First Last` preferred over `Last, First`). */
  name: string | null;
  addresses: string[];
  /** Every display name seen, as written. */
  names: string[];
  reasons: MergeReason[];
}

export interface Identities {
  persons: Person[];
  /** Person id for a (name, address) pair: by address when readable, else by an unambiguous name. */
  lookup(name: string | null, address: string | null): string | null;
}

class UnionFind {
  private parent = new Map<string, string>();
  add(x: string): void {
    if (!this.parent.has(x)) this.parent.set(x, x);
  }
  find(x: string): string {
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r) ?? r;
    let c = x;
    while (c !== r) {
      const n = this.parent.get(c) ?? r;
      this.parent.set(c, r);
      c = n;
    }
    return r;
  }
  union(a: string, b: string): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    return true;
  }
}

function usableAddress(o: Observation): string | null {
  if (!o.address || o.obfuscated) return null;
  const a = o.address.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a) ? a : null;
}

/**
 * The (name, address) pairs of every sender and recipient of the messages; with `trailers`, also
 * the persons of each body's trailers (a patch's trailer block and a reply's own trailers), which
 * in text dumps are often the only place a name appears — without an address.
 */
export function observationsOf(messages: Iterable<Message>, opts: { trailers?: boolean } = {}): Observation[] {
  const out: Observation[] = [];
  const push = (a: Address): void => {
    if (a.name || a.address) out.push({ name: a.name, address: a.address, obfuscated: a.obfuscated });
  };
  for (const m of messages) {
    push(m.from);
    m.to.forEach(push);
    m.cc.forEach(push);
    if (opts.trailers) for (const t of bodyTrailers(m.body)) if (t.person) push(t.person);
  }
  return out;
}

function bodyTrailers(body: string): Trailer[] {
  const lines = splitLines(body);
  const block = findTrailerBlock(lines);
  const own = block ? parseTrailerLines(lines, block[0], block[1]) : [];
  const seen = new Set(own.map((t) => t.line));
  return [...own, ...followupTrailers(body).filter((t) => !seen.has(t.line))];
}

/** Resolve observations into persons. Pure; the same input always gives the same ids. */
export function resolveIdentities(observations: Iterable<Observation>): Identities {
  const uf = new UnionFind();
  const namesOf = new Map<string, Map<string, number>>(); // node → raw name → count
  const reasons: { node: string; reason: MergeReason }[] = [];
  const nameOnly: { name: string; key: ReturnType<typeof nameKey> }[] = [];

  const noteName = (node: string, name: string | null): void => {
    uf.add(node);
    const m = namesOf.get(node) ?? new Map<string, number>();
    if (name) m.set(name, (m.get(name) ?? 0) + 1);
    namesOf.set(node, m);
  };

  for (const o of observations) {
    const addr = usableAddress(o);
    const name = o.name?.replace(/\s+/g, ' ').trim() || null;
    if (addr) noteName(`a:${addr}`, name);
    else if (name) nameOnly.push({ name, key: nameKey(name) });
  }

  // same-address (and last-first) reasons.
  for (const [node, names] of namesOf) {
    const raw = [...names.keys()];
    if (raw.length < 2) continue;
    const addr = node.slice(2);
    reasons.push({ node, reason: { rule: 'same-address', detail: `${raw.map((n) => `"${n}"`).join(', ')} all wrote from ${addr}` } });
    const keys = raw.map((n) => ({ n, k: nameKey(n) }));
    for (const a of keys) {
      for (const b of keys) {
        if (a.k && b.k && a.k.reordered && !b.k.reordered && a.k.key === b.k.key) {
          reasons.push({ node, reason: { rule: 'last-first', detail: `"${a.n}" is "${b.n}" written Last, First (${addr})` } });
        }
      }
    }
  }

  // same-name.
  const keysOfNode = (node: string): Set<string> => {
    const out = new Set<string>();
    for (const n of namesOf.get(node)?.keys() ?? []) {
      const k = nameKey(n);
      if (k && k.words >= 2) out.add(k.key);
    }
    return out;
  };
  const byKey = new Map<string, string[]>();
  for (const node of namesOf.keys()) for (const k of keysOfNode(node)) byKey.set(k, [...(byKey.get(k) ?? []), node]);
  for (const [key, nodes] of byKey) {
    if (nodes.length < 2) continue;
    for (let i = 1; i < nodes.length; i++) {
      if (!uf.union(nodes[0], nodes[i])) continue;
      const rawA = [...(namesOf.get(nodes[0])?.keys() ?? [])].filter((n) => nameKey(n)?.key === key);
      const rawB = [...(namesOf.get(nodes[i])?.keys() ?? [])].filter((n) => nameKey(n)?.key === key);
      const reordered = [...rawA, ...rawB].some((n) => nameKey(n)?.reordered) && [...rawA, ...rawB].some((n) => !nameKey(n)?.reordered);
      reasons.push({
        node: nodes[0],
        reason: {
          rule: reordered ? 'last-first' : 'same-name',
          detail: `${nodes[0].slice(2)} (${rawA.map((n) => `"${n}"`).join(', ')}) and ${nodes[i].slice(2)} (${rawB.map((n) => `"${n}"`).join(', ')}) share the name "${key}"`,
        },
      });
    }
  }

  // local-part-domain-family, unless the names disagree. Name keys are kept per component.
  const compKeys = new Map<string, Set<string>>();
  for (const node of namesOf.keys()) {
    const root = uf.find(node);
    const set = compKeys.get(root) ?? new Set<string>();
    for (const k of keysOfNode(node)) set.add(k);
    compKeys.set(root, set);
  }
  const byLocal = new Map<string, string[]>();
  for (const node of namesOf.keys()) {
    const lk = localFamilyKey(node.slice(2));
    if (lk) byLocal.set(lk, [...(byLocal.get(lk) ?? []), node]);
  }
  for (const [lk, nodes] of byLocal) {
    for (let i = 1; i < nodes.length; i++) {
      const ra = uf.find(nodes[0]);
      const rb = uf.find(nodes[i]);
      if (ra === rb) continue;
      const ka = compKeys.get(ra) ?? new Set<string>();
      const kb = compKeys.get(rb) ?? new Set<string>();
      const disagree = ka.size > 0 && kb.size > 0 && ![...ka].some((k) => kb.has(k));
      if (disagree) continue;
      uf.union(ra, rb);
      compKeys.set(uf.find(ra), new Set([...ka, ...kb]));
      reasons.push({
        node: nodes[0],
        reason: {
          rule: 'local-part-domain-family',
          detail: `${nodes[0].slice(2)} and ${nodes[i].slice(2)}: same local part in the ${lk.split('@')[1]} domain family${ka.size === 0 || kb.size === 0 ? ' (one side has no name)' : ''}`,
        },
      });
    }
  }

  // name-only observations.
  const rootsByKey = new Map<string, Set<string>>();
  for (const node of namesOf.keys()) {
    for (const k of keysOfNode(node)) {
      const s = rootsByKey.get(k) ?? new Set<string>();
      s.add(uf.find(node));
      rootsByKey.set(k, s);
    }
  }
  const attached = new Set<string>();
  for (const { name, key } of nameOnly) {
    const roots = key && key.words >= 2 ? rootsByKey.get(key.key) : undefined;
    if (roots && roots.size === 1) {
      const root = [...roots][0];
      noteName(root, name);
      const tag = `${root}\u0000${name}`;
      if (!attached.has(tag)) {
        attached.add(tag);
        reasons.push({ node: root, reason: { rule: 'name-only', detail: `"${name}" (no address) matches the only person named "${key?.key}"` } });
      }
      continue;
    }
    const node = `n:${key ? key.key : name.toLowerCase()}`;
    const fresh = !namesOf.has(node);
    noteName(node, name);
    if (fresh && roots && roots.size > 1) {
      reasons.push({ node, reason: { rule: 'name-only', detail: `"${name}" (no address) is ambiguous: ${roots.size} people are named "${key?.key}"; not merged` } });
    }
  }

  // Build persons.
  const members = new Map<string, string[]>();
  for (const node of namesOf.keys()) {
    const r = uf.find(node);
    members.set(r, [...(members.get(r) ?? []), node]);
  }
  const reasonsOfRoot = new Map<string, MergeReason[]>();
  for (const r of reasons) {
    const root = uf.find(r.node);
    reasonsOfRoot.set(root, [...(reasonsOfRoot.get(root) ?? []), r.reason]);
  }
  const persons: Person[] = [];
  const idOfRoot = new Map<string, string>();
  for (const [root, nodes] of members) {
    const addresses = nodes.filter((n) => n.startsWith('a:')).map((n) => n.slice(2)).sort();
    const counts = new Map<string, number>();
    for (const n of nodes) for (const [name, c] of namesOf.get(n) ?? []) counts.set(name, (counts.get(name) ?? 0) + c);
    const names = [...counts.keys()];
    const best = [...counts.entries()].sort(
      (a, b) => Number(nameKey(a[0])?.reordered ?? false) - Number(nameKey(b[0])?.reordered ?? false) || b[1] - a[1] || a[0].localeCompare(b[0]),
    )[0];
    const id = addresses.length > 0 ? `person:${addresses[0]}` : `person:name:${nodes[0].slice(2)}`;
    idOfRoot.set(root, id);
    persons.push({
      id,
      name: best ? best[0] : null,
      addresses,
      names,
      reasons: reasonsOfRoot.get(root) ?? [],
    });
  }
  persons.sort((a, b) => a.id.localeCompare(b.id));

  const byName = new Map<string, Set<string>>();
  for (const [root, nodes] of members) {
    for (const n of nodes) {
      for (const raw of namesOf.get(n)?.keys() ?? []) {
        const k = nameKey(raw);
        if (!k || k.words < 2) continue;
        const s = byName.get(k.key) ?? new Set<string>();
        s.add(idOfRoot.get(root) ?? '');
        byName.set(k.key, s);
      }
    }
  }
  const lookup = (name: string | null, address: string | null): string | null => {
    const addr = usableAddress({ name, address });
    if (addr && namesOf.has(`a:${addr}`)) return idOfRoot.get(uf.find(`a:${addr}`)) ?? null;
    const k = nameKey(name);
    if (!k) return null;
    const ids = byName.get(k.key);
    if (ids && ids.size === 1) return [...ids][0];
    const node = `n:${k.key}`;
    return namesOf.has(node) ? (idOfRoot.get(uf.find(node)) ?? null) : null;
  };
  return { persons, lookup };
}
