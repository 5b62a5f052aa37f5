import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { extractFunctionName, findDiffStart, parseDiff, parseHunkHeader, splitLines, type FileDiff } from './diff.js';
import { readMailFile } from './test-mail.js';

const mail = (name: string): string => resolve(PEERS_DIR, 'patchwork/mail', name);

async function diffsOf(path: string): Promise<{ body: string; diffs: FileDiff[] }> {
  const [m] = await readMailFile(path);
  const body = [m.body, ...m.attachmentTexts].join('\n');
  return { body, diffs: parseDiff(body) };
}

describe('parseDiff on patchwork mail fixtures', () => {
  test('0008: two pure renames, no hunks', async () => {
    const { diffs } = await diffsOf(mail('0008-git-rename.mbox'));
    assert.equal(diffs.length, 2);
    for (const d of diffs) {
      assert.equal(d.status, 'renamed');
      assert.equal(d.hunks.length, 0);
      assert.equal(d.similarity, 100);
    }
    assert.equal(diffs[0].oldPath, 'package/rpi-userland/rpi-userland-add-pkgconfig-files.patch');
    assert.equal(diffs[0].newPath, 'package/rpi-userland/rpi-userland-000-add-pkgconfig-files.patch');
  });

  test('0009: two renames and exactly one -a/+b hunk', async () => {
    const { diffs } = await diffsOf(mail('0009-git-rename-with-diff.mbox'));
    assert.deepEqual(diffs.map((d) => d.status), ['renamed', 'renamed']);
    const hunks = diffs.flatMap((d) => d.hunks);
    assert.equal(hunks.length, 1);
    const h = hunks[0];
    assert.equal(h.oldStart, 100);
    const del = h.lines.find((l) => l.kind === 'del');
    const add = h.lines.find((l) => l.kind === 'add');
    assert.deepEqual([del?.text, del?.oldLine, del?.newLine], ['a', 102, null]);
    assert.deepEqual([add?.text, add?.oldLine, add?.newLine], ['b', null, 102]);
    // The fixture's header claims 7 lines but carries 6: the hunk is read, and flagged incomplete.
    assert.equal(h.complete, false);
  });

  test('0011: two "\\ No newline at end of file" markers kept as meta lines', async () => {
    const { diffs } = await diffsOf(mail('0011-no-newline-at-end-of-file.mbox'));
    assert.deepEqual(
      diffs.map((d) => [d.status, d.newPath]),
      [
        ['modified', 'tools/testing/selftests/powerpc/Makefile'],
        ['added', 'tools/testing/selftests/powerpc/vphn/vphn.c'],
        ['added', 'tools/testing/selftests/powerpc/vphn/vphn.h'],
      ],
    );
    const metas = diffs.flatMap((d) => d.hunks.flatMap((h) => h.lines.filter((l) => l.kind === 'meta')));
    assert.equal(metas.length, 2);
    assert.ok(metas.every((l) => l.text === '\\ No newline at end of file'));
    const make = diffs[0].hunks[0];
    assert.equal(make.complete, true);
    assert.equal(make.functionName, null, 'a Makefile assignment is not a function');
    assert.equal(make.lines.find((l) => l.kind === 'add')?.newLine, 16);
    assert.deepEqual(diffs[1].hunks[0].lines.map((l) => l.kind), ['add', 'meta']);
  });

  test('0025/0026/0027: GIT binary patches', async () => {
    const added = (await diffsOf(mail('0025-git-add-binary-file.mbox'))).diffs;
    assert.equal(added.length, 1);
    assert.deepEqual([added[0].status, added[0].binary, added[0].newFile, added[0].newPath], ['binary', true, true, 'pixel.bmp']);
    const mixed = (await diffsOf(mail('0026-git-add-mixed-binary-text-files.mbox'))).diffs;
    assert.deepEqual(mixed.map((d) => [d.status, d.newPath, d.hunks.length]), [['binary', 'pixel.bmp', 0], ['added', 'quit.sh', 1]]);
    assert.deepEqual(mixed[1].hunks[0].lines.map((l) => l.text), ['#/usr/bin/env bash', 'echo "Wuh wuh"', 'exit 1']);
    const modified = (await diffsOf(mail('0027-git-modify-binary-file.mbox'))).diffs;
    assert.deepEqual(modified.map((d) => [d.status, d.oldPath, d.newPath, d.newFile]), [['binary', 'pixel.bmp', 'pixel.bmp', false]]);
    assert.equal(modified[0].oldBlob, '9710347a13c4336e7dbaafa69af0e44a40c21172');
  });

  test('0007: CVS Index: diffs in an attachment', async () => {
    const { diffs } = await diffsOf(mail('0007-cvs-format-diff.mbox'));
    assert.deepEqual(
      diffs.map((d) => [d.format, d.oldPath, d.newPath, d.hunks[0].functionName]),
      [
        ['cvs', 'bfd/elf-bfd.h', 'bfd/elf-bfd.h', 'elf_link_hash_entry'],
        ['cvs', 'bfd/elflink.c', 'bfd/elflink.c', '_bfd_elf_link_assign_sym_version'],
        ['cvs', 'bfd/elfxx-mips.c', 'bfd/elfxx-mips.c', '_bfd_mips_elf_create_dynamic_sections'],
      ],
    );
    assert.ok(diffs.every((d) => d.hunks.every((h) => h.complete)));
    assert.deepEqual(
      diffs[1].hunks[0].lines.filter((l) => l.kind === 'add').map((l) => [l.newLine, l.text]),
      [[1949, '  if (h->no_sym_version)'], [1950, '    return TRUE;'], [1951, '']],
    );
  });

  test('0022: a mode change without hunks', async () => {
    const { diffs } = await diffsOf(mail('0022-git-mode-change.mbox'));
    assert.deepEqual(diffs.map((d) => [d.status, d.oldMode, d.newMode, d.newPath]), [['mode', '100644', '100755', 'scripts/kconfig/nconf-cfg.sh']]);
  });

  test('0021: an empty new file followed by a signature and a list footer', async () => {
    const { diffs } = await diffsOf(mail('0021-git-empty-new-file.mbox'));
    assert.deepEqual(diffs.map((d) => [d.status, d.oldPath, d.newPath, d.hunks.length]), [['added', null, 'banana', 0]]);
  });
});

