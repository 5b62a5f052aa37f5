// The anchoring pass of the derive stage as one pure request -> result function (run in worker
// threads by ingest/derive.ts): a reply that quotes hunks, and the diffs of the stored patch it
// replies to, give the COMMENTS_ON records of what the reply wrote under each quoted line.
import type { CommentRecord } from '../../graph/patches.js';
import { anchorReply, segmentBody, splitLines, type FileDiff } from '../segment/index.js';
import { commentRecords, hasComment } from './message.js';

export interface AnchorTask {
  msgid: string;
  body: string;
  /** Bodies it may quote without markers (web-archive dumps only). */
  knownQuotes?: string[];
  /** The stored patch replied to, and its diffs. */
  target: string;
  diffs: FileDiff[];
}

export function handle(t: AnchorTask): CommentRecord[] {
  const segments = segmentBody(t.body, t.knownQuotes && t.knownQuotes.length > 0 ? { knownQuotes: t.knownQuotes } : {});
  const anchors = anchorReply(t.body, [{ msgid: t.target, diffs: t.diffs }], segments);
  return commentRecords(t.msgid, splitLines(t.body), anchors, t.diffs, { msgid: t.target, kind: 'patch' }).filter(hasComment);
}
