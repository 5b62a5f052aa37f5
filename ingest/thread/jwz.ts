// Threading in the JWZ style (https://www.jwz.org/doc/threading.html), with public-inbox's
// semantics: messages are linked by In-Reply-To/References only, unseen parents become ghost
// containers, and a link that would close a cycle is refused. Two additions for archives that
// lost their headers (text dumps): a parent inferred from the content (attribution lines, quotes,
// dates — see infer.ts) is used when no header names one, and header-less replies whose
// parent is still unknown are gathered under the original of the same normalised subject (or a
// ghost standing for it), each link saying how it was made.
import { createHash } from 'node:crypto';
import type { ParentMethod } from '../model.js';
import type { ThreadAssignment, ThreadingRecord } from '../../graph/store.js';

/**
 * A message or a ghost. Only what threading reads of a record is kept, so the forest of a large
 * archive costs a container per message, not a record: whether headers named any parent, the
 * subject only where step 3 may need it, and the inferred parent only where there is one.
 */
interface Container {
  msgid: string;
  ghost: boolean;
  parent: Container | null;
  method: ParentMethod | null;
  confidence: number | null;
  evidence: string | null;
  children: Container[];
  /** No In-Reply-To and no References: the message may be gathered by subject (step 3). */
  headerless?: boolean;
  /** Lower-cased normalised subject, kept for header-less messages only. */
  subjectKey?: string;
  isReply?: boolean;
  inferred?: NonNullable<ThreadingRecord['inferredParent']>;
}

export const SUBJECT_GHOST_DOMAIN = 'subject.loregraph.invalid';

/** The ghost standing for the unseen original of header-less replies with subject `key` (step 3). */
export function subjectGhostId(key: string): string {
  return `${createHash('sha256').update(key).digest('hex').slice(0, 24)}@${SUBJECT_GHOST_DOMAIN}`;
}

/**
 * Step 3's choice for header-less replies with subject `key`, shared by both threaders: the one
 * original with that subject when there is exactly one, else the ghost standing for it.
 */
export function subjectTarget<T>(key: string, originals: readonly T[], ghost: (msgid: string) => T): { target: T; confidence: number; evidence: string } {
  if (originals.length === 1) {
    return { target: originals[0], confidence: 0.5, evidence: `no header or attribution names a parent; the only non-reply message with subject "${key}"` };
  }
  return {
    target: ghost(subjectGhostId(key)),
    confidence: 0.3,
    evidence: `no header or attribution names a parent; grouped with other replies to "${key}" under a ghost of the unseen original`,
  };
}

function isAncestor(candidate: Container, of: Container): boolean {
  // Is `candidate` an ancestor of (or the same as) `of`? Walk up from `of`.
  for (let c: Container | null = of; c; c = c.parent) if (c === candidate) return true;
  return false;
}

function setParent(
  child: Container,
  parent: Container,
  method: ParentMethod,
  confidence: number,
  evidence: string | null,
): boolean {
  if (child === parent || isAncestor(child, parent)) return false; // would close a cycle
  if (child.parent) {
    const siblings = child.parent.children;
    siblings.splice(siblings.indexOf(child), 1);
  }
  child.parent = parent;
  child.method = method;
  child.confidence = confidence;
  child.evidence = evidence;
  parent.children.push(child);
  return true;
}

export interface ThreadResult {
  assignments: ThreadAssignment[];
  threads: number;
  ghosts: number;
}

/**
 * Threads records as they are read (add), then completes the forest (finish). Header links are
 * made record by record, in the order added; what the later steps need of a record is kept on its
 * container, so the records themselves are not held.
 */
export class Threader {
  private readonly table = new Map<string, Container>();
  /** Containers of the records added, in the order added. */
  private readonly order: Container[] = [];

