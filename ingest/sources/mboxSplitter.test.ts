import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { PEERS_DIR } from '../../test/fixtures.js';
import { isSeparatorLine, MboxSplitter, unescapeMboxrd, type SplitMessage } from './mboxSplitter.js';

const peer = (p: string): Buffer => readFileSync(resolve(PEERS_DIR, p));

function split(bytes: Buffer, chunk = bytes.length || 1): SplitMessage[] {
  const s = new MboxSplitter();
  const out: SplitMessage[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(...s.push(bytes.subarray(i, i + chunk)));
  out.push(...s.end());
  return out;
}

function summary(ms: SplitMessage[]): string[] {
  return ms.map((m) => `${m.offset}:${m.line}:${m.bytes.toString('latin1')}`);
}

describe('MboxSplitter on real archives', () => {
  const counts: [string, number][] = [
    ['lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox', 12],
    ['lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox', 11],
    ['lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox', 11],
    ['b4/naked-cover-bugreport.mbox', 2],
    ['b4/naked-cover-single.mbox', 2],
    ['b4/trailers-followup-single.mbox', 4],
    ['perceval/mbox/mbox_no_fields.mbox', 6],
    ['perceval/pipermail/pipermail_2015_november.mbox', 4],
    ['perceval/pipermail/pipermail_2016_april.mbox', 3],
    ['perceval/pipermail/pipermail_2016_march.mbox', 1],
    ['perceval/mbox/mbox_multipart.mbox', 2],
    ['perceval/hyperkitty/hyperkitty_2016_april.mbox', 3],
    ['perceval/hyperkitty/hyperkitty_2016_march.mbox', 1],
  ];
  for (const [file, n] of counts) {
    test(`${file} holds ${n} messages, whatever the chunk size`, () => {
      const bytes = peer(file);
      const whole = split(bytes);
      assert.equal(whole.length, n);
      for (const size of [1, 7, 4096]) assert.deepEqual(summary(split(bytes, size)), summary(whole), `chunk ${size}`);
    });
  }

  test('offsets and lines point at the message in the file; separators cover the rest', () => {
    const bytes = peer('lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox');
    const lines = bytes.toString('latin1').split('\n');
    let covered = 0;
    for (const m of split(bytes, 1000)) {
      assert.ok(bytes.subarray(m.offset, m.offset + m.bytes.length).equals(m.bytes));
      assert.equal(lines[m.line - 1], m.bytes.toString('latin1').split('\n')[0]);
      assert.equal(m.separator, 'From mboxrd@z Thu Jan  1 00:00:00 1970');
      assert.equal(lines[m.line - 2], m.separator);
      // Each message is followed by the empty framing line (not part of the message).
      assert.equal(bytes[m.offset + m.bytes.length], 0x0a);
      covered += m.bytes.length + 1 + (m.separator ?? '').length + 1;
    }
    assert.equal(covered, bytes.length);
  });

  test('a file with no From line is one bare message at offset 0', () => {
    const bytes = peer('public-inbox/utf8.eml');
    const ms = split(bytes);
    assert.equal(ms.length, 1);
    assert.equal(ms[0].offset, 0);
    assert.equal(ms[0].line, 1);
    assert.equal(ms[0].separator, null);
    assert.ok(ms[0].bytes.equals(bytes));
  });

  test('a separator without a blank line before it splits when it is a real separator (b4 naked cover)', () => {
    const bytes = peer('b4/naked-cover-bugreport.mbox');
    const ms = split(bytes);
    assert.match(ms[0].bytes.toString(), /cover letter\.\n$/);
    assert.match(ms[1].bytes.toString(), /^Subject: \[PATCH\] widget: fix data corruption under load/);
  });
});

describe('From lines inside bodies', () => {
  const single = peer('perceval/mbox/mbox_single.mbox').toString('latin1');

  test('a body line starting with "From " after a blank line does not split', () => {
    const body = single.replace('Hi!\n\n', 'Hi!\n\nFrom here on we use protobuf.\n\nFrom the docs: it is fast.\n');
    const ms = split(Buffer.from(body + body, 'latin1'));
    assert.equal(ms.length, 2);
    assert.match(ms[0].bytes.toString('latin1'), /From here on we use protobuf\.\n\nFrom the docs/);
  });

  test('mboxrd escapes lose exactly one ">"', () => {
    const body = single.replace('Hi!\n', 'Hi!\n>From an escaped line\n>>From a quoted escaped line\n> From a quote\n');
    const ms = split(Buffer.from(body, 'latin1'));
    assert.equal(ms.length, 1);
    const text = ms[0].bytes.toString('latin1');
    assert.match(text, /\nFrom an escaped line\n>From a quoted escaped line\n> From a quote\n/);
  });

  test('unescapeMboxrd leaves text without escapes untouched (same buffer)', () => {
    const b = Buffer.from('Subject: x\n\nno escapes > From here\n');
    assert.equal(unescapeMboxrd(b), b);
    assert.equal(unescapeMboxrd(Buffer.from('>From start\n')).toString(), 'From start\n');
  });

  test('isSeparatorLine', () => {
    assert.ok(isSeparatorLine('From mboxrd@z Thu Jan  1 00:00:00 1970', false));
    assert.ok(isSeparatorLine('From git@z Thu Jan  1 00:00:00 1970', false));
    assert.ok(isSeparatorLine('From goran at domain.com  Wed Dec  1 08:26:40 2010', false));
    assert.ok(isSeparatorLine('From 3c9a5b4e2f1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b Mon Sep 17 00:00:00 2001', false));
    assert.ok(isSeparatorLine('From christian at “example.org”  Thu Jan 15 13:22:25 2015', true));
    assert.equal(isSeparatorLine('From here on, everything is fine.', true), false);
    assert.equal(isSeparatorLine('From: someone@example.com', true), false);
    assert.equal(isSeparatorLine('From Monday on we ship 12:30 builds', false), false);
  });
});

describe('MboxSplitter properties', () => {
  const corpus = [
    peer('lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox'),
    peer('perceval/mbox/mbox_no_fields.mbox'),
    peer('b4/naked-cover-single.mbox'),
    peer('patchwork/fuzz/x-face.mbox'),
  ];

  test('any chunking gives the same messages', () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 40 }), (bytes, sizes) => {
        const s = new MboxSplitter();
        const out: SplitMessage[] = [];
        let pos = 0;
        let k = 0;
        while (pos < bytes.length) {
          const n = sizes[k++ % sizes.length];
          out.push(...s.push(bytes.subarray(pos, pos + n)));
          pos += n;
        }
        out.push(...s.end());
        assert.deepEqual(summary(out), summary(split(bytes)));
      }),
      { numRuns: 60 },
    );
  });

  test('random and mutated bytes never crash and never lose bytes', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }))
      .map(([b, muts]) => {
        const c = Buffer.from(b);
        for (const [i, v] of muts) if (c.length) c[i % c.length] = v;
        return c;
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)), mutated);
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 512 }), (bytes, chunk) => {
        const ms = split(bytes, chunk);
        // Nothing is lost: message bytes account for the file minus separator lines, one byte per
        // mboxrd escape and a blank preamble; and messages follow each other without overlap.
        const text = bytes.toString('latin1');
        const escapes = (text.match(/(^|\n)>+From /g) ?? []).length;
        const separators = ms.reduce((n, m) => n + (m.separator === null ? 0 : m.separator.length + 2), 0);
        const blankLead = /^[ \t\r\n]*/.exec(text)?.[0].length ?? 0;
        const kept = ms.reduce((n, m) => n + m.bytes.length, 0);
        assert.ok(kept <= bytes.length);
        assert.ok(kept >= bytes.length - separators - escapes - blankLead - 2 * ms.length, `kept ${kept} of ${bytes.length}`);
        for (let i = 1; i < ms.length; i++) {
          assert.ok((ms[i].separatorOffset ?? -1) >= ms[i - 1].offset + ms[i - 1].bytes.length);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('pathological input', () => {
  test('a huge line starting with "From " is message text, also when fed in small chunks', () => {
    const head = readFileSync(resolve(PEERS_DIR, 'perceval/mbox/mbox_single.mbox'));
    const huge = Buffer.concat([head, Buffer.from('From '), Buffer.alloc(4 << 20, 0x61), Buffer.from('\n'), head]);
    const ms = split(huge, 4096);
    assert.equal(ms.length, 2);
    const separatorLine = head.indexOf(0x0a) + 1;
    assert.equal(ms[0].bytes.length, head.length - separatorLine + 5 + (4 << 20) + 1);
    assert.deepEqual(summary(ms), summary(split(huge)));
  });
});
