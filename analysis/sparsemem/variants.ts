// Function versions. Every modelled function whose logic changed between v5.2 and v6.12, or that a
// seed thread patched, is a "slot" with named implementations. A kernel version picks a default
// for each slot; named variants (a patch under review, a merged fix) override slots on top of it.

import type { KernelVersion } from './kernel.js';
import type { Arch } from './profile.js';

export const SLOT_IMPLS = {
  /** __nr_to_section: root bound check from v5.18 (gcc-12 warning fix, §3.1). */
  nr_to_section: ['v5.3', 'v5.18'],
  /** pfn_section_valid: none before sub-sections; READ_ONCE in v6.8; NULL check from v6.10 (§3.1). */
  pfn_section_valid: ['none', 'v5.3', 'v6.8', 'v6.10'],
  /** pfn_valid: the generic one by version, or arm64's arch version and the 2021 patches (§3.2, §3.9). */
  pfn_valid: ['generic-v5.2', 'generic-v5.3', 'generic-next-20190612', 'generic-v5.14', 'generic-v6.8', 'arm64-v5.10', 'arm64-v2-1of2', 'arm64-v2-2of2', 'arm64-v3'],
  /**
   * pfn_to_online_page (§3.3, §6.2, §6.4). `subsection-v2-2021`: v2 of Dan Williams' series (Jan 12
   * 2021), online_section() + pfn_section_valid() without the arch pfn_valid() test that v3 added.
   */
  pfn_to_online_page: ['macro-v5.2', 'skip-bad-pfns-2019', 'macro-v5.3', 'collision-rfc-2021', 'subsection-v2-2021', 'v5.12'],
  /** move_pfn_range_to_zone: TAINT_ZONE_DEVICE marking from v5.12 (§3.8). */
  zone_device_taint: ['none', 'v5.12'],
  /** memmap_init_zone's ZONE_DEVICE branch: skip altmap->reserve, or the 2019 RFC that does not. */
  altmap_memmap_init: ['mainline', 'rfc-2019'],
  /** arm64 vmemmap_populate range WARN_ON (from K5.12), John Hubbard's 2023 patch (§4, §6.6). */
  vmemmap_populate: ['no-check', 'warn', 'no-warn-device-private-2023'],
  /** section_deactivate (§3.6): v5.3; v5.7+ PageReserved test + late HAS_MEM_MAP clear; v6.8 RCU. */
  section_deactivate: ['v5.3', 'v5.10', 'v6.8'],
  /** /proc/kpageflags: pfn_valid-based (v5.3) or pfn_to_online_page-based (v5.4, aad5f69bc161). */
  kpageflags: ['v5.3', 'v5.4'],
  /** remove_pfn_range_from_zone poisons the memmap (d33695b16a9f; in K5.10, not in K5.4). */
  remove_poison: ['none', 'v5.5'],
  /** memunmap_pages: first page from res.start (v5.3) or after the altmap offset (77e080e7680e, v5.4). */
  memunmap_first_page: ['v5.3', 'v5.4'],
} as const;

export type Slot = keyof typeof SLOT_IMPLS;
export type SlotImpls = { [S in Slot]: (typeof SLOT_IMPLS)[S][number] };

