// The thread forest as the stages after threading read it (derive, claims): each container's
// parent and root, and the author of each stored message, in compact form.
//
// Those stages used to keep one Map per question, each with its own copies of the Message-IDs:
// parents (two strings an entry), roots (two), authors (a string and an object of two). On the
// 92k-message linux-arm-kernel epoch parents and authors alone held 35 MB of live heap in the
// derive stage. Here every Message-ID is held once, numbered in the order first met; parents,
// roots and authors are numbers in typed arrays, and each distinct author is one object.
import type { ThreadAssignment } from '../../graph/store.js';
import type { Address } from '../model.js';
import { MAX_ANCESTORS, type ParentLookup } from './ancestors.js';

/** The sender of a stored message, as the stores keep it (name and address, each possibly null). */
export type ForestAuthor = Pick<Address, 'name' | 'address'>;

const NONE = -1;

/** An Int32Array that grows by doubling, unset slots NONE. */
class Numbers {
  private a = new Int32Array(1024).fill(NONE);
  get(i: number): number {
    return i < this.a.length ? this.a[i] : NONE;
  }
  set(i: number, v: number): void {
    if (i >= this.a.length) {
      let n = this.a.length;
      while (n <= i) n *= 2;
      const b = new Int32Array(n).fill(NONE);
      b.set(this.a);
      this.a = b;
    }
    this.a[i] = v;
  }
}

export class ForestIndex {
  private readonly ids = new Map<string, number>();
  private readonly msgids: string[] = [];
  private readonly parents = new Numbers();
  private readonly roots = new Numbers();
  private readonly authorIds = new Numbers();
  private readonly authors: ForestAuthor[] = [];
  private readonly authorKeys = new Map<string, number>();
  private storedCount = 0;

  /** The forest a store holds (allThreadAssignments), with or without the roots. */
  static async of(forest: AsyncIterable<ThreadAssignment> | Iterable<ThreadAssignment>, opts: { roots?: boolean } = {}): Promise<ForestIndex> {
    const index = new ForestIndex();
    for await (const a of forest) index.addContainer(a.msgid, a.parent, opts.roots ? a.root : null);
    return index;
  }

  private id(msgid: string): number {
    let i = this.ids.get(msgid);
    if (i === undefined) {
      i = this.msgids.length;
      this.ids.set(msgid, i);
      this.msgids.push(msgid);
    }
    return i;
  }

  addContainer(msgid: string, parent: string | null, root: string | null = null): void {
    const i = this.id(msgid);
    if (parent !== null) this.parents.set(i, this.id(parent));
    if (root !== null) this.roots.set(i, this.id(root));
  }

  /** Record the author of a stored message (a message with no author known is not "stored"). */
  setAuthor(msgid: string, author: ForestAuthor): void {
    const i = this.id(msgid);
    const key = `${author.name ?? ''}\u0000${author.address ?? ''}`;
    let a = this.authorKeys.get(key);
    if (a === undefined) {
      a = this.authors.length;
      this.authorKeys.set(key, a);
      this.authors.push({ name: author.name, address: author.address });
    }
    if (this.authorIds.get(i) === NONE) this.storedCount++;
    this.authorIds.set(i, a);
  }

  /** Containers known: stored messages and ghosts. */
  get size(): number {
    return this.msgids.length;
  }

  /** Messages given an author. */
  get stored(): number {
    return this.storedCount;
  }

  has(msgid: string): boolean {
    return this.ids.has(msgid);
  }

  parentOf(msgid: string): string | undefined {
    const i = this.ids.get(msgid);
    if (i === undefined) return undefined;
    const p = this.parents.get(i);
    return p === NONE ? undefined : this.msgids[p];
  }

  rootOf(msgid: string): string | undefined {
    const i = this.ids.get(msgid);
    if (i === undefined) return undefined;
    const r = this.roots.get(i);
    return r === NONE ? undefined : this.msgids[r];
  }

  authorOf(msgid: string): ForestAuthor | undefined {
    const i = this.ids.get(msgid);
    if (i === undefined) return undefined;
    const a = this.authorIds.get(i);
    return a === NONE ? undefined : this.authors[a];
  }

  /** Parent first, then its parent…, at most `max`, stopping at a repeat: ancestors.ts's walk. */
  ancestors(msgid: string, max = MAX_ANCESTORS): string[] {
    const start = this.ids.get(msgid);
    if (start === undefined) return [];
    const seen: number[] = [];
    let p = this.parents.get(start);
    while (p !== NONE && seen.length < max && !seen.includes(p)) {
      seen.push(p);
      p = this.parents.get(p);
    }
    return seen.map((i) => this.msgids[i]);
  }

  /** The parent links as a lookup, for code that walks them itself. */
  get parentLookup(): ParentLookup {
    return { get: (msgid) => this.parentOf(msgid) };
  }
}