describe('parseDiff on b4 and public-inbox patches', () => {
  test('b4 stripped-lines: blank lines that do not fit the counts are not context; the hunk still completes', async () => {
    const [patch] = await readMailFile(resolve(PEERS_DIR, 'b4/trailers-followup-stripped-lines.mbox'));
    const diffs = parseDiff(patch.body);
    assert.equal(diffs.length, 1);
    const d = diffs[0];
    assert.deepEqual([d.format, d.oldPath, d.newPath], ['unified', 'b4/junk.py', 'b4/junk.py']);
    const h = d.hunks[0];
    assert.equal(h.functionName, 'junk');
    assert.equal(h.complete, true);
    const real = h.lines.filter((l) => l.kind !== 'meta');
    assert.deepEqual(real.map((l) => [l.kind, l.text, l.oldLine, l.newLine]), [['del', 'junk1', 1, null], ['add', 'junk2', null, 1]]);
  });

  test('b4 single: @@@ header, and the `-- ` signature after the hunk is not a deleted line', async () => {
    const [patch] = await readMailFile(resolve(PEERS_DIR, 'b4/trailers-followup-single.mbox'));
    const lines = splitLines(patch.body);
    const [d] = parseDiff(patch.body);
    const h = d.hunks[0];
    assert.equal(h.complete, true);
    assert.ok(!h.lines.some((l) => l.text === '- '));
    assert.ok(lines[h.endLine + 1].startsWith(' ') || lines[h.endLine + 1] === '-- ');
  });

  test('public-inbox 0002: rename with modifications', () => {
    const text = readFileSync(resolve(PEERS_DIR, 'public-inbox/solve/0002-rename-with-modifications.patch'), 'utf8');
    const diffs = parseDiff(text);
    const renamed = diffs.filter((d) => d.status === 'renamed');
    assert.ok(renamed.length >= 1);
    assert.ok(renamed[0].hunks.length >= 1);
    assert.notEqual(renamed[0].oldPath, renamed[0].newPath);
    assert.ok(renamed.every((d) => d.hunks.every((h) => h.complete)));
  });
});

