import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { anchorReply, type PatchDiffs } from './anchor.js';
import { parseDiff, splitLines } from './diff.js';
import { quoteInfo } from './quoting.js';
import { readMailFile, splitMailArchiveDump, type TestMail } from './test-mail.js';

const dump = splitMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'));

/** Qian Cai's memory_hotplug.h hunk as the deepest quote in seed 002 carries it, markers stripped. */
function qianPatchFromQuote(): PatchDiffs {
  const lines = splitLines(dump[0].body);
  const start = lines.findIndex((l) => l.startsWith('> > > diff --git a/include/linux/memory_hotplug.h'));
  assert.ok(start >= 0);
  let end = start;
  while (end + 1 < lines.length && quoteInfo(lines[end + 1]).depth === 3) end++;
  const text = lines.slice(start, end + 1).map((l) => quoteInfo(l).content).join('\n');
  return { msgid: 'qian-cai-pfn-section-valid', diffs: parseDiff(text) };
}

/**
 * The same hunk with the kernel's own indentation (tabs, aligned backslashes), reconstructed from
 * pfn_to_online_page() in include/linux/memory_hotplug.h of v5.2; the archive stripped all of it.
 */
const QIAN_HUNK_WITH_TABS = [
  'diff --git a/include/linux/memory_hotplug.h b/include/linux/memory_hotplug.h',
  'index 0b8a5e5ef2da..f02be86077e3 100644',
  '--- a/include/linux/memory_hotplug.h',
  '+++ b/include/linux/memory_hotplug.h',
  '@@ -28,6 +28,7 @@',
  ' \tunsigned long ___nr = pfn_to_section_nr(___pfn);\t   \\',
  ' \t\t\t\t\t\t\t   \\',
  ' \tif (___nr < NR_MEM_SECTIONS && online_section_nr(___nr) && \\',
  '+\t    pfn_section_valid(__nr_to_section(___nr), pfn) &&\t   \\',
  ' \t    pfn_valid_within(___pfn))\t\t\t\t   \\',
  ' \t\t___page = pfn_to_page(___pfn);\t\t\t   \\',
  ' \t___page;\t\t\t\t\t\t   \\',
].join('\n');

describe('anchorReply on seed 002 (mail-archive.com dump, whitespace stripped)', () => {
  const qian = qianPatchFromQuote();

  test('the rebuilt original is a complete hunk whose lone "\\" line is context, not a no-newline marker', () => {
    const h = qian.diffs[0].hunks[0];
    assert.equal(h.complete, true);
    assert.deepEqual(h.lines.map((l) => l.kind), ['context', 'context', 'context', 'add', 'context', 'context', 'context']);
  });

  test("Dan's first reply: the depth-3 quoted hunk, and his own quoted comment under it", () => {
    const body = dump[0].body;
    const lines = splitLines(body);
    const anchors = anchorReply(body, [qian]);
    assert.equal(anchors.length, 1);
    const a = anchors[0];
    assert.deepEqual([a.msgid, a.file, a.hunkIndex, a.hunkLine, a.oldLine, a.newLine, a.quoteDepth], ['qian-cai-pfn-section-valid', 'include/linux/memory_hotplug.h', 0, 6, 33, 34, 3]);
    assert.ok(a.commentLines);
    assert.equal(a.commentDepth, 2);
    assert.equal(lines[a.commentLines[0]], '> > Looks ok to me:');
    assert.equal(lines[a.commentLines[1]], '> > static inline like all the helper routines it invokes?');
    assert.ok(lines.slice(a.commentLines[0], a.commentLines[1] + 1).includes('> > Acked-by: Dan Williams '));
    assert.equal(lines[a.quotedLines[0]], '> > > @@ -28,6 +28,7 @@');
    assert.equal(a.confidence, 1);
  });

  test("Dan's original review (depth-1 quote, own comment), anchored to the tab-indented original", () => {
    const reply = dump.find((m) => /^Looks ok to me:$/m.test(m.body) && /^> @@ -28,6 \+28,7 @@$/m.test(m.body));
    assert.ok(reply);
    const lines = splitLines(reply.body);
    const original: PatchDiffs = { msgid: 'qian-cai-with-tabs', diffs: parseDiff(QIAN_HUNK_WITH_TABS) };
    assert.equal(original.diffs[0].hunks[0].complete, true);
    for (const patch of [original, qian]) {
      const [a] = anchorReply(reply.body, [patch]);
      assert.ok(a, patch.msgid);
      assert.deepEqual([a.hunkLine, a.newLine, a.commentDepth], [6, 34, 0]);
      assert.ok(a.commentLines);
      assert.equal(lines[a.commentLines[0]], 'Looks ok to me:');
      assert.equal(lines[a.commentLines[1]], 'static inline like all the helper routines it invokes?');
      // Every quoted hunk line found its original line, whitespace differences notwithstanding.
      assert.deepEqual(a.matches.map((m) => m.hunkLine), [0, 1, 2, 3, 4, 5, 6]);
      assert.ok(a.matches.every((m) => m.how === 'exact'));
    }
  });
});

