// The check catalog: named checks, each a parameterised scenario family of the sparsemem model
// with the outcome it decides, the polarity of a claim that states it, its bounds, and what in a
// claim (entities, cue words, the text just before it, the thread) makes it applicable.
// Parameters come from the claim where it gives them (pfns, poisoning, David's case numbers).
import type { Entity } from '../claims/index.js';
import type { Predicate } from '../sparsemem/index.js';
import type { CheckCase, CheckDef, ClaimContext, MatchResult, Polarity } from './types.js';

// ---------------------------------------------------------------------------------------------
// Reading a claim

const names = (ctx: ClaimContext, kinds?: readonly Entity['kind'][]): Set<string> =>
  new Set(ctx.claim.entities.filter((e) => !kinds || kinds.includes(e.kind)).map((e) => e.name));

const literals = (ctx: ClaimContext): bigint[] => {
  const out: bigint[] = [];
  for (const e of ctx.claim.entities) if (e.kind === 'literal' && /^0x[0-9a-f]+$/i.test(e.name)) out.push(BigInt(e.name));
  return out;
};

const hex = (n: bigint): string => '0x' + n.toString(16);

const anyOf = (set: Set<string>, wanted: readonly string[]): string | undefined => wanted.find((w) => set.has(w));

const no = (reason: string, partial = false): MatchResult => ({ applies: false, reason, partial });

/** The claim hedges: one execution that shows the outcome is enough to confirm it. */
export const MODAL = /\b(?:might|may|could|can|would)\b/i;

// ---------------------------------------------------------------------------------------------
// The checks

