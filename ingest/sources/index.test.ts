import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PEERS_DIR, ROOT, SEED, WORK_DIR } from '../../test/fixtures.js';
import type { RawItem, Skip, SourceFormat } from '../model.js';
import { detectPath } from './detect.js';
import { readSources, SourceError, type SourceProgress } from './index.js';

const DIR = resolve(WORK_DIR, 'sources-index');
const MIXED = resolve(DIR, 'mixed');
const KVM = resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox');

async function collect(paths: string[], opts: Parameters<typeof readSources>[1] = {}) {
  const skips: Skip[] = [];
  const progress: SourceProgress[] = [];
  const items: RawItem[] = [];
  for await (const it of readSources(paths, { ...opts, onSkip: (s) => skips.push(s), onProgress: (p) => progress.push(p) })) {
    items.push(it);
  }
  return { items, skips, progress };
}

function formatOf(it: RawItem): SourceFormat {
  return it.kind === 'rfc822' ? it.provenance.format : it.message.provenance.format;
}

function sourceOf(it: RawItem): string {
  return it.kind === 'rfc822' ? it.provenance.source : it.message.provenance.source;
}

describe('detectPath', () => {
  test('the seed samples and peer files', async () => {
    const expect: [string, SourceFormat][] = [
      [SEED.armPfnValid, 'mail-archive'],
      [SEED.flatRfc822, 'flat-rfc822'],
      [SEED.danAuthorArchive, 'mail-archive'],
      [SEED.lkmlDevicePrivate, 'lkml'],
      [SEED.lkmlZoneDeviceInit, 'lkml'],
      [KVM, 'mbox'],
      [resolve(PEERS_DIR, 'b4/naked-cover-single.mbox'), 'mbox'],
      [resolve(PEERS_DIR, 'perceval/nntp/nntp_1.txt'), 'eml'],
      [resolve(PEERS_DIR, 'public-inbox/x-unknown-alpine.eml'), 'eml'],
      [resolve(PEERS_DIR, 'patchwork/fuzz/charset.mbox'), 'eml'],
    ];
    for (const [p, f] of expect) assert.deepEqual(await detectPath(p), { kind: 'file', format: f, gzip: false }, p);
    const bare = await detectPath(resolve(PEERS_DIR, 'public-inbox/solve/bare.patch'));
    assert.equal(bare.kind, 'unknown');
    await assert.rejects(detectPath(resolve(DIR, 'does-not-exist')), /ENOENT/);
  });
});

