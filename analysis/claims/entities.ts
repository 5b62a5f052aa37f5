// Kernel-aware entity recognition in one sentence of review text: functions, flags, locks,
// config options, structs and fields, files, zones, macros and pfn/address literals.
// Each entity carries its kind, a normalised name and its span in the sentence.
import type { Entity, EntityKind } from './types.js';

const C_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', 'defined', 'do', 'case']);

/** Prefixes of kernel flag families (page flags, section flags, gfp and vma flags…). */
const FLAG_PREFIX = /^(?:SECTION_|MEMBLOCK_|PG_|__GFP_|GFP_|VM_|MEMORY_DEVICE_|MHP_|IORESOURCE_|PGMAP_|FOLL_|IRQF_|IRQD_|IRQ_|MAP_|MF_|KASAN_|PAGE_FLAGS_|BLK_INTEGRITY_|REQ_|BIO_|ND_|NVDIMM_)/;
/** Well-known struct names that are written without `struct`. */
const KNOWN_STRUCTS = new Set([
  'mem_section', 'mem_section_usage', 'vmem_altmap', 'dev_pagemap', 'pglist_data', 'memory_block', 'vm_area_struct',
  'mm_struct', 'page_ext', 'nd_region', 'nd_namespace', 'nvdimm_bus', 'kvm_pmu', 'irq_desc', 'irq_data',
]);
const LOCK_SUFFIX = /(?:_lock|_mutex|_sem|_rwsem|_spinlock|_lock_irq|_lock_irqsave|_unlock|_unlock_irqrestore|_trylock|_seqlock|_srcu)$/;
const LOCK_PHRASES: Array<[RegExp, string]> = [
  [/\b(?:the\s+)?mem[_ ]hotplug(?:[_ ]lock)?\s+lock\b|\bmem_hotplug_lock\b/gi, 'mem_hotplug_lock'],
  [/\bdevice[_ ]hotplug(?:[_ ]lock)?\s+lock\b|\bdevice_hotplug_lock\b/gi, 'device_hotplug_lock'],
  [/\bhotplug\s+lock\b/gi, 'mem_hotplug_lock'],
  [/\bRCU\s+read[- ]side(?:\s+critical\s+section)?\b|\bRCU\s+read\s+lock\b/gi, 'rcu_read_lock'],
  [/\blockdep\b/gi, 'lockdep'],
  [/\b(?:device|namespace|bus|page|zone|section|spin|sleeping)\s+lock\b/gi, ''],
];
const FILE_PATH = /(?<![\w/.-])(?:\/?(?:proc|sys|dev)\/[\w{},.\-/]+|(?:arch|mm|include|drivers|kernel|fs|lib|tools|Documentation|net|block|virt|security|sound|init|scripts)\/[\w.\-/]*[\w]|[\w-]+\/[\w\-/]*\.[chS]|[\w-]+\.[chS])(?![\w(])/g;
const HEX = /(?<![\w.])0x[0-9a-fA-F](?:[0-9a-fA-F_]*[0-9a-fA-F])?(?![\w])/g;
const STRUCT = /\bstruct\s+([A-Za-z_]\w*)(\s*\[\])?/g;
const FIELD = /(?<![\w>.-])([A-Za-z_]\w*)((?:->|\.)[A-Za-z_]\w*)+(?!\w*\()(?![\w/])/g;
const CALL = /(?<![\w>.])(~?[A-Za-z_]\w*)\s?\(/g;
const IDENT = /(?<![\w>.\/-])([A-Za-z_]\w*)(?![\w(])/g;
/** Brace shorthand for several names, as reviewers write it: `arch_{add,remove}_memory()`. */
const BRACES = /(?<![\w>.\/-])([A-Za-z_]\w*)?\{(\w+(?:, ?\w+)+)\}(\w*)(\(\))?/g;

function kindOfName(name: string): EntityKind | null {
  // Every kind below is spelt with an underscore (CONFIG_, ZONE_, the flag prefixes, lock
  // suffixes, the known structs, MACRO_NAMES): a plain word is none of them.
  if (!name.includes('_')) return null;
  if (/^CONFIG_[A-Z0-9_]+$/.test(name)) return 'config';
  if (/^ZONE_[A-Z_]+$/.test(name)) return 'zone';
  if (FLAG_PREFIX.test(name) && /^[A-Z_][A-Za-z0-9_]*$/.test(name)) return 'flag';
  if (LOCK_SUFFIX.test(name) && /[a-z]/.test(name)) return 'lock';
  if (/^lockdep_/.test(name) || /^(?:rcu_read_(?:un)?lock|synchronize_rcu|mutex_(?:un)?lock|spin_(?:un)?lock\w*|down_(?:read|write)|up_(?:read|write)|device_(?:un)?lock|lock_page|unlock_page)$/.test(name)) return 'lock';
  if (KNOWN_STRUCTS.has(name)) return 'struct';
  if (/^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(name)) return 'macro';
  return null;
}

/** Normalises a hex literal: lower case, digit separators removed. */
function normaliseHex(text: string): string {
  return '0x' + text.slice(2).replace(/_/g, '').toLowerCase();
}

interface Candidate extends Entity {
  priority: number;
  /** A brace shorthand: every name it stands for, each an entity with the same span. */
  names?: string[];
}

function push(out: Candidate[], kind: EntityKind, name: string, text: string, start: number, priority: number, role?: Entity['role']): void {
  const c: Candidate = { kind, name, text, start, end: start + text.length, priority };
  if (role) c.role = role;
  out.push(c);
}

/** Picks non-overlapping candidates: higher priority first, then longer spans, then earlier ones. */
function resolveOverlaps(cands: Candidate[]): Entity[] {
  cands.sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: Candidate[] = [];
  for (const c of cands) {
    if (taken.some((t) => c.start < t.end && t.start < c.end)) continue;
    taken.push(c);
  }
  taken.sort((a, b) => a.start - b.start);
  return taken.flatMap(({ priority: _p, names, ...e }) => (names ? names.map((name) => ({ ...e, name })) : [e]));
}

/**
 * Finds the kernel entities of one sentence. `known` holds identifiers seen in the thread's diffs
 * and hunk headers; they are recognised even when written without `()`.
 */
export function findEntities(sentence: string, known?: ReadonlySet<string>): Entity[] {
  const cands: Candidate[] = [];
  // Each pattern below needs a character or word the sentence may lack; most sentences lack most
  // of them, so the cheap test goes first (the results are the same).
  const dotOrSlash = /[./]/.test(sentence);
  if (dotOrSlash) for (const m of sentence.matchAll(FILE_PATH)) {
    const text = m[0];
    // `dax/kmem`, `and/or`: a slash pair of plain words is not a path unless it is a kernel top dir.
    if (!/\.[chS]$/.test(text) && !/^\/?(?:proc|sys|dev)\//.test(text) && !/\/.*\//.test(text) && !/^(?:arch|mm|include|drivers|kernel|fs|lib)\/\w+/.test(text)) continue;
    if (/^(?:mm|fs|lib|net|block)\/\w+$/.test(text) && !/\.[chS]$/.test(text)) continue; // `mm/hotplug` is a subject prefix
    push(cands, 'file', text.replace(/^\//, '/'), text, m.index, 6);
  }
  if (sentence.includes('0x')) for (const m of sentence.matchAll(HEX)) {
    const before = sentence.slice(Math.max(0, m.index - 48), m.index);
    const role = /pfn|pfn_to_page\(|\bx\s*[<>=]|PFN/i.test(before) && !/addr|address|VA\b/i.test(before.slice(-16)) ? 'pfn' : 'address';
    push(cands, 'literal', normaliseHex(m[0]), m[0], m.index, 6, role);
  }
  if (sentence.includes('struct')) for (const m of sentence.matchAll(STRUCT)) push(cands, 'struct', m[1], m[0], m.index, 5);
  if (/lock|rcu/i.test(sentence)) for (const [re, name] of LOCK_PHRASES) {
    for (const m of sentence.matchAll(re)) {
      const norm = name || m[0].toLowerCase().replace(/^the\s+/, '').replace(/\s+/g, '_');
      push(cands, 'lock', norm, m[0], m.index, 5);
    }
  }
  if (dotOrSlash || sentence.includes('->')) for (const m of sentence.matchAll(FIELD)) {
    const text = m[0];
    if (/^\d/.test(text) || /\.(?:[chS]|com|org|net|io|txt|rst|html)$/i.test(text)) continue;
    if (!text.includes('->') && !/_/.test(text)) continue; // `a.b` only when it looks like code (`pagemap.type`)
    push(cands, 'field', text, text, m.index, 4);
  }
  if (sentence.includes('{')) for (const m of sentence.matchAll(BRACES)) {
    const [text, prefix = '', alternatives, suffix, call] = m;
    const names = alternatives.split(/, ?/).map((a) => `${prefix}${a}${suffix}`);
    // `hot{plug,remove}` is prose; the names must look like code (an underscore) or be called.
    if (!call && !names.every((n) => n.includes('_'))) continue;
    const kinds = new Set(names.map(kindOfName));
    const named = kinds.size === 1 ? [...kinds][0] : null;
    // Names of one kind keep it, except that a called macro is a function (as for CALL below).
    const kind: EntityKind = named && !(named === 'macro' && call) ? named : 'function';
    cands.push({ kind, name: names[0], text, start: m.index, end: m.index + text.length, priority: 4, names });
  }
  if (sentence.includes('(')) for (const m of sentence.matchAll(CALL)) {
    const name = m[1].replace(/^~/, '');
    if (C_KEYWORDS.has(name)) continue;
    const emptyCall = sentence[m.index + m[0].length] === ')';
    const codeLike = /_/.test(name) || emptyCall || known?.has(name);
    if (!codeLike || m[0].endsWith(' (') && !known?.has(name) && !/_/.test(name)) continue;
    if (m[0].endsWith(' (') && !emptyCall && !known?.has(name)) continue; // `memunmap (poisoning)` is prose
    const kind = kindOfName(name);
    const text = sentence.slice(m.index, m.index + m[1].length) + (emptyCall ? '()' : '');
    push(cands, kind === 'lock' ? 'lock' : kind === 'macro' && !emptyCall ? 'macro' : 'function', name, text, m.index, 3);
  }
  for (const m of sentence.matchAll(IDENT)) {
    const name = m[1];
    const kind = kindOfName(name);
    if (kind) push(cands, kind, name, name, m.index, 2);
    else if (known?.has(name) && /[_]|[a-z][A-Z]/.test(name)) push(cands, 'function', name, name, m.index, 1);
  }
  return resolveOverlaps(cands);
}