  private get(msgid: string): Container {
    let c = this.table.get(msgid);
    if (!c) {
      c = { msgid, ghost: true, parent: null, method: null, confidence: null, evidence: null, children: [] };
      this.table.set(msgid, c);
    }
    return c;
  }

  add(r: ThreadingRecord): void {
    const c = this.get(r.msgid);
    c.ghost = false;
    this.order.push(c);
    c.headerless = !r.inReplyTo && r.references.length === 0;
    if (c.headerless && r.normalizedSubject) {
      c.subjectKey = r.normalizedSubject.toLowerCase();
      c.isReply = r.isReply;
    }
    if (r.inferredParent) c.inferred = r.inferredParent;

    // 1. Header links. The References chain links ancestors to each other (only where no link
    //    exists yet); the message's own parent is In-Reply-To, else the last reference.
    const refs = r.references.filter((id) => id !== r.msgid);
    let prev: Container | null = null;
    for (const id of refs) {
      const ref = this.get(id);
      if (prev && !ref.parent && ref !== prev) setParent(ref, prev, 'references', 1, null);
      prev = ref;
    }
    const direct = r.inReplyTo && r.inReplyTo !== r.msgid ? r.inReplyTo : refs[refs.length - 1];
    if (direct) {
      const method: ParentMethod = r.inReplyTo && r.inReplyTo !== r.msgid ? 'in-reply-to' : 'references';
      setParent(c, this.get(direct), method, 1, null);
    }
  }

  /** Steps 2-4 over everything added; one assignment per container (stored messages and ghosts). */
  finish(): ThreadResult {
    const { table, order } = this;
    const get = (msgid: string): Container => this.get(msgid);

    // 2. Parents inferred from content, for messages no header placed.
    for (const c of order) {
      if (c.parent || !c.inferred) continue;
      const p = c.inferred;
      const parent = table.get(p.parent);
      if (!parent) continue;
      setParent(c, parent, p.method, p.confidence, p.evidence);
    }

    // 3. Header-less replies still without a parent: gather by normalised subject.
    const orphansBySubject = new Map<string, Container[]>();
    const originalsBySubject = new Map<string, Container[]>();
    for (const c of order) {
      if (c.parent || !c.headerless || !c.subjectKey) continue;
      const key = c.subjectKey;
      if (c.isReply) {
        const list = orphansBySubject.get(key) ?? [];
        list.push(c);
        orphansBySubject.set(key, list);
      } else {
        const list = originalsBySubject.get(key) ?? [];
        list.push(c);
        originalsBySubject.set(key, list);
      }
    }
    for (const [key, orphans] of orphansBySubject) {
      const { target, confidence, evidence } = subjectTarget(key, originalsBySubject.get(key) ?? [], get);
      for (const o of orphans) setParent(o, target, 'subject', confidence, evidence);
    }

    // 4. Assign roots and depths, iteratively (threads can be deep).
    const assignments: ThreadAssignment[] = [];
    let threads = 0;
    let ghosts = 0;
    for (const c of table.values()) {
      if (c.parent) continue;
      threads++;
      const stack: { c: Container; depth: number }[] = [{ c, depth: 0 }];
      while (stack.length) {
        const { c: node, depth } = stack.pop()!;
        if (node.ghost) ghosts++;
        assignments.push({
          msgid: node.msgid,
          root: c.msgid,
          parent: node.parent ? node.parent.msgid : null,
          method: node.parent ? node.method : null,
          confidence: node.parent ? node.confidence : null,
          evidence: node.parent ? node.evidence : null,
          ghost: node.ghost,
          depth,
        });
        for (const child of node.children) stack.push({ c: child, depth: depth + 1 });
      }
    }
    return { assignments, threads, ghosts };
  }
}

/** Thread every record; returns one assignment per container (stored messages and ghosts). */
export function threadMessages(records: Iterable<ThreadingRecord>): ThreadResult {
  const threader = new Threader();
  for (const r of records) threader.add(r);
  return threader.finish();
}
