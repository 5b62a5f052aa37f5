// The 2021 series "mm: Fix pfn_to_online_page() with respect to ZONE_DEVICE", v2..v4, as reviewed
// on linux-nvdimm (public-inbox epoch 0 of linux-nvdimm@lists.01.org, never committed here). The
// sentences below are quoted from that archive's mail, each with its Message-ID; they are set in
// mail under the subjects they were posted with and run end to end: parse, extract, read in their
// thread, link, run the model. The seeds hold the RFC's thread only (seed 001).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '../../ingest/model.js';
import { parseRfc822 } from '../../ingest/parse/rfc822.js';
import { findEntities } from '../claims/entities.js';
import { linkClaim } from './link.js';
import { reviewMessages, type ReviewedClaim } from './pipeline.js';
import { check, claimWhere, variant } from '../../test/verdicts.js';

const DAN = 'Dan Williams <dan.j.williams@intel.com>';
const DAVID = 'David Hildenbrand <david@redhat.com>';

function mail(headers: Record<string, string>, body: string): Promise<Message> {
  const text = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n\n' + body;
  return parseRfc822(Buffer.from(text), { source: 'nvdimm2021.test.ts', format: 'eml', offset: 0 });
}

// From v2 3/5 <161044409294.1482714.434561066315039753.stgit@dwillia2-desk3.amr.corp.intel.com>,
// sent again in v3 3/6 and v4 3/5.
const COLLISION = `While pfn_to_online_page() is able to determine pfn_valid() at
subsection granularity it is not able to reliably determine if a given
pfn is also online if the section is mixes ZONE_{NORMAL,MOVABLE} with
ZONE_DEVICE. This means that pfn_to_online_page() may return invalid
@page objects.
`;

// v2 2/5 <161044408728.1482714.9086710868634042303.stgit@dwillia2-desk3.amr.corp.intel.com> (its
// new lines, abridged) and David's reply <0586c562-787c-4872-4132-18a49c3ffc8e@redhat.com>.
const V2_2 = `pfn_to_online_page() wants the explicit precision that pfn_valid() does
not offer, so use pfn_section_valid() directly.
---
diff --git a/mm/memory_hotplug.c b/mm/memory_hotplug.c
--- a/mm/memory_hotplug.c
+++ b/mm/memory_hotplug.c
@@ -308,11 +308,19 @@ static int check_hotplug_memory_addressable(unsigned long pfn,
 struct page *pfn_to_online_page(unsigned long pfn)
 {
 	unsigned long nr = pfn_to_section_nr(pfn);
+	struct mem_section *ms;
+
+	if (nr >= NR_MEM_SECTIONS)
+		return NULL;
+
+	ms = __nr_to_section(nr);
+	if (!online_section(ms))
+		return NULL;
+
+	if (!pfn_section_valid(ms, pfn))
+		return NULL;
 
-	if (nr < NR_MEM_SECTIONS && online_section_nr(nr) &&
-	    pfn_valid_within(pfn))
-		return pfn_to_page(pfn);
-	return NULL;
+	return pfn_to_page(pfn);
 }
`;
const DAVID_REPLY = `On 12.01.21 10:34, Dan Williams wrote:
> +	ms = __nr_to_section(nr);
> +	if (!online_section(ms))
> +		return NULL;
> +
> +	if (!pfn_section_valid(ms, pfn))
> +		return NULL;

That's not sufficient for alternative implementations of pfn_valid().

You still need some kind of pfn_valid(pfn) for alternative versions of
pfn_valid(). Consider arm64 memory holes in the memmap.
`;

const reviewed: Promise<ReviewedClaim[]> = (async () => {
  const ms = await Promise.all([
    mail({ From: DAN, Subject: '[PATCH v2 2/5] mm: Teach pfn_to_online_page() to consider subsection validity', Date: 'Tue, 12 Jan 2021 01:34:47 -0800', 'Message-ID': '<v2-2@test>' }, V2_2),
    mail({ From: DAVID, Subject: 'Re: [PATCH v2 2/5] mm: Teach pfn_to_online_page() to consider subsection validity', Date: 'Tue, 12 Jan 2021 11:42:00 +0100', 'Message-ID': '<david@test>', 'In-Reply-To': '<v2-2@test>' }, DAVID_REPLY),
    mail({ From: DAN, Subject: '[PATCH v2 3/5] mm: Teach pfn_to_online_page() about ZONE_DEVICE section collisions', Date: 'Tue, 12 Jan 2021 01:34:53 -0800', 'Message-ID': '<v2-3@test>' }, COLLISION),
    mail({ From: DAN, Subject: '[PATCH v3 3/6] mm: Teach pfn_to_online_page() about ZONE_DEVICE section collisions', Date: 'Wed, 13 Jan 2021 00:35:33 -0800', 'Message-ID': '<v3-3@test>' }, COLLISION),
  ]);
  return reviewMessages(ms);
})();

function claim(all: ReviewedClaim[], msgid: string, text: string): ReviewedClaim {
  return claimWhere(all, (r) => r.context.message.msgid === msgid && r.context.claim.text.includes(text), `<${msgid}>: ${text}`);
}

