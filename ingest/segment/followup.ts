// Trailers a reviewer gave in a reply: `Reviewed-by:` and friends in the reply's own text.
import { segmentBody, type Segment } from './segment.js';
import type { Trailer } from './trailers.js';
import { splitLines } from './diff.js';

/**
 * The trailers written in `replyBody`'s own text: not quoted (a quoted `Reviewed-by` is someone
 * else's old tag), not indented restatements, not inside a diff or signature, and not the trailer
 * block of a patch the reply itself proposes (the block right above its own inline diff).
 * Attribution to patches (cover letter → all patches, address checks) is up to the caller.
 */
export function followupTrailers(replyBody: string, segments?: Segment[]): Trailer[] {
  const body = typeof replyBody === 'string' ? replyBody : '';
  const segs = segments ?? segmentBody(body);
  const lines = splitLines(body);
  const firstDiff = segs.findIndex((s) => s.kind === 'diff');
  let patchBlock = -1;
  if (firstDiff >= 0) {
    for (let k = firstDiff - 1; k >= 0; k--) {
      const s = segs[k];
      if (s.kind === 'trailers') {
        patchBlock = k;
        break;
      }
      const blank = s.kind === 'text' && lines.slice(s.startLine, s.endLine + 1).every((l) => l.trim() === '' || /^---\s*$/.test(l));
      if (!(blank || s.kind === 'diffstat')) break;
    }
  }
  return segs.flatMap((s, k) => (s.kind === 'trailers' && k !== patchBlock ? (s.trailers ?? []) : []));
}
