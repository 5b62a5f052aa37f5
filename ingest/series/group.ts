// Series grouping: which cover letter and which `n/m` patches were posted together as one revision.
//
// Rules, each recorded on the member it placed:
//  - cover letters (`[PATCH 0/N]`, even with an interdiff, or a b4 "naked" cover: a root mail by the same
//    author as the patch replying to it) always open a revision;
//  - rule 1 `thread`: a patch joins the revision of the nearest message it replies to (In-Reply-To,
//    References) when its version matches (patches labelled without the version under a versioned
//    cover count as matching), it is numbered, its number is still free and the totals agree (or the
//    patches answer their own sender's cover letter, which counts them wrong);
//  - rule 2 `author-window`: a patch rule 1 does not place (no references into the set, or none to
//    a revision that takes it) joins a revision of the same author, version and total with a member
//    at most `windowMs` away and whose slot is free;
//  - otherwise the patch opens its own revision; when it replies into an older version it is a
//    (partial) re-roll, and the numbers it lacks are carried from that version as b4 does;
//  - replies are attached to the cover/patch their reply chain leads to; replies whose chain leads
//    nowhere in the set (author archives) are attached by subject (`reply-subject`): to a member with the same
//    version, number and title, or to a revision of the same version and total whose slot is free,
//    within `replyWindowMs`; patches known only from such replies get a subject key.
import type { Message } from '../model.js';
import { ancestorsOf, baseRole, diffQuotedBack, ROLES, sameSender, timeOf, type ParentMap, type RoleOf } from './classify.js';
import { messageSetOf, type MessageSet } from './messages.js';
import { stableTargetOf } from '../parse/subject.js';
import { SubjectPlacer } from './replySubject.js';
import { describe, memberOf, nearest, newRevision, slotTaken, threadMismatch, versionOf, type Work } from './revisionWork.js';
import type { CommentLink, Grouping, MessageRole, Revision } from './types.js';
import { pushTo } from './buckets.js';

export interface GroupOptions {
  /** Rule 2 window between a patch and the revision's nearest member. Default 1 h. */
  windowMs?: number;
  /** How long after a revision's first mail a reply-only sighting may still join it. Default 45 days. */
  replyWindowMs?: number;
  /** Parent links from the threader; In-Reply-To/References are used as well. */
  parents?: ParentMap;
}

const HOUR = 3600_000;
const NO_ANCESTORS: readonly string[] = Object.freeze([]);
const DAY = 24 * HOUR;

/** Rule 2 bucket: same sender (address, else name), version (and whether it was written), total,
 * stable kernel (backports to 4.14 and 4.9 posted together may have one total). */
function windowKey(from: Message['from'] | null, version: number, explicit: boolean, total: number | null, stable: string | null): string | null {
  if (!from || total === null) return null;
  const who = from.address && !from.obfuscated ? from.address : from.name?.trim().toLowerCase();
  return who ? `${who}|${version}|${explicit}|${total}|${stable ?? ''}` : null;
}

function sortPatches(rev: Revision): void {
  rev.patches.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
}

/**
 * Group messages into revisions, classify them and attach the replies. Pure. Each message is read
 * in date order once to learn its role and ancestors; after that only covers, patches and replies
 * are read again, one at a time, so a message set kept outside memory is never loaded whole.
 */
