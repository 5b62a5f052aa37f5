// Locating the project's own files at run time, from source (tsx) or from dist/ alike.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The directory holding loregraph's package.json. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'data'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the loregraph project root');
    dir = up;
  }
}

export function projectPath(...parts: string[]): string {
  return resolve(projectRoot(), ...parts);
}

/** The default embedded database: $LOREGRAPH_DB or .work/loregraph.db under the project. */
export function defaultDbPath(): string {
  return process.env.LOREGRAPH_DB ?? projectPath('.work', 'loregraph.db');
}
