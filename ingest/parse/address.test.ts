import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { parseAddress, parseAddressList } from './address.js';
import { PEERS_DIR } from '../../test/fixtures.js';

/** Header values (`Name: value` lines) of every non-fuzz file of the peer corpus. */
function corpusHeaderValues(name: string): { file: string; value: string }[] {
  const out: { file: string; value: string }[] = [];
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'fuzz') walk(p);
        continue;
      }
      const text = readFileSync(p, 'latin1');
      const re = new RegExp(`^${name}: (.*)$`, 'gm');
      for (const m of text.matchAll(re)) out.push({ file: relative(PEERS_DIR, p), value: m[1] });
    }
  };
  walk(PEERS_DIR);
  return out;
}

/** A real value with a random slice replaced by random text. */
function mutated(values: string[]) {
  return fc
    .tuple(fc.constantFrom(...values), fc.nat({ max: 80 }), fc.nat({ max: 20 }), fc.string({ maxLength: 20 }))
    .map(([v, at, cut, junk]) => v.slice(0, at) + junk + v.slice(at + cut));
}

describe('parseAddress', () => {
  test('quoted name with a comma', () => {
    assert.deepEqual(parseAddress('"Saidi, Ali" <Ali.Saidi@ARM.com>'), {
      name: 'Saidi, Ali',
      address: 'ali.saidi@arm.com',
      obfuscated: false,
    });
  });
  test('Name <addr> and bare addr', () => {
    assert.deepEqual(parseAddress('Dan Williams <dan.j.williams@intel.com>'), {
      name: 'Dan Williams',
      address: 'dan.j.williams@intel.com',
      obfuscated: false,
    });
    assert.deepEqual(parseAddress('  Will@Kernel.org '), { name: null, address: 'will@kernel.org', obfuscated: false });
  });
  test('old style addr (Name)', () => {
    assert.deepEqual(parseAddress('david@redhat.com (David Hildenbrand)'), {
      name: 'David Hildenbrand',
      address: 'david@redhat.com',
      obfuscated: false,
    });
  });
  test('lkml.org obfuscated domain and mail-archive truncation', () => {
    assert.deepEqual(parseAddress('John Hubbard <jhubbard@xxxxxxxxxx>'), {
      name: 'John Hubbard',
      address: 'jhubbard@xxxxxxxxxx',
      obfuscated: true,
    });
    assert.deepEqual(parseAddress('k...@redhat.com'), { name: null, address: 'k...@redhat.com', obfuscated: true });
  });
  test('pipermail "user at domain (Name)" from the perceval corpus', () => {
    const mbox = readFileSync(resolve(PEERS_DIR, 'perceval/pipermail/pipermail_2016_april.mbox'), 'latin1');
    const line = /^From: (.*)$/m.exec(mbox);
    assert.ok(line);
    assert.deepEqual(parseAddress(line[1]), {
      name: 'Jesus M. Gonzalez-Barahona',
      address: 'jgb@example.com',
      obfuscated: true,
    });
    assert.deepEqual(parseAddress('jgb at example.com ( Jesus M. Gonzalez-Barahona )').name, 'Jesus M. Gonzalez-Barahona');
  });
  test('mail-archive stripped <> leaves only the name', () => {
    assert.deepEqual(parseAddress('Qian Cai '), { name: 'Qian Cai', address: null, obfuscated: true });
    assert.deepEqual(parseAddress(''), { name: null, address: null, obfuscated: false });
    assert.deepEqual(parseAddress('undisclosed-recipients:;'), { name: null, address: null, obfuscated: false });
    assert.equal(parseAddress('friends: Will Deacon <will@kernel.org>;').name, 'Will Deacon');
  });
  test('HTML-mangled address from the b4 htmljunk corpus', () => {
    const mbox = readFileSync(resolve(PEERS_DIR, 'b4/trailers-followup-htmljunk.mbox'), 'utf8');
    const line = /^Reviewed-by: (.*mailto.*)$/m.exec(mbox);
    assert.ok(line);
    assert.deepEqual(parseAddress(line[1]), {
      name: 'HTML Junker',
      address: 'html-junker@example.com',
      obfuscated: false,
    });
    assert.equal(parseAddress('a@b.org<mailto:a@b.org>').address, 'a@b.org');
  });
  test('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const a = parseAddress(s);
        assert.ok(a.address === null || a.address === a.address.toLowerCase());
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseAddress on the peer corpus', () => {
  test('every From header that is not an undecoded RFC 2047 word yields a lower-case address', () => {
    const all = corpusHeaderValues('From').filter((f) => !f.value.includes('=?'));
    assert.ok(all.length > 350, `${all.length} From headers`);
    const missing = all.filter((f) => {
      const a = parseAddress(f.value);
      return a.address === null || a.address !== a.address.toLowerCase() || !a.address.includes('@');
    });
    assert.deepEqual(missing, []);
  });
});

describe('parseAddress on mutated input', () => {
  test('never throws on mutated real From headers', () => {
    const real = corpusHeaderValues('From').map((f) => f.value);
    fc.assert(
      fc.property(mutated(real), (s) => {
        const a = parseAddress(s);
        assert.ok(a.address === null || a.address === a.address.toLowerCase());
        assert.ok(Array.isArray(parseAddressList(`${s}, ${s}`)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseAddressList', () => {
  test('unquoted comma in a name joins back', () => {
    const l = parseAddressList('Saidi, Ali <ali.saidi@arm.com>, Will Deacon <will@kernel.org>');
    assert.deepEqual(
      l.map((a) => [a.name, a.address]),
      [
        ['Saidi, Ali', 'ali.saidi@arm.com'],
        ['Will Deacon', 'will@kernel.org'],
      ],
    );
  });
  test('quoted commas, groups and bare addresses', () => {
    const l = parseAddressList('"Saidi, Ali" <a@b.c>, x@y.z; undisclosed-recipients:;');
    assert.deepEqual(
      l.map((a) => a.address),
      ['a@b.c', 'x@y.z'],
    );
    assert.deepEqual(parseAddressList(''), []);
  });
  test('name-only lists from mail-archive dumps', () => {
    const l = parseAddressList('Qian Cai , David Hildenbrand ');
    assert.deepEqual(
      l.map((a) => a.name),
      ['Qian Cai', 'David Hildenbrand'],
    );
  });
  test('never throws on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        assert.ok(Array.isArray(parseAddressList(s)));
      }),
      { numRuns: 500 },
    );
  });
});
