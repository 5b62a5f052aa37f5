// The anchoring pass of the derive stage as one pure request -> result function (run in worker
// threads by ingest/derive.ts): the replies that quote hunks of one stored patch, with that patch's
// text (sent once for all of them; its diffs are read here, off the main thread), give the
// COMMENTS_ON records of what each reply wrote under each quoted line.
import type { CommentRecord } from '../../graph/patches.js';
import { anchorReply, segmentBody, splitLines } from '../segment/index.js';
import { commentRecords, hasComment, patchDiffsOf, type PatchText } from './message.js';

export interface AnchorReply {
  msgid: string;
  body: string;
  /** Bodies it may quote without markers (web-archive dumps only). */
  knownQuotes?: string[];
}

export interface AnchorTask {
  /** The stored patch replied to, and what its diffs are read from (patchTextOf). */
  target: string;
  patch: PatchText;
  replies: AnchorReply[];
}

/** The comments of every reply, in the order of the replies. */
export function handle(t: AnchorTask): CommentRecord[] {
  const { diffs } = patchDiffsOf(t.patch);
  if (diffs.length === 0) return [];
  return t.replies.flatMap((r) => {
    const lines = splitLines(r.body);
    const segments = segmentBody(r.body, { knownQuotes: r.knownQuotes, lines });
    const anchors = anchorReply(r.body, [{ msgid: t.target, diffs }], segments, lines);
    return commentRecords(r.msgid, lines, anchors, diffs, { msgid: t.target, kind: 'patch' }).filter(hasComment);
  });
}
