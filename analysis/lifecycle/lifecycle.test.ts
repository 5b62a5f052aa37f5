// Concern lifecycles computed from real threads: seed 000 (mail-archive.com page, header-less,
// parents inferred) and a raw linux-arm-kernel thread from the lfdr corpus (real headers).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { PEERS_DIR, SEED } from '../../test/fixtures.js';
import { claimContexts } from '../checks/pipeline.js';
import { readMessages } from '../checks/messages.js';
import { concernLifecycles } from './lifecycle.js';
import type { ConcernLifecycle } from './types.js';

async function lifecyclesOf(path: string): Promise<ConcernLifecycle[]> {
  const messages = await readMessages([path]);
  const claims = claimContexts(messages).map((c) => ({ claim: c.claim, message: c.message }));
  return concernLifecycles(messages, claims);
}

function concern(all: ConcernLifecycle[], text: string): ConcernLifecycle {
  const hit = all.find((l) => l.concern.text.includes(text));
  assert.ok(hit, `no concern: ${text}\n${all.map((l) => `[${l.state}] ${l.concern.text}`).join('\n')}`);
  return hit;
}

describe('seed 000: arm64 pfn_valid() V2', () => {
  const all = lifecyclesOf(SEED.armPfnValid);

  test("Will Deacon's 2/2 ordering concern is acknowledged by Anshuman (\"Will fix that order\"); V3's diff is not in the dump", async () => {
    const l = concern(await all, 'with patch 2/2 we call that *before* checking that pfn_to_section_nr() is sane');
    assert.equal(l.concern.by, 'Will Deacon');
    assert.equal(l.concern.patch?.version, 2);
    assert.equal(l.concern.patch?.index, 2, 'the concern names patch 2/2 although it was sent in the 1/2 thread');
    assert.equal(l.concern.patch?.author?.name, 'Anshuman Khandual');
    assert.equal(l.state, 'acknowledged');
    const ack = l.events.find((e) => e.kind === 'acknowledged');
    assert.equal(ack?.by, 'Anshuman Khandual');
    assert.match(ack?.text ?? '', /Will fix that order/);
    assert.match(l.why, /not shown addressed: no later revision/);
  });

  test('the patch author is never listed as raising concerns on his own patch', async () => {
    for (const l of await all) assert.notEqual(l.concern.by, 'Anshuman Khandual', l.concern.text);
  });

  test("a concern the author never replied to stays open", async () => {
    const l = concern(await all, "What's to stop somebody changing that and quietly breaking our pfn_valid() implementation?");
    assert.equal(l.state, 'open');
    assert.equal(l.events.length, 0);
  });
});

describe('lfdr corpus: irqchip/gic-v3-its: Don\'t try to move a disabled irq (linux-arm-kernel, 2020)', () => {
  const all = lifecyclesOf(resolve(PEERS_DIR, 'lfdr-list-archives/lakml-gic-v3-its-disabled-irq-2020.mbox'));

  test("Marc Zyngier's objection is answered by the author writing as \"Saidi, Ali\"", async () => {
    const l = concern(await all, "What you are testing here is whether the interrupt is masked, not that there isn't a valid translation.");
    assert.equal(l.concern.by, 'Marc Zyngier');
    assert.equal(l.concern.patch?.author?.address, 'alisaidi@amazon.com');
    assert.equal(l.state, 'answered');
    const [e] = l.events;
    assert.equal(e.by, 'Saidi, Ali');
    assert.match(e.text, /what I’m looking for is interrupts which are deactivated/);
  });

  test("Thomas Gleixner's verdict on the patch has no reply from its author: open", async () => {
    const l = concern(await all, '__irq_can_set_affinity() is definitely the wrong place.');
    assert.equal(l.state, 'open');
    assert.equal(l.concern.patch?.title, "irqchip/gic-v3-its: Don't try to move a disabled irq");
  });
});
