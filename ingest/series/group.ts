// Series grouping: which cover letter and which `n/m` patches were posted together as one revision.
//
// Rules, each recorded on the member it placed:
//  - cover letters (`[PATCH 0/N]` without a diff, or a b4 "naked" cover: a root mail by the same
//    author as the patch replying to it) always open a revision;
//  - rule 1 `thread`: a patch joins the revision of the nearest message it replies to (In-Reply-To,
//    References) when its version matches (patches labelled without the version under a versioned
//    cover count as matching), it is numbered, its number is still free and the totals agree;
//  - rule 2 `author-window`: a patch with no reference into the set joins a revision of the same
//    author, version and total whose last member is at most `windowMs` away and whose slot is free;
//  - otherwise the patch opens its own revision; when it replies into an older version it is a
//    (partial) re-roll, and the numbers it lacks are carried from that version as b4 does;
//  - replies are attached to the cover/patch their reply chain leads to; replies with no chain in
//    the set (author archives) are attached by subject (`reply-subject`): to a member with the same
//    version, number and title, or to a revision of the same version and total whose slot is free,
//    within `replyWindowMs`; patches known only from such replies get a subject key.
import type { Message } from '../model.js';
import { ancestorsOf, baseRole, byDate, changeIdOf, sameSender, timeOf, type ParentMap } from './classify.js';
import type { CommentLink, Grouping, MessageRole, Revision, RevisionMember, RoleReason } from './types.js';

