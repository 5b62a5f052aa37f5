// The graph neighbourhood of one node: nodes and edges around it, for cytoscape (graph.js fetches
// the /api twin) and as a plain list for readers without JavaScript.
import type { Request } from 'express';
import { displayAddress, type GraphStore } from '../graph/store.js';
import { revisionName } from '../graph/patchViews.js';
import { badRequest, notFound } from './errors.js';
import { msgidParam } from './params.js';
import { messageUrl, personUrl, seriesUrl, symbolUrl, threadUrl } from './urls.js';
import { symbolParam } from './symbolPages.js';
import { loadPerson, personParam } from './personPages.js';

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
  kind: 'REPLY_TO' | 'IN_THREAD' | 'AUTHORED' | 'ABOUT' | 'TOUCHES' | 'HAS_VERSION' | 'HAS_PATCH' | 'NEXT_VERSION' | 'TRAILER' | 'WROTE_IN';
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
export const GRAPH_KINDS: readonly NodeKind[] = ['message', 'symbol', 'series', 'person'];
const MAX_CHILDREN = 40;
/** Neighbours drawn per kind of link in the symbol/series/person views. */
const MAX_NEIGHBOURS = 40;

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
  add({ id: nodeId('person', author), kind: 'person', label: short(displayAddress(m.from)), url: personUrl(author), center: false });
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

class Builder {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges: GraphEdge[] = [];
  private readonly edgeKeys = new Set<string>();
  omitted = 0;
  node(kind: NodeKind, id: string, label: string, url: string | null, center = false): string {
    const nid = nodeId(kind, id);
    if (!this.nodes.has(nid)) this.nodes.set(nid, { id: nid, kind, label: short(label), url, center });
    return nid;
  }
  edge(source: string, target: string, kind: GraphEdge['kind'], label: string): void {
    const k = `${source}\u0000${target}\u0000${kind}`;
    if (this.edgeKeys.has(k)) return;
    this.edgeKeys.add(k);
    this.edges.push({ source, target, kind, label });
  }
  done(center: GraphData['center']): GraphData {
    return { center, nodes: [...this.nodes.values()], edges: this.edges, omitted: this.omitted };
  }
}

async function symbolNeighbourhood(store: GraphStore, name: string): Promise<GraphData> {
  const [view, hunks] = await Promise.all([store.claims.symbol(name), store.patches.hunks({ function: name })]);
  if (!view && hunks.length === 0) throw notFound(`no claim is about '${name}' and no hunk touches it in this archive`);
  const g = new Builder();
  const me = g.node('symbol', name, name, symbolUrl(name), true);
  const claims = view?.claims ?? [];
  const threads = new Map<string, { subject: string; n: number }>();
  for (const c of claims) {
    const t = c.thread ?? c.msgid;
    const e = threads.get(t) ?? { subject: c.subject, n: 0 };
    e.n++;
    threads.set(t, e);
  }
  const topThreads = [...threads.entries()].sort((a, b) => b[1].n - a[1].n);
  g.omitted += Math.max(0, topThreads.length - MAX_NEIGHBOURS);
  for (const [t, e] of topThreads.slice(0, MAX_NEIGHBOURS)) g.edge(g.node('thread', t, e.subject, threadUrl(t)), me, 'ABOUT', `${e.n} claim${e.n === 1 ? '' : 's'}`);
  const people = new Map<string, number>();
  for (const c of claims) people.set(c.author, (people.get(c.author) ?? 0) + 1);
  for (const [p, n] of [...people.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_NEIGHBOURS)) g.edge(g.node('person', p, p, personUrl(p)), me, 'ABOUT', `${n} claim${n === 1 ? '' : 's'}`);
  for (const h of hunks.slice(0, MAX_NEIGHBOURS)) {
    const target = h.series ? g.node('series', h.series.key, h.series.title, seriesUrl(h.series.key)) : g.node('message', h.msgid, `${h.from}: ${h.subject}`, messageUrl(h.msgid));
    g.edge(target, me, 'TOUCHES', h.file ?? 'hunk');
  }
  g.omitted += Math.max(0, hunks.length - MAX_NEIGHBOURS);
  return g.done({ kind: 'symbol', id: name });
}

