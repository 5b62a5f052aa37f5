// The patch-graph part of the GraphStore contract: what the derive stage (ingest/derive.ts) writes
// about each message (segments, hunks, trailers, quotes, comments anchored to hunk lines) and over
// the whole store (series, revisions, patches, lineage, trailer attribution, persons), and the
// queries the `series`, `show` and `hunks` commands make.
//
// Rules every implementation keeps (besides those of store.ts):
// - putMessageDerivations replaces everything derived from those messages (their segments, hunks,
//   trailers, quotes and the comments they make), so re-deriving a message never duplicates;
// - replaceSeriesGraph replaces the whole series graph in one transaction, however many parts it
//   comes in;
// - every link keeps the rule that made it and its evidence.
import type { Message } from '../ingest/model.js';
import type { SegmentKind } from '../ingest/segment/segment.js';
import type { FileStatus } from '../ingest/segment/diff.js';

/** One segment of a message body; lines are 0-based indexes into the body split on '\n'. */
export interface SegmentRecord {
  kind: SegmentKind;
  startLine: number;
  endLine: number;
  depth: number;
  markersLost: boolean;
  /** attribution segments (and the quotes they introduce): who is quoted, as written. */
  attribution: { name: string | null; email: string | null; date: string | null; raw: string } | null;
  /** quote / quoted-diff / attribution: the stored message this quotes, when it could be told. */
  quotes: string | null;
}

/** QUOTES Message→Message: one quoted run and the message it was taken from. */
export interface QuoteRecord {
  msgid: string;
  quoted: string;
  depth: number;
  startLine: number;
  endLine: number;
  /** `attribution`: the attribution line names the quoted message's author; `ancestor`: the depth-th message up the thread. */
  rule: 'attribution' | 'ancestor';
  evidence: string;
}

/**
 * A hunk: of a patch (`kind: 'patch'`, from the message's own diff or a patch attachment), or a
 * hunk quoted in a reply (`kind: 'quoted'`), kept because the patch itself may not be stored.
 */
export interface HunkRecord {
  msgid: string;
  /** Position of the hunk among the message's hunks of the same kind (0-based). */
  index: number;
  kind: 'patch' | 'quoted';
  /** New path, or old path for a deletion. */
  file: string | null;
  oldPath: string | null;
  newPath: string | null;
  status: FileStatus;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  header: string;
  functionName: string | null;
  /** Lines of the hunk in the message body (or attachment), 0-based inclusive. */
  startLine: number;
  endLine: number;
  /** `body`, or `attachment:<name>` for a patch sent as an attachment. */
  source: string;
  /** Quote depth of a quoted hunk; 0 for a patch hunk. */
  depth: number;
}

/** A trailer written in a message's own text. */
export interface TrailerRecord {
  msgid: string;
  /** `patch`: the trailer block of a patch mail; `followup`: a reviewer's own trailer in a reply. */
  role: 'patch' | 'followup';
  name: string;
  value: string;
  personName: string | null;
  personAddress: string | null;
  line: number;
}

/** COMMENTS_ON Message→Hunk: a reply quoted a hunk and commented under a line of it. */
export interface CommentRecord {
  /** The reply. */
  msgid: string;
  /** The hunk: a patch hunk of a stored patch (rule `patch`) or the reply's own quoted hunk (rule `quoted`). */
  hunkMsgid: string;
  hunkKind: 'patch' | 'quoted';
  hunkIndex: number;
  rule: 'patch' | 'quoted';
  file: string | null;
  /** The hunk line the comment is about: its text and its old/new file line numbers. */
  lineText: string;
  oldLine: number | null;
  newLine: number | null;
  quotedLines: [number, number];
  commentLines: [number, number] | null;
  /** 0: the replier's own words; n: the comment is itself quoted from an earlier mail. */
  commentDepth: number | null;
  comment: string;
  confidence: number;
}

/** Everything derived from one message on its own (plus its place in the thread). */
export interface MessageDerivation {
  msgid: string;
  segments: SegmentRecord[];
  quotes: QuoteRecord[];
  hunks: HunkRecord[];
  trailers: TrailerRecord[];
  comments: CommentRecord[];
}

export interface PatchMemberRecord {
  key: string;
  msgid: string | null;
  index: number | null;
  total: number | null;
  title: string;
  rule: string;
  evidence: string;
  carriedFrom: string | null;
}

