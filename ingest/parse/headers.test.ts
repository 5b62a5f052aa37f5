import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeIso2022Jp, decodeText } from './charset.js';
import { decodeHeader, findBodyStart, parseContentType, parseHeaderBlock } from './headers.js';
import { decodeBase64, decodeFlowed, decodeQuotedPrintable } from './transfer.js';

describe('header block', () => {
  test('folding, TAB after the colon, case of names, CRLF, several values', () => {
    const b = parseHeaderBlock(
      Buffer.from('Subject: a long\r\n  subject\r\nDate:\tSat, 13 Aug 2016\r\nMessage-id: <x@y>\r\nReceived: a\r\nReceived: b\r\n\r\nbody'),
    );
    assert.equal(b.clean, true);
    assert.deepEqual(b.fields.get('subject'), ['a long  subject']);
    assert.deepEqual(b.fields.get('date'), ['Sat, 13 Aug 2016']);
    assert.deepEqual(b.fields.get('message-id'), ['<x@y>']);
    assert.deepEqual(b.fields.get('received'), ['a', 'b']);
    assert.equal(b.bodyStart, Buffer.byteLength('Subject: a long\r\n  subject\r\nDate:\tSat, 13 Aug 2016\r\nMessage-id: <x@y>\r\nReceived: a\r\nReceived: b\r\n\r\n'));
  });

  test('no blank line: all headers, not clean; junk lines make it unclean but are skipped', () => {
    const a = parseHeaderBlock(Buffer.from('Subject: x\nFrom: y'));
    assert.equal(a.clean, false);
    assert.equal(a.bodyStart, Buffer.byteLength('Subject: x\nFrom: y'));
    const b = parseHeaderBlock(Buffer.from('From foo@z Thu Jan  1 00:00:00 1970\nSubject: x\n\nb'));
    assert.equal(b.clean, false);
    assert.deepEqual(b.fields.get('subject'), ['x']);
    assert.equal(findBodyStart(Buffer.from('\nbody')), 1);
  });

  test('RFC 2047: q and b words, adjacent words joined, a UTF-8 character split across words', () => {
    assert.equal(decodeHeader('=?utf-8?Q?El=C3=A9anor?='), 'Eléanor');
    assert.equal(decodeHeader('=?ISO-8859-1?Q?G=F6ran_Lastname?= <g@x>'), 'Göran Lastname <g@x>');
    assert.equal(decodeHeader('=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= x'), 'éé x');
    // "é" is C3 A9: split across two encoded words.
    assert.equal(decodeHeader('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9t=C3=A9?='), 'été');
    assert.equal(decodeHeader('plain =?bogus?Q?x?= text'), 'plain x text');
  });

  test('decoded names with specials are quoted for address parsing', () => {
    assert.equal(decodeHeader('=?utf-8?q?Saidi=2C_Ali?= <alisaidi@amazon.com>', { address: true }), '"Saidi, Ali" <alisaidi@amazon.com>');
    assert.equal(decodeHeader('"=?utf-8?q?Saidi=2C_Ali?=" <a@b>', { address: true }), '"Saidi, Ali" <a@b>');
  });

  test('raw 8-bit header bytes: UTF-8 when valid, else Windows-1252', () => {
    assert.equal(decodeHeader(Buffer.from('Jörg', 'utf8').toString('latin1')), 'Jörg');
    assert.equal(decodeHeader(Buffer.from([0x4a, 0xf6, 0x72, 0x67]).toString('latin1')), 'Jörg');
  });

  test('Content-Type parameters', () => {
    assert.deepEqual(parseContentType('text/plain; charset="utf-8"; format=flowed; delsp=yes'), {
      type: 'text/plain',
      params: { charset: 'utf-8', format: 'flowed', delsp: 'yes' },
      present: true,
    });
    assert.equal(parseContentType('Multipart/Mixed; BOUNDARY="8323329-703494712-1471083256=:4924"').params.boundary, '8323329-703494712-1471083256=:4924');
    assert.equal(parseContentType(null).type, 'text/plain');
    assert.equal(parseContentType('garbage').type, 'text/plain');
    assert.equal(parseContentType("text/plain; name*=utf-8''%C3%A9t%C3%A9.txt").params.name, 'été.txt');
  });
});

describe('charsets', () => {
  test('labels', () => {
    const latin = Buffer.from([0x47, 0xf6, 0x72, 0x61, 0x6e]);
    assert.equal(decodeText(latin, 'iso-8859-1'), 'Göran');
    assert.equal(decodeText(latin, 'x-unknown'), 'Göran');
    assert.equal(decodeText(Buffer.from('Göran'), 'none'), 'Göran');
    assert.equal(decodeText(Buffer.from('Göran'), '"UTF-8"'), 'Göran');
    assert.equal(decodeText(latin, 'utf-8'), 'G\ufffdran');
    assert.equal(decodeText(Buffer.from([0xc1, 0xa4]), 'ks_c_5601-1987'), decodeText(Buffer.from([0xc1, 0xa4]), 'cp949'));
  });

  test('ISO-2022-JP', () => {
    const jis = Buffer.from('1b2442244b245b1b2842', 'hex');
    assert.equal(decodeIso2022Jp(jis), 'にほ');
    assert.equal(decodeText(jis, 'iso-2022-jp'), 'にほ');
  });

  test('property: never throws, whatever the bytes and label', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.oneof(fc.string(), fc.constantFrom('iso-2022-jp', 'utf-8', 'x-unknown', 'gb2312', 'windows-1256')), (b, label) => {
        assert.equal(typeof decodeText(Buffer.from(b), label), 'string');
      }),
    );
  });
});

describe('transfer encodings', () => {
  test('quoted-printable', () => {
    assert.equal(decodeQuotedPrintable(Buffer.from('hi =3D bye=\n')).toString(), 'hi = bye');
    assert.equal(decodeQuotedPrintable(Buffer.from('a=\r\nb  \r\nc=ZZ=4')).toString(), 'ab\r\nc=ZZ=4');
    assert.equal(decodeQuotedPrintable(Buffer.from('=E2=80=A2 x\n')).toString(), '• x\n');
  });

  test('base64 with line breaks, junk and padding inside', () => {
    assert.equal(decodeBase64(Buffer.from('SGVs\nbG8=\n')).toString(), 'Hello');
    assert.equal(decodeBase64(Buffer.from('SGk=SGk=')).toString(), 'HiHi');
    assert.equal(decodeBase64(Buffer.from('S G!!k=')).toString(), 'Hi');
  });

  test('format=flowed', () => {
    // As mailparser: the empty line after the last break is not kept.
    assert.equal(decodeFlowed('a long \nline\n-- \nsig\n', false), 'a long line\n-- \nsig');
    assert.equal(decodeFlowed('split wo \nrd\n\nnext', true), 'split word\n\nnext');
    assert.equal(decodeFlowed(' >not a quote', false), '>not a quote');
  });
});
