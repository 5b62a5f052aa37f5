// Scenarios as data: types, loading (YAML or JSON), parameter substitution, validation against
// data/scenarios/scenario.schema.json, and compilation into pfn-level operations.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { projectPath } from '../../graph/paths.js';
import type { Profile } from './profile.js';
import type { PgmapType, Zone } from './state.js';

export type NumLike = number | string;

export type InvariantName = 'hotplugged-if-not-early' | 'pfn-valid-false-without-memmap';

export interface OpSpec {
  op:
    | 'boot' | 'add_memory' | 'online_memory' | 'offline_memory' | 'remove_memory' | 'memremap_pages' | 'memunmap_pages'
    | 'pfn_valid' | 'pfn_to_online_page' | 'pfn_to_page' | 'memmap_state' | 'section_flags' | 'pfn_valid_scan' | 'kpageflags' | 'kmemleak' | 'compaction'
    | 'memory_failure' | 'invariant';
  phase?: 'all' | 'memory_present' | 'sparse_init' | 'free_area_init';
  base?: NumLike;
  size?: NumLike;
  nid?: number;
  zone?: 'Normal' | 'Movable';
  id?: string;
  type?: PgmapType;
  altmap?: { reserve: NumLike; free: NumLike };
  pfn?: NumLike;
  pfns?: NumLike[];
  from?: NumLike;
  to?: NumLike;
  read?: boolean;
  /** walkers: hold get_online_mems() around the walk */
  locked?: boolean;
  as?: string;
  name?: InvariantName;
}

export type Predicate =
  | { detector: string; min?: number; equals?: number }
  | { observation: string; equals?: unknown; in?: unknown[]; gt?: number; lt?: number }
  | { all: Predicate[] }
  | { any: Predicate[] }
  | { not: Predicate };

export interface Scenario {
  name: string;
  title: string;
  description?: string;
  sources?: string[];
  claims?: string[];
  params?: Record<string, unknown>;
  profile: string;
  kernel: string;
  variants?: string[];
  config?: { poison?: boolean; memstart?: NumLike; pageExtension?: boolean };
  memory: { base: NumLike; size: NumLike; nid?: number; nomap?: boolean }[];
  setup?: OpSpec[];
  threads?: { name: string; ops: OpSpec[] }[];
  sequences?: { depth: number; choices: OpSpec[]; checkAfterEach?: InvariantName[] };
  outcome: { description: string; when: Predicate };
  bounds?: { maxExecutions?: number; maxSteps?: number };
  /** the document before parameter substitution, so the family can be instantiated again */
  template?: object;
}

// ---------------------------------------------------------------------------------------------
// Numbers

const SUFFIX: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** 4096, '0x1000', '0x800_0000', '128M', '1T', '0x80_0000_0000'. Exact: BigInt internally. */
export function parseBig(v: NumLike): bigint {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`not a non-negative integer: ${v}`);
    return BigInt(v);
  }
  const s = v.trim().replace(/_/g, '');
  const m = /^(0x[0-9a-fA-F]+|\d+)([KMGTP])?$/.exec(s);
  if (!m) throw new Error(`not a number: '${v}'`);
  const n = BigInt(m[1]);
  return m[2] ? n * BigInt(SUFFIX[m[2]]) : n;
}

export function parseNum(v: NumLike): number {
  const b = parseBig(v);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`number ${v} is beyond 2^53; the model's pfns stay below that`);
  return Number(b);
}

/** A byte address/size as pfns; it must be page-aligned. */
export function bytesToPfns(p: Profile, v: NumLike, what: string): number {
  const b = parseBig(v);
  const page = 1n << BigInt(p.pageShift);
  if (b % page !== 0n) throw new Error(`${what} ${v} is not aligned to the ${page}-byte page`);
  return Number(b / page);
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** Replace every string '$name' (whole value) by params[name]. */
export function substitute<T>(value: T, params: Record<string, unknown>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\$[A-Za-z_][\w]*$/.test(v)) {
      const key = v.slice(1);
      if (!(key in params)) throw new Error(`scenario parameter '${key}' has no value`);
      return params[key];
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

// ---------------------------------------------------------------------------------------------
// Loading and validation

export const scenariosDir = (): string => projectPath('data', 'scenarios');

let validator: ((data: unknown) => boolean) & { errors?: unknown } | null = null;

function validate(data: unknown): void {
  if (!validator) {
    const schema = JSON.parse(readFileSync(resolve(scenariosDir(), 'scenario.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  if (!validator(data)) {
    const errs = (validator.errors ?? []) as { instancePath: string; message?: string }[];
    throw new Error(`invalid scenario: ${errs.slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}`);
  }
}

/** Parse a scenario document (YAML or JSON text); parameters are substituted and the result validated. */
export function parseScenario(text: string, params: Record<string, unknown> = {}): Scenario {
  const raw = parseYaml(text) as Record<string, unknown>;
  return instantiate(raw, params);
}

/** Substitute parameters (scenario defaults, then overrides) and validate. */
export function instantiate(doc: object, overrides: Record<string, unknown> = {}): Scenario {
  const raw = (doc as Scenario).template ?? doc;
  const defaults = ((raw as { params?: Record<string, unknown> }).params ?? {}) as Record<string, unknown>;
  const params = { ...defaults, ...overrides };
  const { params: _drop, ...rest } = raw as Record<string, unknown>;
  void _drop;
  const s = { ...substitute(rest, params), params } as unknown;
  validate(s);
  return { ...(s as Scenario), template: raw };
}

/** Names of the scenarios shipped under data/scenarios/. */
export function listScenarioFiles(): { name: string; path: string }[] {
  const dir = scenariosDir();
  return readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith('.schema.json'))
    .sort()
    .map((f) => ({ name: basename(f, extname(f)), path: resolve(dir, f) }));
}

/** A scenario by name (a file under data/scenarios/) or by path. */
export function loadScenario(nameOrPath: string, params: Record<string, unknown> = {}): Scenario {
  let path = nameOrPath;
  if (!existsSync(path) || (!isAbsolute(path) && !/[/\\]/.test(path) && !/\.(ya?ml|json)$/.test(path))) {
    const hit = listScenarioFiles().find((f) => f.name === nameOrPath);
    if (!hit) {
      if (existsSync(nameOrPath)) path = nameOrPath;
      else throw new Error(`no scenario '${nameOrPath}' (see 'loregraph model list')`);
    } else path = hit.path;
  }
  return parseScenario(readFileSync(path, 'utf8'), params);
}

export const zoneOf = (z: OpSpec['zone']): Zone => z ?? 'Movable';