describe('2021 pfn_to_online_page() series on linux-nvdimm: each posting checked on its own code', () => {
  test('Dan: "pfn_to_online_page() may return invalid @page objects" in a mixed section - confirmed on v5.11, refuted with v2 3/5 applied', async () => {
    const r = claim(await reviewed, 'v2-3@test', 'may return invalid');
    assert.deepEqual(r.verdict.checks.map((c) => c.check), ['pfn_to_online_page-returns-device-page-in-mixed-section'], 'a section shared with System RAM, not memunmap');
    const c = check(r, 'pfn_to_online_page-returns-device-page-in-mixed-section');
    const base = variant(c, []);
    assert.equal(base.kernel, 'v5.11');
    assert.equal(base.verdict, 'confirmed');
    assert.equal(base.runs[0].trace.observations.page, 'Device');
    assert.equal(r.verdict.verdict, 'confirmed', 'the claim is in the patch mail: it describes the code before the patch');
    const applied = variant(c, ['p2op-zone-device-collision-v2-2021']);
    assert.equal(applied.verdict, 'refuted');
    assert.match(applied.label, /^v2 3\/5 on 2\/5/);
  });

  test('the same sentence in v3 3/6 is run against v3, not v2: its posting names the revision', async () => {
    const r = claim(await reviewed, 'v3-3@test', 'may return invalid');
    const c = check(r, 'pfn_to_online_page-returns-device-page-in-mixed-section');
    const applied = variant(c, ['p2op-zone-device-collision-2021']);
    assert.match(applied.label, /^v3 3\/6 on 2\/6 \(as merged\)/);
    assert.equal(applied.verdict, 'refuted');
    assert.ok(c.reasons.some((x) => /posting: \[PATCH V3 3\/6\]/.test(x)), c.reasons.join('\n'));
  });

  test("David: \"That's not sufficient for alternative implementations of pfn_valid()\" - confirmed on v2 2/5 (arm64 memory hole), refuted on v3 and on v5.11", async () => {
    const r = claim(await reviewed, 'david@test', "That's not sufficient for alternative implementations of pfn_valid().");
    assert.equal(r.context.claim.kind, 'concern');
    const c = check(r, 'pfn_to_online_page-skips-arch-pfn_valid');
    const v2 = variant(c, ['p2op-subsection-v2-2021']);
    assert.equal(v2.role, 'under-review');
    assert.equal(v2.kernel, 'v5.11');
    assert.match(v2.profile, /^arm64/);
    assert.equal(v2.verdict, 'confirmed');
    assert.equal(v2.runs[0].trace.observations.valid, false, "arm64's pfn_valid() rejects the hole");
    assert.notEqual(v2.runs[0].trace.observations.page, 'null', 'v2 2/5 hands out its struct page');
    assert.equal(r.verdict.verdict, 'confirmed');
    assert.equal(variant(c, ['p2op-subsection-v3-2021']).verdict, 'refuted', 'v3 tests pfn_valid() first');
    assert.equal(variant(c, []).verdict, 'refuted', "v5.11's macro reaches pfn_valid() through pfn_valid_within()");
  });
});

describe('what the two checks read in a claim', () => {
  test('"can no longer return" states the outcome does not happen; the same words outside a pfn_to_online_page() thread link nothing', async () => {
    const dan = claim(await reviewed, 'v2-3@test', 'may return invalid');
    const david = claim(await reviewed, 'david@test', "That's not sufficient");
    // Written for this test, in the thread of v2 3/5: a reply that says the patch fixes it.
    const fixedText = 'With this patch pfn_to_online_page() can no longer return the ZONE_DEVICE pages of a section shared with System RAM.';
    const said = linkClaim({ ...dan.context, message: { ...dan.context.message, msgid: '<reply@test>' }, claim: { ...dan.context.claim, msgid: '<reply@test>', kind: 'assertion', text: fixedText, entities: findEntities(fixedText) } });
    const link = said.links.find((l) => l.check === 'pfn_to_online_page-returns-device-page-in-mixed-section');
    assert.ok(link, JSON.stringify(said.nearMisses));
    assert.equal(link.plan.polarity, 'outcome-does-not-happen');
    assert.deepEqual(link.plan.variants.map((v) => [v.role, v.variants.join('+')]), [['under-review', 'p2op-zone-device-collision-v2-2021'], ['counterfactual', 'p2op-zone-device-collision-2021'], ['counterfactual', '']]);
    // David's sentence in a thread that is not about pfn_to_online_page(): a near miss, not a link.
    const elsewhere = linkClaim({ ...david.context, thread: { ...david.context.thread, title: 'arm64/mm: drop HAVE_ARCH_PFN_VALID' }, preceding: '' });
    assert.deepEqual(elsewhere.links.map((l) => l.check), []);
    assert.match(elsewhere.nearMisses.find((n) => n.check === 'pfn_to_online_page-skips-arch-pfn_valid')?.reason ?? '', /outside a claim or thread about pfn_to_online_page/);
  });
});