async function seriesNeighbourhood(store: GraphStore, key: string): Promise<GraphData> {
  const s = await store.patches.seriesDetail(key);
  if (!s) throw notFound(`no series '${key}' (see /series for the list)`);
  const g = new Builder();
  const me = g.node('series', s.key, s.title, seriesUrl(s.key), true);
  const members = new Map<string, string>();
  for (const r of s.revisions) {
    const rev = g.node('series', r.key, `${revisionName(r)}: ${r.title}`, `${seriesUrl(s.key)}`);
    g.edge(me, rev, 'HAS_VERSION', r.rule);
    for (const p of r.patches.slice(0, MAX_NEIGHBOURS)) {
      const label = `${revisionName(r)}${p.index !== null ? ` ${p.index}/${p.total ?? '?'}` : ''} ${p.title}`;
      const nid = p.msgid ? g.node('message', p.msgid, label, messageUrl(p.msgid)) : g.node('message', p.key, label, null);
      members.set(p.key, nid);
      g.edge(rev, nid, 'HAS_PATCH', p.rule);
    }
  }
  for (const n of s.next) g.edge(nodeId('series', n.from), nodeId('series', n.to), 'NEXT_VERSION', n.rule);
  for (const l of s.lineage) {
    const a = members.get(l.from);
    const b = members.get(l.to);
    if (a && b) g.edge(a, b, 'NEXT_VERSION', `${l.rule} ${l.score.toFixed(2)}`);
  }
  for (const t of s.trailers.filter((x) => x.personId && x.name !== 'Cc').slice(0, MAX_NEIGHBOURS)) {
    const target = members.get(t.patch);
    if (!target || !t.personId) continue;
    g.edge(g.node('person', t.personId, t.personName ?? t.personAddress ?? t.personId, personUrl(t.personId)), target, 'TRAILER', t.name);
  }
  // Edges whose ends were cut by the limits are dropped, so every edge joins drawn nodes.
  const kept = g.edges.filter((e) => g.nodes.has(e.source) && g.nodes.has(e.target));
  g.omitted += g.edges.length - kept.length;
  g.edges.splice(0, g.edges.length, ...kept);
  return g.done({ kind: 'series', id: s.key });
}

async function personNeighbourhood(store: GraphStore, req: Request): Promise<GraphData> {
  const d = await loadPerson(store, req);
  const g = new Builder();
  const label = d.person.name ?? d.person.names[0] ?? d.person.addresses[0] ?? d.person.id;
  const me = g.node('person', d.person.id, label, personUrl(d.person.id), true);
  for (const t of d.threads.slice(0, MAX_NEIGHBOURS)) g.edge(me, g.node('thread', t.root, t.subject, threadUrl(t.root)), 'WROTE_IN', `${t.messages} messages`);
  for (const sym of [...d.functions, ...d.symbols].slice(0, MAX_NEIGHBOURS)) g.edge(me, g.node('symbol', sym.name, sym.name, symbolUrl(sym.name)), 'ABOUT', String(sym.n));
  for (const t of d.trailers.slice(0, MAX_NEIGHBOURS)) g.edge(me, g.node('series', t.seriesKey, t.seriesTitle, seriesUrl(t.seriesKey)), 'TRAILER', t.name);
  g.omitted += Math.max(0, d.threads.length - MAX_NEIGHBOURS);
  return g.done({ kind: 'person', id: d.person.id });
}

export async function loadGraph(store: GraphStore, req: Request): Promise<GraphData> {
  const kind = String(req.params.kind);
  if (!/^[a-z]{1,20}$/.test(kind)) throw badRequest('a node kind is a lower-case word');
  if (!(GRAPH_KINDS as readonly string[]).includes(kind)) {
    throw notFound(`no graph view for '${kind}' nodes (there is one for: ${GRAPH_KINDS.join(', ')})`);
  }
  if (kind === 'symbol') return symbolNeighbourhood(store, symbolParam(req.params.id));
  if (kind === 'series') {
    const key = String(req.params.id);
    if (key.trim() === '' || key.length > 1000) throw badRequest('a series key is required');
    return seriesNeighbourhood(store, key);
  }
  if (kind === 'person') {
    personParam(req.params.id);
    return personNeighbourhood(store, req);
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
