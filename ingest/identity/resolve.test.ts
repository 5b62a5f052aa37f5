import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { parseMailArchiveDump } from '../sources/mailArchive.js';
import { readMboxMessages } from '../series/testMbox.js';
import { observationsOf, resolveIdentities, type Person } from './resolve.js';
import { nameKey, domainFamily, localFamilyKey } from './names.js';

const LFDR = resolve(PEERS_DIR, 'lfdr-list-archives');

async function lfdr(...files: string[]) {
  const out = [];
  for (const f of files) out.push(...(await readMboxMessages(resolve(LFDR, f))));
  return out;
}

function personWith(persons: Person[], address: string): Person {
  const p = persons.find((x) => x.addresses.includes(address));
  assert.ok(p, `a person with ${address}`);
  return p;
}

describe('name keys', () => {
  test('Last, First is reordered; initials and notes are dropped', () => {
    assert.deepEqual(nameKey('Saidi, Ali'), { key: 'ali saidi', reordered: true, words: 2 });
    assert.deepEqual(nameKey('Verma, Vishal L'), { key: 'vishal verma', reordered: true, words: 2 });
    assert.deepEqual(nameKey('Followup Reviewer1 (corporate)'), { key: 'followup reviewer1', reordered: false, words: 2 });
    assert.equal(nameKey('kbusch@kernel.org'), null);
    assert.equal(domainFamily('amazon.co.uk'), 'amazon');
    assert.equal(domainFamily('lists.infradead.org'), 'infradead');
    assert.equal(localFamilyKey('dwmw@amazon.co.uk'), 'dwmw@amazon');
    // Accounts at public providers and role addresses never merge on the local part.
    assert.equal(localFamilyKey('stephenfinucane@gmail.com'), null);
    assert.equal(localFamilyKey('lkp@intel.com'), null);
  });
});

