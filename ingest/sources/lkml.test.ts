import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { SEED } from '../../test/fixtures.js';
import { looksLikeLkmlDump, parseLkmlDump } from './lkml.js';

const devicePrivate = readFileSync(SEED.lkmlDevicePrivate, 'utf8');
const zoneDevice = readFileSync(SEED.lkmlZoneDeviceInit, 'utf8');

describe('parseLkmlDump', () => {
  test('seed 003: Ard Biesheuvel, EST date, obfuscated addresses in the body', () => {
    const { messages, skips } = parseLkmlDump(devicePrivate, SEED.lkmlDevicePrivate);
    assert.deepEqual(skips, []);
    assert.equal(messages.length, 1);
    const m = messages[0];
    assert.deepEqual(m.from, { name: 'Ard Biesheuvel', address: null, obfuscated: true });
    assert.equal(m.dateRaw, 'Fri Apr 07 2023 - 06:45:50 EST');
    assert.equal(m.date, '2023-04-07T11:45:50.000Z');
    assert.equal(m.tzOffset, -300);
    assert.equal(m.subject.normalized, "arm64/mm: don't WARN when alloc/free-ing device private pages");
    assert.equal(m.subject.isReply, true);
    assert.equal(m.subject.subsystem, 'arm64/mm');
    assert.ok(m.body.startsWith('On Fri, 7 Apr 2023 at 02:13, John Hubbard <jhubbard@xxxxxxxxxx> wrote:'));
    assert.ok(m.body.endsWith('> NVIDIA\n>'));
    assert.deepEqual(m.provenance, { source: SEED.lkmlDevicePrivate, format: 'lkml', offset: 0, length: Buffer.byteLength(devicePrivate), line: 1 });
    // John Hubbard's message is not in the dump: no parent is invented.
    assert.equal(m.inferredParent, null);
    assert.equal(m.synthetic, true);
  });

  test('seed 004: RFC PATCH v2 reply by David Hildenbrand to himself', () => {
    const { messages, skips } = parseLkmlDump(zoneDevice, SEED.lkmlZoneDeviceInit);
    assert.deepEqual(skips, []);
    assert.equal(messages.length, 1);
    const m = messages[0];
    assert.equal(m.from.name, 'David Hildenbrand');
    assert.equal(m.date, '2019-09-09T09:11:03.000Z');
    assert.equal(m.subject.isRfc, true);
    assert.equal(m.subject.version, 2);
    assert.equal(m.subject.normalized, 'mm: initialize struct pages reserved by ZONE_DEVICE driver.');
    assert.ok(m.body.startsWith('On 09.09.19 09:46, David Hildenbrand wrote:'));
    assert.ok(m.body.endsWith('David / dhildenb'));
    assert.equal(m.inferredParent, null);
  });

  test('several pages in one file: split, placed, and threaded by attribution', () => {
    // Page 2 is a reply to page 1 written the same morning (EST = -0500).
    const page1 = zoneDevice;
    const page2 = [
      'Re: [RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver.',
      '',
      'From: Toshiki Fukasawa',
      'Date: Mon Sep 09 2019 - 05:30:00 EST',
      '',
      'On 2019/09/09 17:11, David Hildenbrand wrote:',
      '> FWIW, I thinkg having something like pfn_zone_device(), similarly',
      '> implemented like pfn_zone_device_reserved() could be one solution to',
      '> most issues.',
      '',
      'I will try that approach in the next version.',
      '',
    ].join('\n');
    const text = `${page1}\n\n${page2}`;
    const { messages, skips } = parseLkmlDump(text, 'two.txt');
    assert.deepEqual(skips, []);
    assert.equal(messages.length, 2);
    const [a, b] = messages;
    assert.equal(b.from.name, 'Toshiki Fukasawa');
    assert.equal(b.provenance.line, page1.split('\n').length + 2);
    assert.equal(b.provenance.offset, Buffer.byteLength(`${page1}\n\n`));
    assert.ok(!a.body.includes('Toshiki Fukasawa\nDate:'));
    assert.ok(b.inferredParent);
    assert.equal(b.inferredParent.parent, a.msgid);
    assert.equal(b.inferredParent.method, 'attribution');
    assert.match(b.inferredParent.evidence, /On 2019\/09\/09 17:11, David Hildenbrand wrote:/);
  });

  test('hypermail (lkml.iu.edu) navigation lines are cut from the body and kept as footers', () => {
    const nav = [
      '',
      '* Next message: Will Deacon: "Re: [PATCH] arm64/mm: don\'t WARN when alloc/free-ing device private pages"',
      '* Previous message: John Hubbard: "Re: [PATCH] arm64/mm: don\'t WARN when alloc/free-ing device private pages"',
      '* In reply to: John Hubbard: "Re: [PATCH] arm64/mm: don\'t WARN when alloc/free-ing device private pages"',
      '* Messages sorted by: [ date ] [ thread ] [ subject ] [ author ]',
      '',
    ].join('\n');
    const { messages } = parseLkmlDump(devicePrivate + nav, 'iu.txt');
    assert.equal(messages.length, 1);
    const [m] = messages;
    assert.ok(m.body.endsWith('> NVIDIA\n>'));
    assert.equal(m.footers.length, 1);
    assert.match(m.footers[0], /^\* Next message: Will Deacon/);
    assert.match(m.footers[0], /Messages sorted by/);
    assert.deepEqual(parseLkmlDump(devicePrivate, 'x').messages[0].footers, []);
  });

  test('looksLikeLkmlDump', () => {
    assert.equal(looksLikeLkmlDump(devicePrivate.slice(0, 2048)), true);
    assert.equal(looksLikeLkmlDump(zoneDevice.slice(0, 2048)), true);
    assert.equal(looksLikeLkmlDump(readFileSync(SEED.armPfnValid, 'utf8').slice(0, 2048)), false);
    assert.equal(looksLikeLkmlDump('From: a@b.c\nDate: yesterday\n'), false);
  });

  test('bad input is a skip, never a throw', () => {
    const r = parseLkmlDump('nothing to see\n', 'n.txt');
    assert.deepEqual(r.messages, []);
    assert.equal(r.skips.length, 1);
    const mutated = fc
      .tuple(fc.nat({ max: devicePrivate.length }), fc.nat({ max: 200 }), fc.string({ maxLength: 40 }))
      .map(([at, cut, junk]) => devicePrivate.slice(0, at) + junk + devicePrivate.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated), (s) => {
        const out = parseLkmlDump(s, 'fuzz');
        assert.ok(Array.isArray(out.messages) && Array.isArray(out.skips));
      }),
      { numRuns: 200 },
    );
  });
});