describe('readSources', () => {
  before(() => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(resolve(MIXED, 'sub', 'Maildir', 'cur'), { recursive: true });
    mkdirSync(resolve(MIXED, 'sub', 'Maildir', 'new'), { recursive: true });
    copyFileSync(KVM, resolve(MIXED, 'a-kvmarm.mbox'));
    // gzip with a misleading name: detected by magic bytes.
    writeFileSync(resolve(MIXED, 'b-nvdimm.txt'), gzipSync(readFileSync(resolve(PEERS_DIR, 'lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox'))));
    copyFileSync(resolve(PEERS_DIR, 'public-inbox/utf8.eml'), resolve(MIXED, 'c-utf8.eml'));
    copyFileSync(SEED.flatRfc822, resolve(MIXED, 'd-flat.txt'));
    copyFileSync(SEED.lkmlDevicePrivate, resolve(MIXED, 'e-lkml.txt'));
    copyFileSync(SEED.armPfnValid, resolve(MIXED, 'f-mail-archive.txt'));
    copyFileSync(resolve(PEERS_DIR, 'public-inbox/solve/bare.patch'), resolve(MIXED, 'g-bare.patch'));
    writeFileSync(resolve(MIXED, 'h-binary.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0]));
    copyFileSync(resolve(PEERS_DIR, 'public-inbox/plack-qp.eml'), resolve(MIXED, 'sub', 'Maildir', 'cur', '1.host:2,S'));
    copyFileSync(resolve(PEERS_DIR, 'public-inbox/mda-mime.eml'), resolve(MIXED, 'sub', 'Maildir', 'new', '2.host'));
    // An mbox kept inside the maildir folder is read as well.
    copyFileSync(resolve(PEERS_DIR, 'b4/naked-cover-single.mbox'), resolve(MIXED, 'sub', 'Maildir', 'saved.mbox'));
  });

  test('a directory mixing mbox, gzip, eml, maildir and dumps: everything in name order, non-mail reported', async () => {
    const { items, skips, progress } = await collect([MIXED]);
    const byFormat = new Map<string, number>();
    for (const it of items) byFormat.set(formatOf(it), (byFormat.get(formatOf(it)) ?? 0) + 1);
    assert.equal(byFormat.get('mbox'), 12 + 11 + 2);
    assert.equal(byFormat.get('eml'), 1);
    assert.equal(byFormat.get('flat-rfc822'), 1);
    assert.equal(byFormat.get('maildir'), 2);
    assert.ok((byFormat.get('lkml') ?? 0) >= 1);
    assert.ok((byFormat.get('mail-archive') ?? 0) >= 10);
    // Name order: a-, b-, c-, d-, e-, f-, then sub/.
    const order = [...new Set(items.map((i) => sourceOf(i).replace(`${MIXED}/`, '').split('/')[0]))];
    assert.deepEqual(order, ['a-kvmarm.mbox', 'b-nvdimm.txt', 'c-utf8.eml', 'd-flat.txt', 'e-lkml.txt', 'f-mail-archive.txt', 'sub']);
    const flat = items.find((i) => formatOf(i) === 'flat-rfc822');
    assert.ok(flat && flat.kind === 'rfc822');
    assert.match(flat.bytes.toString(), /\n\n/);
    const lkml = items.find((i) => formatOf(i) === 'lkml');
    assert.equal(lkml?.kind, 'message');
    const notMail = skips.filter((s) => s.reason.startsWith('not a mail archive'));
    assert.deepEqual(
      notMail.map((s) => s.source.replace(`${MIXED}/`, '')),
      ['g-bare.patch', 'h-binary.bin'],
    );
    const last = progress.filter((p) => p.source === resolve(MIXED, 'b-nvdimm.txt')).pop();
    assert.equal(last?.bytesRead, readFileSync(resolve(MIXED, 'b-nvdimm.txt')).length);
    assert.equal(last?.bytesTotal, last?.bytesRead);
  });

  test('--format forces the reading', async () => {
    const { items } = await collect([resolve(PEERS_DIR, 'public-inbox/utf8.eml')], { format: 'mbox' });
    assert.equal(items.length, 1);
    assert.equal(formatOf(items[0]), 'mbox');
    const asEml = await collect([KVM], { format: 'eml' });
    assert.equal(asEml.items.length, 1);
    assert.equal(asEml.items[0].kind === 'rfc822' && asEml.items[0].bytes.length, readFileSync(KVM).length);
  });

  test('an unreadable top-level path is an error; the inputs before it were read', async () => {
    const seen: RawItem[] = [];
    await assert.rejects(async () => {
      for await (const it of readSources([resolve(PEERS_DIR, 'public-inbox/utf8.eml'), resolve(DIR, 'missing.mbox')])) seen.push(it);
    }, SourceError);
    assert.equal(seen.length, 1);
    // With onUnreadable, the bad path is reported and the next one is still read.
    const bad: SourceError[] = [];
    const after: RawItem[] = [];
    for await (const it of readSources([resolve(DIR, 'missing.mbox'), resolve(PEERS_DIR, 'public-inbox/utf8.eml')], { onUnreadable: (e) => bad.push(e) })) {
      after.push(it);
    }
    assert.equal(after.length, 1);
    assert.deepEqual(bad.map((e) => e.path), [resolve(DIR, 'missing.mbox')]);
    assert.match(bad[0].message, /ENOENT/);
  });

  test('symbolic links in a directory are followed; broken ones, cycles and FIFOs are reported, never read forever', async () => {
    const links = resolve(DIR, 'links');
    rmSync(links, { recursive: true, force: true });
    mkdirSync(links, { recursive: true });
    symlinkSync(KVM, resolve(links, 'a-kvmarm.mbox'));
    symlinkSync(resolve(links, 'nowhere'), resolve(links, 'b-dangling'));
    symlinkSync('c-loop', resolve(links, 'c-loop'));
    mkdirSync(resolve(links, 'd-sub'));
    symlinkSync('..', resolve(links, 'd-sub', 'back'));
    symlinkSync('.', resolve(links, 'e-here'));
    execFileSync('mkfifo', [resolve(links, 'f-fifo')]);
    const { items, skips } = await collect([links]);
    assert.deepEqual([...new Set(items.map(sourceOf))], [resolve(links, 'a-kvmarm.mbox')]);
    assert.equal(items.length, (await collect([KVM])).items.length);
    const why = new Map(skips.map((x) => [x.source.replace(`${links}/`, ''), x.reason]));
    assert.match(why.get('b-dangling') ?? '', /^unreadable: ENOENT/);
    assert.match(why.get('c-loop') ?? '', /^unreadable: ELOOP/);
    assert.match(why.get('e-here') ?? '', /^not read again: a symbolic link leads back to /);
    assert.match(why.get('f-fifo') ?? '', /not a regular file or directory/);
    // d-sub/back leads to links/ itself, from one level down.
    assert.match(why.get('d-sub/back') ?? '', /^not read again: a symbolic link leads back to /);
    assert.equal(skips.length, 5);
  });

  test('stdin given as a stream: gzip mbox', async () => {
    const gz = resolve(DIR, 'stdin.mbox.gz');
    writeFileSync(gz, gzipSync(readFileSync(KVM)));
    const { items, skips } = await collect(['-'], { stdin: createReadStream(gz) });
    assert.equal(items.length, 12);
    assert.deepEqual(skips, []);
    assert.ok(items.every((i) => sourceOf(i) === '-' && formatOf(i) === 'mbox'));
  });

  test('`-` reads the real process stdin', () => {
    const script = resolve(DIR, 'count-stdin.ts');
    const index = pathToFileURL(resolve(ROOT, 'ingest/sources/index.ts')).href;
    writeFileSync(
      script,
      `import { readSources } from ${JSON.stringify(index)};\n` +
        `let n = 0; const formats = new Set();\n` +
        `for await (const it of readSources(['-'])) { n++; formats.add(it.kind === 'rfc822' ? it.provenance.format : 'message'); }\n` +
        `console.log(JSON.stringify({ n, formats: [...formats] }));\n`,
    );
    const run = (input: Buffer): { n: number; formats: string[] } =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { input, cwd: ROOT, encoding: 'utf8' }));
    assert.deepEqual(run(readFileSync(KVM)), { n: 12, formats: ['mbox'] });
    assert.deepEqual(run(readFileSync(resolve(PEERS_DIR, 'public-inbox/utf8.eml'))), { n: 1, formats: ['eml'] });
    assert.deepEqual(run(readFileSync(SEED.lkmlDevicePrivate)).formats, ['message']);
  });
});
