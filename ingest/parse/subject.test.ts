import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { SEED } from '../../test/fixtures.js';
import { parseSubject, stableTargetOf } from './subject.js';

describe('parseSubject', () => {
  test('reply chains are stripped and counted', () => {
    const s = parseSubject('Re: Re: [PATCH V2 1/2] arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
    assert.equal(s.replyDepth, 2);
    assert.equal(s.isReply, true);
    assert.deepEqual(s.tags, ['PATCH', 'V2', '1/2']);
    assert.equal(s.version, 2);
    assert.equal(s.index, 1);
    assert.equal(s.total, 2);
    assert.equal(s.normalized, 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory');
    assert.equal(s.subsystem, 'arm64/mm');
    for (const raw of ['RE: foo', 'AW: foo', 'SV: foo', 'Fwd: foo', 'Re[2]: foo', 're: foo']) {
      const p = parseSubject(raw);
      assert.equal(p.normalized, 'foo', raw);
      assert.equal(p.replyDepth, 1, raw);
    }
    assert.equal(parseSubject('Fwd: foo').isReply, false);
  });
  test('patchwork: [PATCH RFC 1/2] meep', () => {
    const s = parseSubject('[PATCH RFC 1/2] meep');
    assert.deepEqual(s.tags, ['PATCH', 'RFC', '1/2']);
    assert.equal(s.isRfc, true);
    assert.equal(s.isPatch, true);
    assert.equal(s.normalized, 'meep');
  });
  test('patchwork subject cleaning cases', () => {
    const cases: [string, string, string[], number][] = [
      ['meep', 'meep', [], 0],
      ['[PATCH] meep', 'meep', ['PATCH'], 0],
      ['[PATCH,RFC] meep', 'meep', ['PATCH', 'RFC'], 0],
      ['[PATCH] [RFC] meep', 'meep', ['PATCH', 'RFC'], 0],
      ['[PATCH,1/2] meep', 'meep', ['PATCH', '1/2'], 0],
      ['[PATCH v2 1/2] Re: meep', 'meep', ['PATCH', 'v2', '1/2'], 1],
      ['Re: [PATCH 1/2] meep', 'meep', ['PATCH', '1/2'], 1],
      ['re: meep', 'meep', [], 1],
      ['RE: meep', 'meep', [], 1],
    ];
    for (const [raw, normalized, tags, depth] of cases) {
      const s = parseSubject(raw);
      assert.equal(s.normalized, normalized, raw);
      assert.deepEqual(s.tags, tags, raw);
      assert.equal(s.replyDepth, depth, raw);
    }
    assert.equal(parseSubject('[PATCH V6 3/3] x').version, 6);
  });
  test('tree tags', () => {
    assert.equal(parseSubject('Re: [PATCH -next] mm/hotplug: skip bad PFNs from pfn_to_online_page()').tree, '-next');
    const nn = parseSubject('[PATCH net-next v3 0/4] foo: bar');
    assert.equal(nn.tree, 'net-next');
    assert.equal(nn.version, 3);
    assert.equal(nn.index, 0);
    assert.equal(nn.total, 4);
    const net = parseSubject('[net,v2,1/2] tcp: fix');
    assert.deepEqual(net.tags, ['net', 'v2', '1/2']);
    assert.equal(net.tree, 'net');
    assert.equal(net.version, 2);
    assert.equal(net.subsystem, 'tcp');
    assert.equal(parseSubject('[PATCH mm-hotfixes] mm: x').tree, 'mm-hotfixes');
  });
  test('stable kernels a backport is posted for are tree tags, not versions or numbers', () => {
    // Sasha Levin's automatic stable selection as posted to linuxppc-dev (public-inbox epoch 0,
    // 2019-09-24), and the other forms stable backports take.
    const autosel = parseSubject('[PATCH AUTOSEL 5.3 24/87] PCI: rpaphp: Avoid a sometimes-uninitialized warning');
    assert.deepEqual([autosel.tree, autosel.version, autosel.index, autosel.total], ['5.3', null, 24, 87]);
    assert.equal(autosel.normalized, 'PCI: rpaphp: Avoid a sometimes-uninitialized warning');
    assert.equal(parseSubject('[PATCH 4.19 012/123] x: y').tree, '4.19');
    assert.equal(parseSubject('[PATCH 6.1.y] x: y').tree, '6.1.y');
    assert.equal(parseSubject('[PATCH 2.6.32] x: y').tree, '2.6.32');
    assert.equal(parseSubject('[PATCH linux-5.4.y] x: y').tree, 'linux-5.4.y');
    assert.equal(parseSubject('[PATCH 4.4-stable] x: y').tree, '4.4-stable');
    const v2 = parseSubject('[PATCH 5.10 v2 1/3] x: y');
    assert.deepEqual([v2.tree, v2.version, v2.index], ['5.10', 2, 1]);
    assert.equal(parseSubject('[PATCH v5.10] x: y').version, 5, 'a v-number stays a version');
    assert.deepEqual(
      ['[PATCH AUTOSEL 5.3 24/87] x', '[PATCH 6.1.y] x', '[PATCH 4.4-stable] x', '[PATCH net 5.10] x', '[PATCH stable] x', '[PATCH net-next v2] x', '[PATCH v5.10] x', '[PATCH for 5.2 10/12] x'].map((s) => stableTargetOf(parseSubject(s))),
      ['5.3', '6.1', '4.4', '5.10', 'stable', null, null, null],
    );
  });
  test('RFC, RESEND, case variants and glued forms', () => {
    const rfc = parseSubject('[RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver');
    assert.equal(rfc.isRfc, true);
    assert.equal(rfc.version, 2);
    assert.equal(rfc.subsystem, 'mm');
    const resend = parseSubject('[PATCH RESEND 0/3] x');
    assert.equal(resend.isResend, true);
    assert.equal(resend.index, 0);
    assert.equal(resend.total, 3);
    const p = parseSubject('[Patch 2/2]: mm/sparsemem: fix');
    assert.equal(p.isPatch, true);
    assert.equal(p.index, 2);
    assert.equal(p.normalized, 'mm/sparsemem: fix');
    assert.equal(p.subsystem, 'mm/sparsemem');
    const bare = parseSubject('PATCH1/8 kbuild: foo');
    assert.equal(bare.index, 1);
    assert.equal(bare.total, 8);
    assert.equal(bare.normalized, 'kbuild: foo');
    assert.equal(parseSubject('[PATCHv6 3/7] foo').version, 6);
    // One patch of v3 updated in place, as Kirill Shutemov posts it: version 3, like `[PATCH v3.1 1/7]`.
    const point = parseSubject('[PATCHv3.1 1/7] mm: Add support for unaccepted memory');
    assert.deepEqual([point.isPatch, point.version, point.index, point.total, point.normalized], [true, 3, 1, 7, 'mm: Add support for unaccepted memory']);
    assert.equal(parseSubject('[PATCH v3.1 1/7] mm: Add support for unaccepted memory').version, 3);
  });
  test('mercurial "n of m" and injected tags', () => {
    const hg = parseSubject('[PATCH 1 of 2] hg: thing');
    assert.equal(hg.index, 1);
    assert.equal(hg.total, 2);
    const ext = parseSubject('Re: [External] [PATCH v3 2/7] mm/sparse: foo');
    assert.deepEqual(ext.tags, ['External', 'PATCH', 'v3', '2/7']);
    assert.equal(ext.version, 3);
    assert.equal(ext.normalized, 'mm/sparse: foo');
  });
  test('(Was: …) and versions in parentheses', () => {
    const w = parseSubject('Re: memmap init for ZONE_DEVICE (Was: [PATCH] mm: foo (v2))');
    assert.equal(w.was, '[PATCH] mm: foo (v2)');
    assert.equal(w.normalized, 'memmap init for ZONE_DEVICE');
    assert.equal(parseSubject('new topic (was: old topic)').was, 'old topic');
    const v = parseSubject('[PATCH] foo bar (v2)');
    assert.equal(v.version, 2);
    assert.equal(v.normalized, 'foo bar');
    assert.equal(parseSubject('[PATCH] foo').version, null);
  });
  test('subsystem only when it looks like one', () => {
    assert.equal(parseSubject('Fix the thing: now').subsystem, null);
    assert.equal(parseSubject('mm, memory_hotplug: foo').subsystem, 'mm, memory_hotplug');
    assert.equal(parseSubject('').normalized, '');
  });
  test('never throws on mutated real subjects', () => {
    const real = readFileSync(SEED.danAuthorArchive, 'utf8')
      .split('\n')
      .filter((l) => /^(Re: )?\[/.test(l));
    assert.ok(real.length > 50);
    const mutatedSubject = fc
      .tuple(fc.constantFrom(...real), fc.nat({ max: 80 }), fc.nat({ max: 20 }), fc.string({ maxLength: 20 }))
      .map(([v, at, cut, junk]) => v.slice(0, at) + junk + v.slice(at + cut));
    fc.assert(
      fc.property(mutatedSubject, (s) => {
        const info = parseSubject(s);
        assert.ok(info.replyDepth >= 0 && info.normalized.length <= s.length);
      }),
      { numRuns: 1000 },
    );
  });
  test('never throws on random strings', () => {
    const prefixed = fc.tuple(
      fc.constantFrom('Re: ', '[PATCH ', '[', '(was: ', 'Fwd: Re[3]: ', 'PATCH1/', ''),
      fc.string({ maxLength: 120 }),
    );
    fc.assert(
      fc.property(prefixed, ([p, s]) => {
        const info = parseSubject(p + s);
        assert.equal(typeof info.normalized, 'string');
      }),
      { numRuns: 1000 },
    );
  });
});
