import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findEntities } from './entities.js';
import { loadLabelled } from './dataset.js';
import type { Entity } from './types.js';

/** A sentence of the labelled data (real review text) by its opening words. */
function sentence(start: string): string {
  const row = loadLabelled().find((r) => r.text.startsWith(start));
  assert.ok(row, `no labelled sentence starts with "${start}"`);
  return row.text;
}

function names(entities: Entity[]): string[] {
  return entities.map((e) => `${e.kind}:${e.name}`);
}

describe('findEntities on review sentences', () => {
  test('functions written with () are named without them, with their span', () => {
    const text = sentence('The case I wondered about was __pfn_to_section()');
    const ents = findEntities(text);
    assert.deepEqual(names(ents), ['function:__pfn_to_section', 'function:pfn_to_section_nr']);
    for (const e of ents) assert.equal(text.slice(e.start, e.end), e.text);
    assert.equal(ents[0].text, '__pfn_to_section()');
  });

  test('section flags, zones and struct page', () => {
    assert.deepEqual(names(findEntities(sentence('Only hotplugged sections (DIMMs, dax/kmem)'))), [
      'flag:SECTION_HAS_MEM_MAP',
      'flag:SECTION_IS_EARLY',
    ]);
    assert.deepEqual(names(findEntities(sentence('But currently pfn_valid() fails for all ZONE_DEVICE'))), [
      'function:pfn_valid',
      'zone:ZONE_DEVICE',
      'struct:page',
    ]);
    assert.ok(names(findEntities(sentence('pfn_valid() asserts that there is a memblock entry'))).includes('flag:MEMBLOCK_NOMAP'));
  });

  test('fields (ms->usage, altmap->reserve) and the mem_section buffer', () => {
    assert.ok(names(findEntities(sentence('Assuming that we do get a valid_section(ms)'))).includes('field:ms->usage'));
    assert.ok(names(findEntities(sentence('The first few pages of ZONE_DEVICE expressed as the range'))).includes('field:altmap->reserve'));
    assert.ok(names(findEntities(sentence('__pfn_to_section() should not be called without first validating'))).includes('struct:mem_section'));
  });

  test('pfn literals are normalised and told apart from addresses', () => {
    const range = findEntities(sentence('pfn_to_page(x) for values 0xc00_0000 < x < 0x1000_0000'));
    assert.deepEqual(
      range.filter((e) => e.kind === 'literal').map((e) => [e.text, e.name, e.role]),
      [
        ['0xc00_0000', '0xc000000', 'pfn'],
        ['0x1000_0000', '0x10000000', 'pfn'],
      ],
    );
    const vmemmap = findEntities(sentence('VMEMMAP_START := 0xffff_fffe_0000_0000'));
    assert.deepEqual(
      vmemmap.map((e) => [e.kind, e.name, e.role ?? null]),
      [
        ['macro', 'VMEMMAP_START', null],
        ['literal', '0xfffffffe00000000', 'address'],
      ],
    );
  });

  test('locks: mutexes, device_lock, the mem_hotplug lock, lockdep', () => {
    assert.ok(names(findEntities(sentence('In preparation for fixing a deadlock between wait_for_bus_probe_idle()'))).includes('lock:nvdimm_bus_list_mutex'));
    assert.ok(names(findEntities(sentence('Fix this deadlock by not holding the namespace device_lock'))).includes('lock:device_lock'));
    assert.ok(names(findEntities(sentence('memmap_init_zone_device() did not yet succeed'))).includes('lock:mem_hotplug_lock'));
    const lockdep = names(findEntities(sentence('For good reason, the standard device_lock() is marked')));
    assert.ok(lockdep.includes('lock:device_lock'));
    assert.ok(lockdep.includes('lock:lockdep_set_novalidate_class'));
    assert.ok(names(findEntities(sentence('The lack of lockdep coverage for device_lock()'))).includes('lock:lockdep'));
  });

  test('config options and files', () => {
    assert.ok(names(findEntities(sentence('Although CONFIG_DEVICE_PRIVATE and hmm_range_fault()'))).includes('config:CONFIG_DEVICE_PRIVATE'));
    assert.ok(names(findEntities(sentence('memmap_init_zone_device() did not yet succeed'))).includes('file:mm/memremap.c'));
    assert.ok(names(findEntities(sentence('It might be a good idea to have a look at generic'))).includes('file:include/linux/mmzone.h'));
    assert.ok(names(findEntities(sentence('Some pfn walkers like /proc/kpage'))).some((n) => n.startsWith('file:/proc/kpage')));
  });

  test('identifiers from the thread diffs are known without ()', () => {
    const text = sentence('By the way, to address an implicit question from Andrew');
    assert.ok(!names(findEntities(text)).includes('function:sparse_add_section'));
    const known = new Set(['vmemmap_populate', '__add_pages']);
    assert.ok(names(findEntities(text, known)).includes('function:vmemmap_populate'));
  });

  test('brace shorthand names every name it stands for, with one span (seed 002)', () => {
    const text = sentence('Teach devm_memremap_pages() about the new sub-section capabilities of arch_{add,remove}_memory()');
    const ents = findEntities(text);
    assert.deepEqual(names(ents), ['function:devm_memremap_pages', 'function:arch_add_memory', 'function:arch_remove_memory']);
    assert.equal(ents[1].text, 'arch_{add,remove}_memory()');
    assert.deepEqual([ents[1].start, ents[1].end], [ents[2].start, ents[2].end]);
    assert.deepEqual(names(findEntities(sentence('Teach shrink_{zone,pgdat}_span()'))).slice(0, 2), ['function:shrink_zone_span', 'function:shrink_pgdat_span']);
    // Prose and paths keep their meaning: hot{plug,remove} is no code, /proc/kpage{…} one file.
    assert.deepEqual(names(findEntities(sentence('Prepare for hot{plug,remove} of sub-ranges'))).filter((n) => /hot/.test(n)), []);
    assert.deepEqual(names(findEntities('reading /proc/kpage{cgroup,count,flags} for first few pfns')), ['file:/proc/kpage{cgroup,count,flags}']);
  });

  test('prose in parentheses and plain words are not functions', () => {
    const ents = findEntities(sentence('pfn_to_online_page() might return something that will BUG_ON'));
    assert.deepEqual(names(ents), ['function:pfn_to_online_page', 'macro:BUG_ON', 'function:page_to_nid']);
    assert.deepEqual(findEntities(sentence('Right, that is problematic.')), []);
  });
});
