// The whole-store steps of derivation: series grouping, versions, lineage and follow-up trailer
// attribution (ingest/series) over message digests, identities over the observations gathered
// while streaming, turned into the records the store keeps.
import type { Message } from '../model.js';
import { groupRevisions, linkLineage, linkVersions, messageSetOf, patchTrailers, trailerAttributor, trailerText } from '../series/index.js';
import type { Grouping, MessageSet, RevisionMember, Series, TrailerAttribution } from '../series/index.js';
import type { Identities } from '../identity/index.js';
import type {
  LineageRecord,
  PatchMemberRecord,
  ReplyLinkRecord,
  RevisionRecord,
  SeriesGraph,
  SeriesGraphPart,
  SeriesRecord,
  TrailerAttributionRecord,
} from '../../graph/patches.js';
import { displayAddress } from '../../graph/store.js';

export interface SeriesStep {
  grouping: Grouping;
  series: Series[];
  /** Revision id → revision key. */
  revisionKey: Map<string, string>;
  /**
   * The series graph in the parts replaceSeriesGraph takes, each made when it is asked for: the
   * persons; then the series, SERIES_PER_PART at a time, with their lineage and trailers; then the
   * reply links. Reads the messages again (lineage, trailers), so they must stay readable until the
   * last part is made. Made whole, the graph of a 92k-message archive held ~90 MB of live heap
   * besides the grouping.
   */
  parts(opts?: { seriesPerPart?: number }): Generator<SeriesGraphPart>;
}

/** Series a part of the series graph holds (with their lineage and trailer attributions). */
export const SERIES_PER_PART = 500;
/** Reply links a part holds. */
const REPLIES_PER_PART = 5000;

function member(p: RevisionMember): PatchMemberRecord {
  return {
    key: p.key,
    msgid: p.msgid,
    index: p.index,
    total: p.total,
    title: p.title,
    rule: p.rule,
    evidence: p.evidence,
    carriedFrom: p.carriedFrom ?? null,
  };
}

function seriesRecord(s: Series, revisionKey: Map<string, string>): SeriesRecord {
  return {
    key: s.key,
    title: s.title,
    revisions: s.revisions.map(({ key, revision: r }): RevisionRecord => ({
      key,
      id: r.id,
      version: r.version,
      total: r.total,
      title: r.title,
      author: r.author ? displayAddress(r.author) : null,
      date: r.date,
      rule: r.rule,
      evidence: r.evidence,
      changeId: r.changeId,
      rfc: r.rfc,
      stable: r.stable,
      cover: r.cover ? member(r.cover) : null,
      patches: r.patches.map(member),
    })),
    next: s.next.map((n) => ({ from: revisionKey.get(n.from) ?? n.from, to: revisionKey.get(n.to) ?? n.to, rule: n.rule, evidence: n.evidence })),
  };
}

/**
 * Run the series steps over the digests of every stored message (a list, or the derive stage's
 * DigestStore, which keeps them out of memory). The messages' own links
 * (In-Reply-To, References, a parent inferred from content) lead replies to patches; the
 * threader's subject fallback is not used: it gathers header-less replies under one original,
 * which would take replies to v6 and v7 for replies to the v8 posting (seed 002).
 */
