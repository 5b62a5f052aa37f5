import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PEERS_DIR, WORK_DIR } from '../../test/fixtures.js';
import type { RawItem, Skip } from '../model.js';
import { readMbox } from './mbox.js';
import { openChunks } from './chunks.js';

const DIR = resolve(WORK_DIR, 'sources-mbox');
const KVM = resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox');

async function collect(path: string): Promise<{ items: (RawItem & { kind: 'rfc822' })[]; skips: Skip[] }> {
  const skips: Skip[] = [];
  const items: (RawItem & { kind: 'rfc822' })[] = [];
  for await (const it of readMbox(path, { onSkip: (s) => skips.push(s) })) {
    assert.equal(it.kind, 'rfc822');
    if (it.kind === 'rfc822') items.push(it);
  }
  return { items, skips };
}

describe('readMbox', () => {
  before(() => mkdirSync(DIR, { recursive: true }));

  test('plain mbox: every message with provenance', async () => {
    const { items, skips } = await collect(KVM);
    assert.equal(items.length, 12);
    assert.deepEqual(skips, []);
    const file = readFileSync(KVM);
    for (const it of items) {
      assert.equal(it.provenance.format, 'mbox');
      assert.equal(it.provenance.source, KVM);
      assert.ok(file.subarray(it.provenance.offset, it.provenance.offset + it.bytes.length).equals(it.bytes));
      assert.equal(it.provenance.length, it.bytes.length);
    }
    assert.match(items[0].bytes.toString(), /Message-Id: <20210628161925\.401343-1-alexandre\.chartre@oracle\.com>/i);
  });

  test('gzip is detected by magic bytes, not by name, and offsets are in the decompressed stream', async () => {
    const gz = resolve(DIR, 'kvmarm.mbox.data');
    writeFileSync(gz, gzipSync(readFileSync(KVM)));
    const plain = await collect(KVM);
    const packed = await collect(gz);
    assert.equal(packed.items.length, 12);
    assert.deepEqual(
      packed.items.map((i) => [i.provenance.offset, i.provenance.line, i.bytes.toString('latin1')]),
      plain.items.map((i) => [i.provenance.offset, i.provenance.line, i.bytes.toString('latin1')]),
    );
    const reader = await openChunks(gz);
    for await (const c of reader.chunks) void c;
    assert.equal(reader.gzip, true);
    assert.equal(reader.bytesRead(), readFileSync(gz).length);
  });

  test('a multi-member gzip (concatenated .gz files) reads as one stream', async () => {
    const a = readFileSync(resolve(PEERS_DIR, 'lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox'));
    const b = readFileSync(resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox'));
    const p = resolve(DIR, 'two-members.mbox.gz');
    writeFileSync(p, Buffer.concat([gzipSync(a), gzipSync(b)]));
    const { items, skips } = await collect(p);
    assert.equal(items.length, 22);
    assert.deepEqual(skips, []);
  });

  test('truncated gzip: the messages before the cut, then a "truncated gzip" skip', async () => {
    const whole = readFileSync(KVM);
    const gz = gzipSync(whole);
    const p = resolve(DIR, 'kvmarm-cut.mbox.gz');
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { items, skips } = await collect(p);
    const all = (await collect(KVM)).items;
    assert.ok(items.length > 0 && items.length < 12, `got ${items.length}`);
    // What came out is exactly the first messages of the whole file.
    items.forEach((it, i) => assert.ok(it.bytes.equals(all[i].bytes), `message ${i}`));
    const final = skips[skips.length - 1];
    assert.equal(final.reason, 'truncated gzip');
    assert.equal(final.source, p);
    assert.ok(final.offset > all[items.length - 1].provenance.offset && final.offset < whole.length);
    // The message the cut fell into is reported, not passed on half-read.
    assert.equal(skips.length, 2);
    assert.equal(skips[0].offset, all[items.length].provenance.offset);
    assert.match(skips[0].reason, /^truncated gzip: incomplete last message/);
  });

  test('property: a gzip cut anywhere never throws and yields a prefix of the messages', async () => {
    const whole = readFileSync(resolve(PEERS_DIR, 'lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox'));
    const gz = gzipSync(whole);
    const all = (await collect(resolve(PEERS_DIR, 'lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox'))).items;
    const p = resolve(DIR, 'nvdimm-cut.gz');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: gz.length - 1 }), async (cut) => {
        writeFileSync(p, gz.subarray(0, cut));
        const { items, skips } = await collect(p);
        items.forEach((it, i) => assert.ok(it.bytes.equals(all[i].bytes)));
        assert.ok(skips.some((s) => s.reason === 'truncated gzip'));
      }),
      { numRuns: 25 },
    );
  });

  test('property: corrupted gzip bytes never throw', async () => {
    const gz = gzipSync(readFileSync(resolve(PEERS_DIR, 'b4/trailers-followup-single.mbox')));
    const p = resolve(DIR, 'corrupt.gz');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 10, max: gz.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (muts) => {
        const c = Buffer.from(gz);
        for (const [i, v] of muts) c[i] = v;
        writeFileSync(p, c);
        const { items, skips } = await collect(p);
        for (const s of skips) assert.match(s.reason, /gzip/);
        assert.ok(items.length <= 4 || skips.length === 0);
      }),
      { numRuns: 40 },
    );
  });
});
