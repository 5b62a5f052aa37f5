// Patches the model carries as variants, recognised by their title and revision: which variant is
// the code under review, and which later revision (or merged fix) serves as the counterfactual.
// The variants themselves live in analysis/sparsemem/variants.ts with their sources.
import type { SubjectInfo } from '../../ingest/model.js';

export interface PatchVariant {
  /** Variant names for analysis/sparsemem resolveImpls(). */
  variants: string[];
  label: string;
  source: string;
}

export interface KnownPatch {
  id: string;
  title: RegExp;
  /** The revision under review, from the subject and the patch number the claim names. */
  underReview(subject: SubjectInfo, patchIndex: number | null): PatchVariant | null;
  /** The fixed code to compare with: the next revision or the merged fix. */
  fixed: PatchVariant | null;
}

export const KNOWN_PATCHES: readonly KnownPatch[] = [
  {
    id: 'arm64-pfn-valid-zone-device-2021',
    title: /arm64\/mm: Fix pfn_valid\(\) for ZONE_DEVICE based memory/i,
    underReview(s, index) {
      const v = s.version ?? 1;
      if (v === 2 && index === 2) return { variants: ['arm64-pfn-valid-v2-2of2'], label: 'V2 2/2', source: '[M:32018121663]' };
      if (v === 2) return { variants: ['arm64-pfn-valid-v2-1of2'], label: 'V2 1/2', source: '[M:32018121663]' };
      if (v === 3) return { variants: ['arm64-pfn-valid-v3'], label: 'V3', source: '[M:33599883757]' };
      return null;
    },
    fixed: { variants: ['arm64-pfn-valid-v3'], label: 'V3 (the next revision, merged as 093bbe211ea5)', source: '[M:33599883757]' },
  },
  {
    // Posted alone (the RFC, Jan 2021), then as 3/x of the series "mm: Fix pfn_to_online_page()
    // with respect to ZONE_DEVICE", on top of 2/x "consider subsection validity": v2 still without
    // the arch pfn_valid() test, v3 and v4 as merged (variants.ts gives the postings).
    id: 'zone-device-section-collision-2021',
    title: /Teach pfn_to_online_page\(\) about ZONE_DEVICE section collisions/i,
    underReview(s) {
      const v = s.version ?? 1;
      if (v >= 3) return { variants: ['p2op-zone-device-collision-2021'], label: `v${v} ${s.index ?? 3}/${s.total ?? '?'} on 2/${s.total ?? '?'} (as merged)`, source: '[M:67256476361]' };
      if (v === 2) return { variants: ['p2op-zone-device-collision-v2-2021'], label: 'v2 3/5 on 2/5 (subsection validity, no arch pfn_valid() test)', source: '<161044409294.1482714.434561066315039753.stgit@dwillia2-desk3.amr.corp.intel.com>' };
      return { variants: ['p2op-zone-device-collision-2021-rfc'], label: 'the patch as posted (Jan 2021)', source: '[M:14168675058]' };
    },
    fixed: { variants: ['p2op-zone-device-collision-2021'], label: 'the fix as merged for v5.12 (9f605f260594, 1f90a3477df3)', source: '[M:67256476361]' },
  },
  {
    id: 'p2op-subsection-validity-2021',
    title: /Teach pfn_to_online_page\(\) to consider subsection validity/i,
    underReview(s) {
      const v = s.version ?? 2;
      if (v >= 3) return { variants: ['p2op-subsection-v3-2021'], label: `v${v} ${s.index ?? 2}/${s.total ?? '?'} (arch pfn_valid() test, then pfn_section_valid())`, source: '<161052332755.1805594.9846390935351758277.stgit@dwillia2-desk3.amr.corp.intel.com>' };
      return { variants: ['p2op-subsection-v2-2021'], label: 'v2 2/5 (online_section() + pfn_section_valid())', source: '<161044408728.1482714.9086710868634042303.stgit@dwillia2-desk3.amr.corp.intel.com>' };
    },
    fixed: { variants: ['p2op-subsection-v3-2021'], label: 'v3 2/6 (the next revision, merged as 9f9b02e5b346)', source: '<161052332755.1805594.9846390935351758277.stgit@dwillia2-desk3.amr.corp.intel.com>' },
  },
  {
    id: 'skip-bad-pfns-2019',
    title: /skip bad PFNs from pfn_to_online_page\(\)/i,
    underReview: () => ({ variants: ['p2op-skip-bad-pfns-2019'], label: 'the patch as posted (June 2019)', source: '[M:48946387300]' }),
    fixed: null,
  },
  {
    id: 'altmap-reserved-init-rfc-2019',
    title: /initialize struct pages reserved by ZONE_DEVICE driver/i,
    underReview: () => ({ variants: ['memmap-init-altmap-rfc-2019'], label: 'with the RFC v2 applied', source: '[M:16251982031, M:19579240799]' }),
    fixed: null,
  },
  {
    id: 'arm64-device-private-no-warn-2023',
    title: /don'?t WARN when alloc\/free-ing device private pages/i,
    underReview: () => ({ variants: ['arm64-vmemmap-no-warn-device-private-2023'], label: 'with the patch (no WARN for device-private)', source: '[M:14725980613]' }),
    fixed: null,
  },
  {
    id: 'usage-rcu-2024',
    title: /ms->usage|mem_section_usage|pfn_valid\(\).*section_deactivate|section_deactivate.*pfn_valid/i,
    underReview: () => null,
    fixed: { variants: ['usage-rcu-2024'], label: 'the 2024 fix (5ec8e8ea8b77: RCU-freed usage)', source: '[M:19981749481, M:31510902258]' },
  },
];

export function knownPatch(title: string): KnownPatch | null {
  return KNOWN_PATCHES.find((p) => p.title.test(title)) ?? null;
}

/** "patch 2/2", "patch #2", "[PATCH 2/2]" named in a claim. */
export function patchIndexNamed(text: string): number | null {
  const m = /\bpatch\s*(?:#\s*)?(\d+)(?:\s*\/\s*\d+)?\b|\[PATCH[^\]]*?\s(\d+)\/\d+\]/i.exec(text);
  return m ? Number(m[1] ?? m[2]) : null;
}
