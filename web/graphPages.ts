// The graph neighbourhood of one node: nodes and edges around it, for cytoscape (graph.js fetches
// the /api twin) and as a plain list for readers without JavaScript.
import type { Request } from 'express';
import { displayAddress, type GraphStore } from '../graph/store.js';
import { badRequest, notFound } from './errors.js';
import { msgidParam } from './params.js';
import { messageUrl, threadUrl } from './urls.js';

export type NodeKind = 'message' | 'thread' | 'person' | 'series' | 'symbol';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** Where the node's own page is, if it has one. */
  url: string | null;
  /** The node the view is centred on. */
  center: boolean;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: 'REPLY_TO' | 'IN_THREAD' | 'AUTHORED';
  /** How the link was made (a header, or the inference and its confidence). */
  label: string;
}

export interface GraphData {
  center: { kind: NodeKind; id: string };
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Neighbours left out to keep the drawing readable. */
  omitted: number;
}

/** Kinds with a neighbourhood view so far. */
export const GRAPH_KINDS: readonly NodeKind[] = ['message'];
const MAX_CHILDREN = 40;

function nodeId(kind: NodeKind, id: string): string {
  return `${kind}:${id}`;
}

function short(s: string, n = 60): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

async function messageNeighbourhood(store: GraphStore, msgid: string): Promise<GraphData> {
  const m = await store.message(msgid);
  if (!m) throw notFound(`no message with Message-ID <${msgid}> is in this archive`);
  const t = await store.thread(msgid);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const add = (n: GraphNode): string => {
    if (!nodes.has(n.id)) nodes.set(n.id, n);
    return n.id;
  };
  const me = add({ id: nodeId('message', msgid), kind: 'message', label: short(`${displayAddress(m.from)}: ${m.subject.raw}`), url: messageUrl(msgid), center: true });
  const author = m.from.address ?? m.from.name ?? '(unknown sender)';
  add({ id: nodeId('person', author), kind: 'person', label: short(displayAddress(m.from)), url: null, center: false });
  edges.push({ source: nodeId('person', author), target: me, kind: 'AUTHORED', label: 'From header' });
  let omitted = 0;
  if (t) {
    const th = add({ id: nodeId('thread', t.root), kind: 'thread', label: short(t.subject || '(no subject)'), url: threadUrl(t.root), center: false });
    edges.push({ source: me, target: th, kind: 'IN_THREAD', label: `${t.messages.filter((x) => !x.ghost).length} messages` });
    const self = t.messages.find((x) => x.msgid === msgid);
    const byId = new Map(t.messages.map((x) => [x.msgid, x]));
    const how = (x: { inferred: string | null; confidence: number | null }): string =>
      x.inferred === null ? 'header' : x.inferred === 'in-reply-to' || x.inferred === 'references' ? `${x.inferred} header` : `${x.inferred} ${x.confidence?.toFixed(2) ?? ''}`.trim();
    if (self?.parent) {
      const p = byId.get(self.parent);
      const label = p ? (p.ghost ? '(not in this archive)' : `${p.from}: ${p.subject}`) : self.parent;
      const pid = add({ id: nodeId('message', self.parent), kind: 'message', label: short(label), url: p && !p.ghost ? messageUrl(self.parent) : null, center: false });
      edges.push({ source: me, target: pid, kind: 'REPLY_TO', label: how(self) });
    }
    const children = t.messages.filter((x) => x.parent === msgid);
    omitted = Math.max(0, children.length - MAX_CHILDREN);
    for (const c of children.slice(0, MAX_CHILDREN)) {
      const cid = add({ id: nodeId('message', c.msgid), kind: 'message', label: short(c.ghost ? '(not in this archive)' : `${c.from}: ${c.subject}`), url: c.ghost ? null : messageUrl(c.msgid), center: false });
      edges.push({ source: cid, target: me, kind: 'REPLY_TO', label: how(c) });
    }
  }
  return { center: { kind: 'message', id: msgid }, nodes: [...nodes.values()], edges, omitted };
}

export async function loadGraph(store: GraphStore, req: Request): Promise<GraphData> {
  const kind = String(req.params.kind);
  if (!/^[a-z]{1,20}$/.test(kind)) throw badRequest('a node kind is a lower-case word');
  if (!(GRAPH_KINDS as readonly string[]).includes(kind)) {
    throw notFound(`no graph view for '${kind}' nodes (there is one for: ${GRAPH_KINDS.join(', ')})`);
  }
  return messageNeighbourhood(store, msgidParam(req.params.id));
}

export function presentGraph(d: GraphData) {
  const label = new Map(d.nodes.map((n) => [n.id, n]));
  const center = d.nodes.find((n) => n.center);
  return {
    title: `graph: ${center?.label ?? d.center.id}`,
    center: d.center,
    centerNode: center,
    nodes: d.nodes,
    edges: d.edges.map((e) => ({ ...e, sourceNode: label.get(e.source), targetNode: label.get(e.target) })),
    omitted: d.omitted,
  };
}
