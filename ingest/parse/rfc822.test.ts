import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { PEERS_DIR } from '../../test/fixtures.js';
import type { Message } from '../model.js';
import { MboxSplitter } from '../sources/mboxSplitter.js';
import { isSyntheticMsgid } from './msgid.js';
import { NotAMailError, parseRfc822, parseRfc822WithPath } from './rfc822.js';

function files(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) files(p, out);
    else if (!n.endsWith('.md')) out.push(p);
  }
  return out;
}

function mails(rel: string): Buffer[] {
  const s = new MboxSplitter();
  return [...s.push(readFileSync(resolve(PEERS_DIR, rel))), ...s.end()].map((m) => m.bytes);
}

async function parseAll(rel: string): Promise<Message[]> {
  const out: Message[] = [];
  for (const [i, b] of mails(rel).entries()) out.push(await parseRfc822(b, { source: rel, format: 'mbox', offset: i }));
  return out;
}

async function one(rel: string): Promise<Message> {
  const all = await parseAll(rel);
  assert.equal(all.length, 1, rel);
  return all[0];
}

/** Peer files that are not mail at all: b4's expected-output `.verify` files and bare diffs. */
const NOT_MAIL = /(\.verify|patchwork\/patches\/.*\.patch|solve\/bare\.patch)$/;

describe('every peer-corpus mail parses (or is reported as not a mail)', () => {
  test('all files', async () => {
    let parsed = 0;
    for (const f of files(PEERS_DIR)) {
      const rel = relative(PEERS_DIR, f);
      for (const [i, b] of mails(rel).entries()) {
        try {
          const m = await parseRfc822(b, { source: rel, format: 'mbox', offset: i });
          assert.ok(m.msgid.length > 0);
          parsed++;
        } catch (err) {
          assert.ok(err instanceof NotAMailError, `${rel}#${i}: ${String(err)}`);
          assert.match(rel, NOT_MAIL, `${rel}#${i} rejected: ${String(err)}`);
        }
      }
    }
    assert.ok(parsed > 300, `parsed ${parsed}`);
  });

  test('patchwork fuzz mails do not crash and keep their Message-ID when they have one', async () => {
    for (const f of files(resolve(PEERS_DIR, 'patchwork/fuzz'))) {
      const m = await one(relative(PEERS_DIR, f));
      assert.equal(typeof m.body, 'string');
      assert.ok(m.msgid.length <= 998);
    }
  });
});

describe('Perceval expectations', () => {
  test('mbox_single: obfuscated pipermail From, date, body ending with the undecodable "?"', async () => {
    const m = await one('perceval/mbox/mbox_single.mbox');
    assert.equal(m.msgid, '4CF64D10.9020206@domain.com');
    assert.equal(m.from.name, 'Göran Lastname');
    assert.equal(m.from.address, 'goran@domain.com');
    assert.equal(m.date, '2010-12-01T13:26:40.000Z');
    assert.equal(m.tzOffset, 60);
    assert.equal(m.dateRaw, 'Wed, 01 Dec 2010 14:26:40 +0100');
    assert.ok(m.body.endsWith('regards, G?ran\n\n\n'));
    assert.equal(m.subject.normalized, 'Protocol Buffers anyone?');
  });

  test('mbox_no_fields: Perceval keeps 2 of 6; loregraph keeps all 6, with a synthetic id where Message-ID is missing', async () => {
    const all = await parseAll('perceval/mbox/mbox_no_fields.mbox');
    assert.equal(all.length, 6);
    const complete = all.filter((m) => !m.synthetic && m.date !== null);
    assert.ok(complete.length >= 2);
    // `Message-id` spelled in lower case is still the Message-ID.
    assert.ok(complete.slice(0, 2).every((m) => m.msgid === '4CF64D10.9020206@domain.com'));
    const noId = all.filter((m) => m.synthetic);
    assert.equal(noId.length, 1);
    assert.ok(isSyntheticMsgid(noId[0].msgid));
    assert.equal(all.filter((m) => m.date === null).length, 2);
    // The synthetic id is stable: the same mail parsed again gets the same id.
    const again = await parseAll('perceval/mbox/mbox_no_fields.mbox');
    assert.deepEqual(
      again.map((m) => m.msgid),
      all.map((m) => m.msgid),
    );
  });

  test('iso-8859 body and unknown-charset From decode without loss', async () => {
    const iso = await one('perceval/mbox/mbox_iso8859_encoding.mbox');
    assert.match(iso.body, /payment has now been processed/);
    const unk = await one('perceval/mbox/mbox_unknown_encoding.mbox');
    assert.equal(unk.from.address, 'yuancong@example.com');
    assert.equal(unk.from.name, 'Ô¬´Ï');
    assert.match(unk.body, /how can I refresh the control/);
  });

  test('multipart/alternative: the text part is the body, no HTML in it', async () => {
    const [a, b] = await parseAll('perceval/mbox/mbox_multipart.mbox');
    for (const m of [a, b]) {
      assert.ok(m.body.length > 50);
      assert.doesNotMatch(m.body, /<html|<META/i);
    }
  });
});

