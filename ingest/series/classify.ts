// Message roles for series grouping (cover letter, patch, comment) and the thread helpers the
// grouping, attribution and linking stages share.
import type { Message, ParentLink } from '../model.js';
import type { MessageRole, RoleReason } from './types.js';

/** Parent links from the threader, when the caller has them (msgid → parent link or parent msgid). */
export type ParentMap = ReadonlyMap<string, ParentLink | string>;

const DIFF_LINE = /^(diff --git \S|diff -[a-zA-Z]+ \S|Index: \S|@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@)/m;
const UNIFIED_PAIR = /^--- \S[^\n]*\n\+\+\+ \S/m;

/** True when the body (or a patch attachment) carries an unquoted diff. */
export function hasDiff(m: Message): boolean {
  if (DIFF_LINE.test(m.body) || UNIFIED_PAIR.test(m.body)) return true;
  return m.attachments.some((a) => a.isPatch);
}

/** A message's role and why; the values are shared, one per kind, so a grouping of every message
 * of an archive holds a reference per message, not an object. */
export type RoleOf = Readonly<{ role: MessageRole; reason: RoleReason }>;

const role = (r: MessageRole, reason: RoleReason): RoleOf => Object.freeze({ role: r, reason });
export const ROLES = {
  reply: role('comment', 'reply'),
  cover: role('cover', 'subject-0/n'),
  patch: role('patch', 'diff'),
  noDiff: role('comment', 'no-diff'),
  nakedCover: role('cover', 'naked-cover'),
  replyWithDiff: role('comment', 'reply-with-diff'),
} as const;

/** Role of one message before naked-cover detection. */
export function baseRole(m: Message): RoleOf {
  const s = m.subject;
  if (s.isReply) return ROLES.reply;
  // `0/N` is a cover letter even when it carries a diff (git format-patch --interdiff).
  if (s.index === 0 && s.total !== null) return ROLES.cover;
  if (hasDiff(m)) return ROLES.patch;
  return ROLES.noDiff;
}

/**
 * A mail with a diff but no patch tag that answers someone else's mail is that person's patch
 * quoted back, not a posting: Mark Brown's `Applied "…" to the spi tree`, Greg's `Patch "…" has
 * been added to the 5.4-stable tree`, a reviewer's untagged "how about this" diff (358 such mails
 * were series of their own on the linux-arm-kernel epoch). An untagged diff answering its own
 * sender's mail stays a patch, as Patchwork keeps one (bugs-unnumbered.mbox).
 */
export function diffQuotedBack(m: Message, parent: () => Message | undefined): boolean {
  const s = m.subject;
  if (s.isPatch || s.isRfc || s.index !== null || s.version !== null) return false;
  // Read only for the rare untagged diff: the parent is a digest read back from the scratch file.
  const p = parent();
  return p !== undefined && !sameSender(p.from, m.from);
}

/**
 * Messages this one replies to that are in the set, nearest first: the threader's parent, then
 * In-Reply-To, then References from the last to the first, then a parent inferred from content.
 */
export function ancestorsOf(m: Message, byId: { has(msgid: string): boolean }, parents?: ParentMap): string[] {
  const out: string[] = [];
  const add = (id: string | null | undefined): void => {
    if (id && id !== m.msgid && byId.has(id) && !out.includes(id)) out.push(id);
  };
  const p = parents?.get(m.msgid);
  if (p) add(typeof p === 'string' ? p : p.parent);
  add(m.inReplyTo);
  for (let i = m.references.length - 1; i >= 0; i--) add(m.references[i]);
  add(m.inferredParent?.parent);
  return out;
}

/** Same sender: equal addresses, or equal names when an archive hid both addresses. */
export function sameSender(a: Message['from'] | null, b: Message['from'] | null): boolean {
  if (!a || !b) return false;
  if (a.address && b.address && !a.obfuscated && !b.obfuscated) return a.address === b.address;
  const na = a.name?.trim().toLowerCase();
  const nb = b.name?.trim().toLowerCase();
  return !!na && na === nb;
}

export function timeOf(m: Message): number | null {
  return timeOfDate(m.date);
}

/** A message date (ISO) in ms, null when absent or unreadable. */
export function timeOfDate(date: string | null): number | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : t;
}

/** byDate's order of two messages, by their times (null: undated, last) and then their positions. */
export function compareDated(ta: number | null, ia: number, tb: number | null, ib: number): number {
  if (ta !== null && tb !== null && ta !== tb) return ta - tb;
  if (ta === null && tb !== null) return 1;
  if (ta !== null && tb === null) return -1;
  return ia - ib;
}

/** Messages in date order; undated ones keep their input position relative to each other, last. */
export function byDate(messages: readonly Message[]): Message[] {
  return messages
    .map((m, i) => ({ m, i, t: timeOf(m) }))
    .sort((x, y) => compareDated(x.t, x.i, y.t, y.i))
    .map((x) => x.m);
}

/** A b4 `change-id:` from the extra headers or a body line of the cover letter. */
export function changeIdOf(m: Message): string | null {
  const h = m.extraHeaders['change-id'];
  if (h && h.trim()) return h.trim();
  const b = /^change-id:\s*(\S+)\s*$/im.exec(m.body);
  return b ? b[1] : null;
}
