// Output shapes of series grouping, version linking, patch lineage and trailer attribution.
// Every grouping and link carries the rule that made it and human-readable evidence, so a store can
// write them as graph nodes/edges and a maintainer can see why two things were put together:
//   Series [key] -HAS_VERSION-> Revision [key] -HAS_PATCH-> Patch [key]
//   Revision -NEXT_VERSION-> Revision, Patch -NEXT_VERSION-> Patch, Person -TRAILER-> Patch.
import type { Address } from '../model.js';

/** What one message is for series purposes. */
export type MessageRole = 'cover' | 'patch' | 'comment';

/** Why a message was given its role. */
export type RoleReason =
  | 'subject-0/n' // `[PATCH 0/N]` (even with an interdiff in it)
  | 'naked-cover' // root mail by the same author as the unnumbered patch replying to it (b4)
  | 'diff' // carries a diff and is not a reply
  | 'reply-with-diff' // carries a diff, answers another mail and has no patch tag (an "Applied" notice)
  | 'reply' // everything else: replies and other mail
  | 'no-diff';

/** How a patch or cover came to belong to its revision. */
export type MemberRule =
  | 'root' // first message of the revision
  | 'thread' // In-Reply-To / References lead to the cover or a patch of the revision (rule 1)
  | 'author-window' // no references: same author, version and total, close in time (rule 2)
  | 'reply-subject' // only seen through a reply's subject (author archives): same version and total
  | 'carried'; // partial re-roll: taken unchanged from the previous revision, as b4 does

export interface RevisionMember {
  /** The patch mail, or null when the patch is only known from the subject of a reply to it. */
  msgid: string | null;
  /** Graph key: the msgid, or `subject:<first reply's msgid>` for a patch seen only in replies. */
  key: string;
  index: number | null;
  total: number | null;
  /** Normalised subject: the patch title (cover: the series title). */
  title: string;
  rule: MemberRule;
  evidence: string;
  /** Replies that made this member visible when it has no mail of its own (rule reply-subject). */
  seenIn: string[];
  /** For rule `carried`: the revision id the patch was carried from. */
  carriedFrom?: string;
}

/** One posting of a series at one version: a cover letter (optional) and its patches. */
export interface Revision {
  /** Stable id of the posting: the root message's msgid (cover, else first patch), or a subject key. */
  id: string;
  /** Explicit version from the subjects, 1 when none was given. */
  version: number;
  versionExplicit: boolean;
  total: number | null;
  author: Address | null;
  /** ISO date of the earliest member. */
  date: string | null;
  /** Cover title when there is a cover, else the first patch's title. */
  title: string;
  cover: RevisionMember | null;
  /** Patches sorted by index (unnumbered last), including carried ones. */
  patches: RevisionMember[];
  /** Why this posting exists as one unit: the rule that formed its root. */
  rule: 'cover' | 'patch' | 'reply-subject';
  evidence: string;
  /** `change-id:` of a b4-prepared series (cover header or body), when present. */
  changeId: string | null;
  /** The posting that opened it was labelled RFC (`[RFC PATCH v2 0/3]`). */
  rfc: boolean;
  /** The stable kernel it is a backport for (parse/subject.ts stableTargetOf), null for mainline. */
  stable: string | null;
  /** Partial re-roll: the earlier revision whose patch this one replaced, with the evidence. */
  rerollOf: { revision: string; evidence: string } | null;
  /** Messages of this revision's root that reply into another revision (v2 cover In-Reply-To v1). */
  threadedTo: { revision: string; msgid: string }[];
}

/** A comment (reply) and the cover/patch it belongs to. */
export interface CommentLink {
  msgid: string;
  revision: string;
  /** Member key the reply chain leads to. */
  target: string;
  rule: 'thread' | 'reply-subject';
  evidence: string;
}

export interface Grouping {
  revisions: Revision[];
  /** Each message's role; the values are shared (classify.ts ROLES), not to be changed. */
  roles: Map<string, Readonly<{ role: MessageRole; reason: RoleReason }>>;
  comments: CommentLink[];
  /** Messages that are neither part of a revision nor a reply to one. */
  unattached: string[];
}

/** Why two revisions were put in one series. */
export type VersionRule = 'change-id' | 'thread' | 'cover-subject' | 'patch-titles' | 'patch-diff';

export interface VersionEdge {
  from: string;
  to: string;
  rule: VersionRule;
  evidence: string;
}

export interface SeriesRevision {
  /** Graph key: `<series key>:v<version>`, with `.<n>` for a second posting of the same version. */
  key: string;
  revision: Revision;
}

export interface Series {
  /** Graph key: `change-id:<id>` when b4 gave one, else `series:<root id of the earliest revision>`. */
  key: string;
  title: string;
  /** Ordered by version, then date. */
  revisions: SeriesRevision[];
  /** The edges that put the revisions together (a spanning set, each with its rule). */
  edges: VersionEdge[];
  /** NEXT_VERSION between consecutive revisions, with the rule of the direct edge when there is one. */
  next: { from: string; to: string; rule: VersionRule | 'series-order'; evidence: string }[];
}

export type LineageRule = 'title' | 'title-similar' | 'diff' | 'split' | 'merge';

export interface LineageLink {
  /** Member key in the earlier revision. */
  from: string;
  /** Member key in the later revision. */
  to: string;
  fromRevision: string;
  toRevision: string;
  rule: LineageRule;
  /** 0..1 */
  score: number;
  evidence: string;
}
