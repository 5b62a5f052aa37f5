// --explain: the section / sub-section map of a state, as text (terminal, Markdown) and as SVG
// (web UI). Runs of identical neighbouring sections are drawn once.

import { sectionNrToPfn } from './profile.js';
import { type KState, type PageState, type Section, hasFlag, liveSections } from './state.js';

export interface SectionRow {
  first: number;
  last: number;
  startPfn: number;
  endPfn: number;
  flags: string;
  usage: string;
  /** one char per cell: is the sub-section active ('#') or not ('.'), '?' mixed */
  active: string;
  /** one char per cell: memmap state */
  memmap: string;
}

export const MEMMAP_LEGEND: Record<string, string> = {
  N: 'initialised, ZONE_NORMAL',
  V: 'initialised, ZONE_MOVABLE',
  D: 'initialised, ZONE_DEVICE',
  p: 'poisoned',
  u: 'allocated, uninitialised',
  ' ': 'absent (no memmap)',
  '*': 'mixed',
};

const STATE_CHAR = (st: PageState | undefined): string => {
  if (!st) return ' ';
  if (st.s === 'poisoned') return 'p';
  if (st.s === 'uninit') return 'u';
  return st.zone === 'Normal' ? 'N' : st.zone === 'Movable' ? 'V' : 'D';
};

function flagString(k: KState, s: Section): string {
  const f = k.profile.flags;
  return [
    hasFlag(s, f.PRESENT) ? 'P' : '-',
    hasFlag(s, f.HAS_MEM_MAP) ? 'M' : '-',
    hasFlag(s, f.IS_ONLINE) ? 'O' : '-',
    hasFlag(s, f.IS_EARLY) ? 'E' : '-',
    hasFlag(s, f.TAINT_ZONE_DEVICE) ? 'T' : '-',
  ].join('');
}

/** Cells per section: sub-sections, grouped so a row has at most 64 cells. */
export function cellsPerSection(k: KState): { cells: number; subsPerCell: number } {
  const subs = k.profile.subsectionsPerSection;
  const subsPerCell = Math.max(1, Math.ceil(subs / 64));
  return { cells: Math.ceil(subs / subsPerCell), subsPerCell };
}

function rowOf(k: KState, s: Section): SectionRow {
  const p = k.profile;
  const { cells, subsPerCell } = cellsPerSection(k);
  const base = sectionNrToPfn(p, s.nr);
  let active = '';
  let memmap = '';
  for (let c = 0; c < cells; c++) {
    const bits = new Set<string>();
    const states = new Set<string>();
    for (let i = c * subsPerCell; i < Math.min(p.subsectionsPerSection, (c + 1) * subsPerCell); i++) {
      bits.add(s.usage && ((s.usage.map >> BigInt(i)) & 1n) === 1n ? '#' : '.');
      const from = base + i * p.pagesPerSubsection;
      for (const r of k.memmap.query(from, from + p.pagesPerSubsection)) states.add(STATE_CHAR(r.value));
      const covered = k.memmap.query(from, from + p.pagesPerSubsection).reduce((n, r) => n + r.end - r.start, 0);
      if (covered < p.pagesPerSubsection) states.add(' ');
    }
    active += bits.size === 1 ? [...bits][0] : '?';
    memmap += states.size === 1 ? [...states][0] : '*';
  }
  const usage = s.usage ? `${s.usage.boot ? 'boot' : 'kzalloc'}${s.usage.freed ? ' FREED' : ''}` : 'NULL';
  return { first: s.nr, last: s.nr, startPfn: base, endPfn: base + p.pagesPerSection, flags: flagString(k, s), usage, active, memmap };
}

/** Rows for every live section, with identical neighbours merged. */
export function sectionRows(k: KState): SectionRow[] {
  const rows: SectionRow[] = [];
  for (const s of liveSections(k)) {
    const r = rowOf(k, s);
    const prev = rows[rows.length - 1];
    if (prev && prev.last === s.nr - 1 && prev.flags === r.flags && prev.usage === r.usage && prev.active === r.active && prev.memmap === r.memmap) {
      prev.last = s.nr;
      prev.endPfn = r.endPfn;
    } else rows.push(r);
  }
  return rows;
}

const hx = (n: number): string => '0x' + n.toString(16);

