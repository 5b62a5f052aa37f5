// Kernel mechanisms the sparsemem model does not represent. A claim that names one is about
// behaviour the model cannot run, so no check gives it a verdict, even when its other words match
// a check: "never observed" from a model without the mechanism would read as a refutation.
//
// memmap_on_memory (mm/memory_hotplug.c, v5.12+): the memmap of hot-added memory is allocated from
// the added range itself (mhp_init_memmap_on_memory()/mhp_deinit_memmap_on_memory(),
// MHP_MEMMAP_ON_MEMORY, the memory_hotplug.memmap_on_memory parameter). On linux-s390 Sumanth
// Korikkar's race, mhp_deinit_memmap_on_memory() outside mem_hotplug_begin()/done() poisoning the
// vmemmap under kmemleak_scan(), was once linked to kmemleak-poisoned-page and "refuted".

export interface OutsideMechanism {
  name: string;
  /** Words in a claim that name the mechanism. */
  named: RegExp;
}

export const OUTSIDE_THE_MODEL: readonly OutsideMechanism[] = [
  { name: 'memmap_on_memory (the memmap of hot-added memory placed in that memory)', named: /memmap_on_memory|MHP_MEMMAP_ON_MEMORY|memmap on memory/i },
];

/** The mechanism outside the model that the text names, and the words that name it; null when none. */
export function outsideTheModel(text: string): { mechanism: string; words: string } | null {
  for (const m of OUTSIDE_THE_MODEL) {
    const hit = m.named.exec(text);
    if (hit) return { mechanism: m.name, words: hit[0] };
  }
  return null;
}
