// Results of whole-store reads (the list of every symbol, of every series) kept until the database
// changes, so index pages of a large archive are computed once per ingest rather than per request.
// A change is seen through PRAGMA data_version (moves when another connection commits, e.g. an
// ingest running beside `loregraph serve`) and total_changes() (moves when this connection writes).
import type Database from 'better-sqlite3';

export class UntilChanged {
  private generation = '';
  private readonly values = new Map<string, unknown>();
  private readonly state: Database.Statement;

  constructor(db: Database.Database) {
    this.state = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) AS version, total_changes() AS changes');
  }

  private current(): string {
    const { version, changes } = this.state.get() as { version: number; changes: number };
    return `${version}:${changes}`;
  }

  /** compute() once per generation of the database and key; a fresh array each call, so callers may reorder it. */
  list<T>(key: string, compute: () => T[]): T[] {
    const now = this.current();
    if (now !== this.generation) {
      this.values.clear();
      this.generation = now;
    }
    let v = this.values.get(key) as T[] | undefined;
    if (!v) {
      v = compute();
      this.values.set(key, v);
    }
    return [...v];
  }
}
