// JWZ threading with its containers on disk: the same steps and the same forest as jwz.ts's
// Threader, but the containers live in a scratch SQLite database (an anonymous temporary file,
// deleted by SQLite when it is closed, or by the OS if the process dies) whose page cache is
// bounded, so the memory threading needs does not grow with the archive. The forest is read back
// as a stream (parents before their children), for the store to write as it reads. SQLite puts the
// file in $SQLITE_TMPDIR or $TMPDIR (else /var/tmp, /usr/tmp, /tmp): where that is a tmpfs, the
// pages are in memory again, outside this process's RSS; point TMPDIR at a disk then.
//
// What the in-memory Threader keeps on objects is kept here in one row per container: the parent
// as a row id, how the link was made, and a count of children — a container without children
// cannot be an ancestor of anything, so most cycle checks need no walk up the tree.
import Database from 'better-sqlite3';
import type { ParentMethod } from '../model.js';
import type { ThreadAssignment, ThreadingRecord } from '../../graph/store.js';
import { subjectTarget } from './jwz.js';
import { rowToAssignment, type ThreadAssignmentRow } from '../../graph/sqlite/rows.js';

export interface DiskThreaderOptions {
  /** SQLite page cache of the scratch database, in KiB (default 8 MiB: the file stays in the OS cache, and on the
   * 92k-message epoch 4 MiB and 64 MiB thread in the same time). */
  cacheKiB?: number;
}

export interface DiskThreadResult {
  /** Every container (stored messages and ghosts), parents before children; each iteration reads
   * the scratch database again, so it can be iterated more than once (until close()). */
  forest: Iterable<ThreadAssignment>;
  threads: number;
  ghosts: number;
}

/** Rows read per page when a step walks the containers while it changes them. */
const PAGE = 2000;

interface Link {
  parent: number | null;
  kids: number;
}

/**
 * Threads records as they are read (add), then completes the forest (finish), like Threader,
 * holding only a bounded page cache. close() removes the scratch database.
 */
export class DiskThreader {
  private readonly db: Database.Database;
  private seq = 0;
  private finished = false;
  private readonly stmt: {
    find: Database.Statement<[string], { id: number; parent: number | null }>;
    link: Database.Statement<[number], Link>;
    parentOf: Database.Statement<[number], { parent: number | null }>;
    ghost: Database.Statement<[string]>;
    stored: Database.Statement<unknown[]>;
    restore: Database.Statement<unknown[]>;
    setParent: Database.Statement<[number, string, number, string | null, number]>;
    addKid: Database.Statement<[number, number]>;
  };

  constructor(opts: DiskThreaderOptions = {}) {
    // '' is SQLite's anonymous temporary database: a file in the temporary directory that SQLite
    // deletes itself; pages beyond cache_size are written to it instead of held.
    this.db = new Database('');
    this.db.pragma(`cache_size = -${opts.cacheKiB ?? 8192}`);
    this.db.pragma('temp_store = FILE');
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.exec(`CREATE TABLE c (
      id INTEGER PRIMARY KEY,
      msgid TEXT NOT NULL UNIQUE,
      ghost INTEGER NOT NULL DEFAULT 1,
      seq INTEGER,             -- the order records were added (null for ghosts)
      parent INTEGER,
      method TEXT,
      confidence REAL,
      evidence TEXT,
      kids INTEGER NOT NULL DEFAULT 0,
      headerless INTEGER NOT NULL DEFAULT 0,
      subject_key TEXT,        -- header-less records only, as Threader keeps it
      is_reply INTEGER,
      inf_parent TEXT,
      inf_method TEXT,
      inf_confidence REAL,
      inf_evidence TEXT
    )`);
    const db = this.db;
    this.stmt = {
      find: db.prepare(`SELECT id, parent FROM c WHERE msgid = ?`),
      link: db.prepare(`SELECT parent, kids FROM c WHERE id = ?`),
      parentOf: db.prepare(`SELECT parent FROM c WHERE id = ?`),
      ghost: db.prepare(`INSERT INTO c(msgid) VALUES (?)`),
      stored: db.prepare(`INSERT INTO c(msgid, ghost, seq, headerless, subject_key, is_reply, inf_parent, inf_method, inf_confidence, inf_evidence)
        VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`),
      restore: db.prepare(`UPDATE c SET ghost = 0, seq = ?, headerless = ?, subject_key = ?, is_reply = ?,
        inf_parent = ?, inf_method = ?, inf_confidence = ?, inf_evidence = ? WHERE id = ?`),
      setParent: db.prepare(`UPDATE c SET parent = ?, method = ?, confidence = ?, evidence = ? WHERE id = ?`),
      addKid: db.prepare(`UPDATE c SET kids = kids + ? WHERE id = ?`),
    };
    // One transaction for the whole run: nothing here needs to survive a crash.
    this.db.exec('BEGIN');
  }