export interface Variant {
  name: string;
  description: string;
  source: string;
  arch?: Arch;
  slots: Partial<SlotImpls>;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'arm64-pfn-valid-v5.10', arch: 'arm64', description: 'arm64 pfn_valid() as in v5.10: memblock_is_map_memory decides', source: 'K5.10 arch/arm64/mm/init.c', slots: { pfn_valid: 'arm64-v5.10' } },
  { name: 'arm64-pfn-valid-v2-1of2', arch: 'arm64', description: 'V2 1/2: non-early sections answer with pfn_section_valid()', source: '[M:32018121663] eeb0753ba27b', slots: { pfn_valid: 'arm64-v2-1of2' } },
  { name: 'arm64-pfn-valid-v2-2of2', arch: 'arm64', description: 'V2 1/2 + 2/2: __pfn_to_section() before the NR_MEM_SECTIONS check', source: '[M:32018121663]', slots: { pfn_valid: 'arm64-v2-2of2' } },
  { name: 'arm64-pfn-valid-v3', arch: 'arm64', description: 'V3 (merged for v5.12): bounds check before __pfn_to_section()', source: '[M:33599883757] 093bbe211ea5', slots: { pfn_valid: 'arm64-v3' } },
  { name: 'generic-pfn-valid', description: "the generic pfn_valid() of the base kernel's era", source: 'K5.3/K5.14rc/K6.8 mmzone.h', slots: { pfn_valid: 'generic-v5.3' } },
  { name: 'p2op-macro-v5.2', description: 'pfn_to_online_page() as the v5.2 macro', source: 'K5.2 memory_hotplug.h', slots: { pfn_to_online_page: 'macro-v5.2' } },
  { name: 'p2op-skip-bad-pfns-2019', description: 'Qian Cai 2019: the macro also tests pfn_section_valid()', source: '[M:48946387300]', slots: { pfn_to_online_page: 'skip-bad-pfns-2019' } },
  { name: 'p2op-macro-v5.3', description: 'pfn_to_online_page() as the v5.3..v5.11 macro', source: 'K5.3..K5.11 memory_hotplug.h', slots: { pfn_to_online_page: 'macro-v5.3' } },
  { name: 'p2op-zone-device-collision-2021-rfc', description: 'Dan Williams, Jan 2021 as posted: TAINT + get_dev_pagemap slow path, no sub-section test', source: '[M:14168675058, M:18407208646]', slots: { pfn_to_online_page: 'collision-rfc-2021', zone_device_taint: 'v5.12' } },
  // The series "mm: Fix pfn_to_online_page() with respect to ZONE_DEVICE" as posted on
  // linux-nvdimm (lists.01.org): v2 2/5 <161044408728.1482714.9086710868634042303.stgit@dwillia2-desk3.amr.corp.intel.com>,
  // v2 3/5 <161044409294.1482714.434561066315039753.stgit@dwillia2-desk3.amr.corp.intel.com>, v3 2/6
  // <161052332755.1805594.9846390935351758277.stgit@dwillia2-desk3.amr.corp.intel.com> (adds
  // `IS_ENABLED(CONFIG_HAVE_ARCH_PFN_VALID) && !pfn_valid(pfn)`, as David Hildenbrand asked on v2 2/5).
  { name: 'p2op-subsection-v2-2021', description: 'v2 2/5 (Jan 2021): online_section() + pfn_section_valid(), no arch pfn_valid() test', source: 'v2 2/5 <161044408728.1482714.9086710868634042303.stgit@dwillia2-desk3.amr.corp.intel.com>', slots: { pfn_to_online_page: 'subsection-v2-2021' } },
  { name: 'p2op-subsection-v3-2021', description: 'v3 2/6 (Jan 2021, merged as 9f9b02e5b346): the arch pfn_valid() test, then pfn_section_valid()', source: 'v3 2/6 <161052332755.1805594.9846390935351758277.stgit@dwillia2-desk3.amr.corp.intel.com>', slots: { pfn_to_online_page: 'v5.12' } },
  { name: 'p2op-zone-device-collision-v2-2021', description: 'v2 3/5 on 2/5 (Jan 2021): TAINT + get_dev_pagemap slow path after online_section() + pfn_section_valid(), no arch pfn_valid() test', source: 'v2 3/5 <161044409294.1482714.434561066315039753.stgit@dwillia2-desk3.amr.corp.intel.com>', slots: { pfn_to_online_page: 'subsection-v2-2021', zone_device_taint: 'v5.12' } },
  { name: 'p2op-zone-device-collision-2021', description: 'as merged for v5.12: out of line, sub-section validity, TAINT + slow path', source: '[M:67256476361] 9f605f260594 9f9b02e5b346 1f90a3477df3', slots: { pfn_to_online_page: 'v5.12', zone_device_taint: 'v5.12' } },
  { name: 'memmap-init-altmap-mainline', description: 'memmap init skips altmap-reserved pfns', source: 'K5.3 mm/page_alloc.c [M:550603882]', slots: { altmap_memmap_init: 'mainline' } },
  { name: 'memmap-init-altmap-rfc-2019', description: 'Fukasawa RFC v2: initialise the altmap-reserved struct pages too', source: '[M:16251982031, M:19579240799]', slots: { altmap_memmap_init: 'rfc-2019' } },
  { name: 'arm64-vmemmap-warn', arch: 'arm64', description: 'vmemmap_populate() WARN_ON outside [VMEMMAP_START, VMEMMAP_END)', source: 'K5.12..K6.12 arch/arm64/mm/mmu.c', slots: { vmemmap_populate: 'warn' } },
  { name: 'arm64-vmemmap-no-warn-device-private-2023', arch: 'arm64', description: 'John Hubbard 2023: no WARN with CONFIG_DEVICE_PRIVATE', source: '[M:14725980613]', slots: { vmemmap_populate: 'no-warn-device-private-2023' } },
  { name: 'usage-no-rcu', description: 'pfn_section_valid()/section_deactivate() before the 2024 RCU fix (v5.7..v6.7)', source: 'K5.10 mm/sparse.c', slots: { section_deactivate: 'v5.10', pfn_valid: 'generic-v5.14', pfn_section_valid: 'v5.3' } },
  { name: 'usage-rcu-2024', description: '5ec8e8ea8b77: clear HAS_MEM_MAP first, kfree_rcu(usage), RCU read side in pfn_valid()', source: '[M:19981749481, M:31510902258] K6.8', slots: { section_deactivate: 'v6.8', pfn_valid: 'generic-v6.8', pfn_section_valid: 'v6.8' } },
  { name: 'pfn-section-valid-null-check-2024', description: 'Waiman Long 2024: pfn_section_valid() tolerates a NULL usage', source: '[M:46510346552] K6.12', slots: { pfn_section_valid: 'v6.10' } },
  { name: 'kpageflags-pfn-valid', description: '/proc/kpageflags as in v5.3 (pfn_valid)', source: 'K5.3 fs/proc/page.c', slots: { kpageflags: 'v5.3' } },
  { name: 'kpageflags-online-page', description: '/proc/kpageflags from v5.4 (pfn_to_online_page)', source: 'aad5f69bc161 [M:10833899991]', slots: { kpageflags: 'v5.4' } },
];

