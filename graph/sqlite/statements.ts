// Prepared statements kept per connection: better-sqlite3 compiles SQL on every prepare(), which
// on the full 91k-message archive cost ~7 CPU-s across the derive and claims batch writes (the
// same few statements prepared again for each batch).
import type Database from 'better-sqlite3';

/** prepare() once per SQL text. Not for statements run through .iterate() (one run at a time). */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
}
