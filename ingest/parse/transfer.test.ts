import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { PEERS_DIR } from '../../test/fixtures.js';
import { readMbox } from '../sources/mbox.js';
import { parseRfc822, parseRfc822WithPath } from './rfc822.js';
import { decodeFlowed } from './transfer.js';

test('format=flowed: a change of quote depth ends a paragraph (RFC 3676 4.5)', () => {
  // A quoted empty line written as "> " (trailing space) must not swallow the reply under it.
  assert.equal(
    decodeFlowed('> for things that are broken.\n> \n\nOk, I will change it.\n', false),
    '> for things that are broken.\n>\n\nOk, I will change it.',
  );
  assert.equal(decodeFlowed('> quoted \nreply\n', false), '> quoted \nreply');
  // "> " is a quote mark and a stuffing space, not a flowed empty line: the blank quoted line stays.
  assert.equal(decodeFlowed('> Hi,\n> \n> Thanks for \n> this.\n', false), '> Hi,\n>\n> Thanks for this.');
  // Within one depth, soft breaks still join, and the continuation's markers go.
  assert.equal(decodeFlowed('>> a long \n>> quoted line\n', false), '>> a long quoted line');
  assert.equal(decodeFlowed('> a long \n> quoted line\n', false), '> a long quoted line');
});

test("Alexandre Chartre's flowed reply keeps his answer out of the quote above it", async () => {
  const path = resolve(PEERS_DIR, 'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox');
  let body: string | null = null;
  for await (const item of readMbox(path, {})) {
    if (item.kind !== 'rfc822') continue;
    const m = await parseRfc822(item.bytes, item.provenance);
    if (m.msgid === 'e3843c2c-e20a-ef58-c795-1ba8f1d91ff6@oracle.com') body = m.body;
  }
  assert.ok(body, 'the reply is in the mbox');
  const line = body.split('\n').find((l) => l.includes('Ok, I will change everything you mentioned'));
  assert.ok(line, 'his answer is in the body');
  assert.ok(!line.startsWith('>'), `his answer is own text, not quoted: ${JSON.stringify(line)}`);
  assert.ok(readFileSync(path, 'latin1').includes('Format="flowed"'));
});

test('property: quoted-printable bodies decode alike on both paths, bare CRs and blanks included', async () => {
  // Found by the mutation property in rfc822.test.ts: `Busch \rkbusch@` in a QP body, where
  // mailparser drops the blank before the bare CR and the fast path kept it.
  const head = 'From: a@example.com\nSubject: qp\nMessage-ID: <qp@example.com>\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n';
  const piece = fc.constantFrom(' ', '\t', '\r', '\n', '\r\n', '=', '=3D', '=4', '1', 'A', 'x', 'f');
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 60 }), async (parts) => {
      const bytes = Buffer.from(head + parts.join(''), 'latin1');
      const prov = { source: 'qp', format: 'eml' as const, offset: 0 };
      const fast = await parseRfc822WithPath(bytes, prov, { path: 'fast' });
      const mime = await parseRfc822WithPath(bytes, prov, { path: 'mime' });
      assert.equal(fast.message.body, mime.message.body);
    }),
    { numRuns: 3000 },
  );
});
