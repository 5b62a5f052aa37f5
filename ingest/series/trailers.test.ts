import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PEERS_DIR } from '../../test/fixtures.js';
import { readMboxMessages } from './testMbox.js';
import { groupRevisions } from './group.js';
import { attributeTrailers, patchTrailers, trailerText } from './trailers.js';
import type { Message } from '../model.js';
import { observationsOf, resolveIdentities } from '../identity/resolve.js';

const B4 = resolve(PEERS_DIR, 'b4');
/** The `addmysob` goldens end with the test user's own sign-off (MANIFEST.md §1): not a follow-up. */
const OWN_SOB = 'Signed-off-by: Test Override <test-override@example.com>';

function minus(a: string[], b: string[]): string[] {
  const left = [...a];
  for (const x of b) {
    const i = left.indexOf(x);
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}

/** `copyccs` goldens add one `Cc:` per To/Cc recipient of the patch: derived from headers, not replies. */
function copiedCcs(m: Message): string[] {
  return [...m.to, ...m.cc].map((a) => `Cc: ${a.name ? `${a.name} <${a.address}>` : a.address}`);
}

// Each scenario with its reference: `-ref-defaults.txt`, except custody which only has goldens made
// with addmysob+copyccs (`-ref-unordered.txt`; its Cc lines are removed as copied recipients).
const scenarios = readdirSync(B4)
  .filter((f) => /^trailers-followup-.*\.mbox$/.test(f) && f !== 'trailers-followup-already-present.mbox')
  .map((f) => f.replace(/\.mbox$/, ''))
  .sort();

describe("follow-up trailers equal what b4's golden files add", () => {
  test('every scenario with a golden is covered', () => {
    assert.deepEqual(scenarios, [
      'trailers-followup-bare-address',
      'trailers-followup-custody',
      'trailers-followup-htmljunk',
      'trailers-followup-name-parens',
      'trailers-followup-non-git-patch',
      'trailers-followup-non-git-patch-with-comments',
      'trailers-followup-nore',
      'trailers-followup-partial-reroll',
      'trailers-followup-single',
      'trailers-followup-stripped-lines',
      'trailers-followup-with-cover',
      'trailers-followup-with-diffstat',
    ]);
  });

  for (const name of scenarios) {
    test(name, async () => {
      const input = await readMboxMessages(resolve(B4, `${name}.mbox`));
      const byId = new Map(input.map((m) => [m.msgid, m]));
      const refFile = name === 'trailers-followup-custody' ? `${name}-ref-unordered.txt` : `${name}-ref-defaults.txt`;
      const golden = await readMboxMessages(resolve(B4, refFile));
      assert.ok(golden.length > 0);
      const attributed = attributeTrailers(groupRevisions(input), input);
      for (const g of golden) {
        const orig = byId.get(g.msgid);
        assert.ok(orig, `golden patch <${g.msgid}> is in the input`);
        let added = minus(patchTrailers(g).map(trailerText), patchTrailers(orig).map(trailerText)).filter((t) => t !== OWN_SOB);
        if (refFile.endsWith('-ref-unordered.txt')) added = minus(added, copiedCcs(orig));
        const ours = attributed.filter((a) => a.patch === g.msgid && (a.status === 'applied' || a.status === 'unverified')).map((a) => a.text);
        assert.deepEqual([...ours].sort(), [...added].sort(), `<${g.msgid}>`);
        assert.ok(added.length > 0, 'the golden adds something');
      }
    });
  }
});

describe('real list threads (lfdr archives)', () => {
  const LFDR = resolve(PEERS_DIR, 'lfdr-list-archives');
  const run = async (f: string) => {
    const input = await readMboxMessages(resolve(LFDR, f));
    return attributeTrailers(groupRevisions(input), input).map((a) => [a.status, a.text, a.via]);
  };

  test("nvdimm: Dave Jiang's Reviewed-by on the btt patch, nothing else", async () => {
    assert.deepEqual(await run('nvdimm-btt-block-integrity-2024.mbox'), [
      ['applied', 'Reviewed-by: Dave Jiang <dave.jiang@intel.com>', 'patch'],
    ]);
  });

  test("lakml: the robot's Reported-by is a follow-up (as b4 collects it); its url:/base: lines are not", async () => {
    assert.deepEqual(await run('lakml-gic-v3-its-disabled-irq-2020.mbox'), [
      ['applied', 'Reported-by: kbuild test robot <lkp@intel.com>', 'patch'],
    ]);
  });

  test('kvmarm: a long review without tags gives none', async () => {
    assert.deepEqual(await run('kvmarm-pmu-disabled-counters-2021.mbox'), []);
  });
});

describe('b4 semantics, case by case', () => {
  test('single: mismatched address recorded, not applied; quoted Reviewed-by ignored', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-single.mbox'));
    const got = attributeTrailers(groupRevisions(input), input);
    assert.deepEqual(
      got.map((a) => [a.givenIn, a.text, a.status, a.via]),
      [
        ['fwup-message-1@example.com', 'Reviewed-by: Followup Reviewer1 <followup-reviewer1@example.com>', 'applied', 'patch'],
        ['fwup-message-2@example.com', 'Tested-by: Followup Reviewer2 <followup-reviewer2@example.com>', 'applied', 'patch'],
        ['fwup-message-3@example.com', 'Reviewed-by: Mismatched Reviewer1 <mismatched-reviewer1@example.net>', 'mismatched', 'patch'],
      ],
    );
    assert.match(got[1].evidence, /reply to <fwup-message-1@example.com>/);
  });

  test("single, sent from the reviewer's other address: applied on the name match, as b4 does, and said so", async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-single.mbox'));
    const elsewhere = (m: Message, name: string | null): Message =>
      m.msgid === 'fwup-message-1@example.com' ? { ...m, from: { ...m.from, name, address: 'reviewer1@elsewhere.org' } } : m;
    const attribution = (name: string | null) => {
      const mails = input.map((m) => elsewhere(m, name));
      return attributeTrailers(groupRevisions(mails), mails).find((a) => a.givenIn === 'fwup-message-1@example.com');
    };
    const same = attribution('Followup Reviewer1');
    assert.equal(same?.status, 'applied');
    assert.match(same?.evidence ?? '', /followup-reviewer1@example\.com is not the sender's reviewer1@elsewhere\.org, but the names are the same/);
    assert.equal(attribution('Someone Else')?.status, 'mismatched');
  });

  test('with-cover: a cover-letter trailer goes to both patches', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-with-cover.mbox'));
    const got = attributeTrailers(groupRevisions(input), input).filter((a) => a.via === 'cover');
    assert.deepEqual(got.map((a) => a.patch).sort(), ['patch-1-message@example.com', 'patch-2-message@example.com']);
    assert.ok(got.every((a) => a.text === 'Reviewed-by: Coverletter Reviewer1 <followup-reviewer1@example.com>'));
  });

  test('with identities, each trailer names its person: both display names of reviewer1 are one person', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-with-cover.mbox'));
    const identities = resolveIdentities(observationsOf(input, { trailers: true }));
    const got = attributeTrailers(groupRevisions(input), input, { identities });
    assert.equal(got.length, 3);
    assert.ok(got.every((a) => a.personId === 'person:followup-reviewer1@example.com'));
    const reviewer = identities.persons.find((p) => p.id === 'person:followup-reviewer1@example.com');
    assert.deepEqual([...(reviewer?.names ?? [])].sort(), ['Coverletter Reviewer1', 'Followup Reviewer1']);
  });

  test('partial re-roll: cover trailer reaches v3 2/2, the v2 2/2 trailer does not', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-partial-reroll.mbox'));
    const got = attributeTrailers(groupRevisions(input), input);
    const onV3 = got.filter((a) => a.patch === 'patch-v3-2-message@example.com');
    assert.deepEqual(onV3.map((a) => [a.givenIn, a.via]), [['fwup-message-2@example.com', 'cover']]);
    assert.match(onV3[0].evidence, /carried to the v3 partial re-roll/);
    const onV2 = got.filter((a) => a.patch === 'patch-2-message@example.com').map((a) => a.givenIn).sort();
    assert.deepEqual(onV2, ['fwup-message-1@example.com', 'fwup-message-2@example.com']);
  });

  test('already-present: restated trailers are not new; the foreign Tested-by is the only mismatch', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-followup-already-present.mbox'));
    const got = attributeTrailers(groupRevisions(input), input);
    const mismatched = got.filter((a) => a.status === 'mismatched');
    assert.deepEqual(new Set(mismatched.map((a) => a.trailer.name)), new Set(['Tested-by']));
    assert.equal(got.filter((a) => a.status === 'applied').length, 0);
  });

  test('thread with follow-ups: Reviewed-by: Follow Upper only on "Minor typo changes imitation"', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-thread-with-followups.mbox'));
    const got = attributeTrailers(groupRevisions(input), input);
    assert.deepEqual(
      got.map((a) => [a.patch, a.text, a.status]),
      [['20221025-test1-v1-4-e4f28f57990c@linuxfoundation.org', 'Reviewed-by: Follow Upper <follow.upper@example.org>', 'applied']],
    );
  });

  test('thread with cover follow-up: cover Reviewed-by on all 4 patches; 4/4 also gets Tested-by, Link, Closes', async () => {
    const input = await readMboxMessages(resolve(B4, 'trailers-thread-with-cover-followup.mbox'));
    const got = attributeTrailers(groupRevisions(input), input).filter((a) => a.status === 'applied');
    const per = new Map<string, string[]>();
    for (const a of got) per.set(a.patch, [...(per.get(a.patch) ?? []), a.trailer.name]);
    assert.equal(per.size, 4);
    for (const [patch, names] of per) {
      if (patch.includes('-v1-4-')) assert.deepEqual([...names].sort(), ['Closes', 'Link', 'Reviewed-by', 'Tested-by']);
      else assert.deepEqual(names, ['Reviewed-by']);
    }
  });
});