export function seriesStep(digests: readonly Message[] | MessageSet, identities: Identities): SeriesStep {
  const byId = messageSetOf(digests);
  const grouping = groupRevisions(byId);
  const series = linkVersions(grouping.revisions, { messages: byId });
  const revisionKey = new Map<string, string>();
  for (const s of series) for (const r of s.revisions) revisionKey.set(r.revision.id, r.key);
  const keyOf = (revision: string): string => revisionKey.get(revision) ?? revision;

  function* parts({ seriesPerPart = SERIES_PER_PART } = {}): Generator<SeriesGraphPart> {
    yield {
      persons: identities.persons.map((p) => ({ id: p.id, name: p.name, addresses: [...p.addresses], names: [...p.names], reasons: p.reasons.map((r) => ({ ...r })) })),
    };
    const followups = trailerAttributor(grouping, byId, { identities });
    for (let i = 0; i < series.length; i += seriesPerPart) {
      const some = series.slice(i, i + seriesPerPart);
      const lineage = some.flatMap((s) =>
        linkLineage(s, { messages: byId }).map((l): LineageRecord => ({ ...l, fromRevision: keyOf(l.fromRevision), toRevision: keyOf(l.toRevision) })),
      );
      const trailers = some.flatMap((s) => {
        // Each patch mail is read once: the follow-ups are compared with the trailers it carries.
        const ownTexts = new Map<string, string[]>();
        const own = ownTrailers(s, byId, identities, ownTexts);
        return [...own, ...followups(s.revisions.map((r) => r.revision), ownTexts).map((a) => followupRecord(a, keyOf))];
      });
      yield { series: some.map((s) => seriesRecord(s, revisionKey)), lineage, trailers };
    }
    const memberMsgid = memberMails(grouping, { covers: true });
    for (let i = 0; i < grouping.comments.length; i += REPLIES_PER_PART) {
      const replies = grouping.comments.slice(i, i + REPLIES_PER_PART).map(
        (c): ReplyLinkRecord => ({
          msgid: c.msgid,
          target: c.target,
          targetMsgid: memberMsgid.get(c.target) ?? null,
          revision: keyOf(c.revision),
          rule: c.rule,
          evidence: c.evidence,
        }),
      );
      yield { replies };
    }
  }
  return { grouping, series, revisionKey, parts };
}

/** Member key → the Message-ID of its mail, for every patch of the grouping (and cover, if asked). */
export function memberMails(grouping: Grouping, opts: { covers: boolean }): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of grouping.revisions) {
    if (opts.covers && r.cover?.msgid) out.set(r.cover.key, r.cover.msgid);
    for (const p of r.patches) if (p.msgid) out.set(p.key, p.msgid);
  }
  return out;
}

/**
 * The trailers each patch mail of a series carries itself (Signed-off-by…), once per revision it is
 * posted in; `texts` gets each mail's trailers as `Name: value`, by Message-ID.
 */
function ownTrailers(s: Series, byId: MessageSet, identities: Identities, texts: Map<string, string[]>): TrailerAttributionRecord[] {
  const out: TrailerAttributionRecord[] = [];
  for (const { key, revision } of s.revisions) {
    for (const p of revision.patches) {
      if (!p.msgid || p.rule === 'carried') continue;
      const m = byId.get(p.msgid);
      if (!m) continue;
      const trailers = patchTrailers(m);
      texts.set(p.msgid, trailers.map(trailerText));
      for (const t of trailers) {
        out.push({
          patch: p.key,
          revision: key,
          name: t.name,
          text: trailerText(t),
          personId: t.person ? identities.lookup(t.person.name, t.person.address) : null,
          personName: t.person?.name ?? null,
          personAddress: t.person?.address ?? null,
          givenIn: p.msgid,
          givenBy: displayAddress(m.from),
          via: 'own',
          status: 'own',
          evidence: `trailer block of the patch mail, line ${t.line + 1}`,
        });
      }
    }
  }
  return out;
}

function followupRecord(a: TrailerAttribution, keyOf: (revision: string) => string): TrailerAttributionRecord {
  return {
    patch: a.patch,
    revision: keyOf(a.revision),
    name: a.trailer.name,
    text: a.text,
    personId: a.personId,
    personName: a.trailer.person?.name ?? null,
    personAddress: a.trailer.person?.address ?? null,
    givenIn: a.givenIn,
    givenBy: displayAddress(a.givenBy),
    via: a.via,
    status: a.status,
    evidence: a.evidence,
  };
}

/** The parts of a series graph as one graph (tests, and callers that want it whole). */
export function wholeSeriesGraph(parts: Iterable<SeriesGraphPart>): SeriesGraph {
  const g: SeriesGraph = { series: [], replies: [], lineage: [], trailers: [], persons: [] };
  for (const p of parts) {
    g.series.push(...(p.series ?? []));
    g.replies.push(...(p.replies ?? []));
    g.lineage.push(...(p.lineage ?? []));
    g.trailers.push(...(p.trailers ?? []));
    g.persons.push(...(p.persons ?? []));
  }
  return g;
}