export function groupRevisions(messages: readonly Message[] | MessageSet, opts: GroupOptions = {}): Grouping {
  const windowMs = opts.windowMs ?? HOUR;
  const replyWindowMs = opts.replyWindowMs ?? 45 * DAY;
  const set = messageSetOf(messages);
  /** A message of the set, by a Message-ID the first pass met. */
  const read = (msgid: string): Message => {
    const m = set.get(msgid);
    if (!m) throw new Error(`series grouping: <${msgid}> left the message set`);
    return m;
  };
  const order: string[] = [];
  const anc = new Map<string, readonly string[]>();
  const roles = new Map<string, RoleOf>();
  /** Replies whose subject names a patch: placed by subject when their reply chain leads nowhere. */
  const patchSubject = new Set<string>();
  // Every message is held here by Message-ID, and most are some other message's ancestor, read
  // from its own headers as another copy of the string: one copy each is kept. On the 92k-message
  // linux-arm-kernel epoch the ancestor lists held 26 MB of live heap before this.
  const canonical = new Map<string, string>();
  const intern = (id: string): string => {
    const c = canonical.get(id);
    if (c !== undefined) return c;
    canonical.set(id, id);
    return id;
  };
  for (const m of set.inDateOrder()) {
    const id = intern(m.msgid);
    order.push(id);
    const ancestors = ancestorsOf(m, set, opts.parents);
    anc.set(id, ancestors.length === 0 ? NO_ANCESTORS : ancestors.map(intern));
    const role = baseRole(m);
    const quotedBack = role.reason === 'diff' && ancestors.length > 0 && diffQuotedBack(m, () => set.get(ancestors[0]));
    roles.set(id, quotedBack ? ROLES.replyWithDiff : role);
    if (m.subject.isReply && (m.subject.isPatch || m.subject.index !== null)) patchSubject.add(id);
  }
  canonical.clear();
  const withRole = function* (role: MessageRole): Generator<Message> {
    for (const id of order) if (roles.get(id)?.role === role) yield read(id);
  };

  // b4's naked covers: a root mail without diff by the patch's own author.
  for (const id of order) {
    if (roles.get(id)?.role !== 'patch') continue;
    const parentId = anc.get(id)?.[0];
    if (!parentId) continue;
    const pr = roles.get(parentId);
    if (pr?.role !== 'comment' || pr.reason !== 'no-diff') continue;
    if ((anc.get(parentId) ?? []).length > 0) continue;
    if (!sameSender(read(parentId).from, read(id).from)) continue;
    roles.set(parentId, ROLES.nakedCover);
  }

  const works: Work[] = [];
  const byWindow = new Map<string, Work[]>();
  const register = (w: Work): void => {
    works.push(w);
    const k = windowKey(w.rev.author, w.rev.version, w.rev.versionExplicit, w.rev.total, w.rev.stable);
    if (k) pushTo(byWindow, k, w);
  };
  const memberRev = new Map<string, Work>();
  const addTime = (w: Work, m: Message): void => {
    const t = timeOf(m);
    if (t !== null) w.times.push(t);
  };

  // Covers open revisions (first, so patches that arrived before their cover still find it).
  for (const m of withRole('cover')) {
    const naked = roles.get(m.msgid)?.reason === 'naked-cover';
    const evidence =
      naked
        ? `naked cover: root mail without diff by the author of the patch replying to it`
        : `cover letter ${describe(m)}`;
    const rev = newRevision(m, 'cover', evidence);
    rev.cover = memberOf(m, 'root', evidence);
    if (naked) rev.total = null;
    const w: Work = { rev, times: [] };
    addTime(w, m);
    register(w);
    memberRev.set(m.msgid, w);
  }

  // Patches, in date order.
  for (const m of withRole('patch')) {
    const ancestors = anc.get(m.msgid) ?? [];
    let joined: Work | null = null;
    let evidence = '';
    const refused: string[] = [];
    let olderVersion: { w: Work; via: string } | null = null;
    for (const a of ancestors) {
      const w = memberRev.get(a);
      if (!w) continue;
      const ownCover = w.rev.cover?.msgid === a && sameSender(w.rev.author, m.from);
      const why = threadMismatch(m, w.rev, roles.get(w.rev.id)?.reason === 'naked-cover', ownCover);
      if (why === null) {
        joined = w;
        evidence = `replies (In-Reply-To/References) to ${describe(read(a))} of the revision`;
        // Taken although the totals differ: threadMismatch found the cover miscounting (miscountedCover).
        if (w.rev.total !== null && m.subject.total !== null && m.subject.total !== w.rev.total) {
          evidence += `; its total ${m.subject.total} is not the cover's ${w.rev.total} (the author's count is off)`;
          w.rev.total = m.subject.total;
        }
        break;
      }
      refused.push(`<${a}>: ${why}`);
      if (!olderVersion && w.rev.version < versionOf(m)) olderVersion = { w, via: a };
    }
    // Rule 2 also takes a patch whose references lead to no revision that would have it: a v2
    // sent in reply to the v1 cover, its cover and each patch threaded as siblings (Arvind
    // Sankar's "efi/gop" v2 on linux-efi), is one posting, not fourteen partial re-rolls.
    let joinedByWindow = false;
    if (!joined && m.subject.index !== null) {
      const t = timeOf(m);
      let best: { w: Work; d: number } | null = null;
      const key = windowKey(m.from, versionOf(m), m.subject.version !== null, m.subject.total, stableTargetOf(m.subject));
      for (const w of key ? (byWindow.get(key) ?? []) : []) {
        const r = w.rev;
        if (!sameSender(r.author, m.from) || r.total !== m.subject.total || slotTaken(r, m.subject.index)) continue;
        const d = nearest(w, t);
        if (d !== null && d <= windowMs && (!best || d < best.d)) best = { w, d };
      }
      if (best) {
        joined = best.w;
        joinedByWindow = true;
        const refs =
          ancestors.length === 0
            ? 'no references'
            : refused.length > 0
              ? `its references lead to no revision that takes it (${refused.join('; ')})`
              : 'its references lead to no revision';
        evidence = `${refs}; same author, v${versionOf(m)}, total ${m.subject.total}, ${Math.round(best.d / 1000)} s from the revision's nearest mail (window ${Math.round(windowMs / 1000)} s)`;
      }
    }
    if (joined) {
      const rule = joinedByWindow ? 'author-window' : 'thread';
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
    register(w);
    memberRev.set(m.msgid, w);
  }

  // Partial re-rolls: carry the numbers the new version did not resend (b4 semantics).
  const revById = new Map(works.map((w) => [w.rev.id, w.rev]));
  for (const w of works) {
    const rev = w.rev;
    if (!rev.rerollOf || rev.total === null) continue;
    const base = revById.get(rev.rerollOf.revision);
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

  // Replies, each resolved after the replies it answers (dumps list the newest first, and a
  // same-day parent may come later in date order).
  const comments: CommentLink[] = [];
  const unattached: string[] = [];
  const resolved = new Map<string, CommentLink | null>();
  let placer: SubjectPlacer | null = null;
  // By Message-ID: a reply is read only when its subject has to place it.
  const resolveComment = (msgid: string, visiting: Set<string>): CommentLink | null => {
    if (resolved.has(msgid)) return resolved.get(msgid) ?? null;
    visiting.add(msgid);
    let link: CommentLink | null = null;
    for (const a of anc.get(msgid) ?? []) {
      const w = memberRev.get(a);
      if (w) {
        const target = w.rev.cover?.msgid === a ? w.rev.cover : w.rev.patches.find((p) => p.msgid === a && p.rule !== 'carried');
        if (target) {
          link = { msgid, revision: w.rev.id, target: target.key, rule: 'thread', evidence: `reply chain leads to <${a}>` };
          break;
        }
      }
      if (roles.get(a)?.role === 'comment' && !visiting.has(a)) {
        const via = resolveComment(a, visiting);
        if (via) {
          link = { ...via, msgid, evidence: `reply to <${a}>, which belongs to ${via.target} (${via.rule})` };
          break;
        }
      }
    }
    if (!link && patchSubject.has(msgid)) {
      placer ??= new SubjectPlacer(works, replyWindowMs);
      link = placer.place(read(msgid));
    }
    visiting.delete(msgid);
    resolved.set(msgid, link);
    return link;
  };
  for (const id of order) {
    if (roles.get(id)?.role !== 'comment') continue;
    const link = resolveComment(id, new Set());
    if (link) comments.push(link);
    else unattached.push(id);
  }

  const workById = new Map(works.map((w) => [w.rev.id, w]));
  for (const w of works) {
    sortPatches(w.rev);
    const rootId = w.rev.cover?.rule === 'root' ? w.rev.cover.msgid : w.rev.patches.find((p) => p.rule === 'root')?.msgid;
    if (rootId) {
      // The root replies to a member of another revision, or to a review of one (v2 sent as a reply
      // to the v1 discussion).
      for (const a of anc.get(rootId) ?? []) {
        const viaComment = resolved.get(a);
        const other = memberRev.get(a) ?? (viaComment ? workById.get(viaComment.revision) : undefined);
        if (other && other !== w && !w.rev.threadedTo.some((t) => t.msgid === a)) {
          w.rev.threadedTo.push({ revision: other.rev.id, msgid: a });
        }
      }
    }
    const first = w.times.length > 0 ? w.times.reduce((a, b) => Math.min(a, b)) : null;
    if (first !== null) w.rev.date = new Date(first).toISOString();
  }
  return { revisions: works.map((w) => w.rev), roles, comments, unattached };
}
