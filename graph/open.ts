// Choosing the store a command works on: the embedded SQLite file by default, Neo4j when asked
// (`--neo4j bolt://HOST:PORT`, or NEO4J_URI in the environment).
import type { GraphStore } from './store.js';
import { defaultDbPath } from './paths.js';
import { openSqliteStore } from './sqlite/store.js';

export interface StoreOptions {
  /** Path of the embedded database file. */
  db?: string;
  /** Bolt URI of a Neo4j server; wins over `db`. */
  neo4j?: string;
}

export async function openStore(opts: StoreOptions = {}): Promise<GraphStore> {
  return openSqliteStore(opts.db ?? defaultDbPath());
}
