// Tests that write to Neo4j wipe it before each test. Community edition has a single user
// database, so before wiping anything a test run claims the database: it must be empty, or hold
// the marker an earlier test run left, or NEO4J_TEST_WIPE=1 must say that wiping it is fine.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../paths.js';
import { neo4jConfig } from './connection.js';
import { openNeo4jStore, type Neo4jStore } from './store.js';

export type TestDatabaseClaim = { ok: true; reset(): Promise<void> } | { ok: false; reason: string };

const MARKER = 'LoregraphTestDatabase';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Test files run in parallel processes and share the one database: each holds this lock (a
 * directory under .work/) from its claim until it exits. A lock left by a dead process is taken over.
 */
async function lockDatabase(): Promise<void> {
  const dir = projectPath('.work', 'neo4j-tests.lock');
  mkdirSync(projectPath('.work'), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      return;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(join(dir, 'pid'), 'utf8'));
      } catch {
        // The owner is between mkdir and writing its pid: wait.
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${dir} (held by pid ${owner})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export async function claimTestDatabase(): Promise<TestDatabaseClaim> {
  const { uri } = neo4jConfig();
  let store: Neo4jStore;
  try {
    store = await openNeo4jStore();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, reason: message.startsWith('cannot reach') ? `no server at ${uri}` : message };
  }
  try {
    await lockDatabase();
    const session = store.conn.session('WRITE');
    try {
      const res = await session.run(
        `OPTIONAL MATCH (t:${MARKER}) WITH count(t) AS marked
         OPTIONAL MATCH (n) WHERE NOT n:${MARKER}
         RETURN marked, count(n) AS nodes`,
      );
      const marked = res.records[0].get('marked') as number;
      const nodes = res.records[0].get('nodes') as number;
      if (marked === 0 && nodes > 0 && process.env.NEO4J_TEST_WIPE !== '1') {
        return {
          ok: false,
          reason:
            `the database at ${uri} holds ${nodes} nodes that no loregraph test wrote and the tests would delete them; ` +
            'point NEO4J_URI at a scratch server or set NEO4J_TEST_WIPE=1',
        };
      }
      await session.run(`MERGE (:${MARKER} {claimedBy: 'loregraph tests'})`);
    } finally {
      await session.close();
    }
  } finally {
    await store.close();
  }
  return {
    ok: true,
    async reset() {
      const s = await openNeo4jStore();
      try {
        await s.clear();
      } finally {
        await s.close();
      }
    },
  };
}
