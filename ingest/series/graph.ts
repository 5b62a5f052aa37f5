// The series analysis as plain graph nodes and edges, ready for a store:
//   (Series)-[:HAS_VERSION]->(Revision)-[:HAS_PATCH]->(Patch), (Revision)-[:HAS_COVER]->(Cover),
//   (Revision)-[:NEXT_VERSION]->(Revision), (Patch)-[:NEXT_VERSION]->(Patch),
//   (Person)-[:TRAILER]->(Patch) for person trailers that were applied, unverified or already
//   present (mismatched ones are not edges), (Message)-[:COMMENTS_ON]->(Patch|Cover).
// Every edge that is a grouping or a link carries `rule` and `evidence`.
import { nameKey } from '../identity/names.js';
import type { Identities } from '../identity/resolve.js';
import type { SeriesAnalysis } from './analyze.js';
import type { TrailerAttribution } from './trailers.js';

export type SeriesNodeLabel = 'Series' | 'Revision' | 'Patch' | 'Cover' | 'Person';
export type SeriesEdgeType = 'HAS_VERSION' | 'HAS_PATCH' | 'HAS_COVER' | 'NEXT_VERSION' | 'TRAILER' | 'COMMENTS_ON';
export type PropValue = string | number | boolean | null | string[];

export interface GraphNode {
  label: SeriesNodeLabel;
  key: string;
  props: Record<string, PropValue>;
}

export interface GraphEdge {
  type: SeriesEdgeType;
  fromLabel: SeriesNodeLabel | 'Message';
  from: string;
  toLabel: SeriesNodeLabel;
  to: string;
  props: Record<string, PropValue>;
}

/** Person key of a trailer: the resolved identity, else `person:<address>` / `person:name:<name key>`. */
function personKey(a: TrailerAttribution): string | null {
  if (a.personId) return a.personId;
  const p = a.trailer.person;
  if (!p) return null;
  if (p.address && !p.obfuscated) return `person:${p.address}`;
  const k = nameKey(p.name);
  return k ? `person:name:${k.key}` : null;
}

export function seriesGraph(analysis: SeriesAnalysis, identities?: Identities): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const node = (label: SeriesNodeLabel, key: string, props: Record<string, PropValue>): void => {
    const id = `${label}\u0000${key}`;
    if (!nodes.has(id)) nodes.set(id, { label, key, props });
  };
  const revKey = new Map<string, string>();
  const memberLabel = new Map<string, 'Patch' | 'Cover'>();

  for (const s of analysis.series) {
    node('Series', s.key, { title: s.title, revisions: s.revisions.length });
    s.revisions.forEach(({ key, revision: r }, ordinal) => {
      revKey.set(r.id, key);
      node('Revision', key, {
        version: r.version,
        total: r.total,
        date: r.date,
        title: r.title,
        rule: r.rule,
        evidence: r.evidence,
        changeId: r.changeId,
        rfc: r.rfc,
        stable: r.stable,
        rerollOf: r.rerollOf ? r.rerollOf.revision : null,
      });
      edges.push({ type: 'HAS_VERSION', fromLabel: 'Series', from: s.key, toLabel: 'Revision', to: key, props: { version: r.version, ordinal } });
      if (r.cover) {
        node('Cover', r.cover.key, { msgid: r.cover.msgid, title: r.cover.title, seenIn: r.cover.seenIn });
        memberLabel.set(r.cover.key, 'Cover');
        edges.push({ type: 'HAS_COVER', fromLabel: 'Revision', from: key, toLabel: 'Cover', to: r.cover.key, props: { rule: r.cover.rule, evidence: r.cover.evidence } });
      }
      for (const p of r.patches) {
        node('Patch', p.key, { msgid: p.msgid, title: p.title, index: p.index, total: p.total, seenIn: p.seenIn });
        memberLabel.set(p.key, 'Patch');
        edges.push({ type: 'HAS_PATCH', fromLabel: 'Revision', from: key, toLabel: 'Patch', to: p.key, props: { index: p.index, rule: p.rule, evidence: p.evidence } });
      }
    });
    for (const n of s.next) {
      edges.push({ type: 'NEXT_VERSION', fromLabel: 'Revision', from: n.from, toLabel: 'Revision', to: n.to, props: { rule: n.rule, evidence: n.evidence } });
    }
  }
  for (const l of analysis.lineage) {
    edges.push({ type: 'NEXT_VERSION', fromLabel: 'Patch', from: l.from, toLabel: 'Patch', to: l.to, props: { rule: l.rule, score: l.score, evidence: l.evidence } });
  }
  for (const c of analysis.grouping.comments) {
    const label = memberLabel.get(c.target);
    if (!label) continue;
    edges.push({ type: 'COMMENTS_ON', fromLabel: 'Message', from: c.msgid, toLabel: label, to: c.target, props: { rule: c.rule, evidence: c.evidence } });
  }
  const people = new Map((identities?.persons ?? []).map((p) => [p.id, p]));
  for (const a of analysis.trailers) {
    // Mismatched trailers stay in the analysis (recorded, not applied): no edge claims that person.
    if (a.status === 'mismatched') continue;
    const who = personKey(a);
    if (!who) continue;
    const p = people.get(who);
    node('Person', who, { name: p?.name ?? a.trailer.person?.name ?? null, addresses: p?.addresses ?? (a.trailer.person?.address ? [a.trailer.person.address] : []) });
    edges.push({
      type: 'TRAILER',
      fromLabel: 'Person',
      from: who,
      toLabel: 'Patch',
      to: a.patch,
      props: { name: a.trailer.name, text: a.text, status: a.status, via: a.via, givenIn: a.givenIn, revision: revKey.get(a.revision) ?? a.revision, evidence: a.evidence },
    });
  }
  return { nodes: [...nodes.values()], edges };
}