export interface RevisionRecord {
  /** `<series key>:v<version>` (`.n` for a second posting of a version). */
  key: string;
  /** Root message id of the posting (cover, else first patch) or a subject key. */
  id: string;
  version: number;
  total: number | null;
  title: string;
  author: string | null;
  date: string | null;
  rule: string;
  evidence: string;
  changeId: string | null;
  /** Labelled RFC when posted; absent in stores derived before this was recorded. */
  rfc?: boolean;
  /** The stable kernel a backport posting is for (`5.3` of `[PATCH AUTOSEL 5.3 24/87]`); null or
   * absent for mainline postings and in stores derived before this was recorded. */
  stable?: string | null;
  cover: PatchMemberRecord | null;
  patches: PatchMemberRecord[];
}

export interface SeriesRecord {
  key: string;
  title: string;
  revisions: RevisionRecord[];
  /** NEXT_VERSION Revision→Revision (revision keys), with the rule. */
  next: { from: string; to: string; rule: string; evidence: string }[];
}

/** NEXT_VERSION Patch→Patch: a patch and its successor in a later revision. */
export interface LineageRecord {
  from: string;
  to: string;
  fromRevision: string;
  toRevision: string;
  rule: string;
  score: number;
  evidence: string;
}

/** TRAILER Person→Patch: a follow-up trailer given in a reply, or one the patch mail carries (`own`). */
export interface TrailerAttributionRecord {
  /** Patch member key (its msgid, or a subject key). */
  patch: string;
  /** Revision key. */
  revision: string;
  name: string;
  text: string;
  personId: string | null;
  personName: string | null;
  personAddress: string | null;
  /** The message the trailer was written in. */
  givenIn: string;
  givenBy: string | null;
  via: 'own' | 'patch' | 'cover';
  status: 'own' | 'applied' | 'unverified' | 'mismatched' | 'already-present';
  evidence: string;
}

export interface PersonRecord {
  id: string;
  name: string | null;
  addresses: string[];
  names: string[];
  reasons: { rule: string; detail: string }[];
}

/** DISCUSSES Message→Patch: a reply whose reply chain leads to a patch (or cover) of a revision. */
export interface ReplyLinkRecord {
  msgid: string;
  /** Member key of the patch or cover, and its mail when stored. */
  target: string;
  targetMsgid: string | null;
  /** Revision key. */
  revision: string;
  rule: string;
  evidence: string;
}

export interface SeriesGraph {
  series: SeriesRecord[];
  replies: ReplyLinkRecord[];
  lineage: LineageRecord[];
  trailers: TrailerAttributionRecord[];
  persons: PersonRecord[];
}

/**
 * A part of the series graph, as replaceSeriesGraph takes it, so that the graph of a large archive
 * is never held whole. Parts are written in order, and what a part refers to is in it or in an
 * earlier part: the lineage and trailer attributions of a revision come in the part that holds its
 * series, the person a trailer names no later than the trailer, a reply link after the series of
 * the patch it leads to. A whole SeriesGraph is one part.
 */
export type SeriesGraphPart = Partial<SeriesGraph>;

/** A series as the `series` command shows it. */
export interface PersonTrailers {
  seriesKey: string;
  seriesTitle: string;
  trailers: TrailerAttributionRecord[];
}

export interface SeriesView extends SeriesRecord {
  lineage: LineageRecord[];
  trailers: TrailerAttributionRecord[];
}

export interface HunkQuery {
  /** Function named in the hunk header. */
  function?: string;
  /** Exact path (old or new), or a directory when it ends with `/`. */
  file?: string;
}

export interface HunkCommentView extends CommentRecord {
  from: string;
  date: string | null;
}

export interface HunkView extends HunkRecord {
  subject: string;
  from: string;
  date: string | null;
  /** Series, revision and place of a patch hunk's patch, when it belongs to one. */
  series: { key: string; title: string; revision: string; version: number; index: number | null; total: number | null } | null;
  comments: HunkCommentView[];
  /** Patch hunks: every reply whose reply chain leads to the patch (anchored to a line or not). */
  replies: { msgid: string; from: string; date: string | null; subject: string; rule: string; evidence: string }[];
}