  /** The container of `msgid`, made as a ghost when it does not exist yet. */
  private get(msgid: string): { id: number; parent: number | null } {
    const row = this.stmt.find.get(msgid);
    if (row) return row;
    return { id: Number(this.stmt.ghost.run(msgid).lastInsertRowid), parent: null };
  }

  /** Is `candidate` an ancestor of (or the same as) `of`? */
  private isAncestor(candidate: number, of: number): boolean {
    for (let c: number | null = of; c !== null; c = this.stmt.parentOf.get(c)!.parent) if (c === candidate) return true;
    return false;
  }

  /** Threader's setParent: refuses a link that would close a cycle, else moves `child` under `parent`. */
  private setParent(child: number, parent: number, method: ParentMethod, confidence: number, evidence: string | null): boolean {
    const link = this.stmt.link.get(child)!;
    if (child === parent) return false;
    // Only a container with children can be a proper ancestor of another one.
    if (link.kids > 0 && this.isAncestor(child, parent)) return false;
    if (link.parent !== null) this.stmt.addKid.run(-1, link.parent);
    this.stmt.setParent.run(parent, method, confidence, evidence, child);
    this.stmt.addKid.run(1, parent);
    return true;
  }

  add(r: ThreadingRecord): void {
    if (this.finished) throw new Error('DiskThreader.add after finish');
    const headerless = !r.inReplyTo && r.references.length === 0;
    const withSubject = headerless && !!r.normalizedSubject;
    const inf = r.inferredParent;
    const fields = [
      headerless ? 1 : 0,
      withSubject ? r.normalizedSubject.toLowerCase() : null,
      withSubject ? (r.isReply ? 1 : 0) : null,
      inf?.parent ?? null,
      inf?.method ?? null,
      inf?.confidence ?? null,
      inf?.evidence ?? null,
    ];
    const seq = this.seq++;
    const existing = this.stmt.find.get(r.msgid);
    let c: number;
    if (existing) {
      c = existing.id;
      this.stmt.restore.run(seq, ...fields, c);
    } else {
      c = Number(this.stmt.stored.run(r.msgid, seq, ...fields).lastInsertRowid);
    }

    // 1. Header links, as Threader.add makes them.
    const refs = r.references.filter((id) => id !== r.msgid);
    let prev: number | null = null;
    for (const id of refs) {
      const ref = this.get(id);
      if (prev !== null && ref.parent === null && ref.id !== prev) this.setParent(ref.id, prev, 'references', 1, null);
      prev = ref.id;
    }
    const direct = r.inReplyTo && r.inReplyTo !== r.msgid ? r.inReplyTo : refs[refs.length - 1];
    if (direct) {
      const method: ParentMethod = r.inReplyTo && r.inReplyTo !== r.msgid ? 'in-reply-to' : 'references';
      this.setParent(c, this.get(direct).id, method, 1, null);
    }
  }

  /** Steps 2-4 over everything added. The forest is readable until close(). */
  finish(): DiskThreadResult {
    if (this.finished) throw new Error('DiskThreader.finish called twice');
    this.finished = true;
    const db = this.db;

    // 2. Parents inferred from content, for messages no header placed, in the order added. A link
    //    made here sets only its own child's parent, so a page read ahead stays true.
    db.exec(`CREATE INDEX c_inferred ON c(seq) WHERE inf_parent IS NOT NULL`);
    const inferredPage = db.prepare(
      `SELECT c.id, c.seq, p.id AS parent, c.inf_method AS method, c.inf_confidence AS confidence, c.inf_evidence AS evidence
       FROM c JOIN c p ON p.msgid = c.inf_parent
       WHERE c.inf_parent IS NOT NULL AND c.seq > ? AND c.parent IS NULL
       ORDER BY c.seq LIMIT ${PAGE}`,
    );
    for (let after = -1; ; ) {
      const rows = inferredPage.all(after) as { id: number; seq: number; parent: number; method: ParentMethod; confidence: number; evidence: string }[];
      for (const x of rows) this.setParent(x.id, x.parent, x.method, x.confidence, x.evidence);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].seq;
    }

