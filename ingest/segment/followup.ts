// Trailers a reviewer gave in a reply: `Reviewed-by:` and friends in the reply's own text.
import { segmentBody, type Segment } from './segment.js';
import type { Trailer } from './trailers.js';
import { splitLines } from './diff.js';

/**
 * The trailers written in `replyBody`'s own text: not quoted (a quoted `Reviewed-by` is someone
 * else's old tag), not indented restatements, not inside a diff or signature, and not the trailer
 * block of a patch (the block right above a `---` separator or an inline diff: a patch mail, or a
 * fix the reply proposes).
 * Attribution to patches (cover letter → all patches, address checks) is up to the caller.
 */
export function followupTrailers(replyBody: string, segments?: Segment[], bodyLines?: string[]): Trailer[] {
  const body = typeof replyBody === 'string' ? replyBody : '';
  const segs = segments ?? segmentBody(body);
  const lines = bodyLines ?? splitLines(body);
  const patchBlocks = new Set<number>();
  // A trailer block followed (blank lines aside) by the `---` separator or the reply's own inline
  // diff signs a patch: it is the patch's trailer block, not a review tag. The separator still
  // counts when an archive cut the diff off.
  for (let k = 0; k < segs.length; k++) {
    if (segs[k].kind !== 'trailers') continue;
    let i = segs[k].endLine + 1;
    while (i < lines.length && lines[i].trim() === '') i++;
    const at = segs.find((s) => s.startLine <= i && i <= s.endLine);
    if (i < lines.length && (/^---\s*$/.test(lines[i]) || at?.kind === 'diff' || at?.kind === 'diffstat')) patchBlocks.add(k);
  }
  return segs.flatMap((s, k) => (s.kind === 'trailers' && !patchBlocks.has(k) ? (s.trailers ?? []) : []));
}