export interface PatchGraphStats {
  derivedMessages: number;
  hunks: number;
  quotedHunks: number;
  comments: number;
  quotes: number;
  series: number;
  revisions: number;
  patches: number;
  trailers: number;
  persons: number;
}

export interface PatchGraphStore {
  // --- reads for the derive stage ------------------------------------------------------------
  /** Every stored message in insertion order, `size` at a time; the store may be written between batches. */
  messageBatches(size: number): AsyncIterable<Message[]>;
  /** The sender of every stored message (headers only). */
  authors(): AsyncIterable<{ msgid: string; name: string | null; address: string | null }>;
  /** The same for one person's messages, in the same order: the sender address is one of
   * `addresses` (lower case), or — when there are none — the sender name is one of `names`
   * (compared in lower case). */
  authoredBy(who: { addresses: string[]; names: string[] }): AsyncIterable<{ msgid: string; name: string | null; address: string | null }>;

  // --- reads of what was written (export, copying a store) ------------------------------------
  /**
   * Every derived message's derivation, as messageSegments gives it (comments included), in
   * Message-ID order, at most `size` messages a batch; one read per batch, so the store may be
   * written between batches.
   */
  derivationBatches(size: number): AsyncIterable<MessageDerivation[]>;
  /** Every comment anchored to a hunk (COMMENTS_ON), by the commenting message's id, at most `size` a batch. */
  commentBatches(size: number): AsyncIterable<CommentRecord[]>;
  /**
   * The whole series graph as stored: series by key (revisions, patches and NEXT_VERSION as
   * written), the reply links, lineage, trailer attributions and persons, held whole (an export
   * and the contract tests read it; the derive stage never does).
   */
  seriesGraph(): Promise<SeriesGraph>;

  // --- writes -------------------------------------------------------------------------------
  /**
   * The derive stage is about to write every stored message's derivation again, then the comments
   * anchored to stored patches, until finishDerivations. A store may load in bulk meanwhile: the
   * embedded store empties its per-message tables and builds their secondary indexes once, at the
   * finish, instead of updating them on every batch. Reads in between may miss what is not yet
   * written again; after finishDerivations everything reads as it would without the two calls.
   */
  startDerivations(): Promise<void>;
  /** After the derive stage's last per-message write and comment (also when it failed part way). */
  finishDerivations(): Promise<void>;
  /** Replace what is derived from each of these messages; one transaction per call. */
  putMessageDerivations(batch: MessageDerivation[]): Promise<void>;
  /** Add comments anchored to stored patches' hunks (after putMessageDerivations of the reply). */
  putComments(comments: CommentRecord[]): Promise<void>;
  /**
   * Replace the whole series graph (series, revisions, patches, lineage, attributions, persons)
   * with the union of these parts, in one transaction; each part is asked for as it is written.
   * A store may iterate the parts again (Neo4j reruns a transaction after a transient failure), so
   * each iteration must give the same parts: an array does, and so does an object whose iterator
   * makes them afresh.
   */
  replaceSeriesGraph(parts: Iterable<SeriesGraphPart>): Promise<void>;

  // --- queries -------------------------------------------------------------------------------
  /** Series whose title, revision/patch titles, author or change-id contain `query` (all without one). */
  series(query?: string): Promise<SeriesView[]>;
  /** The same series as series(query), without lineage and trailer attributions: what a list of
   * series shows, cheap to read on a large archive. */
  seriesIndex(query?: string): Promise<SeriesRecord[]>;
  /**
   * Every series as seriesIndex() lists it, in its order, read `pageSize` at a time and never
   * cached: for a pass over the whole store that needs each series once (the claims stage's
   * series places), without holding every series at once. A write between pages may shift them.
   */
  eachSeries(pageSize?: number): AsyncIterable<SeriesRecord>;
  /** The trailer attributions naming this person, grouped by series in series() order, each
   * group's trailers in series().trailers order (a person page, without reading every series). */
  trailersOf(personId: string): Promise<PersonTrailers[]>;
  seriesDetail(key: string): Promise<SeriesView | null>;
  /** Every hunk touching the function or file, with the replies that comment on it. */
  hunks(query: HunkQuery): Promise<HunkView[]>;
  messageSegments(msgid: string): Promise<MessageDerivation | null>;
  person(id: string): Promise<PersonRecord | null>;
  people(): Promise<PersonRecord[]>;
  patchStats(): Promise<PatchGraphStats>;
}