describe('public-inbox eml quirks', () => {
  test('ISO-2022-JP body', async () => {
    const m = await one('public-inbox/iso-2202-jp.eml');
    assert.equal(m.body, '|けいじゅ＠今はフリー(^^;;;です.\n');
  });

  test('X-UNKNOWN charset, upper-case QUOTED-PRINTABLE, TAB after the colon', async () => {
    const m = await one('public-inbox/x-unknown-alpine.eml');
    assert.equal(m.body, '\thttps://example.com/\n\n  • bullet point\n');
    assert.equal(m.date, '2016-08-13T10:14:15.000Z');
    assert.equal(m.from.name, 'Alpine User');
  });

  test('QP soft line breaks', async () => {
    assert.equal((await one('public-inbox/plack-qp.eml')).body, 'hi = bye');
    const x = await one('public-inbox/filter_base-xhtml.eml');
    assert.equal(x.body, 'hi = "bye"');
    assert.equal(x.attachments[0].text, '<html><body>hi</body></html>');
  });

  test('RFC 2047 headers', async () => {
    const m = await one('public-inbox/utf8.eml');
    assert.equal(m.from.name, 'Eléanor');
    assert.equal(m.subject.raw, 'Testing for Eléanor');
    assert.equal(m.to[0].name, 'Eléanor');
  });

  test('nested message/rfc822 is kept as an attachment with its text', async () => {
    const m = await one('public-inbox/data/message_embed.eml');
    assert.equal(m.body, 'testing embedded message harder\n');
    const embedded = m.attachments.find((a) => a.contentType === 'message/rfc822');
    assert.ok(embedded?.text?.includes('From: Eric Wong'));
  });

  test('nested multipart: text parts in depth-first order', async () => {
    assert.equal((await one('public-inbox/msg_iter-nested.eml')).body, 'a\nb\nsig');
  });

  test('an inline patch part after the text is a patch attachment', async () => {
    const m = await one('public-inbox/plack-attached-patch.eml');
    assert.equal(m.body, 'hi, see attached');
    assert.equal(m.attachments.length, 1);
    assert.equal(m.attachments[0].filename, 'foo&.patch');
    assert.equal(m.attachments[0].isPatch, true);
    assert.match(m.attachments[0].text ?? '', /^--- a\/file\n\+\+\+ b\/file/);
  });
});

describe('lfdr-list-archives threads', () => {
  test('mailman footers are removed from every kvmarm and linux-arm-kernel body and recorded', async () => {
    for (const rel of [
      'lfdr-list-archives/kvmarm-pmu-disabled-counters-2021.mbox',
      'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox',
    ]) {
      for (const m of await parseAll(rel)) {
        assert.equal(m.footers.length, 1, m.msgid);
        assert.match(m.footers[0], /^_{47}\n[a-z-]+ mailing list\n[^\n]+\nhttps?:\/\/lists\.[^\n]+\/mailman\/listinfo\/[a-z-]+\n*$/);
        assert.doesNotMatch(m.body, /mailing list\n[^\n]*\nhttps?:\/\/lists\./);
      }
    }
    // nvdimm (lists.linux.dev) adds no footer.
    for (const m of await parseAll('lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox')) assert.deepEqual(m.footers, []);
  });

  test('base64 bodies are decoded, quotes and trailers visible', async () => {
    const all = await parseAll('lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox');
    const m = all.find((x) => x.msgid === '2C4F431F-8140-4C82-B4BD-E51DE618FC08@amazon.com');
    assert.ok(m);
    assert.match(m.body, /^Hi Marc,\n\n> On May 29, 2020, at 3:33 AM, Marc Zyngier <maz@kernel.org> wrote:\n/);
    assert.doesNotMatch(m.body, /\r/);
    assert.equal(m.from.name, 'Saidi, Ali');
    assert.equal(m.cc.find((a) => a.address === 'benh@amazon.com')?.name, 'Herrenschmidt, Benjamin');
    assert.deepEqual(m.references, ['20200529015501.15771-1-alisaidi@amazon.com', '8c3be990888ecfb7cca9503853dc4aac@kernel.org']);
    assert.equal(m.inReplyTo, '8c3be990888ecfb7cca9503853dc4aac@kernel.org');
    assert.equal(m.listId, 'linux-arm-kernel.lists.infradead.org');
    assert.equal(m.extraHeaders['list-archive'], '<http://lists.infradead.org/pipermail/linux-arm-kernel/>');
  });

  test('kbuild robot report: gzip .config is a binary attachment, the report text is the body', async () => {
    const all = await parseAll('lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox');
    const m = all.find((x) => x.msgid === '202005311015.t9loZQoc%lkp@intel.com');
    assert.ok(m);
    assert.match(m.body, /Thank you for the patch! Perhaps something to improve/);
    assert.deepEqual(
      m.attachments.map((a) => [a.filename, a.contentType, a.text, a.isPatch]),
      [['.config.gz', 'application/gzip', null, false]],
    );
  });
});

