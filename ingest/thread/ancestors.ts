// What the derive and claims stages both need of the thread forest: a message's ancestors, and
// a small cache for the ancestors' bodies they read back from the store.

/** How far up a reply chain the later stages look. */
export const MAX_ANCESTORS = 32;
/** How many ancestors' bodies a dump message is compared with for quotes that lost their markers. */
export const MAX_KNOWN_QUOTES = 4;

/** What an ancestor walk needs of a forest: a container's parent. A Map of msgid → parent is one. */
export interface ParentLookup {
  get(msgid: string): string | undefined;
}

/** Parent first, then its parent…, at most `max`, stopping at a repeat (no cycles). */
export function ancestorsOf(parents: ParentLookup, msgid: string, max = MAX_ANCESTORS): string[] {
  const out: string[] = [];
  let p = parents.get(msgid);
  while (p && out.length < max && !out.includes(p)) {
    out.push(p);
    p = parents.get(p);
  }
  return out;
}

/** A least-recently-used cache of bounded size (Map keeps insertion order). */
export class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.set(k, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
  }
}