export interface GroupOptions {
  /** Rule 2 window between a patch and the revision's nearest member. Default 1 h. */
  windowMs?: number;
  /** How long after a revision's first mail a reply-only sighting may still join it. Default 45 days. */
  replyWindowMs?: number;
  /** Parent links from the threader; In-Reply-To/References are used as well. */
  parents?: ParentMap;
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface Work {
  rev: Revision;
  times: number[];
}

function versionOf(m: Message): number {
  return m.subject.version ?? 1;
}

function describe(m: Message): string {
  const s = m.subject;
  const n = s.index !== null ? ` ${s.index}/${s.total ?? '?'}` : '';
  return `<${m.msgid}> (v${versionOf(m)}${n} "${s.normalized}")`;
}

function memberOf(m: Message, rule: RevisionMember['rule'], evidence: string): RevisionMember {
  return {
    msgid: m.msgid,
    key: m.msgid,
    index: m.subject.index,
    total: m.subject.total,
    title: m.subject.normalized,
    rule,
    evidence,
    seenIn: [],
  };
}

function newRevision(m: Message, rule: Revision['rule'], evidence: string): Revision {
  return {
    id: m.msgid,
    version: versionOf(m),
    versionExplicit: m.subject.version !== null,
    total: m.subject.total,
    author: m.from,
    date: m.date,
    title: m.subject.normalized,
    cover: null,
    patches: [],
    rule,
    evidence,
    changeId: changeIdOf(m),
    rerollOf: null,
    threadedTo: [],
  };
}

function slotTaken(rev: Revision, index: number | null): RevisionMember | undefined {
  if (index === null) return undefined;
  if (index === 0) return rev.cover ?? undefined;
  return rev.patches.find((p) => p.index === index);
}

/** Rule 1 compatibility of a patch with the revision it replies into; a reason when it is not. */
function threadMismatch(m: Message, rev: Revision, nakedCover: boolean): string | null {
  const s = m.subject;
  if (s.index === null) {
    // An unnumbered patch only completes a naked-cover revision that has no patch yet.
    if (nakedCover && rev.patches.length === 0) return null;
    return 'unnumbered patch in a numbered thread';
  }
  const unlabelledUnderCover = s.version === null && rev.versionExplicit && rev.cover !== null;
  if (versionOf(m) !== rev.version && !unlabelledUnderCover) return `version v${versionOf(m)} ≠ v${rev.version}`;
  if (slotTaken(rev, s.index)) return `number ${s.index} already taken`;
  if (s.total !== null && rev.total !== null && s.total !== rev.total) return `total ${s.total} ≠ ${rev.total}`;
  return null;
}

function sortPatches(rev: Revision): void {
  rev.patches.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
}

/** Group messages into revisions, classify them and attach the replies. Pure. */
export function groupRevisions(messages: readonly Message[], opts: GroupOptions = {}): Grouping {
  const windowMs = opts.windowMs ?? HOUR;
  const replyWindowMs = opts.replyWindowMs ?? 45 * DAY;
  const ordered = byDate(messages);
  const byId = new Map<string, Message>();
  for (const m of ordered) if (!byId.has(m.msgid)) byId.set(m.msgid, m);
  const anc = new Map<string, string[]>();
  for (const m of byId.values()) anc.set(m.msgid, ancestorsOf(m, byId, opts.parents));

  // Roles, then b4's naked covers: a root mail without diff by the patch's own author.
  const roles = new Map<string, { role: MessageRole; reason: RoleReason }>();
  for (const m of byId.values()) roles.set(m.msgid, baseRole(m));
  for (const m of byId.values()) {
    if (roles.get(m.msgid)?.role !== 'patch') continue;
    const parentId = anc.get(m.msgid)?.[0];
    if (!parentId) continue;
    const parent = byId.get(parentId);
    const pr = roles.get(parentId);
    if (!parent || pr?.role !== 'comment' || pr.reason !== 'no-diff') continue;
    if ((anc.get(parentId) ?? []).length > 0) continue;
    if (!sameSender(parent.from, m.from)) continue;
    roles.set(parentId, { role: 'cover', reason: 'naked-cover' });
  }

  const works: Work[] = [];
  const memberRev = new Map<string, Work>();
  const addTime = (w: Work, m: Message): void => {
    const t = timeOf(m);
    if (t !== null) w.times.push(t);
  };

  // Covers open revisions (first, so patches that arrived before their cover still find it).
  for (const m of byId.values()) {
    const r = roles.get(m.msgid);
    if (r?.role !== 'cover') continue;
    const evidence =
      r.reason === 'naked-cover'
        ? `naked cover: root mail without diff by the author of the patch replying to it`
        : `cover letter ${describe(m)}`;
    const rev = newRevision(m, 'cover', evidence);
    rev.cover = memberOf(m, 'root', evidence);
    if (r.reason === 'naked-cover') rev.total = null;
    const w: Work = { rev, times: [] };
    addTime(w, m);
    works.push(w);
    memberRev.set(m.msgid, w);
  }

  // Patches, in date order.
  for (const m of byId.values()) {
    if (roles.get(m.msgid)?.role !== 'patch') continue;
    const ancestors = anc.get(m.msgid) ?? [];
    let joined: Work | null = null;
    let evidence = '';
    const refused: string[] = [];
    let olderVersion: { w: Work; via: string } | null = null;
    for (const a of ancestors) {
      const w = memberRev.get(a);
      if (!w) continue;
      const why = threadMismatch(m, w.rev, roles.get(w.rev.id)?.reason === 'naked-cover');
      if (why === null) {
        joined = w;
        const am = byId.get(a);
        evidence = `replies (In-Reply-To/References) to ${am ? describe(am) : `<${a}>`} of the revision`;
        break;
      }
      refused.push(`<${a}>: ${why}`);
      if (!olderVersion && w.rev.version < versionOf(m)) olderVersion = { w, via: a };
    }
    if (!joined && ancestors.length === 0 && m.subject.index !== null) {
      const t = timeOf(m);
      let best: { w: Work; d: number } | null = null;
      for (const w of works) {
        const r = w.rev;
        if (r.rule === 'reply-subject' || !sameSender(r.author, m.from)) continue;
        if (r.version !== versionOf(m) || r.versionExplicit !== (m.subject.version !== null)) continue;
        if (r.total === null || r.total !== m.subject.total || slotTaken(r, m.subject.index)) continue;
        if (t === null || w.times.length === 0) continue;
        const d = Math.min(...w.times.map((x) => Math.abs(x - t)));
        if (d <= windowMs && (!best || d < best.d)) best = { w, d };
      }
      if (best) {
        joined = best.w;
        evidence = `no references; same author, v${versionOf(m)}, total ${m.subject.total}, ${Math.round(best.d / 1000)} s from the revision's nearest mail (window ${Math.round(windowMs / 1000)} s)`;
      }
    }
    if (joined) {
      const rule = ancestors.length > 0 ? 'thread' : 'author-window';
      joined.rev.patches.push(memberOf(m, rule, evidence));
      if (joined.rev.total === null && m.subject.total !== null) joined.rev.total = m.subject.total;
      addTime(joined, m);
      memberRev.set(m.msgid, joined);
      continue;
    }
    const why = refused.length > 0 ? `replies into other revisions but ${refused.join('; ')}` : 'no revision to join';
    const rev = newRevision(m, 'patch', `first patch ${describe(m)}; ${why}`);
    rev.patches.push(memberOf(m, 'root', rev.evidence));
    if (olderVersion) {
      rev.rerollOf = {
        revision: olderVersion.w.rev.id,
        evidence: `v${rev.version} patch replies to <${olderVersion.via}> of v${olderVersion.w.rev.version}`,
      };
    }
    const w: Work = { rev, times: [] };
    addTime(w, m);
    works.push(w);
    memberRev.set(m.msgid, w);
  }

  // Partial re-rolls: carry the numbers the new version did not resend (b4 semantics).
  for (const w of works) {
    const rev = w.rev;
    if (!rev.rerollOf || rev.total === null) continue;
    const base = works.find((x) => x.rev.id === rev.rerollOf?.revision)?.rev;
    if (!base || base.total !== rev.total) continue;
    for (let i = 1; i <= rev.total; i++) {
      if (slotTaken(rev, i)) continue;
      const old = slotTaken(base, i);
      if (!old) continue;
      rev.patches.push({
        ...old,
        rule: 'carried',
        evidence: `partial re-roll: ${i}/${rev.total} not resent in v${rev.version}, carried from v${base.version}`,
        carriedFrom: base.id,
      });
    }
    if (!rev.cover && base.cover) {
      rev.cover = {
        ...base.cover,
        rule: 'carried',
        evidence: `partial re-roll: cover letter of v${base.version} carried`,
        carriedFrom: base.id,
      };
    }
  }

  // Replies.
  const comments: CommentLink[] = [];
  const unattached: string[] = [];
  const commentTarget = new Map<string, CommentLink>();
  for (const m of byId.values()) {
    if (roles.get(m.msgid)?.role !== 'comment') continue;
    let link: CommentLink | null = null;
    for (const a of anc.get(m.msgid) ?? []) {
      const w = memberRev.get(a);
      if (w) {
        const target = w.rev.cover?.msgid === a ? w.rev.cover : w.rev.patches.find((p) => p.msgid === a && p.rule !== 'carried');
        if (target) {
          link = { msgid: m.msgid, revision: w.rev.id, target: target.key, rule: 'thread', evidence: `reply chain leads to <${a}>` };
          break;
        }
      }
      const via = commentTarget.get(a);
      if (via) {
        link = { ...via, msgid: m.msgid, evidence: `reply to <${a}>, ${via.evidence}` };
        break;
      }
    }
    if (!link && (anc.get(m.msgid) ?? []).length === 0 && m.subject.isReply && m.subject.isPatch) {
      link = attachBySubject(m, works, replyWindowMs);
    }
    if (link) {
      comments.push(link);
      commentTarget.set(m.msgid, link);
    } else unattached.push(m.msgid);
  }

  for (const w of works) {
    sortPatches(w.rev);
    const rootId = w.rev.cover?.rule === 'root' ? w.rev.cover.msgid : w.rev.patches.find((p) => p.rule === 'root')?.msgid;
    if (rootId) {
      for (const a of anc.get(rootId) ?? []) {
        const other = memberRev.get(a);
        if (other && other !== w && !w.rev.threadedTo.some((t) => t.msgid === a)) {
          w.rev.threadedTo.push({ revision: other.rev.id, msgid: a });
        }
      }
    }
    if (w.times.length > 0) w.rev.date = new Date(Math.min(...w.times)).toISOString();
  }
  return { revisions: works.map((w) => w.rev), roles, comments, unattached };
}

/** Place a reply that has no thread in the set by its subject (author archives, text dumps). */
function attachBySubject(m: Message, works: Work[], replyWindowMs: number): CommentLink {
  const s = m.subject;
  const v = versionOf(m);
  const t = timeOf(m);
  const idx = s.index;
  const sameTitle = (x: RevisionMember | null | undefined): boolean =>
    !!x && x.title.toLowerCase() === s.normalized.toLowerCase();
  // 1. A member with the same version, number and title.
  for (const w of works) {
    if (w.rev.version !== v || (s.total !== null && w.rev.total !== s.total)) continue;
    const x = idx === null ? w.rev.patches.find((p) => sameTitle(p) && p.index === null) : slotTaken(w.rev, idx);
    if (x && sameTitle(x) && x.rule !== 'carried') {
      if (!x.msgid) x.seenIn.push(m.msgid);
      return {
        msgid: m.msgid,
        revision: w.rev.id,
        target: x.key,
        rule: 'reply-subject',
        evidence: `no thread; subject names v${v} ${idx ?? '-'}/${s.total ?? '-'} "${s.normalized}"`,
      };
    }
  }
  // 2. A free slot in a revision of the same version and total, posted shortly before.
  let host: Work | null = null;
  if (idx !== null && s.total !== null && t !== null) {
    for (const w of works) {
      const r = w.rev;
      if (r.version !== v || r.total !== s.total || slotTaken(r, idx) || w.times.length === 0) continue;
      const d = t - Math.min(...w.times);
      if (d >= 0 && d <= replyWindowMs) {
        host = w;
        break;
      }
    }
  }
  const evidenceHost = host
    ? `no thread; v${v} ${idx}/${s.total} is free in revision <${host.rev.id}> of the same version and total, first mail ${Math.round(((t ?? 0) - Math.min(...host.times)) / DAY)} days before`
    : `no thread; only this reply shows v${v} ${idx ?? '-'}/${s.total ?? '-'} "${s.normalized}"`;
  if (!host) {
    const rev: Revision = {
      id: `seen:${m.msgid}`,
      version: v,
      versionExplicit: s.version !== null,
      total: s.total,
      author: null,
      date: m.date,
      title: s.normalized,
      cover: null,
      patches: [],
      rule: 'reply-subject',
      evidence: evidenceHost,
      changeId: null,
      rerollOf: null,
      threadedTo: [],
    };
    host = { rev, times: [] };
    const tm = timeOf(m);
    if (tm !== null) host.times.push(tm);
    works.push(host);
  }
  const member: RevisionMember = {
    msgid: null,
    key: `subject:v${v}:${idx ?? '-'}/${s.total ?? '-'}:${s.normalized}`,
    index: idx,
    total: s.total,
    title: s.normalized,
    rule: 'reply-subject',
    evidence: evidenceHost,
    seenIn: [m.msgid],
  };
  if (idx === 0) {
    host.rev.cover = member;
    host.rev.title = member.title;
  } else host.rev.patches.push(member);
  return { msgid: m.msgid, revision: host.rev.id, target: member.key, rule: 'reply-subject', evidence: evidenceHost };
}