describe('parseDiff on seed dumps (leading whitespace stripped, lines wrapped)', () => {
  test('seed 000: the arm64 pfn_valid hunk, with its function name and exact new line numbers', () => {
    const diffs = parseDiff(readFileSync(SEED.armPfnValid, 'utf8'));
    const init = diffs.find((d) => d.newPath === 'arch/arm64/mm/init.c');
    assert.ok(init);
    const h = init.hunks[0];
    assert.deepEqual([h.oldStart, h.oldLines, h.newStart, h.newLines, h.functionName, h.complete], [230, 6, 230, 18, 'pfn_valid', true]);
    const early = h.lines.find((l) => l.text.includes('early_section'));
    assert.deepEqual([early?.kind, early?.newLine], ['add', 243]);
    assert.equal(h.lines.filter((l) => l.kind === 'add').length, 12);
    assert.ok(h.lines.some((l) => l.stripped), 'whitespace-stripped context lines are recognised');
  });

  test('seed 002: hunk headers wrapped by the archive are re-joined', () => {
    const diffs = parseDiff(readFileSync(SEED.danAuthorArchive, 'utf8'));
    const bus = diffs.find((d) => d.newPath === 'drivers/nvdimm/bus.c');
    assert.ok(bus);
    const h = bus.hunks[0];
    assert.equal(h.header, '@@ -73,7 +73,7 @@ static void nvdimm_bus_probe_end(struct nvdimm_bus *nvdimm_bus)');
    assert.equal(h.functionName, 'nvdimm_bus_probe_end');
    assert.equal(h.complete, true);
    assert.equal(h.lines[0].text, '{');
    const scrub = diffs.flatMap((d) => d.hunks).find((x) => x.oldStart === 1282);
    // Here the next line is a stripped context line (`if (rc)`), not the rest of the header.
    assert.equal(scrub?.header.trimEnd(), '@@ -1282,7 +1282,7 @@ static ssize_t hw_error_scrub_store(struct device *dev,');
    assert.equal(scrub?.complete, true);
  });
});

