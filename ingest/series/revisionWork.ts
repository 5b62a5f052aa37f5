// Building blocks of series grouping shared by group.ts and replySubject.ts: a revision under
// construction, members made from messages, slot lookups and the rule 1 compatibility check.
import type { Message } from '../model.js';
import { changeIdOf } from './classify.js';
import { stableTargetOf } from '../parse/subject.js';
import type { Revision, RevisionMember } from './types.js';

/** A revision under construction with the (epoch ms) dates of its members. */
export interface Work {
  rev: Revision;
  times: number[];
}

/** Nearest distance in ms between `t` and a member of the revision; null when undated. */
export function nearest(w: Work, t: number | null): number | null {
  if (t === null || w.times.length === 0) return null;
  let best = Number.POSITIVE_INFINITY;
  for (const x of w.times) best = Math.min(best, Math.abs(x - t));
  return best;
}

/** Earliest member date in ms, or null. */
export function firstTime(w: Work): number | null {
  if (w.times.length === 0) return null;
  let best = Number.POSITIVE_INFINITY;
  for (const x of w.times) best = Math.min(best, x);
  return best;
}

/** Version of a message's subject; 1 when none is given. */
export function versionOf(m: Message): number {
  return m.subject.version ?? 1;
}

/** `<msgid> (v2 1/3 "title")` for evidence strings. */
export function describe(m: Message): string {
  const s = m.subject;
  const n = s.index !== null ? ` ${s.index}/${s.total ?? '?'}` : '';
  return `<${m.msgid}> (v${versionOf(m)}${n} "${s.normalized}")`;
}

/** A revision member for a patch or cover mail. */
export function memberOf(m: Message, rule: RevisionMember['rule'], evidence: string): RevisionMember {
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

/** A revision rooted at this message. */
export function newRevision(m: Message, rule: Revision['rule'], evidence: string): Revision {
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
    rfc: m.subject.isRfc,
    stable: stableTargetOf(m.subject),
    rerollOf: null,
    threadedTo: [],
  };
}

/** The member at a number (0 = the cover), if any. */
export function slotTaken(rev: Revision, index: number | null): RevisionMember | undefined {
  if (index === null) return undefined;
  if (index === 0) return rev.cover ?? undefined;
  return rev.patches.find((p) => p.index === index);
}

/**
 * Rule 1 compatibility of a patch with the revision it replies into; a reason when it is not.
 * `ownCover`: the mail replied to is the revision's cover letter, sent by the patch's own sender.
 */
export function threadMismatch(m: Message, rev: Revision, nakedCover: boolean, ownCover = false): string | null {
  const s = m.subject;
  if (s.index === null) {
    // An unnumbered patch only completes a naked-cover revision that has no patch yet.
    if (nakedCover && rev.patches.length === 0) return null;
    return 'unnumbered patch in a numbered thread';
  }
  const unlabelledUnderCover = s.version === null && rev.versionExplicit && rev.cover !== null;
  if (versionOf(m) !== rev.version && !unlabelledUnderCover) return `version v${versionOf(m)} ≠ v${rev.version}`;
  if (slotTaken(rev, s.index)) return `number ${s.index} already taken`;
  if (s.total !== null && rev.total !== null && s.total !== rev.total && !miscountedCover(m, rev, ownCover)) return `total ${s.total} ≠ ${rev.total}`;
  return null;
}

/**
 * The author's cover letter counts its patches wrong: `[PATCH v4 0/8]` over six `[PATCH v4 n/6]`
 * that reply to it (Paul Walmsley's "riscv: resolve most warnings from sparse", linux-riscv,
 * 2019-10-24). Taken as one posting when the patch answers its own sender's cover and agrees with
 * every patch already there, none of which has the cover's count.
 */
function miscountedCover(m: Message, rev: Revision, ownCover: boolean): boolean {
  const total = m.subject.total;
  return ownCover && total !== null && rev.cover !== null && rev.patches.every((p) => p.total === total);
}