describe('salvage rules', () => {
  test('empty input and header-less text are not mail; anything with a header is', async () => {
    const prov = { source: 't', format: 'eml' as const, offset: 0 };
    await assert.rejects(parseRfc822(Buffer.alloc(0), prov), NotAMailError);
    await assert.rejects(parseRfc822(Buffer.from('\n\n  \n'), prov), NotAMailError);
    await assert.rejects(parseRfc822(readFileSync(resolve(PEERS_DIR, 'public-inbox/solve/bare.patch')), prov), NotAMailError);
    const m = await parseRfc822(Buffer.from('Subject: only a subject'), prov);
    assert.equal(m.subject.raw, 'only a subject');
    assert.equal(m.body, '');
    assert.equal(m.synthetic, true);
  });

  test('HTML-only mail becomes text', async () => {
    const html = Buffer.from(
      'From: a@example.com\nSubject: html only\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n' +
        '<html><body><p>Looks good &amp; <b>tested</b>.</p><blockquote>quoted line</blockquote>Reviewed-by: A &lt;a@example.com&gt;<br></body></html>\n',
    );
    const m = await parseRfc822(html, { source: 't', format: 'eml', offset: 0 });
    assert.equal(m.body, 'Looks good & tested.\n\n> quoted line\nReviewed-by: A <a@example.com>');
  });

  test('a part whose Content-Type is damaged is kept as untyped bytes, not an uncaught error', async () => {
    // `Content-Type:;text/plain` makes mailparser report the part's type as `false` (found by the
    // mutation property below; it used to throw inside an event handler and stop the parse).
    const mail = [
      'From: a@example.com', 'Subject: parts', 'Message-ID: <p@example.com>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'body text', '--b',
      'Content-Type:;text/plain', 'Content-Disposition: attachment; filename=".dotfile"', '', 'some bytes', '--b--', '',
    ].join('\n');
    const r = await parseRfc822WithPath(Buffer.from(mail), { source: 't', format: 'eml', offset: 0 });
    assert.equal(r.path, 'mime');
    assert.equal(r.message.body, 'body text');
    assert.deepEqual(r.message.attachments, [{ filename: '.dotfile', contentType: 'application/octet-stream', size: 10, text: null, isPatch: false }]);
  });

  const corpus = [
    'lfdr-list-archives/nvdimm-btt-block-integrity-2024.mbox',
    'public-inbox/x-unknown-alpine.eml',
    'public-inbox/psgi_attach.eml',
    'public-inbox/data/message_embed.eml',
    'perceval/mbox/mbox_multipart.mbox',
    'patchwork/fuzz/base64err.mbox',
  ].flatMap(mails);

  test('property: random bytes never make parseRfc822 throw anything but NotAMailError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (a) => {
        try {
          await parseRfc822(Buffer.from(a), { source: 'fuzz', format: 'eml', offset: 0 });
        } catch (err) {
          assert.ok(err instanceof NotAMailError, String(err));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('property: mutated real mails always parse (they keep a header) and both paths agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...corpus),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }),
        async (mail, muts) => {
          const b = Buffer.from(mail);
          for (const [i, v] of muts) b[40 + (i % (b.length - 40))] = v;
          const prov = { source: 'fuzz', format: 'eml' as const, offset: 0 };
          const r = await parseRfc822WithPath(b, prov);
          assert.equal(typeof r.message.body, 'string');
          if (r.path === 'fast') assert.deepEqual((await parseRfc822WithPath(b, prov, { path: 'mime' })).message, r.message);
        },
      ),
      { numRuns: 200 },
    );
  });
});
