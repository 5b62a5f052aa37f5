// The anchoring pass of the derive stage as one pure request -> result function (run in worker
// threads by ingest/derive.ts): the replies that quote hunks of one stored patch, with that patch's
// diffs (sent once for all of them), give the COMMENTS_ON records of what each reply wrote under
// each quoted line.
import type { CommentRecord } from '../../graph/patches.js';
import { anchorReply, segmentBody, splitLines, type FileDiff } from '../segment/index.js';
import { commentRecords, hasComment } from './message.js';

export interface AnchorReply {
  msgid: string;
  body: string;
  /** Bodies it may quote without markers (web-archive dumps only). */
  knownQuotes?: string[];
}

export interface AnchorTask {
  /** The stored patch replied to, and its diffs. */
  target: string;
  diffs: FileDiff[];
  replies: AnchorReply[];
}

/** The comments of every reply, in the order of the replies. */
export function handle(t: AnchorTask): CommentRecord[] {
  return t.replies.flatMap((r) => {
    const lines = splitLines(r.body);
    const segments = segmentBody(r.body, { knownQuotes: r.knownQuotes, lines });
    const anchors = anchorReply(r.body, [{ msgid: t.target, diffs: t.diffs }], segments, lines);
    return commentRecords(r.msgid, lines, anchors, t.diffs, { msgid: t.target, kind: 'patch' }).filter(hasComment);
  });
}
