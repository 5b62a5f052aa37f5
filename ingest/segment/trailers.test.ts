import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { splitLines } from './diff.js';
import { followupTrailers } from './followup.js';
import { addressMatches, compareTrailerAddress, findTrailerBlock, parseFixes, parseTrailerLines, parseTrailers } from './trailers.js';
import { readMailFile, splitMailArchiveDump } from './test-mail.js';

const b4 = (name: string): string => resolve(PEERS_DIR, 'b4', name);

describe('parseTrailers mirrors b4 test_parse_trailers', () => {
  test('trailers-test-simple.txt: exactly 4 trailers, typed and valued as b4 expects', async () => {
    const [m] = await readMailFile(b4('trailers-test-simple.txt'));
    const got = parseTrailers(m.body).map((t) => [t.kind, t.name, t.value, t.extinfo]);
    assert.deepEqual(got, [
      ['person', 'Reported-by', '"Doe, Jane" <jane@example.com>', null],
      ['person', 'Reviewed-by', 'Bogus Bupkes <bogus@example.com>', null],
      ['utility', 'Fixes', 'abcdef01234567890', null],
      ['utility', 'Link', 'https://msgid.link/some@msgid.here', null],
    ]);
    const [reported] = parseTrailers(m.body);
    assert.deepEqual(reported.person, { name: 'Doe, Jane', address: 'jane@example.com', obfuscated: false });
  });

  test('trailers-test-extinfo.txt: 6 trailers with extinfo, unquoted comma and a re-joined wrap', async () => {
    const [m] = await readMailFile(b4('trailers-test-extinfo.txt'));
    const got = parseTrailers(m.body).map((t) => [t.kind, t.name, t.value, t.extinfo]);
    assert.deepEqual(got, [
      ['person', 'Reported-by', 'Some, One <somewhere@example.com>', null],
      ['person', 'Reviewed-by', 'Bogus Bupkes <bogus@example.com>', '[for the parts that are bogus]'],
      ['utility', 'Fixes', 'abcdef01234567890', null],
      ['person', 'Tested-by', 'Some Person <bogus2@example.com>', '           [this person visually indented theirs]'],
      ['utility', 'Link', 'https://msgid.link/some@msgid.here', '  # initial submission'],
      ['person', 'Signed-off-by', 'Wrapped Persontrailer <broken@example.com>', null],
    ]);
    const lines = splitLines(m.body);
    const block = findTrailerBlock(lines);
    assert.ok(block);
    assert.match(lines[block[0]], /^Reported-by:/);
    assert.equal(lines[block[1]], '<broken@example.com>');
  });
});

describe('trailer rules', () => {
  test("a maintainer's bracketed note among the sign-offs does not hide the block (git's 25% rule)", async () => {
    // As in Logan Gunthorpe's "[PATCH v6] RISC-V: Implement sparsemem" (linux-riscv, 2019), whose
    // two-line `[greentime.hu@sifive.com: fixed pfn_valid, …]` note opened the block.
    const [m] = await readMailFile(b4('trailers-followup-single.mbox'));
    const lines = splitLines(m.body);
    const at = lines.findIndex((l) => l.startsWith('Fixes:'));
    const noted = [...lines.slice(0, at), '[original-submitter@example.com:', '  fixed the junk, rebased onto v6.1]', ...lines.slice(at)];
    const block = findTrailerBlock(noted);
    assert.deepEqual(block, [at, at + 5]);
    assert.deepEqual(parseTrailerLines(noted, block[0], block[1]).map((t) => t.name), ['Fixes', 'Reviewed-by', 'Link', 'Signed-off-by']);
    // Without a Signed-off-by, or with trailers under a quarter of the paragraph, it is prose.
    const prose = ['Some text here.', '', 'A paragraph that mentions', 'a few things and then', 'names someone at the end', 'of a long line of prose', 'that keeps going on', 'and on and on', 'until it stops', 'Reviewed-by: A <a@example.com>', 'Signed-off-by: B <b@example.com>', '---'];
    assert.equal(findTrailerBlock(prose), null);
    assert.deepEqual(findTrailerBlock(prose.slice(0, 1).concat(['', '[note]', 'Reviewed-by: A <a@example.com>', 'Signed-off-by: B <b@example.com>', '---'])), [2, 4]);
    assert.equal(findTrailerBlock(['Text.', '', '[note: changed]', 'Reviewed-by: A <a@example.com>', '---']), null);
  });

  test('Fixes is validated: 12+ hex and a quoted subject', () => {
    assert.deepEqual(parseFixes('bf9bccc14c05 ("libnvdimm: pmem label sets and namespace instantiation")'), {
      sha: 'bf9bccc14c05',
      subject: 'libnvdimm: pmem label sets and namespace instantiation',
      valid: true,
    });
    assert.equal(parseFixes('abcdef01234567890')?.valid, false);
    assert.equal(parseFixes('abcdef0 ("short sha")')?.valid, false);
    assert.equal(parseFixes('the problem with foo'), null);
  });

  test('case is canonicalised, prose with colons is not a trailer, quoted and indented lines are ignored', () => {
    const text = [
      'signed-off-by: Lower Case <lc@example.com>',
      'Note: this is not a trailer',
      'Fixes: the locking, as discussed',
      '> Reviewed-by: Quoted Person <quoted@example.com>',
      '    Acked-by: Indented Person <indented@example.com>',
      'Link: not a url',
      'Cc: stable@vger.kernel.org # 5.10+',
    ].join('\n');
    assert.deepEqual(
      parseTrailers(text).map((t) => [t.name, t.value, t.extinfo, t.line]),
      [
        ['Signed-off-by', 'Lower Case <lc@example.com>', null, 0],
        ['Cc', 'stable@vger.kernel.org', ' # 5.10+', 6],
      ],
    );
  });

  test('seed 002: archive-stripped addresses leave name-only person trailers and a valid Fixes', () => {
    const text = readFileSync(SEED.danAuthorArchive, 'utf8');
    const lines = splitLines(text);
    const i = lines.indexOf('Fixes: bf9bccc14c05 ("libnvdimm: pmem label sets and namespace instantiation")');
    assert.ok(i > 0);
    const ts = parseTrailers(lines.slice(i - 2, i + 3).join('\n'));
    assert.deepEqual(
      ts.map((t) => [t.name, t.person?.name ?? null, t.person?.address ?? null, t.fixes?.valid ?? null]),
      [
        ['Cc', null, null, null],
        ['Fixes', null, null, true],
        ['Cc', 'Vishal Verma', null, null],
        ['Signed-off-by', 'Dan Williams', null, null],
      ],
    );
    // The archive left `Cc: ` with nothing after it: a trailer of which nothing is known.
    assert.equal(lines[i - 1], 'Cc: ');
    assert.deepEqual([ts[0].value, ts[0].person], ['', { name: null, address: null, obfuscated: true }]);
  });
});

