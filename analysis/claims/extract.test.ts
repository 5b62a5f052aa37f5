// Acceptance claims, extracted end to end from the raw seed files through the project's ingest
// (archive-page parsers, flat-RFC822 recovery, RFC822 parsing, body segmentation).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Message } from '../../ingest/model.js';
import { recoverFlatRfc822 } from '../../ingest/sources/flatRfc822.js';
import { parseLkmlDump } from '../../ingest/sources/lkml.js';
import { parseMailArchiveDump } from '../../ingest/sources/mailArchive.js';
import { parseRfc822 } from '../../ingest/parse/rfc822.js';
import { loadLabelled } from './dataset.js';
import { extractClaims, isConfigDump } from './extract.js';
import { inputFromMessageBody } from './fromSegments.js';
import { CLAIM_KINDS, type Claim } from './types.js';

const ROOT = resolve(import.meta.dirname, '../..');
const sample = (name: string): string => readFileSync(resolve(ROOT, 'data/samples', name), 'utf8');

/** Claims of every message of a mail-archive.com page; older messages (later on the page) are known quotes. */
function pageClaims(name: string): Array<{ message: Message; claims: Claim[] }> {
  const { messages } = parseMailArchiveDump(sample(name), name);
  return messages.map((message, i) => {
    const older = messages.slice(i + 1).map((m) => m.body);
    return { message, claims: extractClaims(inputFromMessageBody(message.msgid, message.body, { knownQuotes: older })) };
  });
}

function lkmlClaims(name: string): { message: Message; claims: Claim[] } {
  const { messages } = parseLkmlDump(sample(name), name);
  assert.equal(messages.length, 1);
  const [message] = messages;
  return { message, claims: extractClaims(inputFromMessageBody(message.msgid, message.body), { includeQuoted: true }) };
}

function find(found: Array<{ message: Message; claims: Claim[] }>, text: string): { message: Message; claim: Claim } {
  for (const { message, claims } of found) {
    const claim = claims.find((c) => c.text === text);
    if (claim) return { message, claim };
  }
  assert.fail(`not extracted: ${text}`);
}

/** The claim's text is exactly what its recorded lines and columns hold. */
function assertProvenance(message: Message, claim: Claim): void {
  const lines = message.body.split('\n').map((l) => l.replace(/\r$/, ''));
  const { start, end, startCol, endCol } = claim.lines;
  const pieces: string[] = [];
  for (let ln = start; ln <= end; ln++) pieces.push(lines[ln].slice(ln === start ? startCol : 0, ln === end ? endCol : undefined));
  const rebuilt = pieces
    .map((p) => p.replace(/^\s?(?:>\s?)*/, '').trim())
    .filter((p) => p !== '')
    .join(' ')
    .replace(/\s+/g, ' ');
  assert.equal(rebuilt, claim.text);
  assert.equal(claim.id, `${message.msgid}#${claim.sentenceIndex}`);
  assert.ok((CLAIM_KINDS as readonly string[]).includes(claim.kind));
  assert.ok(claim.confidence > 0 && claim.confidence <= 1);
}

function entityNames(claim: Claim): string[] {
  return claim.entities.map((e) => `${e.kind}:${e.name}`);
}

function goldKind(text: string): string | undefined {
  return loadLabelled().find((r) => r.text === text)?.kind;
}

describe('acceptance claims, seed 000 (arm64 pfn_valid, mail-archive.com)', () => {
  const page = pageClaims('000_e39e1c1dbf3cb047.txt');

  test("Will Deacon: __pfn_to_section() is called before pfn_to_section_nr() is checked", () => {
    const text =
      'The case I wondered about was __pfn_to_section() with a bogus pfn, since with patch 2/2 we call that *before* checking that pfn_to_section_nr() is sane.';
    const { message, claim } = find(page, text);
    assert.equal(message.from.name, 'Will Deacon');
    assertProvenance(message, claim);
    assert.equal(claim.origin, 'own');
    assert.deepEqual(entityNames(claim), ['function:__pfn_to_section', 'function:pfn_to_section_nr']);
    assert.equal(claim.answers?.kind, 'claim');
    assert.equal(claim.answers?.text, 'Another situation could be that pfn_valid() returns true when no memory is mapped for that pfn.');
    assert.equal(goldKind(text), 'concern');
  });

  test('Anshuman Khandual: "Right, that is problematic" agrees with the quoted concern', () => {
    const { message, claim } = find(page, 'Right, that is problematic.');
    assert.equal(message.from.name, 'Anshuman Khandual');
    assertProvenance(message, claim);
    assert.equal(claim.stance, 'agrees');
    assert.ok(claim.answers?.text.startsWith('The case I wondered about was __pfn_to_section()'));
  });

  test('Anshuman Khandual: pfn_valid() fails for ZONE_DEVICE memory (patch description)', () => {
    const text = 'But currently pfn_valid() fails for all ZONE_DEVICE based memory types even though they have struct page mapping.';
    const { message, claim } = find(page, text);
    assertProvenance(message, claim);
    assert.deepEqual(entityNames(claim), ['function:pfn_valid', 'zone:ZONE_DEVICE', 'struct:page']);
    assert.equal(claim.answers, null);
    assert.equal(goldKind(text), 'concern');
  });

  test('David Hildenbrand: only hotplugged sections set SECTION_HAS_MEM_MAP without SECTION_IS_EARLY (quote markers lost)', () => {
    const text =
      'Only hotplugged sections (DIMMs, dax/kmem) set SECTION_HAS_MEM_MAP without SECTION_IS_EARLY - which is correct, because these are not early.';
    const { message, claim } = find(page, text);
    assert.equal(message.from.name, 'David Hildenbrand');
    assert.equal(message.date?.slice(0, 10), '2021-02-11');
    assertProvenance(message, claim);
    assert.equal(claim.origin, 'own');
    assert.deepEqual(entityNames(claim), ['flag:SECTION_HAS_MEM_MAP', 'flag:SECTION_IS_EARLY']);
    assert.equal(goldKind(text), 'assertion');
  });
});

