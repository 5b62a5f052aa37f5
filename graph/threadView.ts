// Turning the containers of one thread into the view both stores return: depth-first, children in
// date order (then Message-ID), the order a reader follows the tree.
import type { ParentMethod } from '../ingest/model.js';
import type { ThreadMessageView, ThreadView } from './store.js';

/** One container of a thread as a store reads it. */
export interface ContainerRow {
  msgid: string;
  parent: string | null;
  method: ParentMethod | null;
  confidence: number | null;
  evidence: string | null;
  ghost: boolean;
  depth: number;
  fromName: string | null;
  fromAddress: string | null;
  date: string | null;
  subject: string | null;
}

export function buildThreadView(root: string, rows: ContainerRow[]): ThreadView {
  const byParent = new Map<string | null, ContainerRow[]>();
  for (const r of rows) {
    const list = byParent.get(r.parent) ?? [];
    list.push(r);
    byParent.set(r.parent, list);
  }
  for (const list of byParent.values()) {
    list.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || a.msgid.localeCompare(b.msgid));
  }
  const out: ThreadMessageView[] = [];
  const top = rows.find((r) => r.msgid === root);
  // Iterative, so a reply chain thousands deep cannot overflow the stack.
  const stack: ContainerRow[] = top ? [top] : [];
  while (stack.length) {
    const r = stack.pop()!;
    out.push({
      msgid: r.msgid,
      parent: r.parent,
      from: r.ghost ? '' : (r.fromName ?? r.fromAddress ?? '(unknown)'),
      date: r.date ?? null,
      subject: r.subject ?? '',
      inferred: r.method ?? null,
      confidence: r.confidence ?? null,
      evidence: r.evidence ?? null,
      ghost: r.ghost,
      depth: r.depth,
    });
    const children = byParent.get(r.msgid) ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  const subject = out.find((m) => !m.ghost)?.subject ?? '';
  return { root, subject, messages: out };
}