    // 3. Header-less replies still without a parent, gathered by normalised subject: the set of
    //    orphans and originals is taken before any of them is linked, as Threader does.
    db.exec(`CREATE TABLE gather AS
      SELECT id, seq, subject_key, is_reply FROM c
      WHERE seq IS NOT NULL AND parent IS NULL AND headerless = 1 AND subject_key IS NOT NULL;
      CREATE INDEX gather_subject ON gather(subject_key, is_reply, seq);`);
    const subjectsPage = db.prepare(
      `SELECT subject_key AS key, min(seq) AS first FROM gather WHERE is_reply = 1
       GROUP BY subject_key HAVING min(seq) > ? ORDER BY first LIMIT ${PAGE}`,
    );
    const originals = db.prepare(`SELECT id FROM gather WHERE subject_key = ? AND is_reply = 0 ORDER BY seq LIMIT 2`).pluck();
    const orphansPage = db.prepare(
      `SELECT id, seq FROM gather WHERE subject_key = ? AND is_reply = 1 AND seq > ? ORDER BY seq LIMIT ${PAGE}`,
    );
    for (let after = -1; ; ) {
      const subjects = subjectsPage.all(after) as { key: string; first: number }[];
      for (const { key } of subjects) {
        const { target, confidence, evidence } = subjectTarget(key, originals.all(key) as number[], (id) => this.get(id).id);
        for (let from = -1; ; ) {
          const orphans = orphansPage.all(key, from) as { id: number; seq: number }[];
          for (const o of orphans) this.setParent(o.id, target, 'subject', confidence, evidence);
          if (orphans.length < PAGE) break;
          from = orphans[orphans.length - 1].seq;
        }
      }
      if (subjects.length < PAGE) break;
      after = subjects[subjects.length - 1].first;
    }

    // 4. Roots and depths, breadth first from every root (the queue is SQLite's, on disk past the
    //    cache): `placed` keeps that order, so the forest streams parents before children.
    db.exec(`CREATE INDEX c_parent ON c(parent);
      CREATE TABLE placed (ord INTEGER PRIMARY KEY, id INTEGER NOT NULL, root INTEGER NOT NULL, depth INTEGER NOT NULL);
      INSERT INTO placed(id, root, depth)
        WITH RECURSIVE walk(id, root, depth) AS (
          SELECT id, id, 0 FROM c WHERE parent IS NULL
          UNION ALL
          SELECT c.id, walk.root, walk.depth + 1 FROM c JOIN walk ON c.parent = walk.id
        )
        SELECT id, root, depth FROM walk;`);
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const containers = count(`SELECT count(*) FROM c`);
    const placed = count(`SELECT count(*) FROM placed`);
    // Every link refused a cycle, so every container hangs from a root; anything else is a bug here.
    if (placed !== containers) throw new Error(`DiskThreader: ${containers} containers but ${placed} reached from a root`);
    const threads = count(`SELECT count(*) FROM c WHERE parent IS NULL`);
    const ghosts = count(`SELECT count(*) FROM c WHERE ghost = 1`);
    db.exec('COMMIT');

    const forest = db.prepare(
      `SELECT c.msgid, r.msgid AS root, p.msgid AS parent, c.method, c.confidence, c.evidence, c.ghost, placed.depth
       FROM placed JOIN c ON c.id = placed.id JOIN c r ON r.id = placed.root LEFT JOIN c p ON p.id = c.parent
       ORDER BY placed.ord`,
    );
    const self = this;
    return {
      threads,
      ghosts,
      forest: {
        *[Symbol.iterator](): Iterator<ThreadAssignment> {
          if (!self.db.open) throw new Error('DiskThreader: the forest was read after close()');
          for (const row of forest.iterate() as Iterable<ThreadAssignmentRow>) yield rowToAssignment(row);
        },
      },
    };
  }

  /** Closes the scratch database; SQLite deletes its file. */
  close(): void {
    if (this.db.open) this.db.close();
  }
}
