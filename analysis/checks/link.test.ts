// The linker's choices on real seed claims: kernel from the thread's date, architecture from the
// subject, the patch under review from subject and claim, the reasons recorded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED } from '../../test/fixtures.js';
import { kernelFor } from './kernels.js';
import { findEntities } from '../claims/entities.js';
import { linkClaim } from './link.js';
import { readMessages } from './messages.js';
import { claimContexts } from './pipeline.js';

describe('kernel from the thread date', () => {
  test('the release in development, the last release, and June 2019 linux-next', () => {
    assert.equal(kernelFor('2021-02-01T00:00:00Z', 'development', null).kernel, 'v5.11');
    assert.equal(kernelFor('2021-02-01T00:00:00Z', 'released', null).kernel, 'v5.10');
    assert.equal(kernelFor('2023-04-07T11:45:50Z', 'development', null).kernel, 'v6.3');
    assert.equal(kernelFor('2024-01-20T00:00:00Z', 'released', null).kernel, 'v6.7');
    assert.equal(kernelFor('2024-01-20T00:00:00Z', 'development', null).kernel, 'v6.8');
    assert.equal(kernelFor('2019-06-12T00:00:00Z', 'development', '-next').kernel, 'next-20190612');
    assert.equal(kernelFor('2019-06-12T00:00:00Z', 'released', null).kernel, null, 'v5.1 is outside the model');
    assert.match(kernelFor('2019-06-12T00:00:00Z', 'released', null).why, /outside the model's range/);
    assert.equal(kernelFor(null, 'development', null).kernel, null);
  });
});

describe('links of seed 000 claims', () => {
  const contexts = readMessages([SEED.armPfnValid]).then((ms) => claimContexts(ms));
  test('every link says why: entities, kernel, architecture, patch under review', async () => {
    const ctx = (await contexts).find((c) => c.claim.text.startsWith('The case I wondered about'));
    assert.ok(ctx);
    assert.equal(ctx.thread.arch, 'arm64');
    assert.equal(ctx.thread.date?.slice(0, 10), '2021-02-01');
    const { links, unchecked } = linkClaim(ctx);
    assert.equal(unchecked, null);
    assert.deepEqual(links.map((l) => l.check), ['pfn_valid-reads-past-mem_section']);
    const reasons = links[0].plan.reasons.join('\n');
    assert.match(reasons, /names __pfn_to_section\(\) and pfn_to_section_nr/);
    assert.match(reasons, /kernel v5\.11: posted 2021-02-01/);
    assert.match(reasons, /arm64: the subject's subsystem is arm64\/mm/);
    assert.match(reasons, /patch under review: V2 2\/2/);
    assert.deepEqual(links[0].plan.variants.map((v) => [v.role, v.variants.join('+')]), [['under-review', 'arm64-pfn-valid-v2-2of2'], ['counterfactual', 'arm64-pfn-valid-v3'], ['counterfactual', '']]);
  });
  test('a claim without entities or cues for any check is unchecked, and says so', async () => {
    const ctx = (await contexts).find((c) => c.claim.entities.length === 0 && (c.claim.kind === 'assertion' || c.claim.kind === 'concern'));
    assert.ok(ctx);
    const { links, unchecked } = linkClaim(ctx);
    assert.equal(links.length, 0);
    assert.match(unchecked ?? '', /^no check applies: the claim names no kernel entity/);
  });
  test('an agreement or a suggestion states no outcome: unchecked, whatever it names', async () => {
    const ack = (await contexts).find((c) => c.claim.text.startsWith('Sure, will respin the patch series'));
    assert.ok(ack);
    assert.equal(ack.claim.kind, 'agreement');
    assert.equal(linkClaim(ack).unchecked, 'no check applies: the claim is read as an agreement, which states no outcome to confirm or refute');
    // Will's concern, read as if it were a suggestion: the same words, the same thread, no verdict.
    const will = (await contexts).find((c) => c.claim.text.startsWith('The case I wondered about'));
    assert.ok(will);
    const asSuggestion = linkClaim({ ...will, claim: { ...will.claim, kind: 'suggestion' } });
    assert.deepEqual(asSuggestion.links, []);
    assert.match(asSuggestion.unchecked ?? '', /read as a suggestion/);
  });
  test('naming the helpers is not claiming the out-of-bounds read: the check wants the ordering or the bad access said', async () => {
    const will = (await contexts).find((c) => c.claim.text.startsWith('The case I wondered about'));
    assert.ok(will);
    // The same thread, sentences written for this test: a clean-up that reaches mem_section through
    // __pfn_to_section(), and a statement of the ordering problem.
    const say = (text: string) => linkClaim({ ...will, claim: { ...will.claim, kind: 'assertion', text, entities: findEntities(text) } });
    const cleanup = say('Use __pfn_to_section() to get the mem_section here rather than open-coding pfn_to_section_nr().');
    assert.deepEqual(cleanup.links, []);
    assert.ok(cleanup.nearMisses.some((n) => n.check === 'pfn_valid-reads-past-mem_section' && /says nothing of calling it before/.test(n.reason)), JSON.stringify(cleanup.nearMisses));
    const ordering = say('This calls __pfn_to_section() before checking pfn_to_section_nr() against NR_MEM_SECTIONS.');
    assert.deepEqual(ordering.links.map((l) => l.check), ['pfn_valid-reads-past-mem_section']);
  });
  test('a kmemleak claim needs the struct pages its scan reads, or a crash in sparsemem\'s area', async () => {
    const will = (await contexts).find((c) => c.claim.text.startsWith('The case I wondered about'));
    assert.ok(will);
    const say = (text: string) => linkClaim({ ...will, claim: { ...will.claim, kind: 'assertion', text, entities: findEntities(text) } });
    // The thread is arm64 and the check models x86_64 code, so a matching claim is a near miss
    // that says it applies; a claim the check does not match says why not.
    const reason = (text: string) => say(text).nearMisses.find((n) => n.check === 'kmemleak-poisoned-page')?.reason ?? '';
    assert.match(reason('The failure only shows with CONFIG_DEBUG_KMEMLEAK=y in the config.'), /names kmemleak without the struct pages/);
    // From linux-ext4 (2023-03-25, Baokun Li): a leak report, with "BUG" only in a quoted patch
    // title. It was once linked to this check and "refuted".
    const ext4 = 'Yi found during a review of the patch "ext4: don\'t BUG on inconsistent journal feature" that when ext4_mark_recovery_complete() returns an error value, the error handling path does not turn off the enabled quotas, which triggers the following kmemleak:';
    const inExt4 = linkClaim({ ...will, thread: { ...will.thread, title: '[PATCH 1/2] ext4: turning quotas off if mount failed after enable quotas' }, claim: { ...will.claim, kind: 'concern', text: ext4, entities: findEntities(ext4) } });
    assert.deepEqual(inExt4.links, []);
    assert.match(inExt4.nearMisses.find((n) => n.check === 'kmemleak-poisoned-page')?.reason ?? '', /names kmemleak and "BUG" outside a claim or thread about sparsemem/);
    // Qian Cai's report (seed 002) names the crash and the mm/sparsemem commit behind it.
    assert.match(reason('The linux-next commit "mm/sparsemem: Add helpers track active portions of a section at boot" [1] causes a crash below when the first kmemleak scan kthread kicks in.'), /^applies/);
    assert.match(reason('kmemleak hits a BUG on a poisoned struct page during its scan.'), /^applies, but the check models x86_64/);
  });

  test('a claim about a mechanism the model lacks gets no verdict, whatever else it names', async () => {
    // Sumanth Korikkar's race (linux-s390, 2023-11-14), said in prose: it names kmemleak and a
    // poisoned memmap, which the kmemleak check reads, but the poisoning it describes comes from
    // memmap_on_memory, which the model does not represent. It was once "refuted".
    const will = (await contexts).find((c) => c.claim.text.startsWith('The case I wondered about'));
    assert.ok(will);
    const text = 'mhp_deinit_memmap_on_memory() is not protected by mem_hotplug_begin()/done(), so kmemleak_scan() can read the poisoned vmemmap struct pages of a section being offlined.';
    const r = linkClaim({ ...will, thread: { ...will.thread, arch: 'x86_64' }, claim: { ...will.claim, kind: 'concern', text, entities: findEntities(text) } });
    assert.deepEqual(r.links, []);
    assert.match(r.unchecked ?? '', /names memmap_on_memory .*\("memmap_on_memory"\), which the sparsemem model does not represent/);
    // Without the mechanism the same words reach the check.
    const plain = 'kmemleak_scan() can read the poisoned struct pages of a section being offlined.';
    const p = linkClaim({ ...will, thread: { ...will.thread, arch: 'x86_64' }, claim: { ...will.claim, kind: 'concern', text: plain, entities: findEntities(plain) } });
    assert.ok(p.links.some((l) => l.check === 'kmemleak-poisoned-page') || p.nearMisses.some((n) => n.check === 'kmemleak-poisoned-page' && /^applies/.test(n.reason)));
  });
});