/** The implementation a kernel version ships for every slot. */
export function defaultImpls(arch: Arch, k: KernelVersion): SlotImpls {
  const c = k.code;
  const genericPfnValid = (): SlotImpls['pfn_valid'] =>
    k.next2019 ? 'generic-next-20190612' : c < 503 ? 'generic-v5.2' : c < 514 ? 'generic-v5.3' : c < 608 ? 'generic-v5.14' : 'generic-v6.8';
  const pfnValid: SlotImpls['pfn_valid'] =
    arch === 'arm64' && c < 512 ? 'arm64-v5.10' : arch === 'arm64' && c < 516 ? 'arm64-v3' : genericPfnValid();
  return {
    nr_to_section: c >= 518 ? 'v5.18' : 'v5.3',
    pfn_section_valid: c < 503 ? 'none' : c < 608 ? 'v5.3' : c < 610 ? 'v6.8' : 'v6.10',
    pfn_valid: pfnValid,
    pfn_to_online_page: c < 503 ? 'macro-v5.2' : c < 512 ? 'macro-v5.3' : 'v5.12',
    zone_device_taint: c < 512 ? 'none' : 'v5.12',
    altmap_memmap_init: 'mainline',
    vmemmap_populate: arch === 'arm64' && c >= 512 ? 'warn' : 'no-check',
    // b943f045a9af (HAS_MEM_MAP clear) landed in v5.6/v5.7 (§6.1); we switch at v5.7 (UNVERIFIED).
    section_deactivate: c < 507 ? 'v5.3' : c < 608 ? 'v5.10' : 'v6.8',
    kpageflags: c < 504 ? 'v5.3' : 'v5.4',
    remove_poison: c < 505 ? 'none' : 'v5.5',
    memunmap_first_page: c < 504 ? 'v5.3' : 'v5.4',
  };
}

/** Resolve 'generic-pfn-valid' to the generic pfn_valid of the base kernel's era. */
function genericFor(k: KernelVersion): SlotImpls['pfn_valid'] {
  return defaultImpls('x86_64', k).pfn_valid;
}

export function findVariant(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}

/**
 * Apply variants, in order, on top of the kernel's defaults. A variant is a name from VARIANTS or
 * 'slot=impl' (e.g. 'pfn_valid=arm64-v3').
 */
export function resolveImpls(arch: Arch, k: KernelVersion, variants: readonly string[]): SlotImpls {
  const impls: SlotImpls = { ...defaultImpls(arch, k) };
  const set = (slot: Slot, impl: string): void => {
    const allowed: readonly string[] = SLOT_IMPLS[slot];
    if (!allowed.includes(impl)) throw new Error(`slot ${slot} has no implementation '${impl}' (known: ${allowed.join(', ')})`);
    (impls as Record<Slot, string>)[slot] = impl;
  };
  for (const name of variants) {
    const eq = name.indexOf('=');
    if (eq > 0) {
      const slot = name.slice(0, eq);
      if (!(slot in SLOT_IMPLS)) throw new Error(`unknown slot '${slot}' (known: ${Object.keys(SLOT_IMPLS).join(', ')})`);
      const impl = name.slice(eq + 1);
      set(slot as Slot, impl === 'generic' ? genericFor(k) : impl);
      continue;
    }
    const v = findVariant(name);
    if (!v) throw new Error(`unknown variant '${name}' (see 'loregraph model list')`);
    if (v.arch && v.arch !== arch) throw new Error(`variant ${name} applies to ${v.arch} only`);
    for (const [slot, impl] of Object.entries(v.slots) as [Slot, string][]) {
      set(slot, v.name === 'generic-pfn-valid' ? genericFor(k) : impl);
    }
  }
  return impls;
}
