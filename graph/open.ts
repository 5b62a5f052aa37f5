// Choosing the store a command works on: the embedded SQLite file by default; Neo4j when asked
// with `--neo4j bolt://HOST:PORT`, or when NEO4J_URI is set and no `--db` was given
// (credentials from NEO4J_USER / NEO4J_PASSWORD).
import type { GraphStore } from './store.js';
import { defaultDbPath } from './paths.js';
import { openSqliteStore } from './sqlite/store.js';

export interface StoreOptions {
  /** Path of the embedded database file. */
  db?: string;
  /** Bolt URI of a Neo4j server; wins over `db`. */
  neo4j?: string;
}

export function wantsNeo4j(opts: StoreOptions): string | null {
  if (opts.neo4j) return opts.neo4j;
  if (!opts.db && process.env.NEO4J_URI) return process.env.NEO4J_URI;
  return null;
}

export async function openStore(opts: StoreOptions = {}): Promise<GraphStore> {
  const uri = wantsNeo4j(opts);
  if (uri) {
    const { openNeo4jStore } = await import('./neo4j/store.js');
    return openNeo4jStore({ uri });
  }
  return openSqliteStore(opts.db ?? defaultDbPath());
}
