// Property tests: random and mutated bodies never make the segment functions throw, segments
// always cover every body line exactly once, and every line number they report is in range.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { anchorReply } from './anchor.js';
import { findDiffStart, parseDiff, splitLines, type FileDiff } from './diff.js';
import { followupTrailers } from './followup.js';
import { ownText, segmentBody, type Segment } from './segment.js';
import { findTrailerBlock, parseTrailers } from './trailers.js';
import { readMailFile, splitMailArchiveDump } from './test-mail.js';

const KINDS = new Set(['text', 'attribution', 'quote', 'diff', 'quoted-diff', 'diffstat', 'trailers', 'signature', 'footer']);

function checkSegments(segs: Segment[], body: string): void {
  const n = splitLines(body).length;
  let next = 0;
  for (const s of segs) {
    assert.ok(KINDS.has(s.kind));
    assert.equal(s.startLine, next);
    assert.ok(s.endLine >= s.startLine && s.endLine < n);
    assert.ok(Number.isInteger(s.depth) && s.depth >= 0);
    next = s.endLine + 1;
  }
  assert.equal(next, n);
}

function checkDiffs(diffs: FileDiff[], n: number): void {
  for (const d of diffs) {
    assert.ok(d.startLine >= 0 && d.startLine <= d.endLine && d.endLine < n);
    for (const h of d.hunks) {
      assert.ok(h.startLine <= h.endLine && h.endLine < n);
      let prev = h.startLine;
      for (const l of h.lines) {
        assert.ok(l.line > prev - 1 && l.line < n, 'hunk lines are in order and in range');
        prev = l.line;
      }
    }
  }
}

/** Lines that exercise every branch: markers, headers, trailers, signatures, elisions, junk. */
const TRICKY = [
  '', ' ', '>', '> >', '>>', '> > >', '|', '-- ', '--', '---', '+++', '@@', '@@ -1 +1 @@', '@@ -1,3 +1,4 @@ int f(void)',
  '@@@ -1,1 -1,1 +1,2 @@@', 'diff --git a/x b/x', 'diff --git x', 'index 1234..5678 100644', '--- a/x', '+++ b/x', 'Index: x',
  '====================================================================', 'GIT binary patch', 'literal 0', 'HcmV?d00001',
  '\\ No newline at end of file', '\\', '+added', '-removed', ' context', '> +quoted add', '> -quoted del', '> @@ -28,6 +28,7 @@',
  'Reviewed-by: A <a@b>', 'Signed-off-by: Wrapped', '<wrapped@example.com>', '[extinfo]', 'Fixes: 123456789abc ("x")',
  'Link: https://x # c', 'Acked-by: Name  :)', 'On Mon, 1 Jan 2021 at 10:00, X <x@y> wrote:', 'On Mon, 1 Jan 2021,',
  'X wrote:', 'Am 1.1.21 um 10:00 schrieb Y:', '-----Original Message-----', 'From: A', 'Sent: today', 'Subject: s',
  '[...]', '<snip>', 'Thanks,', 'David', '_______________________________________________', 'x mailing list',
  ' 1 file changed, 1 insertion(+)', ' a/b.c | 2 +-', 'rename from a', 'rename to b', 'new file mode 100644', '\r', '\t\t}',
];

const lineArb = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const bodyArb = fc.tuple(fc.array(lineArb, { maxLength: 60 }), fc.constantFrom('\n', '\r\n')).map(([ls, sep]) => ls.join(sep));

async function realBodies(): Promise<string[]> {
  const bodies: string[] = [];
  for (const f of [SEED.armPfnValid, SEED.danAuthorArchive]) {
    bodies.push(...splitMailArchiveDump(readFileSync(f, 'utf8')).slice(0, 12).map((m) => m.body));
  }
  for (const f of [
    'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox',
    'b4/trailers-followup-single.mbox',
    'b4/trailers-test-extinfo.txt',
    'patchwork/mail/0011-no-newline-at-end-of-file.mbox',
    'patchwork/mail/0026-git-add-mixed-binary-text-files.mbox',
  ]) {
    bodies.push(...(await readMailFile(resolve(PEERS_DIR, f))).map((m) => m.body));
  }
  return bodies;
}