describe('followupTrailers and address matching (b4 follow-up scenarios)', () => {
  test('trailers-followup-single: own trailers only; the quoted Reviewed-by is ignored; the mismatch is detectable', async () => {
    const [, r1, r2, r3] = await readMailFile(b4('trailers-followup-single.mbox'));
    const t1 = followupTrailers(r1.body);
    assert.deepEqual(t1.map((t) => [t.name, t.value]), [['Reviewed-by', 'Followup Reviewer1 <followup-reviewer1@example.com>']]);
    assert.equal(addressMatches(t1[0], r1.from?.address ?? ''), true);
    const t2 = followupTrailers(r2.body);
    assert.deepEqual(t2.map((t) => [t.name, t.value]), [['Tested-by', 'Followup Reviewer2 <followup-reviewer2@example.com>']]);
    const t3 = followupTrailers(r3.body);
    assert.equal(t3.length, 1);
    assert.equal(addressMatches(t3[0], r3.from?.address ?? ''), false);
    assert.equal(compareTrailerAddress(t3[0], { name: r3.from?.name ?? null, address: r3.from?.address ?? null }), 'mismatch');
  });

  test("b4's looser matches: a +tag, a subdomain, or another address under the sender's own name", async () => {
    // As b4's email_eq and get_trailers accept them; seen on linux-riscv, where 43 of Palmer
    // Dabbelt's `Reviewed-by: … <palmerdabbelt@google.com>` were sent from palmer@dabbelt.com.
    const [, r1, , r3] = await readMailFile(b4('trailers-followup-single.mbox'));
    const [t] = followupTrailers(r1.body);
    const from = (address: string, name = 'Followup Reviewer1') => ({ name, address });
    assert.equal(compareTrailerAddress(t, from('followup-reviewer1@example.com')), 'match');
    assert.equal(compareTrailerAddress(t, from('followup-reviewer1+lists@example.com')), 'similar-address');
    assert.equal(compareTrailerAddress(t, from('followup-reviewer1@mail.example.com')), 'similar-address');
    assert.equal(compareTrailerAddress(t, from('reviewer@elsewhere.org')), 'same-name');
    assert.equal(compareTrailerAddress(t, from('reviewer@elsewhere.org', 'reviewer1, followup')), 'same-name');
    assert.equal(compareTrailerAddress(t, from('reviewer@elsewhere.org', 'Someone Else')), 'mismatch');
    assert.equal(addressMatches(t, from('reviewer@elsewhere.org')), true);
    // b4's own mismatch stays one: another domain (not a subdomain) and another name.
    const [m] = followupTrailers(r3.body);
    assert.equal(compareTrailerAddress(m, { name: r3.from?.name ?? null, address: r3.from?.address ?? null }), 'mismatch');
    assert.equal(compareTrailerAddress(m, { name: r3.from?.name ?? null, address: 'mismatched-reviewer1@sub.example.net' }), 'similar-address');
  });

  test('trailers-followup-name-parens: (corporate), [corporate] and unquoted commas in names', async () => {
    const mails = await readMailFile(b4('trailers-followup-name-parens.mbox'));
    const got = mails.slice(1).map((m) => {
      const [t] = followupTrailers(m.body);
      return [t.value, t.person?.name, addressMatches(t, m.from?.address ?? '')];
    });
    assert.deepEqual(got, [
      ['Followup Reviewer1 (corporate) <followup-reviewer1@example.com>', 'Followup Reviewer1 (corporate)', true],
      ['Followup Reviewer2 <followup-reviewer2@example.com>', 'Followup Reviewer2', true],
      ['Mismatched Reviewer1 <mismatched-reviewer1@example.net>', 'Mismatched Reviewer1', false],
      ['Followup Tester1 [corporate] <followup-tester1@example.com>', 'Followup Tester1 [corporate]', true],
      ['Tester2, Followup <followup-tester2@example.com>', 'Tester2, Followup', true],
    ]);
  });

  test('trailers-followup-htmljunk: <mailto:> junk is cleaned', async () => {
    const [, reply] = await readMailFile(b4('trailers-followup-htmljunk.mbox'));
    const [t] = followupTrailers(reply.body);
    assert.equal(t.value, 'HTML Junker <html-junker@example.com>');
    assert.equal(t.person?.address, 'html-junker@example.com');
  });

  test('trailers-followup-already-present: indented restatements are not trailers; the foreign Tested-by is the only mismatch', async () => {
    const [, miguel, other] = await readMailFile(b4('trailers-followup-already-present.mbox'));
    assert.deepEqual(followupTrailers(miguel.body), []);
    const ts = followupTrailers(other.body);
    const mismatched = ts.filter((t) => !addressMatches(t, other.from?.address ?? '')).map((t) => t.name);
    assert.deepEqual(new Set(mismatched), new Set(['Tested-by']));
  });

  test('trailers-thread-with-cover-followup: Tested-by, Link and Closes in order', async () => {
    const mails = await readMailFile(b4('trailers-thread-with-cover-followup.mbox'));
    const withThree = mails.map((m) => followupTrailers(m.body).map((t) => t.name)).find((names) => names.includes('Closes'));
    assert.deepEqual(withThree, ['Tested-by', 'Link', 'Closes']);
  });

  test('seed 002: Dan Williams gives Reviewed-by / Acked-by with the address stripped by the archive; quoted tags are not his', () => {
    const msgs = splitMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'));
    const hellwig = msgs.find((m) => m.body.includes('Passing the actual typed structure'));
    assert.ok(hellwig);
    const tags = followupTrailers(hellwig.body);
    // `> Reviewed-by: Logan Gunthorpe` is quoted: only Dan's own two lines count.
    assert.deepEqual(tags.map((t) => [t.name, t.person?.name, t.person?.address]), [
      ['Reviewed-by', 'Dan Williams', null],
      ['Reported-by', 'Logan Gunthorpe', null],
    ]);
    assert.equal(compareTrailerAddress(tags[0], { name: 'Dan Williams', address: null }), 'match');
    assert.equal(compareTrailerAddress(tags[1], { name: 'Dan Williams', address: null }), 'unknown');
    const qian = msgs.find((m) => m.body.includes('Looks ok to me:') && /^> @@ -28,6 \+28,7 @@/m.test(m.body));
    assert.ok(qian);
    assert.deepEqual(followupTrailers(qian.body).map((t) => [t.name, t.value]), [['Acked-by', 'Dan Williams']]);
  });

  test('seed 002: across all of Dan Williams\' mails, only his four review tags are follow-ups (patch trailer blocks are not)', () => {
    const msgs = splitMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'));
    const found = msgs.flatMap((m) => followupTrailers(m.body).map((t) => `${m.date} ${t.name}: ${t.person?.name}`));
    assert.deepEqual(found, [
      '2019-06-13 Reviewed-by: Dan Williams',
      '2019-06-13 Reported-by: Logan Gunthorpe',
      '2019-06-12 Acked-by: Dan Williams',
      '2019-05-23 Reviewed-by: Dan Williams',
      '2019-04-29 Reviewed-by: Dan Williams',
    ]);
  });

  test("seed 000: a patch's own trailer block is not a follow-up; its Fixes is valid and its Cc obfuscated", () => {
    const msgs = splitMailArchiveDump(readFileSync(SEED.armPfnValid, 'utf8'));
    const patch = msgs[msgs.length - 1];
    assert.deepEqual(followupTrailers(patch.body), []);
    const lines = splitLines(patch.body);
    const block = findTrailerBlock(lines);
    assert.ok(block);
    const ts = parseTrailers(lines.slice(block[0], block[1] + 1).join('\n'));
    assert.deepEqual(ts.map((t) => t.name), ['Cc', 'Cc', 'Cc', 'Cc', 'Cc', 'Cc', 'Acked-by', 'Fixes', 'Signed-off-by']);
    assert.equal(ts.find((t) => t.name === 'Fixes')?.fixes?.valid, true);
    assert.deepEqual(ts[4].person, { name: null, address: 'linux-arm-ker...@lists.infradead.org', obfuscated: true });
  });
});