const pfnValidOob: CheckDef = {
  name: 'pfn_valid-reads-past-mem_section',
  decides: 'pfn_valid() on a pfn beyond NR_MEM_SECTIONS reads a root pointer from outside mem_section[] (the section number is not checked first)',
  scenarios: ['arm64-pfn-valid-oob'],
  polarity: 'outcome-happens',
  slots: ['pfn_valid'],
  era: 'development',
  bounds: {},
  sources: ['[M:32018121663]', '[M:33835479524]', '[M:33599883757]', 'K5.10 include/linux/mmzone.h'],
  appliesWhen: '__pfn_to_section() named with an ordering or out-of-bounds cue ("before checking", "without first validating", "bogus pfn", "out-of-bounds"); arm64',
  match(ctx) {
    const fns = names(ctx);
    const section = anyOf(fns, ['__pfn_to_section', '__nr_to_section']);
    if (!section) return no('names neither __pfn_to_section() nor __nr_to_section()');
    const bound = anyOf(fns, ['pfn_to_section_nr', 'NR_MEM_SECTIONS', 'mem_section']);
    const cue = /out[- ]of[- ]bounds?|bogus pfn|before checking|without first validating/i.exec(ctx.claim.text)?.[0];
    // The ordering or the out-of-bounds read must be what the claim says: naming the helpers (as a
    // clean-up that uses __pfn_to_section() to reach mem_section does) claims nothing about it.
    if (!cue) return no(`names ${section}()${bound ? ` and ${bound}` : ''} but says nothing of calling it before the section number is checked`, true);
    const polarity: Polarity = /\bis (?:fine|safe)\b|can(?:not|'t) happen|no out[- ]of[- ]bounds?/i.test(ctx.claim.text) ? 'outcome-does-not-happen' : 'outcome-happens';
    const pfn = literals(ctx)[0];
    return {
      applies: true,
      archRequired: 'arm64',
      polarity,
      reasons: [`names ${section}()${bound ? ` and ${bound}` : ''}${cue ? `; says "${cue}"` : ''}`, pfn ? `pfn ${hex(pfn)} from the claim` : 'a pfn beyond NR_MEM_SECTIONS (the scenario default 0x10_0000_0000) stands for "a bogus pfn"'],
      cases: [{ id: 'bogus-pfn', scenario: 'arm64-pfn-valid-oob', params: pfn ? { pfn: hex(pfn) } : {} }],
    };
  },
};

const ZONE_DEVICE_TYPES = ['fsdax', 'generic', 'p2pdma', 'device-private'] as const;

const pfnValidZoneDevice: CheckDef = {
  name: 'pfn_valid-false-for-zone-device',
  decides: "pfn_valid() is false for every pfn of memory added by memremap_pages() although its struct pages exist and are initialised",
  scenarios: ['arm64-pfn-valid-zone-device'],
  polarity: 'outcome-happens',
  slots: ['pfn_valid'],
  era: 'released',
  bounds: {},
  sources: ['[M:32018121663]', 'K5.10 arch/arm64/mm/init.c', 'K5.10 mm/memremap.c'],
  appliesWhen: 'pfn_valid() named with ZONE_DEVICE/memremap_pages() and a failure cue (fails, breaks, false, invalid, wrong); arm64',
  match(ctx) {
    const all = names(ctx);
    if (!all.has('pfn_valid')) return no('does not name pfn_valid()');
    if (!all.has('ZONE_DEVICE') && !all.has('memremap_pages')) return no('names pfn_valid() but not ZONE_DEVICE or memremap_pages()', true);
    const cue = /\bfail\w*|\bbreaks?\b|\bfalse\b|\binvalid\b|\bwrong\b/i.exec(ctx.claim.text)?.[0];
    if (!cue) return no('names pfn_valid() and ZONE_DEVICE without saying it fails', true);
    const every = /\ball\b|\bevery\b|\bany\b/i.test(ctx.claim.text);
    const types: readonly string[] = every ? ZONE_DEVICE_TYPES : ['fsdax'];
    return {
      applies: true,
      archRequired: 'arm64',
      polarity: 'outcome-happens',
      reasons: [`names pfn_valid() and ZONE_DEVICE; says "${cue}"`, every ? `"all" ZONE_DEVICE memory: every memremap_pages() type (${types.join(', ')})` : 'one ZONE_DEVICE type (fsdax) stands for the memory named'],
      cases: types.map((type) => ({ id: type, scenario: 'arm64-pfn-valid-zone-device', params: { type } })),
    };
  },
};

const earlyInvariant: CheckDef = {
  name: 'hotplug-sections-not-early-invariant',
  decides: 'after every explored sequence of boot and hotplug operations, a section with SECTION_HAS_MEM_MAP and without SECTION_IS_EARLY was created by sparse_add_section()',
  scenarios: ['early-section-invariant'],
  polarity: 'invariant-holds',
  slots: ['section_deactivate'],
  era: 'development',
  bounds: {},
  sources: ['[M:31371940917]', 'K5.3 mm/sparse.c', 'K5.10 mm/sparse.c'],
  appliesWhen: 'SECTION_HAS_MEM_MAP and SECTION_IS_EARLY named together in a statement of what always/only/never holds',
  match(ctx) {
    const flags = names(ctx, ['flag']);
    if (!flags.has('SECTION_IS_EARLY') || !flags.has('SECTION_HAS_MEM_MAP')) {
      return no('does not name both SECTION_HAS_MEM_MAP and SECTION_IS_EARLY', flags.has('SECTION_IS_EARLY') || flags.has('SECTION_HAS_MEM_MAP'));
    }
    const cue = /\bonly\b|\bwithout\b|\bnever\b|\balways\b/i.exec(ctx.claim.text)?.[0];
    if (!cue) return no('names the section flags but states no invariant (only/without/never/always)', true);
    return {
      applies: true,
      polarity: 'invariant-holds',
      reasons: [`names SECTION_HAS_MEM_MAP and SECTION_IS_EARLY; states an invariant ("${cue}")`, 'every sequence of 4 hotplug operations (add/online/offline/remove, memremap/memunmap) is explored'],
      cases: [{ id: 'sequences-4', scenario: 'early-section-invariant', params: { depth: 4 } }],
    };
  },
};

/** A section that mixes ZONE_DEVICE with online memory ("mixes ZONE_{NORMAL,MOVABLE} with ZONE_DEVICE", "section collisions"). */
const MIXED_SECTION = /\bmix(?:es|ed|ing)?\b[^.]*\bZONE_|\bmixed[- ]zone|\bsection collisions?\b|\bcollid\w*|\bshar(?:e|es|ed|ing) (?:a|one|the) (?:memory )?section\b/i;
/** The namespace has gone: memunmap, poisoning (what the after-memunmap check decides). */
const UNMAPPED = /memunmap|\bunmap|poisi?on|BUG_ON/i;

const POISONED: Predicate = { observation: 'page', equals: 'poisoned' };
const DEVICE: Predicate = { observation: 'page', equals: 'Device' };

const p2opAfterMemunmap: CheckDef = {
  name: 'pfn_to_online_page-returns-poisoned-after-memunmap',
  decides: 'after memunmap_pages() of a namespace sharing an online section with System RAM, pfn_to_online_page() returns its struct page (poisoned, or still ZONE_DEVICE)',
  scenarios: ['zone-device-section-collision'],
  polarity: 'outcome-happens',
  slots: ['pfn_to_online_page', 'zone_device_taint', 'remove_poison'],
  era: 'development',
  bounds: {},
  sources: ['[M:14168675058]', '[M:18164353603]', '[M:67256476361]', 'K5.11 include/linux/memory_hotplug.h', 'K5.12 mm/memory_hotplug.c'],
  appliesWhen: 'pfn_to_online_page() said to return something, in the context of memunmap/poisoning/ZONE_DEVICE/get_dev_pagemap()',
  match(ctx) {
    if (!names(ctx).has('pfn_to_online_page')) return no('does not name pfn_to_online_page()');
    const around = `${ctx.preceding} ${ctx.claim.text}`;
    // A section shared with System RAM while the namespace is still mapped is the next check's.
    if (!UNMAPPED.test(around) && MIXED_SECTION.test(around)) return no('speaks of a section mixing ZONE_DEVICE with online memory, not of memunmap', true);
    const topic = /memunmap|poisi?on|BUG_ON|ZONE_DEVICE|get_dev_pagemap/i.exec(around)?.[0];
    if (!topic || !/\breturns?\b/i.test(ctx.claim.text)) return no('names pfn_to_online_page() but not what it returns after memunmap', true);
    // David writes "poisioning": both spellings.
    const noPoison = /\bno[tn]?[- ]?poisi?on|not poisi?oned/i.test(around);
    const poison = !noPoison && /poisi?on|BUG_ON/i.test(around);
    const cases: CheckCase[] = [];
    if (!noPoison) cases.push({ id: 'poisoned', scenario: 'zone-device-section-collision', params: { poison: true }, outcome: poison ? { description: 'pfn_to_online_page() returns the poisoned struct page of the unmapped range (page_to_nid() would BUG)', when: POISONED } : undefined });
    if (!poison) cases.push({ id: 'not-poisoned', scenario: 'zone-device-section-collision', params: { poison: false }, outcome: noPoison ? { description: 'pfn_to_online_page() returns a ZONE_DEVICE struct page of the unmapped range', when: DEVICE } : undefined });
    return {
      applies: true,
      archRequired: 'x86_64',
      polarity: 'outcome-happens',
      reasons: [`names pfn_to_online_page() and what it returns; context: "${topic}"`, poison ? 'the text before it says the memmap is poisoned (DEBUG_VM)' : noPoison ? 'the text before it says the memmap is not poisoned' : 'poisoning not stated: both configurations'],
      cases,
    };
  },
};

const p2opMixedSection: CheckDef = {
  name: 'pfn_to_online_page-returns-device-page-in-mixed-section',
  decides: 'pfn_to_online_page() returns the struct page of a live ZONE_DEVICE pfn in an online section it shares with System RAM',
  scenarios: ['zone-device-section-collision-mapped'],
  polarity: 'outcome-happens',
  slots: ['pfn_to_online_page', 'zone_device_taint'],
  era: 'development',
  bounds: {},
  sources: ['[M:14168675058]', '[M:67256476361]', 'K5.11 include/linux/memory_hotplug.h', 'K5.12 mm/memory_hotplug.c'],
  appliesWhen: 'pfn_to_online_page() said to return, translate or misjudge a pfn where the claim or the text before it speaks of a section mixing ZONE_DEVICE with online memory (or the claim of ZONE_DEVICE pfns taken as online), not of memunmap or poisoning',
  match(ctx) {
    if (!names(ctx).has('pfn_to_online_page')) return no('does not name pfn_to_online_page()');
    const t = ctx.claim.text;
    const around = `${ctx.preceding} ${t}`;
    if (UNMAPPED.test(around)) return no('speaks of memunmap or poisoning: the after-memunmap check decides it');
    const mixed = MIXED_SECTION.exec(around)?.[0] ?? (/ZONE_DEVICE/.test(t) && /\bas online\b|\bonline\b[^.]*\bwhen\b/i.test(t) ? 'ZONE_DEVICE pfns taken as online' : undefined);
    if (!mixed) return no('names pfn_to_online_page() but not a section that mixes ZONE_DEVICE with online memory', true);
    const says = /\breturns?\b|\btranslat\w*|\bhands? out\b|\bdetermine\b/i.exec(t)?.[0];
    if (!says) return no(`names pfn_to_online_page() and "${mixed}" but not what it returns`, true);
    const negated = /\b(?:no longer|never|won'?t|will not|cannot|can'?t) (?:\w+ )?(?:returns?|translate|hand)/i.exec(t)?.[0];
    return {
      applies: true,
      archRequired: 'x86_64',
      polarity: negated ? 'outcome-does-not-happen' : 'outcome-happens',
      reasons: [`names pfn_to_online_page() and "${says}"; context: "${mixed}"`, negated ? `says it does not happen ("${negated}")` : 'a 64 MiB namespace in the second half of an online boot section stands for the shared section'],
      cases: [{ id: 'live-namespace', scenario: 'zone-device-section-collision-mapped', params: {} }],
    };
  },
};

/** Wording for an architecture's own pfn_valid() (CONFIG_HAVE_ARCH_PFN_VALID: arm64 until v5.16). */
const ARCH_PFN_VALID = /alternative (?:implementations?|versions?) of pfn_valid|arch(?:itecture)?[- ]specific pfn_valid|HAVE_ARCH_PFN_VALID|(?:its|their) own pfn_valid|holes? in the memmap|memmap holes?/i;

const p2opArchPfnValid: CheckDef = {
  name: 'pfn_to_online_page-skips-arch-pfn_valid',
  decides: "pfn_to_online_page() returns a struct page for a pfn that the architecture's own pfn_valid() rejects (an arm64 memory hole inside an online section)",
  scenarios: ['arm64-memmap-hole-pfn-to-online-page'],
  polarity: 'outcome-happens',
  slots: ['pfn_to_online_page'],
  era: 'development',
  bounds: {},
  sources: ['[M:67256476361]', 'K5.10 arch/arm64/mm/init.c', 'K5.11 include/linux/memory_hotplug.h', 'K5.12 mm/memory_hotplug.c'],
  appliesWhen: "an architecture's own pfn_valid() (alternative implementations, HAVE_ARCH_PFN_VALID, holes in the memmap) said to be missed or still needed, or to be enough, where the claim, the text before it or the thread is about pfn_to_online_page(); arm64",
  match(ctx) {
    const t = ctx.claim.text;
    if (!names(ctx).has('pfn_valid') && !/HAVE_ARCH_PFN_VALID/.test(t)) return no('does not name pfn_valid()');
    const arch = ARCH_PFN_VALID.exec(t)?.[0];
    if (!arch) return no("names pfn_valid() but not an architecture's own implementation of it");
    if (!/pfn_to_online_page/.test(`${ctx.thread.title} ${ctx.preceding} ${t}`)) return no(`says "${arch}" outside a claim or thread about pfn_to_online_page()`, true);
    const missing = /\bnot (?:sufficient|enough)\b|\binsufficient\b|\bstill need|\bmiss(?:es|ing)?\b|\blacks?\b/i.exec(t)?.[0];
    const enough = !missing && /\b(?:is|are) (?:sufficient|enough)\b/i.exec(t)?.[0];
    if (!missing && !enough) return no(`says "${arch}" but neither that a pfn_valid() test is missing nor that the code is enough`, true);
    return {
      applies: true,
      archRequired: 'arm64',
      polarity: missing ? 'outcome-happens' : 'outcome-does-not-happen',
      reasons: [
        `names pfn_valid() and "${arch}"; says "${missing || enough}"`,
        "arm64's pfn_valid() asks memblock (HAVE_ARCH_PFN_VALID until v5.16): a pfn in a hole between two banks, in an online section and in a sub-section the map marks valid, stands for the memmap holes",
      ],
      cases: [{ id: 'hole-in-online-section', scenario: 'arm64-memmap-hole-pfn-to-online-page', params: {} }],
    };
  },
};

/** Ard's comparisons: `x < L`, `L1 < x < L2`, `x >= L`, `pfn_to_page(L) ... VMEMMAP_START`. */
function rangeCases(ctx: ClaimContext): { cases: CheckCase[]; reason: string } | null {
  const t = ctx.claim.text.replace(/_/g, '');
  const lits = literals(ctx);
  const sc = 'arm64-pfn-to-page-va39';
  const regionIs = (obs: string, region: string, description: string) => ({ description, when: { observation: `${obs}.region`, equals: region } as Predicate });
  const between = /(0x[0-9a-f]+)\s*<\s*x\s*<\s*(0x[0-9a-f]+)/i.exec(t);
  if (between && /outside/i.test(t)) {
    const lo = BigInt(between[1]);
    const hi = BigInt(between[2]);
    const pts = [lo + 1n, hi - 1n];
    return {
      reason: `x between ${hex(lo)} and ${hex(hi)} "outside the region set aside for the vmemmap": pfns ${pts.map(hex).join(' and ')}`,
      cases: pts.map((p) => ({ id: `past-end@${hex(p)}`, scenario: sc, params: { above: hex(p) }, outcome: regionIs('above', 'above-vmemmap', `pfn_to_page(${hex(p)}) lies above VMEMMAP_END`) })),
    };
  }
  const atLeast = /x\s*>=\s*(0x[0-9a-f]+)/i.exec(t);
  if (atLeast && /wrap|user/i.test(t)) {
    const l = BigInt(atLeast[1]);
    const pts = [l, l * 2n];
    return {
      reason: `x >= ${hex(l)} "wraps around" into the user range: pfns ${pts.map(hex).join(' and ')}`,
      cases: pts.map((p) => ({ id: `wrap@${hex(p)}`, scenario: sc, params: { wrap: hex(p) }, outcome: regionIs('wrap', 'user', `pfn_to_page(${hex(p)}) is a user-range address`) })),
    };
  }
  const below = /x\s*<\s*(0x[0-9a-f]+)/i.exec(t);
  if (below && /vmalloc/i.test(t)) {
    const l = BigInt(below[1]);
    const pts = [l - 1n, l / 2n];
    return {
      reason: `x < ${hex(l)} points "into the vmalloc area": pfns ${pts.map(hex).join(' and ')}`,
      cases: pts.map((p) => ({ id: `below@${hex(p)}`, scenario: sc, params: { below: hex(p) }, outcome: regionIs('below', 'vmalloc-kernel', `pfn_to_page(${hex(p)}) lies in the vmalloc/kernel region`) })),
    };
  }
  if (names(ctx).has('VMEMMAP_START') && lits.length > 0) {
    const l = lits[0];
    return {
      reason: `pfn_to_page(${hex(l)}) "will return VMEMMAP_START"`,
      cases: [{ id: `start@${hex(l)}`, scenario: sc, params: { first: hex(l) }, outcome: { description: `pfn_to_page(${hex(l)}) == VMEMMAP_START`, when: { observation: 'first.fromVmemmapStart', equals: '0x0' } } }],
    };
  }
  return null;
}

const pfnToPageRange: CheckDef = {
  name: 'pfn_to_page-range-39bit',
  decides: 'where pfn_to_page() lands on arm64 with 39-bit VA for the pfns the claim names: VMEMMAP_START, the vmalloc region, past VMEMMAP_END, or wrapped to user addresses',
  scenarios: ['arm64-pfn-to-page-va39'],
  polarity: 'outcome-happens',
  slots: [],
  era: 'development',
  bounds: {},
  sources: ['[M:14321624467]', 'K5.11..K6.8 arch/arm64/include/asm/memory.h', 'K5.10..K6.12 pgtable.h'],
  appliesWhen: 'pfn_to_page() with pfn literals or comparisons and the region it lands in; arm64 with 39-bit VA named in the thread',
  match(ctx) {
    if (!names(ctx).has('pfn_to_page')) return no('does not name pfn_to_page()');
    if (literals(ctx).length === 0) return no('names pfn_to_page() but no pfn', true);
    if (ctx.thread.vaBits !== 39) return no('the thread does not say the kernel uses 39-bit VA, which the ranges depend on', true);
    const r = rangeCases(ctx);
    if (!r) return no('names pfn_to_page() and pfns but no region they land in (VMEMMAP_START, vmalloc, outside the vmemmap, user range)', true);
    return {
      applies: true,
      archRequired: 'arm64',
      profile: 'arm64-4k-va39',
      polarity: 'outcome-happens',
      reasons: [r.reason, 'the thread names a 39-bit VA kernel: profile arm64-4k-va39, memstart 0x80_0000_0000 (DRAM at pfn 0x800_0000, as the claim says)'],
      cases: r.cases,
    };
  },
};

const OUTSIDE_VMEMMAP = { description: 'the memmap vmemmap_populate() maps for device-private memory lies outside [VMEMMAP_START, VMEMMAP_END) - what the WARN reports', when: { detector: 'memmap-outside-vmemmap' } as Predicate };
const DEVICE_PRIVATE_THREAD = /device[- ]private|DEVICE_PRIVATE/i;

const vmemmapWarnIsReal: CheckDef = {
  name: 'vmemmap-warn-is-real',
  decides: "whether the vmemmap_populate() WARN for device-private memory reports a real problem: the struct pages it maps lie outside the vmemmap window",
  scenarios: ['arm64-device-private-vmemmap-warn'],
  polarity: 'outcome-happens',
  slots: ['vmemmap_populate'],
  era: 'development',
  bounds: {},
  sources: ['[M:14725980613]', '[M:14321624467]', 'K6.8 arch/arm64/mm/mmu.c'],
  appliesWhen: '"false positive" said of a warning in a thread about device-private memory; arm64',
  match(ctx) {
    const fp = /false positive/i.test(ctx.claim.text);
    if (!fp) return no('does not call anything a false positive');
    if (!DEVICE_PRIVATE_THREAD.test(ctx.thread.title) && !DEVICE_PRIVATE_THREAD.test(ctx.preceding)) return no('says "false positive" outside a thread about device-private memory', true);
    const negated = /(?:\bnot\b|n't\b|\bnever\b)[^.]*false positive/i.test(ctx.claim.text);
    return {
      applies: true,
      archRequired: 'arm64',
      polarity: negated ? 'outcome-happens' : 'outcome-does-not-happen',
      reasons: [negated ? 'says the warning is not a false positive: the condition it reports happens' : 'calls the warning a false positive: the condition it reports does not happen', 'thread about device-private memory on arm64'],
      cases: [{ id: 'device-private-1G', scenario: 'arm64-device-private-vmemmap-warn', params: {}, outcome: OUTSIDE_VMEMMAP }],
    };
  },
};

const devicePrivateOutside: CheckDef = {
  name: 'device-private-struct-pages-outside-vmemmap',
  decides: 'the struct pages memremap_pages(MEMORY_DEVICE_PRIVATE) maps above the linear map lie outside the vmemmap window (past VMEMMAP_END or wrapped)',
  scenarios: ['arm64-device-private-vmemmap-warn'],
  polarity: 'outcome-happens',
  slots: ['vmemmap_populate'],
  era: 'development',
  bounds: {},
  sources: ['[M:14321624467]', '[M:14211048745]', 'K6.8 arch/arm64/mm/mmu.c'],
  appliesWhen: 'struct page(s) said to be mapped/allocated outside the window/region/vmemmap, in a thread about device-private memory',
  match(ctx) {
    const t = ctx.claim.text;
    if (!/struct page/i.test(t)) return no('does not speak of struct pages');
    if (!/outside|reserved for something else|wrap around/i.test(t) || !/window|vmemmap|region/i.test(t)) return no('speaks of struct pages but not of where they are mapped', true);
    if (!DEVICE_PRIVATE_THREAD.test(ctx.thread.title)) return no('not a thread about device-private memory', true);
    return {
      applies: true,
      archRequired: 'arm64',
      polarity: 'outcome-happens',
      reasons: ['says struct pages are mapped outside the region set aside for them', 'thread about device-private memory on arm64'],
      cases: [{ id: 'device-private-1G', scenario: 'arm64-device-private-vmemmap-warn', params: {}, outcome: OUTSIDE_VMEMMAP }],
    };
  },
};

const WALKER_CASES: Record<string, { scenario: string; what: string }> = {
  '3': { scenario: 'kpageflags-partly-present-section', what: 'a section only partly present (device at 64 MiB into it)' },
  '4': { scenario: 'kpageflags-vs-memremap', what: 'a walker running before memmap_init_zone_device()' },
  '5': { scenario: 'kpageflags-altmap-reserved', what: "the altmap-reserved head of a pmem namespace" },
};

const pfnWalker: CheckDef = {
  name: 'pfn-walker-reads-uninitialised-memmap',
  decides: "a pfn walker (/proc/kpageflags) reads uninitialised or poisoned struct pages of ZONE_DEVICE memory: David Hildenbrand's cases 3 (partly present section), 4 (before memmap init), 5 (altmap-reserved)",
  scenarios: Object.values(WALKER_CASES).map((c) => c.scenario),
  polarity: 'outcome-happens',
  slots: ['altmap_memmap_init', 'kpageflags'],
  era: 'development',
  bounds: {},
  sources: ['[M:22414302595]', '[M:16251982031]', '[M:19579240799]', 'K5.3 fs/proc/page.c', 'K5.3 mm/memremap.c'],
  appliesWhen: 'a pfn walker (kpageflags) reading/stumbling over uninitialised memmap, or case numbers #3/#4/#5 said not to be detectable, in a thread about ZONE_DEVICE struct pages; x86_64 (the cases are laid out in 128 MiB sections)',
  match(ctx) {
    const t = ctx.claim.text;
    const walker = /pfn[- ]walker|kpage|\/proc\/kpage/i.test(t);
    const bad = /uninitiali[sz]ed|garbage|poison|can'?t be detected|can'?t handle|stumble|invalid memmap/i.exec(t)?.[0];
    const numbers = (s: string): string[] => [...new Set([...s.matchAll(/#([345])\b/g)].map((m) => m[1]))];
    const numbered = numbers(t);
    const lastBefore = ctx.preceding.split(/(?<=[.!?])\s+/).filter((x) => x.trim() !== '').at(-1) ?? '';
    const zoneDeviceThread = /ZONE_DEVICE|struct pages|pfn_to_online_page|memmap/i.test(ctx.thread.title);
    const reads = /stumble|\bread|access|touch|can'?t handle|crash|panic|can'?t be detected|\btrip/i.test(t);
    if (!bad || !reads || !zoneDeviceThread || (!walker && !numbered.length)) {
      return no('speaks of neither a pfn walker reading uninitialised memmap nor of the numbered cases, in a thread about ZONE_DEVICE struct pages', walker || !!bad);
    }
    let ids = numbered.length ? numbered : numbers(lastBefore);
    const fromBefore = !numbered.length && ids.length > 0;
    if (!ids.length) {
      const around = `${ctx.preceding} ${t}`;
      if (/partial(?:ly)? present/i.test(around)) ids.push('3');
      if (/not (?:been )?initiali[sz]ed yet|\brac[ey]/i.test(around)) ids.push('4');
      if (/reserved|altmap|vmem_altmap/i.test(around)) ids.push('5');
      if (!ids.length) ids = ['3', '4', '5'];
    }
    const negative = /\bno (?:pfn )?walkers?\b|\bno longer\b|\bwon'?t\b|\bnever\b|\bvanish/i.exec(t)?.[0];
    return {
      applies: true,
      archRequired: 'x86_64',
      polarity: negative ? 'outcome-does-not-happen' : 'outcome-happens',
      reasons: [
        `${walker ? 'a pfn walker' : 'the numbered cases'} and "${bad}"${negative ? `; says it does not happen ("${negative}")` : ''}`,
        numbered.length ? `the claim names case${ids.length > 1 ? 's' : ''} ${ids.map((i) => '#' + i).join(', ')}` : fromBefore ? `the sentence before ("${lastBefore}") names case${ids.length > 1 ? 's' : ''} ${ids.map((i) => '#' + i).join(', ')}` : `case${ids.length > 1 ? 's' : ''} ${ids.join(', ')} from the words used`,
        ...ids.map((i) => `case ${i}: ${WALKER_CASES[i].what}`),
      ],
      cases: ids.map((i) => ({ id: `case${i}`, scenario: WALKER_CASES[i].scenario, params: {} })),
    };
  },
};

const usageRace: CheckDef = {
  name: 'ms-usage-use-after-free-race',
  decides: "pfn_valid() from a pfn walker (compaction) racing memunmap_pages() dereferences a freed ms->usage in some interleaving",
  scenarios: ['compaction-vs-memunmap-usage'],
  polarity: 'outcome-happens',
  slots: ['section_deactivate', 'pfn_valid', 'pfn_section_valid'],
  era: 'released',
  bounds: {},
  sources: ['[M:19981749481]', '[M:31510902258]', 'K6.8 mm/sparse.c', 'K6.8 include/linux/mmzone.h'],
  appliesWhen: 'ms->usage (or struct mem_section_usage) with a race/use-after-free/freed cue and pfn_valid(), section_deactivate(), compaction or memunmap',
  match(ctx) {
    const t = ctx.claim.text;
    const usage = anyOf(names(ctx), ['ms->usage', 'mem_section_usage', 'section->usage']) ?? /ms->usage/.exec(t)?.[0];
    if (!usage) return no('does not name ms->usage');
    const race = /\brac(?:e|es|ing|y)\b|use[- ]after[- ]free|\bfreed\b|kfree/i.exec(t)?.[0];
    if (!race) return no('names ms->usage without a race or use-after-free', true);
    if (!/pfn_valid|section_deactivate|compaction|memunmap/i.test(t)) return no('names a race on ms->usage but not who races (pfn_valid(), section_deactivate(), compaction, memunmap)', true);
    return {
      applies: true,
      polarity: /\bnot possible\b|can(?:not|'t) (?:race|happen)/i.test(t) ? 'outcome-does-not-happen' : 'outcome-happens',
      reasons: [`names ${usage} and "${race}"`, 'every interleaving of compaction and memunmap_pages() (and the RCU grace period) is explored'],
      cases: [{ id: 'compaction-vs-memunmap', scenario: 'compaction-vs-memunmap-usage', params: {} }],
    };
  },
};

/** Words that put a claim or thread in sparsemem's area (memory sections, memmap, hotplug). */
const SPARSEMEM_TOPIC = /sparsemem|mm\/sparse|mem_section|\bsections?\b|memmap|memory hotplug|ZONE_DEVICE|\bpfn/i;

const kmemleakPoisoned: CheckDef = {
  name: 'kmemleak-poisoned-page',
  decides: "kmemleak's scan gets a poisoned struct page from pfn_to_online_page() in a partly present early section (VM_BUG_ON_PAGE(PagePoisoned))",
  scenarios: ['kmemleak-partly-present-early-section'],
  polarity: 'outcome-happens',
  slots: ['pfn_to_online_page', 'pfn_valid'],
  era: 'development',
  bounds: {},
  sources: ['[M:48946387300]', '[M:10663789318]', 'K5.3 include/linux/memory_hotplug.h'],
  appliesWhen: 'kmemleak named with the struct pages its scan reads (poisoned/uninitialised memmap, struct page, pfn_to_online_page()/pfn_valid_within()), or with a crash in a claim or thread about sparsemem',
  match(ctx) {
    const t = ctx.claim.text;
    if (!/kmemleak/i.test(t)) return no('does not name kmemleak');
    // kmemleak reports leaks in every subsystem: a leak report, or a crash named beside it ("don't
    // BUG on…" in an ext4 patch title), says nothing of the struct pages its scan reads. The claim
    // must tie kmemleak to the memmap (a poisoned or uninitialised page, a struct page, the pfn
    // lookup its scan uses), or name a crash in a claim or thread about sparsemem (Qian Cai's
    // "causes a crash below when the first kmemleak scan kthread kicks in", of an mm/sparsemem commit).
    const memmap = /poison|uninitiali[sz]ed|struct pages?\b|memmap/i.exec(t)?.[0] ?? anyOf(names(ctx), ['pfn_to_online_page', 'pfn_valid_within']);
    // BUG as a word, in capitals: "DEBUG_KMEMLEAK" or "debug" is not a crash.
    const crash = /crash|panic/i.exec(t)?.[0] ?? /\bBUG(?:_ON)?\b/.exec(t)?.[0];
    const sparsemem = SPARSEMEM_TOPIC.exec(`${ctx.thread.title} ${t}`)?.[0];
    const cue = memmap ?? (crash && sparsemem ? `${crash}" in a claim or thread about "${sparsemem}` : undefined);
    if (!cue) {
      return no(crash ? `names kmemleak and "${crash}" outside a claim or thread about sparsemem, without the struct pages its scan reads` : 'names kmemleak without the struct pages its scan reads (poison, uninitialised memmap, pfn_to_online_page())', true);
    }
    return {
      applies: true,
      archRequired: 'x86_64',
      polarity: 'outcome-happens',
      reasons: [`names kmemleak and "${cue}"`],
      cases: [{ id: 'partly-present-early-section', scenario: 'kmemleak-partly-present-early-section', params: {} }],
    };
  },
};

export const CATALOG: readonly CheckDef[] = [
  pfnValidOob,
  pfnValidZoneDevice,
  earlyInvariant,
  p2opAfterMemunmap,
  p2opMixedSection,
  p2opArchPfnValid,
  pfnToPageRange,
  vmemmapWarnIsReal,
  devicePrivateOutside,
  pfnWalker,
  usageRace,
  kmemleakPoisoned,
];

/** Fixes the model knows for a check's outcome, used as counterfactual when the thread's own patch gives none. */
export const KNOWN_FIXES: Readonly<Record<string, { variants: string[]; label: string }>> = {
  'ms-usage-use-after-free-race': { variants: ['usage-rcu-2024'], label: 'the 2024 fix (5ec8e8ea8b77, v6.8)' },
  'kmemleak-poisoned-page': { variants: ['p2op-skip-bad-pfns-2019'], label: 'Qian Cai\'s "skip bad PFNs" fix' },
  'pfn_to_online_page-returns-poisoned-after-memunmap': { variants: ['p2op-zone-device-collision-2021'], label: 'the fix as merged for v5.12' },
  'pfn_to_online_page-returns-device-page-in-mixed-section': { variants: ['p2op-zone-device-collision-2021'], label: 'the fix as merged for v5.12' },
  'pfn_to_online_page-skips-arch-pfn_valid': { variants: ['p2op-subsection-v3-2021'], label: 'the arch pfn_valid() test as merged for v5.12 (9f9b02e5b346)' },
};

export function findCheck(name: string): CheckDef | undefined {
  return CATALOG.find((c) => c.name === name);
}
