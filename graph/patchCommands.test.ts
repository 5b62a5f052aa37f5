// `loregraph series`, `hunks` and `show` as a user runs them: the real CLI in a child process on a
// store the real pipeline made from the seed samples.
import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ingest } from '../ingest/pipeline.js';
import { openSqliteStore } from './sqlite/store.js';
import type { HunkView, SeriesView } from './patches.js';
import { PEERS_DIR, ROOT, SEED, WORK_DIR } from '../test/fixtures.js';

const run = promisify(execFile);
const dir = join(WORK_DIR, 'patch-commands');
const db = join(dir, 'loregraph.db');
const SEEDS = [SEED.armPfnValid, SEED.flatRfc822, SEED.danAuthorArchive, SEED.lkmlDevicePrivate, SEED.lkmlZoneDeviceInit];

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'cli.ts', ...args, '--db', db], { cwd: ROOT, maxBuffer: 64 << 20 });
  return stdout;
}

before(async () => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = await openSqliteStore(db);
  try {
    await ingest(SEEDS, store, { workers: 0 });
  } finally {
    await store.close();
  }
});

describe('loregraph series', () => {
  test('seed 002: ONE series "Sub-section memory hotplug" with v6..v9 and the lineage v8 09/12 → v9 08/12', async () => {
    const out = await cli('series', 'Sub-section memory hotplug');
    assert.equal(out.match(/^## /gm)?.length, 1, out);
    assert.match(out, /^## mm: Sub-section memory hotplug support$/m);
    assert.deepEqual([...out.matchAll(/^### (v\d+)/gm)].map((m) => m[1]), ['v6', 'v7', 'v8', 'v9']);
    assert.match(out, /^- v8 09\/12 → v9 08\/12 {2}"mm\/sparsemem: Support sub-section hotplug" {2}\[title, 1\.00\]$/m);
    assert.match(out, /^- v8 → v9 {2}\[cover-subject\]/m);
    const [s] = JSON.parse(await cli('series', 'Sub-section memory hotplug', '--json')) as SeriesView[];
    assert.deepEqual(s.revisions.map((r) => r.version), [6, 7, 8, 9]);
    assert.equal(s.revisions[3].patches.length, 12);
    const v9 = s.revisions[3];
    assert.ok(s.lineage.some((l) => l.toRevision === v9.key && v9.patches.find((p) => p.key === l.to)?.index === 8 && l.rule === 'title'));
  });

  test("seed 002: a trailer that names someone else than its sender is shown not applied, with who sent it", async () => {
    const out = await cli('series', 'pass a struct dev_pagemap');
    assert.match(out, /^ {4}Reported-by: Logan Gunthorpe .*MISMATCHED \(not applied; sent by Dan Williams in <[^>]+>\)$/m);
  });

  test('a query nothing matches says so', async () => {
    assert.equal(await cli('series', 'no such series anywhere'), 'no series matches "no such series anywhere"\n');
  });
});

describe('loregraph hunks', () => {
  test("--function pfn_valid: seed 000's patch hunk in arch/arm64/mm/init.c and the replies to it", async () => {
    const hunks = JSON.parse(await cli('hunks', '--function', 'pfn_valid', '--json')) as HunkView[];
    const patch = hunks.filter((h) => h.kind === 'patch' && h.file === 'arch/arm64/mm/init.c');
    assert.equal(patch.length, 1);
    assert.equal(patch[0].subject, '[PATCH V2 1/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
    assert.equal(patch[0].header, '@@ -230,6 +230,18 @@ int pfn_valid(unsigned long pfn)');
    assert.deepEqual([patch[0].series?.version, patch[0].series?.index, patch[0].series?.total], [2, 1, 2]);
    const from = new Set(patch[0].replies.map((r) => r.from));
    for (const who of ['Will Deacon', 'David Hildenbrand', 'Catalin Marinas']) assert.ok(from.has(who), who);
    const text = await cli('hunks', '--function', 'pfn_valid');
    assert.match(text, /^## arch\/arm64\/mm\/init\.c @@ -230,6 \+230,18 @@ pfn_valid$/m);
    assert.match(text, /^- 2021-03-03 {2}Catalin Marinas {2}<[^>]+> {2}\[thread\]$/m);
  });

  test("--file include/linux/memory_hotplug.h: Qian Cai's hunk quoted in seed 002 with Dan's \"Looks ok to me\" anchored under it", async () => {
    const hunks = JSON.parse(await cli('hunks', '--file', 'include/linux/memory_hotplug.h', '--json')) as HunkView[];
    const qian = hunks.filter((h) => h.kind === 'quoted' && h.header.startsWith('@@ -28,6 +28,7 @@'));
    assert.ok(qian.length >= 1);
    const own = qian.flatMap((h) => h.comments).filter((c) => c.commentDepth === 0);
    assert.ok(own.length >= 1, 'Dan wrote it in his own words once');
    assert.equal(own[0].from, 'Dan Williams');
    assert.match(own[0].comment, /^Looks ok to me:/);
    assert.equal(own[0].newLine, 34);
    // v9's own patches to the same file are there too, placed in their series.
    assert.ok(hunks.some((h) => h.kind === 'patch' && h.series?.title === 'mm: Sub-section memory hotplug support' && h.series.version === 9));
    const text = await cli('hunks', '--file', 'include/linux/memory_hotplug.h');
    assert.match(text, /on new line 34: `___page;/);
    assert.match(text, /^ {4}Looks ok to me:$/m);
  });

  test('needs exactly one of --function and --file', async () => {
    await assert.rejects(cli('hunks'), /give one of --function NAME or --file PATH/);
  });
});

describe('loregraph show', () => {
  test("a reply: attribution, quote, quoted diff, own text, trailers and the comment anchored to the quoted hunk", async () => {
    const hunks = JSON.parse(await cli('hunks', '--file', 'include/linux/memory_hotplug.h', '--json')) as HunkView[];
    const reply = hunks.find((h) => h.kind === 'quoted' && h.comments.some((c) => c.commentDepth === 0));
    assert.ok(reply);
    const out = await cli('show', `<${reply.msgid}>`);
    assert.match(out, /^# Re: \[PATCH -next\] mm\/hotplug: skip bad PFNs from pfn_to_online_page\(\)$/m);
    assert.match(out, /^## attribution \(lines 1-1\)/m);
    assert.match(out, /^## quoted diff, depth 1 /m);
    assert.match(out, /^## own text /m);
    assert.match(out, /^- Acked-by: Dan Williams {2}\(follow-up, line \d+\)$/m);
    assert.match(out, /^- include\/linux\/memory_hotplug\.h new line 34 of the quoted hunk/m);
    const json = JSON.parse(await cli('show', reply.msgid, '--json')) as { derived: { segments: { kind: string }[] } };
    assert.ok(json.derived.segments.some((s) => s.kind === 'quoted-diff'));
  });

  test('an unknown Message-ID is an error', async () => {
    await assert.rejects(cli('show', 'no-such@example.invalid'), /no message <no-such@example\.invalid> in the store/);
  });
});

test('re-ingesting the seeds adds nothing to the patch graph', async () => {
  const store = await openSqliteStore(db);
  try {
    const before = { stats: await store.patches.patchStats(), series: await store.patches.series(), hunks: await store.patches.hunks({ file: 'include/linux/' }) };
    assert.ok(before.stats.series > 0 && before.stats.comments > 0 && before.stats.quotes > 0);
    const again = await ingest(SEEDS, store, { workers: 0 });
    assert.equal(again.inserted, 0);
    assert.deepEqual(
      { stats: await store.patches.patchStats(), series: await store.patches.series(), hunks: await store.patches.hunks({ file: 'include/linux/' }) },
      before,
    );
  } finally {
    await store.close();
  }
});

describe('stable backports through the store', () => {
  // Patchwork's revision-no-cover-letter (v1 and v2 of one patch set) relabelled as AUTOSEL posts
  // it: one posting for 5.3, one for 5.2, the same titles.
  const sdir = join(dir, 'stable');
  const sdb = join(sdir, 'loregraph.db');
  before(async () => {
    mkdirSync(sdir, { recursive: true });
    const mbox = readFileSync(join(PEERS_DIR, 'patchwork/series/revision-no-cover-letter.mbox'), 'utf8')
      .replace(/^Subject: \[PATCH v2 /gm, 'Subject: [PATCH AUTOSEL 5.2 ')
      .replace(/^Subject: \[PATCH (?=\d)/gm, 'Subject: [PATCH AUTOSEL 5.3 ');
    writeFileSync(join(sdir, 'autosel.mbox'), mbox);
    const store = await openSqliteStore(sdb);
    try {
      await ingest([join(sdir, 'autosel.mbox')], store, { workers: 0 });
    } finally {
      await store.close();
    }
  });

  test('`series` shows two series, each named for its stable kernel, with no version link', async () => {
    const { stdout: out } = await run(process.execPath, ['--import', 'tsx', 'cli.ts', 'series', '--db', sdb], { cwd: ROOT });
    assert.equal(out.match(/^## /gm)?.length, 2, out);
    assert.deepEqual([...out.matchAll(/^### (v\d+ for [\d.]+)/gm)].map((m) => m[1]).sort(), ['v1 for 5.2', 'v1 for 5.3']);
    assert.doesNotMatch(out, /^Versions:/m);
  });
});
