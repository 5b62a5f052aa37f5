// Deliberate breakages of single modelled steps. A mutation test runs a reproduction with one of
// these and expects the outcome to flip: proof that the outcome comes from the modelled step.

export interface Mutation {
  name: string;
  description: string;
}

export const MUTATIONS: readonly Mutation[] = [
  { name: 'pfn_valid:drop-bounds-check', description: 'pfn_valid() skips `pfn_to_section_nr(pfn) >= NR_MEM_SECTIONS`' },
  { name: 'pfn_valid:drop-rcu', description: "pfn_valid() (v6.8) skips rcu_read_lock_sched() around the ms->usage access" },
  { name: 'pfn_valid:drop-early-shortcut', description: 'pfn_valid() checks the sub-section map of early sections too' },
  { name: 'nr_to_section:drop-null-root-check', description: '__nr_to_section() indexes a NULL root (or a NULL root array)' },
  { name: 'pfn_to_online_page:drop-subsection-check', description: 'pfn_to_online_page() (v5.12) skips pfn_section_valid()' },
];