export function explainText(k: KState): string {
  const p = k.profile;
  const { subsPerCell } = cellsPerSection(k);
  const lines: string[] = [];
  lines.push(`${p.name} ${p.kernel.label}: SECTION_SIZE_BITS ${p.sectionSizeBits}, ${p.pagesPerSection} pages/section, ` +
    `${p.subsectionsPerSection} sub-sections of ${p.pagesPerSubsection} pages` + (subsPerCell > 1 ? ` (${subsPerCell} per cell)` : ''));
  lines.push(`mem_section: ${k.rootArray ? `${k.roots.size} of ${p.nrSectionRoots} roots allocated` : 'root array not allocated'}, NR_MEM_SECTIONS ${p.nrMemSections}`);
  lines.push('flags: P present, M has_mem_map, O online, E early, T taint_zone_device; sub-sections: # active, . inactive');
  lines.push(`memmap: ${Object.entries(MEMMAP_LEGEND).map(([c, d]) => `'${c}' ${d}`).join(', ')}`);
  lines.push('');
  for (const r of sectionRows(k)) {
    const label = r.first === r.last ? `section ${r.first}` : `sections ${r.first}..${r.last}`;
    lines.push(`${label.padEnd(22)} pfn ${hx(r.startPfn)}-${hx(r.endPfn)}  ${r.flags}  usage ${r.usage}`);
    lines.push(`  sub-sections |${r.active}|`);
    lines.push(`  memmap       |${r.memmap}|`);
  }
  if (k.pgmaps.size) {
    lines.push('');
    for (const pg of k.pgmaps.values()) {
      lines.push(`dev_pagemap ${pg.id} (${pg.type}) pfn ${hx(pg.start)}-${hx(pg.end)}` +
        (pg.altmap ? ` altmap base ${hx(pg.altmap.base)} reserve ${pg.altmap.reserve} free ${pg.altmap.free}` : ''));
    }
  }
  return lines.join('\n');
}

const COLOUR: Record<string, string> = { N: '#4c9f70', V: '#7fb8d8', D: '#b48ad6', p: '#d9534f', u: '#f0ad4e', ' ': '#ffffff', '*': '#999999' };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function explainSvg(k: KState): string {
  const rows = sectionRows(k);
  const { cells } = cellsPerSection(k);
  const cw = 10;
  const rh = 18;
  const left = 260;
  const top = 40;
  const legendY = top + rows.length * rh + 20;
  const width = left + cells * cw + 20;
  const height = legendY + 20 * Object.keys(MEMMAP_LEGEND).length + 20;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="monospace" font-size="11">`);
  out.push(`<text x="4" y="16" font-size="13">${esc(`${k.profile.name} ${k.profile.kernel.label}: sections and sub-sections`)}</text>`);
  rows.forEach((r, i) => {
    const y = top + i * rh;
    const label = r.first === r.last ? `${r.first}` : `${r.first}..${r.last}`;
    out.push(`<text x="4" y="${y + 12}">${esc(`${label} ${r.flags} ${r.usage}`)}</text>`);
    for (let c = 0; c < r.memmap.length; c++) {
      const x = left + c * cw;
      const fill = COLOUR[r.memmap[c]] ?? '#999999';
      const activeStroke = r.active[c] === '#' ? '#000000' : '#cccccc';
      out.push(`<rect x="${x}" y="${y}" width="${cw - 1}" height="${rh - 3}" fill="${fill}" stroke="${activeStroke}" stroke-width="${r.active[c] === '#' ? 1.2 : 0.5}"><title>${esc(`section ${label}, cell ${c}: memmap ${MEMMAP_LEGEND[r.memmap[c]] ?? r.memmap[c]}, sub-section ${r.active[c] === '#' ? 'active' : 'inactive'}`)}</title></rect>`);
    }
  });
  Object.entries(MEMMAP_LEGEND).forEach(([c, d], i) => {
    const y = legendY + i * 20;
    out.push(`<rect x="4" y="${y}" width="12" height="12" fill="${COLOUR[c]}" stroke="#000000" stroke-width="0.5"/><text x="22" y="${y + 10}">${esc(d)}</text>`);
  });
  out.push(`<text x="260" y="${legendY + 10}">${esc('black border: sub-section active; grey: inactive')}</text>`);
  out.push('</svg>');
  return out.join('\n');
}