type Mutation = { op: 'delete' | 'dup' | 'strip' | 'quote' | 'unquote' | 'truncate' | 'swap' | 'wrap'; at: number; arg: number };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'dup', 'strip', 'quote', 'unquote', 'truncate', 'swap', 'wrap'),
  at: fc.nat(),
  arg: fc.nat(),
});

function mutate(body: string, muts: Mutation[]): string {
  const ls = splitLines(body);
  for (const m of muts) {
    if (ls.length === 0) break;
    const i = m.at % ls.length;
    const l = ls[i];
    switch (m.op) {
      case 'delete':
        ls.splice(i, 1);
        break;
      case 'dup':
        ls.splice(i, 0, l);
        break;
      case 'strip':
        ls[i] = l.trimStart();
        break;
      case 'quote':
        ls[i] = `> ${l}`;
        break;
      case 'unquote':
        ls[i] = l.replace(/^[> ]+/, '');
        break;
      case 'truncate':
        ls[i] = l.slice(0, m.arg % (l.length + 1));
        break;
      case 'swap': {
        const j = m.arg % ls.length;
        [ls[i], ls[j]] = [ls[j], l];
        break;
      }
      case 'wrap': {
        const cut = m.arg % (l.length + 1);
        ls.splice(i, 1, l.slice(0, cut), l.slice(cut));
        break;
      }
    }
  }
  return ls.join('\n');
}

function exercise(body: string, known: string[], patchText: string): void {
  const n = splitLines(body).length;
  const segs = segmentBody(body, { knownQuotes: known });
  checkSegments(segs, body);
  for (const s of segs) if (s.diffs) checkDiffs(s.diffs, n);
  assert.equal(typeof ownText(segs, body), 'string');
  const diffs = parseDiff(body);
  checkDiffs(diffs, n);
  const loc = findDiffStart(splitLines(body));
  if (loc.diffStart !== null) assert.ok(loc.diffStart < n);
  for (const t of parseTrailers(body)) assert.ok(t.line <= t.endLine && t.endLine < n);
  for (const t of followupTrailers(body)) assert.ok(t.endLine < n);
  const block = findTrailerBlock(splitLines(body));
  if (block) assert.ok(block[0] <= block[1] && block[1] < n);
  const patches = [{ msgid: 'p', diffs: parseDiff(patchText) }];
  for (const a of anchorReply(body, patches)) {
    const h = patches[0].diffs[a.fileIndex].hunks[a.hunkIndex];
    assert.ok(a.hunkLine >= 0 && a.hunkLine < h.lines.length);
    assert.ok(a.quotedLines[0] <= a.quotedLines[1] && a.quotedLines[1] < n);
    if (a.commentLines) assert.ok(a.commentLines[0] <= a.commentLines[1] && a.commentLines[1] < n);
    assert.ok(a.confidence >= 0 && a.confidence <= 1);
  }
}

describe('robustness (fast-check)', async () => {
  const bodies = await realBodies();
  const patchText = bodies.find((b) => b.includes('@@ -571,7 +571,8 @@')) ?? '';

  test('random bodies built from tricky lines', () => {
    fc.assert(
      fc.property(bodyArb, fc.array(bodyArb, { maxLength: 2 }), bodyArb, (body, known, patch) => {
        exercise(body, known, patch);
        exercise(body, known, patchText);
      }),
      { numRuns: 300 },
    );
  });

  test('mutated real bodies (deleted, duplicated, stripped, re-quoted, truncated, swapped, wrapped lines)', () => {
    fc.assert(
      fc.property(fc.nat(bodies.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 12 }), (k, muts) => {
        const body = mutate(bodies[k], muts);
        exercise(body, [bodies[(k + 1) % bodies.length]], patchText);
        // The mutated text as the "original patch" of an unmutated reply, too.
        exercise(bodies[k], [], body);
      }),
      { numRuns: 150 },
    );
  });

  test('non-string input degrades to nothing instead of throwing', () => {
    // Callers in plain JS or with bad data may hand over anything; `as unknown as string` models that.
    const junk = [null, undefined, 42, {}] as unknown as string[];
    for (const j of junk) {
      assert.deepEqual(parseDiff(j), []);
      assert.deepEqual(parseTrailers(j), []);
      assert.deepEqual(anchorReply(j, []), []);
      assert.deepEqual(segmentBody(j).map((s) => s.kind), ['text']);
    }
  });
});