describe('one person across addresses and name forms (lfdr list archives)', () => {
  test('lakml: "Saidi, Ali" and "Ali Saidi" are one person, and the reordering is the recorded reason', async () => {
    const { persons } = resolveIdentities(observationsOf(await lfdr('lakml-gic-v3-its-disabled-irq-2020.mbox')));
    const ali = personWith(persons, 'alisaidi@amazon.com');
    assert.deepEqual(ali.addresses, ['alisaidi@amazon.com']);
    assert.ok(ali.names.includes('Ali Saidi') && ali.names.includes('Saidi, Ali'));
    // One To: header writes the RFC 5322 quoted pair `"Saidi\, Ali"`, which the header parser keeps.
    assert.ok(ali.names.every((n) => nameKey(n)?.key === 'ali saidi'));
    assert.equal(ali.name, 'Ali Saidi');
    assert.equal(ali.reasons[0].rule, 'same-address');
    assert.ok(ali.reasons.slice(1).every((r) => r.rule === 'last-first'));
    assert.ok(ali.reasons.some((r) => r.detail === '"Saidi, Ali" is "Ali Saidi" written Last, First (alisaidi@amazon.com)'));
    assert.equal(persons.filter((p) => p.names.some((n) => nameKey(n)?.key === 'ali saidi')).length, 1);
  });

  test('lakml: "Herrenschmidt, Benjamin" is found by "Benjamin Herrenschmidt" without an address', async () => {
    const ids = resolveIdentities(observationsOf(await lfdr('lakml-gic-v3-its-disabled-irq-2020.mbox')));
    assert.equal(ids.lookup('Benjamin Herrenschmidt', null), 'person:benh@amazon.com');
    assert.equal(ids.lookup('Herrenschmidt, Benjamin', 'benh@amazon.com'), 'person:benh@amazon.com');
  });

  test('lakml: dwmw@amazon.com and "Woodhouse, David" <dwmw@amazon.co.uk>: same local part in one domain family', async () => {
    const { persons } = resolveIdentities(observationsOf(await lfdr('lakml-gic-v3-its-disabled-irq-2020.mbox')));
    const dwmw = personWith(persons, 'dwmw@amazon.com');
    assert.deepEqual(dwmw.addresses, ['dwmw@amazon.co.uk', 'dwmw@amazon.com']);
    assert.deepEqual(dwmw.reasons.map((r) => r.rule), ['local-part-domain-family']);
    assert.match(dwmw.reasons[0].detail, /same local part in the amazon domain family \(one side has no name\)/);
  });

  test('nvdimm: Keith Busch at kernel.org and meta.com is one person (same name)', async () => {
    const { persons } = resolveIdentities(observationsOf(await lfdr('nvdimm-btt-block-integrity-2024.mbox')));
    const keith = personWith(persons, 'kbusch@meta.com');
    assert.deepEqual(keith.addresses, ['kbusch@kernel.org', 'kbusch@meta.com']);
    assert.equal(keith.id, 'person:kbusch@kernel.org');
    assert.deepEqual(keith.reasons.map((r) => r.rule), ['same-name']);
    assert.match(keith.reasons[0].detail, /share the name "keith busch"/);
  });

  test('nvdimm: "Verma, Vishal L" and "Williams, Dan J" resolve to the addressed persons', async () => {
    const ids = resolveIdentities(observationsOf(await lfdr('nvdimm-btt-block-integrity-2024.mbox')));
    assert.equal(ids.lookup('Vishal Verma', null), 'person:vishal.l.verma@intel.com');
    const dan = personWith(ids.persons, 'dan.j.williams@intel.com');
    assert.equal(dan.name, 'Dan Williams');
    assert.ok(dan.reasons.some((r) => r.rule === 'last-first' && r.detail.includes('"Williams, Dan J" is "Dan Williams"')));
  });

  test('three archives together: people stay apart when only a first name is shared', async () => {
    const obs = observationsOf(
      await lfdr('lakml-gic-v3-its-disabled-irq-2020.mbox', 'nvdimm-btt-block-integrity-2024.mbox', 'kvmarm-pmu-disabled-counters-2021.mbox'),
    );
    // Name-only sightings as text dumps give them (the mail-archive seed writes "Thread David Hildenbrand").
    obs.push({ name: 'David Hildenbrand', address: null }, { name: 'David', address: null }, { name: 'Dan', address: null });
    obs.push({ name: 'David Hildenbrand', address: 'david@redhat.com' }, { name: 'David Hildenbrand', address: 'dhildenb@redhat.com' });
    const ids = resolveIdentities(obs);
    const david = personWith(ids.persons, 'david@redhat.com');
    assert.deepEqual(david.addresses, ['david@redhat.com', 'dhildenb@redhat.com']);
    assert.deepEqual(david.reasons.map((r) => r.rule), ['same-name', 'name-only']);
    assert.notEqual(ids.lookup('Woodhouse, David', null), david.id);
    assert.equal(ids.lookup('David', null), 'person:name:david');
    assert.equal(ids.lookup('Dan', null), 'person:name:dan');
    assert.notEqual(ids.lookup('Dan Williams', null), ids.lookup('Dave Jiang', null));
    // Marc Zyngier writes to both arm lists from one address: one person.
    assert.equal(ids.persons.filter((p) => p.addresses.includes('maz@kernel.org')).length, 1);
    const people = ids.persons.filter((p) => p.names.some((n) => nameKey(n)?.key.startsWith('david ')));
    assert.equal(people.length, 2);
  });
});

describe('names without addresses (seed 002, a mail-archive.com author archive)', () => {
  const seed = parseMailArchiveDump(readFileSync(SEED.danAuthorArchive, 'utf8'), SEED.danAuthorArchive).messages;

  test('the archive has names only: its senders and trailer persons carry no address', () => {
    const obs = observationsOf(seed, { trailers: true });
    assert.ok(obs.length > 100);
    assert.ok(obs.every((o) => o.address === null));
    assert.ok(obs.some((o) => o.name === 'David Hildenbrand'));
  });

  test('"Dan Williams" without address joins the one addressed Dan Williams of the nvdimm archive', async () => {
    const nvdimm = await lfdr('nvdimm-btt-block-integrity-2024.mbox');
    const ids = resolveIdentities(observationsOf([...seed, ...nvdimm], { trailers: true }));
    const dan = personWith(ids.persons, 'dan.j.williams@intel.com');
    assert.ok(dan.reasons.some((r) => r.rule === 'name-only' && r.detail === '"Dan Williams" (no address) matches the only person named "dan williams"'));
    assert.equal(ids.lookup('Dan Williams', null), 'person:dan.j.williams@intel.com');
    // Seen only without an address here: a person of its own, never merged with another David.
    const lakml = await lfdr('lakml-gic-v3-its-disabled-irq-2020.mbox');
    const all = resolveIdentities(observationsOf([...seed, ...nvdimm, ...lakml], { trailers: true }));
    assert.equal(all.lookup('David Hildenbrand', null), 'person:name:david hildenbrand');
    assert.equal(all.lookup('Woodhouse, David', null), 'person:dwmw@amazon.co.uk');
    assert.equal(all.persons.filter((p) => p.names.includes('Dan Williams')).length, 1);
  });
});