describe('anchorReply on the lfdr kvmarm thread (real mbox, comments interleaved)', async () => {
  const mails = await readMailFile(resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox'));
  const byId = (id: string): TestMail => {
    const m = mails.find((x) => x.messageId === id);
    assert.ok(m, id);
    return m;
  };
  const patchMail = byId('20210628161925.401343-1-alexandre.chartre@oracle.com');
  const sketchMail = byId('e3843c2c-e20a-ef58-c795-1ba8f1d91ff6@oracle.com');
  const patches: PatchDiffs[] = [
    { msgid: patchMail.messageId ?? '', diffs: parseDiff(patchMail.body) },
    { msgid: sketchMail.messageId ?? '', diffs: parseDiff(sketchMail.body) },
  ];

  test("Marc Zyngier's review comment sits under the added PMCNTENSET_EL0 line (new line 575)", () => {
    const reply = byId('878s2tavks.wl-maz@kernel.org');
    const lines = splitLines(reply.body);
    const anchors = anchorReply(reply.body, patches);
    assert.equal(anchors.length, 1);
    const a = anchors[0];
    const hunkLine = patches[0].diffs[0].hunks[0].lines[a.hunkLine];
    assert.deepEqual([a.msgid, a.file, a.hunkIndex, a.newLine, hunkLine.kind], [patchMail.messageId, 'arch/arm64/kvm/pmu-emul.c', 0, 575, 'add']);
    assert.equal(hunkLine.text, '\t\t       __vcpu_sys_reg(vcpu, PMCNTENSET_EL0) & mask);');
    assert.ok(a.commentLines);
    assert.match(lines[a.commentLines[0]], /^This seems to perpetuate a flawed pattern/);
    assert.equal(a.commentDepth, 0);
    assert.equal(a.confidence, 1);
  });

  test("a later review quoting Alexandre's proposed follow-up is anchored to that sketch, not the original patch", () => {
    const reply = byId('877dicbx61.wl-maz@kernel.org');
    const lines = splitLines(reply.body);
    const careful = anchorReply(reply.body, patches).find((a) => a.commentLines && /^Careful here/.test(lines[a.commentLines[0]]));
    assert.ok(careful);
    assert.equal(careful.msgid, sketchMail.messageId);
    const line = patches[1].diffs[careful.fileIndex].hunks[careful.hunkIndex].lines[careful.hunkLine];
    assert.deepEqual([line.kind, line.text.trim(), careful.newLine], ['add', 'mask = kvm_pmu_valid_counter_mask(vcpu);', 578]);
  });

  test('re-wrapped, whitespace-stripped and elided quotes still anchor to the same line', () => {
    const reply = byId('878s2tavks.wl-maz@kernel.org');
    const lines = splitLines(reply.body);
    const mutated: string[] = [];
    for (const l of lines) {
      const q = quoteInfo(l);
      if (q.depth === 1 && l === '> +\t\t       __vcpu_sys_reg(vcpu, PMCNTENSET_EL0) & mask);') {
        // A mailer re-wrapped the long quoted line and an archive stripped the indentation.
        mutated.push('> +__vcpu_sys_reg(vcpu,', '> PMCNTENSET_EL0) & mask);');
      } else if (q.depth === 1 && /^> \+\+\+ /.test(l)) {
        mutated.push(l, '> [ ... ]');
      } else if (q.depth === 1 && /^>  /.test(l)) {
        mutated.push(`> ${q.content.trimStart()}`);
      } else mutated.push(l);
    }
    const body = mutated.join('\n');
    const [a] = anchorReply(body, patches);
    assert.ok(a);
    assert.equal(a.newLine, 575);
    assert.ok(a.matches.some((m) => m.how === 'wrapped'));
    assert.ok(a.commentLines);
    assert.match(splitLines(body)[a.commentLines[0]], /^This seems to perpetuate a flawed pattern/);
  });

  test('the same review with every quote marker lost (as text dumps do) still anchors, with lower confidence', () => {
    const reply = byId('878s2tavks.wl-maz@kernel.org');
    const body = splitLines(reply.body).map((l) => l.replace(/^> ?/, '')).join('\n');
    const lines = splitLines(body);
    const anchors = anchorReply(body, patches);
    assert.equal(anchors.length, 1);
    const a = anchors[0];
    assert.deepEqual([a.msgid, a.newLine, a.quoteDepth, a.commentDepth, a.confidence], [patchMail.messageId, 575, 0, 0, 0.8]);
    assert.ok(a.commentLines);
    // The truncated hunk does not swallow the comment that follows it.
    assert.match(lines[a.commentLines[0]], /^This seems to perpetuate a flawed pattern/);
  });

  test('a reply that quotes no hunk, or no patches, gives no anchors', () => {
    const plain = byId('fdf22426-b5e1-d71e-4d4d-3a698f714902@oracle.com');
    assert.ok(splitLines(plain.body).some((l) => l.startsWith('> ')), 'it does quote prose');
    assert.deepEqual(anchorReply(plain.body, patches), []);
    assert.deepEqual(anchorReply(byId('878s2tavks.wl-maz@kernel.org').body, []), []);
  });
});

describe('anchorReply on the lfdr linux-arm-kernel thread (mangled quotes, wrapped hunk headers)', async () => {
  const mails = await readMailFile(resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox'));
  const patchMail = mails.find((m) => m.messageId === '20200529015501.15771-1-alisaidi@amazon.com');
  const review = mails.find((m) => m.messageId?.startsWith('8c3be990888e'));
  assert.ok(patchMail && review);
  const patches: PatchDiffs[] = [{ msgid: patchMail.messageId ?? '', diffs: parseDiff(patchMail.body) }];

  test('two comments interleaved in one quoted patch land under their own hunk lines', () => {
    const lines = splitLines(review.body);
    const anchors = anchorReply(review.body, patches).filter((a) => a.commentLines !== null);
    const at = (re: RegExp) => anchors.find((a) => a.commentLines && re.test(lines[a.commentLines[0]]));
    const wrong = at(/^This looks wrong\. What you are testing here is whether the interrupt/);
    const mad = at(/^So you deactivate an interrupt, do a set_affinity/);
    assert.ok(wrong && mad);
    const line = (a: typeof wrong) => patches[0].diffs[a.fileIndex].hunks[a.hunkIndex].lines[a.hunkLine];
    // Under the added block ending in a blank `+` line: the comment is about its last real line.
    assert.deepEqual([wrong.hunkIndex, wrong.newLine, line(wrong).kind, line(wrong).text.trim()], [0, 1546, 'add', 'its_send_movi(its_dev, target_col, id);']);
    assert.deepEqual([mad.hunkIndex, mad.newLine, line(mad).text.trim()], [1, 3458, 'return -EINVAL;']);
    assert.equal(patches[0].diffs[0].hunks[0].functionName, 'its_set_affinity');
  });
});