describe('acceptance claims, seed 001 (flattened RFC822)', () => {
  test("David Hildenbrand (quoted by Dan Williams): after memunmap with poisoning pfn_to_online_page() may return a page that BUG_ONs", async () => {
    const bytes = recoverFlatRfc822(sample('001_3ff6e6a83da12ccf.txt'));
    assert.ok(bytes);
    const message = await parseRfc822(bytes, { source: '001', format: 'flat-rfc822', offset: 0 });
    const claims = extractClaims(inputFromMessageBody(message.msgid, message.body), { includeQuoted: true });
    const text = 'pfn_to_online_page() might return something that will BUG_ON via page_to_nid() etc.';
    const { claim } = find([{ message, claims }], text);
    assertProvenance(message, claim);
    assert.equal(claim.origin, 'quoted');
    assert.ok(claim.quoteDepth >= 2);
    assert.deepEqual(entityNames(claim), ['function:pfn_to_online_page', 'macro:BUG_ON', 'function:page_to_nid']);
    const lines = message.body.split('\n');
    assert.ok(lines.slice(claim.lines.start - 3, claim.lines.start).some((l) => l.includes('After memunmap (poisioning):')));
    assert.equal(goldKind(text), 'concern');
    const own = claims.find((c) => c.text.startsWith('Good eye, I glazed over'));
    assert.ok(own);
    assert.equal(own.origin, 'own');
    assert.equal(own.stance, 'agrees');
  });
});

describe('acceptance claims, seed 003 (arm64 vmemmap WARN, lkml.org)', () => {
  const found = [lkmlClaims('003_71958f29ad8d687f.txt')];

  test("Ard Biesheuvel's three pfn_to_page() ranges", () => {
    const ranges: Array<[string, string[]]> = [
      [
        'So the PFN associated with the first usable DRAM address is 0x800_0000, and pfn_to_page(0x800_0000) will return VMEMMAP_START.',
        ['literal:0x8000000', 'function:pfn_to_page', 'literal:0x8000000', 'macro:VMEMMAP_START'],
      ],
      [
        'pfn_to_page(x) for values 0xc00_0000 < x < 0x1000_0000 will produce a kernel VA that points outside the region set aside for the vmemmap.',
        ['function:pfn_to_page', 'literal:0xc000000', 'literal:0x10000000'],
      ],
      [
        'pfn_to_page(x) for any x >= 0x1000_0000 will wrap around and produce a bogus address in the user range.',
        ['function:pfn_to_page', 'literal:0x10000000'],
      ],
    ];
    for (const [text, entities] of ranges) {
      const { message, claim } = find(found, text);
      assertProvenance(message, claim);
      assert.equal(claim.origin, 'own');
      assert.deepEqual(entityNames(claim), entities);
      assert.equal(goldKind(text), 'assertion');
    }
  });

  test('John Hubbard: the warning is a false positive; Ard disagrees', () => {
    const john = find(found, 'So, the warning is a false positive for this case.');
    assertProvenance(john.message, john.claim);
    assert.equal(john.claim.origin, 'quoted');
    assert.equal(john.claim.quoteDepth, 3);
    assert.equal(goldKind(john.claim.text), 'assertion');
    const ard = find(found, "I don't think this is a false positive.");
    assert.equal(ard.claim.quoteDepth, 2);
    assert.equal(ard.claim.stance, 'disagrees');
    assert.equal(ard.claim.answers?.text, 'Therefore, skip the warning if CONFIG_DEVICE_PRIVATE is set.');
  });
});