describe('hunk headers and function names', () => {
  test('parseHunkHeader reads counts, defaults and combined headers', () => {
    assert.deepEqual(parseHunkHeader('@@ -28,6 +28,7 @@'), { oldStart: 28, oldLines: 6, newStart: 28, newLines: 7, parents: 1, context: '' });
    assert.deepEqual(parseHunkHeader('@@ -0,0 +1 @@'), { oldStart: 0, oldLines: 0, newStart: 1, newLines: 1, parents: 1, context: '' });
    assert.equal(parseHunkHeader('@@@ -1,2 -1,2 +1,3 @@@ x')?.parents, 2);
    assert.equal(parseHunkHeader('@@ nonsense @@'), null);
  });

  test('combined (merge) diffs: two prefix columns per line', () => {
    // The shape `git diff --cc` prints for a merge; no fixture in the corpus carries one. Lines are
    // numbered against the first parent (a, c, e, d); ` -g` was only in the second parent.
    const text = ['diff --cc mm/x.c', 'index 1111111,2222222..3333333', '--- a/mm/x.c', '+++ b/mm/x.c', '@@@ -1,4 -1,3 +1,4 @@@ int f(void)', '  a', '+ b', ' +c', '- e', ' -g', '  d'].join('\n');
    const [d] = parseDiff(text);
    const h = d.hunks[0];
    assert.deepEqual([h.parents, h.functionName, h.complete], [2, 'f', true]);
    assert.deepEqual(
      h.lines.map((l) => [l.kind, l.text, l.oldLine, l.newLine]),
      [['context', 'a', 1, 1], ['add', 'b', null, 2], ['context', 'c', 2, 3], ['del', 'e', 3, null], ['meta', ' -g', null, null], ['context', 'd', 4, 4]],
    );
  });

  test('extractFunctionName', () => {
    const cases: [string, string | null][] = [
      ['int pfn_valid(unsigned long pfn)', 'pfn_valid'],
      ['static void __init sparse_init_nid(int nid, unsigned long pnum_begin,', 'sparse_init_nid'],
      ['struct nd_pfn_sb {', 'nd_pfn_sb'],
      ['struct elf_link_hash_entry', 'elf_link_hash_entry'],
      ['#define pfn_to_online_page(pfn)', 'pfn_to_online_page'],
      ['EXPORT_SYMBOL_GPL(__acpi_nfit_notify);', '__acpi_nfit_notify'],
      ['static const struct file_operations nvdimm_fops = {', 'nvdimm_fops'],
      ['def junk():', 'junk'],
      ["CFLAGS := -Wall -O2 -DGIT_VERSION='\"$(GIT_VERSION)\"'", null],
      ['', null],
      ['out_unlock:', null],
      // Macros at the head of a hunk context, as linuxppc-dev's hunks show them.
      ['_GLOBAL(enter_rtas)', 'enter_rtas'],
      ['SYM_FUNC_START(crc_pcl)', 'crc_pcl'],
      ['EXC_VIRT_BEGIN(data_access_slb, 0x4380, 0x80)', 'data_access_slb'],
      ['TRACE_EVENT(sof_intel_hda_dsp_pcm,', 'sof_intel_hda_dsp_pcm'],
      ['static DEFINE_SPINLOCK(io_tlb_lock);', 'io_tlb_lock'],
      ['DEFINE_INTERRUPT_HANDLER(RunModeException)', 'RunModeException'],
      ['DEFINE_PER_CPU(cpumask_var_t, thread_group_l1_cache_map);', 'thread_group_l1_cache_map'],
      ['__SYSCALL(__NR3264_sendfile, sys_sendfile64)', 'sys_sendfile64'],
      ['END_FTR_SECTION_IFSET(CPU_FTR_HAS_PPR)', null],
      ['EXC_VIRT_NONE(0x4200, 0x100)', null],
      ['SYSCALL_DEFINE3(mprotect, unsigned long, start, size_t, len,', 'mprotect'],
    ];
    for (const [ctx, want] of cases) assert.equal(extractFunctionName(ctx), want, ctx);
  });
});

describe('findDiffStart', () => {
  test('0008: separator, diffstat and first diff line', async () => {
    const [m] = await readMailFile(mail('0008-git-rename.mbox'));
    const lines = splitLines(m.body);
    const loc = findDiffStart(lines);
    assert.ok(loc.diffStart !== null && loc.separator !== null && loc.diffstat !== null);
    assert.equal(lines[loc.separator], '---');
    assert.match(lines[loc.diffStart], /^diff --git a\/package\/rpi-userland\/rpi-userland-add-pkgconfig-files.patch/);
    assert.match(lines[loc.diffstat[1]], /rename package\/rpi-userland/);
    assert.ok(lines.slice(loc.diffstat[0], loc.diffstat[1] + 1).some((l) => /2 files changed/.test(l)));
  });

  test('non-git patch with --- comments: the comment section is not a diffstat', async () => {
    const [m] = await readMailFile(resolve(PEERS_DIR, 'b4/trailers-followup-non-git-patch-with-comments.mbox'));
    const lines = splitLines(m.body);
    const loc = findDiffStart(lines);
    assert.ok(loc.diffStart !== null && loc.separator !== null);
    assert.match(lines[loc.diffStart], /^--- a\//);
    assert.equal(loc.diffstat, null);
  });

  test('a body without a diff', () => {
    assert.deepEqual(findDiffStart(['hello', '', 'Thanks']), { diffStart: null, separator: null, diffstat: null });
  });
});
