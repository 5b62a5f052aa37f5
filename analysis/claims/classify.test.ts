import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClaimClassifier, OVERRIDES, isCodeLine, isDrawnTable, isFormText, isProse, isTitleList } from './classify.js';
import { loadLabelled } from './dataset.js';
import { findEntities } from './entities.js';
import { claimFeatures } from './features.js';
import { shownConcernCandidate } from './model.js';

const train = loadLabelled().filter((r) => r.split === 'train');
const classifier = ClaimClassifier.train(train, (t) => findEntities(t));
const classify = (text: string): ReturnType<ClaimClassifier['classify']> => classifier.classify(text, findEntities(text));

describe('claim classifier', () => {
  test('trailers and NAKs are decided by rule', () => {
    assert.deepEqual(classify('Acked-by: Jane Doe <jane@example.com>'), { kind: 'agreement', confidence: 0.98, by: 'rule' });
    assert.equal(classify('NAK, this breaks the ABI.').kind, 'nak');
    assert.equal(classify('Nacked-by: Jane Doe').kind, 'nak');
  });

  test('a NAK is one the writer gives, not a NAK talked about (sentences of kvmarm review mail)', () => {
    for (const given of ['NAK.', 'But in any case, I must NAK this completely opaque and mysterious change.', "I'm sorry, but NAK on this completely bizarre twisting of the user space API.", 'NAK to this specifically.', 'In sort: NACK for atmel-mci.']) {
      assert.equal(classify(given).kind, 'nak', given);
    }
    for (const mentioned of [
      "I agree that if there's a hard NACK for APF for whatever reason, the whole host-side code is pointless (including SDEI virtualization); but I would like to read more about it.",
      'CC: Gavin Shan <gshan@redhat.com> NAK-bait-for: Marc Zyngier <maz@kernel.org> Signed-off-by: James Morse <james.morse@arm.com>',
      'Marc NACKed the previous version.',
      'Is that a NAK?',
      'The controller sends a NACK after the last byte.',
    ]) {
      assert.notEqual(classify(mentioned).kind, 'nak', mentioned);
    }
  });

  test('unambiguous review phrasings override the model', () => {
    const cases: Array<[string, string]> = [
      ['This looks wrong.', 'concern'],
      ['I worry that the lock is dropped too early here.', 'concern'],
      ['Your change would break every caller that passes a NULL page.', 'concern'],
      ['How about this:', 'suggestion'],
      ["I'd suggest a WARN_ON_ONCE() instead.", 'suggestion'],
      ['Looks good to me.', 'agreement'],
      ['Makes sense, thanks.', 'agreement'],
    ];
    for (const [text, kind] of cases) {
      const c = classify(text);
      assert.equal(c.kind, kind, text);
      assert.equal(c.by, 'rule', text);
    }
  });

  test('suggestion and agreement overrides leave questions to the model; no override reads bot reports or logs', () => {
    assert.equal(classify('Why not take the lock in the caller?').by, 'model');
    assert.equal(classify('Looks good to me, but did you test it on arm64?').by, 'model');
    // A concern may be put as a question ("might break that or am I missing something?").
    assert.deepEqual([classify('Your patch might break that, or am I missing something?').kind, classify('Your patch might break that, or am I missing something?').by], ['concern', 'rule']);
    assert.equal(classify('[auto build test WARNING on linus/master] this is broken').by, 'model');
    assert.equal(classify('| ^~~~~~~~ looks wrong').by, 'model');
    // A build log is not prose: kvmarm's kernel test robot quoted these, and they were read as concerns.
    for (const log of ["arch/arm64/kvm/hyp-init.S:149: Error: invalid operands (*ABS* and *UND* sections) for `|'", 'arch/arm64/kvm/hyp/pgtable.c:1208:9: sparse: sparse: incorrect type in argument 3 (different address spaces) @@ expected unsigned long long [noderef]']) {
      assert.ok(!isProse(log), log);
      assert.equal(classify(log).kind, 'none', log);
    }
    assert.ok(isProse('The build is broken on arm64: see the error below.'));
    // A tool's form text is no claim (linuxppc-dev: Mark Brown's "Applied to …" notice, and
    // modpost's advice quoted in a commit message).
    for (const form of [
      'All being well this means that it will be integrated into the linux-next tree (usually sometime in the next 24 hours) and sent to Linus during the next merge window (or sooner if it is a bug fix), however if problems are discovered then the patch may be dropped or reverted.',
      'You may get further e-mails resulting from automated or manual testing and review of the tree, please engage with people reporting problems and send followup patches addressing any issues that are reported if needed.',
      'Please add any relevant lists and maintainers to the CCs when replying to this mail.',
      'This is often because xive_setup_cpu_ipi lacks a __init annotation or the annotation of xive_request_ipi is wrong.',
    ]) {
      assert.ok(isFormText(form), form);
      assert.deepEqual(classify(form), { kind: 'none', confidence: 1, by: 'rule' }, form);
    }
    assert.ok(!isFormText('If problems are discovered then the patch may be dropped, which is wrong here.'));
    // Pasted C is no claim: every train sentence ending in `;`, `{` or `}` is labelled `none`, and
    // `break;` from a pasted loop (linux-riscv) carries the concern cue "break".
    const code = train.filter((r) => /[;{}]$/.test(r.text.trim()));
    assert.ok(code.length >= 180 && code.every((r) => r.kind === 'none'));
    for (const line of ['break;', '+ if (is_zone_device_page(page)) {', 'struct dev_dax {', '}']) {
      assert.ok(isCodeLine(line), line);
      assert.deepEqual(classify(line), { kind: 'none', confidence: 1, by: 'rule' }, line);
    }
    assert.ok(!isCodeLine('This will break the build on arm64.'));
    // A question put to the reader asks about a problem; the concern override leaves it to the
    // model (linux-efi). In train, the 7 sentences that open and end this way are questions and
    // suggestions, none a concern.
    for (const q of ['What do you feel is wrong with it?', 'Could you give an example of how it could break?']) {
      const c = classify(q);
      assert.ok(!(c.kind === 'concern' && c.by === 'rule'), q);
    }
    assert.deepEqual(classify('The real reason I am replying is that this patch is horribly buggy.').by, 'rule');
    // Commit titles run together (a pull request's shortlog, linux-efi) are no claim; trailers are
    // still acks, and two titles in a sentence are prose.
    const shortlog = 'efi/x86: re-disable RT services for 32-bit kernels running on 64-bit EFI efi/x86: map the entire EFI vendor string before copying it efi/x86: avoid redundant cast of EFI firmware service pointer';
    assert.ok(isTitleList(shortlog));
    assert.deepEqual(classify(shortlog), { kind: 'none', confidence: 1, by: 'rule' });
    assert.ok(train.filter((r) => isTitleList(r.text)).every((r) => r.kind === 'none'));
    assert.equal(classify('Acked-by: Jane Doe <jane@example.com>').kind, 'agreement');
    assert.ok(!isTitleList('The fix in mm/sparse: section_activate() is wrong, and arm64: the same.'));
    // Two call chains drawn side by side (linux-s390) are no claim.
    const drawn = 'memory_offline() | -> offline_pages() | -> mem_hotplug_begin() | ... | -> mem_hotplug_done() | | kmemleak_scan() | -> get_online_mems()';
    assert.ok(isDrawnTable(drawn));
    assert.deepEqual(classify(drawn), { kind: 'none', confidence: 1, by: 'rule' });
    assert.ok(train.filter((r) => isDrawnTable(r.text)).every((r) => r.kind === 'none'));
    assert.ok(!isDrawnTable('Use a || b here, or a | b for the flags.'));
    assert.ok(OVERRIDES.every((o) => o.confidence > 0.5 && o.confidence < 1));
  });

  test('the model never predicts nak (two examples in the corpus; a rule decides it)', () => {
    for (const row of train.filter((r) => r.kind === 'nak')) assert.notEqual(classifier.posteriors(row.text, [])[0].kind, 'nak');
    assert.ok(classifier.posteriors('Please do not.', []).every((p) => p.kind !== 'nak'));
  });

  test('posteriors are a distribution, highest first, and survive save/restore', () => {
    const text = 'pfn_valid() returns true for a section whose memmap was never initialised.';
    const post = classifier.posteriors(text, findEntities(text));
    assert.ok(Math.abs(post.reduce((s, p) => s + p.p, 0) - 1) < 1e-9);
    for (let i = 1; i < post.length; i++) assert.ok(post[i - 1].p >= post[i].p);
    const restored = ClaimClassifier.restore(JSON.parse(JSON.stringify(classifier.toJSON())));
    assert.deepEqual(restored.posteriors(text, findEntities(text)), post);
    assert.throws(() => ClaimClassifier.restore({ ...classifier.toJSON(), version: 1 as unknown as 2 }));
  });

  test('claim features: masked entities, bigrams, cues and shape', () => {
    const text = 'Right, that is problematic.';
    const f = claimFeatures(text, findEntities(text));
    assert.ok(f.has('cue:concernPhrase') && f.has('cue:strongConcern') && f.has('b:is_problemat'));
    const code = 'if (pfn_valid(pfn)) {';
    const g = claimFeatures(code, findEntities(code));
    assert.ok(g.has('w:entxfunction') && g.has('shape:code') && g.has('ent:one'));
    assert.ok(!claimFeatures(text, [], { bigrams: false }).has('b:is_problemat'));
  });

  test('a strongConcern phrase that objects to nothing in the patch is left to the model', () => {
    assert.equal(classify("I've tried it, but I'm concerned that I'm missing something.").by, 'model');
    assert.equal(classify('Keep the field, as removing it would break migration.').by, 'model');
    assert.equal(classify('Your change would break migration.').by, 'rule');
    // Read as concerns on kvmarm before the patterns were narrowed: a state called invalid, "nothing
    // wrong", a root cause not yet found.
    for (const text of [
      'If mdev #1 doesn\'t have PASID #1 anymore, then the mdev driver can check that the PASID is invalid and can reject the page response.',
      'However, there is nothing wrong to me :)',
      'Not able to root cause the problem yet.',
      'No worries, glad we were able to root-cause the problem quickly enough.',
      "If the architecture prevented MAP_SHARED, we would have prevented PROT_MTE on them (well, it's not too late to do this ;)).",
      'My assumption is completely wrong I suppose.',
      "I'm not saying that your approach is incorrect, but the commit message should explain what memory accesses are being ordered relative to each other and why.",
      'What made you get the idea that I was asserting that the author is wrong?',
      'If kvm-unit-test is the wrong place for it, we would probably want to have a separate testing framework.',
    ]) {
      assert.notEqual(classify(text).by, 'rule', text);
    }
    // Nor is any of them, or a worry about one's own test, shown as a [sure] concern.
    for (const text of [
      'My assumption is completely wrong I suppose.',
      'What made you get the idea that I was asserting that the author is wrong?',
      "I'm not sure if there is something wrong in my test.",
      'If it is not right, please just ignore it.',
      "I don't think it would break anything, only potential performance regression.",
      'As you mentioned nothing bad will happen (to the host) if this is wrong, so I didn\'t see the need to enforce that the memory is setup first.',
    ]) {
      assert.ok(!shownConcernCandidate({ kind: 'concern', text }), text);
    }
    assert.equal(classify('Those checks are invalid, dax pages do not originate from the slab.').by, 'rule');
  });

  test('prose that says what can go wrong is never dropped as none', () => {
    const text = 'pfn_to_online_page() might return something that will BUG_ON via page_to_nid() etc.';
    assert.notEqual(classifier.classify(text, findEntities(text), { depth: 0, answers: null }).kind, 'none');
  });
});