describe('acceptance claims, seed 004 (ZONE_DEVICE reserved struct pages, lkml.org)', () => {
  test('David Hildenbrand: #3 and #4 cannot be detected; PFN walkers can stumble over uninitialized memmaps', () => {
    const found = [lkmlClaims('004_eeb55a53d6283a53.txt')];
    for (const text of ["#3 and #4 can't be detected.", 'The PFN walker could still stumble over uninitialized memmaps.']) {
      const { message, claim } = find(found, text);
      assertProvenance(message, claim);
      assert.equal(claim.origin, 'quoted');
      assert.equal(claim.quoteDepth, 1);
      assert.equal(goldKind(text), 'concern');
    }
  });
});

describe('acceptance claims, seed 002 (Dan Williams, libnvdimm locking)', () => {
  const page = pageClaims('002_3e7a4c28e30b5ca3.txt');

  test('device_lock and nvdimm_bus_list_mutex claims carry their lock entities', () => {
    const expectations: Array<[string, string[]]> = [
      [
        'In preparation for fixing a deadlock between wait_for_bus_probe_idle() and the nvdimm_bus_list_mutex arrange for __nd_ioctl() without nvdimm_bus_list_mutex held.',
        ['lock:nvdimm_bus_list_mutex'],
      ],
      ['Fix this deadlock by not holding the namespace device_lock over the wait_nvdimm_bus_probe_idle() synchronization step.', ['lock:device_lock']],
      [
        'In turn this requires the device_lock to be held on entry to wait_nvdimm_bus_probe_idle() and subsequently dropped internally to wait_nvdimm_bus_probe_idle().',
        ['lock:device_lock'],
      ],
      ['The lack of lockdep coverage for device_lock() stymied the debug.', ['lock:lockdep', 'lock:device_lock']],
    ];
    for (const [text, locks] of expectations) {
      const { message, claim } = find(page, text);
      assert.equal(message.from.name, 'Dan Williams');
      assertProvenance(message, claim);
      for (const lock of locks) assert.ok(entityNames(claim).includes(lock), `${lock} in ${text}`);
      assert.ok(goldKind(text));
    }
  });
});

describe('what a claim answers, when the quote above it ends in words that are no sentence', () => {
  // Seed 002: Subash's reply (quoted by Dan Williams) sits under Dan's earlier mail, quoted down
  // to its sign-off "Dan"; what Subash answers is Dan's last sentence, not his name.
  const { messages } = parseMailArchiveDump(sample('002_3e7a4c28e30b5ca3.txt'), '002_3e7a4c28e30b5ca3.txt');
  const found = messages.map((message) => ({ message, claims: extractClaims(inputFromMessageBody(message.msgid, message.body), { includeQuoted: true }) }));

  test('a sign-off at the end of the quote is skipped', () => {
    const { message, claim } = find(found, 'AFAIK, they do not have much in common (apart from sending & receiving MAP packets from hardware).');
    assertProvenance(message, claim);
    assert.equal(claim.answers?.kind, 'claim');
    assert.equal(claim.answers?.text, "I don't want to see two different ways to get QMAP packets to modem firmware from two different drivers that really could use the same code.");
  });
});

describe('pasted kernel configurations are not claims', () => {
  // A bug report on the nvdimm list inlined its .config into the body; the dump named
  // CONFIG_PAGE_POISONING and was linked to a check as if someone had asserted it. The body here
  // is written for the test (the archive is not shipped); the option names are the kernel's.
  const body = [
    'With CONFIG_PAGE_POISONING=y the test hangs in memunmap_pages(), but only on the second run.',
    '',
    '#',
    '# Memory Debugging',
    '#',
    '# CONFIG_PAGE_EXTENSION is not set',
    '# CONFIG_DEBUG_PAGEALLOC is not set',
    'CONFIG_SLUB_DEBUG=y',
    '# CONFIG_PAGE_OWNER is not set',
    'CONFIG_PAGE_POISONING=y',
    'CONFIG_DEBUG_VM=y',
  ].join('\n');

  test('the prose sentence is read, the configuration block is not', () => {
    const claims = extractClaims(inputFromMessageBody('<config-dump@test>', body));
    assert.ok(claims.some((c) => c.text.startsWith('With CONFIG_PAGE_POISONING=y the test hangs')), JSON.stringify(claims.map((c) => c.text)));
    assert.ok(claims.every((c) => !c.text.includes('is not set')), JSON.stringify(claims.map((c) => c.text)));
  });

  test('a sentence that merely names options is still prose', () => {
    assert.equal(isConfigDump('These patches pass the stress test with CONFIG_PROVE_LOCKING=y and CONFIG_DEBUG_VM=y.'), false);
    assert.equal(isConfigDump('# CONFIG_PAGE_OWNER is not set CONFIG_PAGE_POISONING=y CONFIG_DEBUG_VM=y'), true);
  });
});
