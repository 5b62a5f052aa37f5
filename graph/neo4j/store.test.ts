// Neo4jStore against a real server: what a user sees when the server is missing or refuses the
// credentials, and writes that meet a dropped or restarting server (simulated by a TCP relay
// in front of the real one, which the test cuts and restores).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { realMessages, variedMessages } from '../contract/testData.js';
import { neo4jConfig, openNeo4jStore } from './store.js';
import { boltPort } from './nodelay.js';
import { claimTestDatabase } from './testDatabase.js';

test('no server: the error names the URI and says how to start one', async () => {
  await assert.rejects(
    openNeo4jStore({ uri: 'bolt://127.0.0.1:1' }),
    /^Error: cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:1: is it running\? start one with npm run neo4j/,
  );
});

const claim = await claimTestDatabase();
const skip = claim.ok ? undefined : `Neo4j store tests skipped: ${claim.reason} — run \`npm run neo4j\` or set NEO4J_URI`;
if (skip && process.env.CI === 'true') {
  test('Neo4j store tests: a Neo4j server must answer under CI', () => {
    assert.fail(`no usable Neo4j at ${neo4jConfig().uri} under CI=true: ${skip}`);
  });
} else if (skip) console.log(skip);

/** A TCP relay to the real server that can drop every connection and stop or resume listening. */
class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  /** Connections accepted so far. */
  accepted = 0;
  private cutAt: number | null = null;
  private relayed = 0;

  async listen(port = 0): Promise<void> {
    const target = boltPort(neo4jConfig().uri);
    this.server = net.createServer((client) => {
      this.accepted++;
      const upstream = net.connect(target, '127.0.0.1');
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        this.relayed += chunk.length;
        if (this.cutAt !== null && this.relayed >= this.cutAt) {
          this.cutAt = null;
          this.cut();
        }
      });
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Cuts every connection once `bytes` more have gone from the client to the server. */
  cutAfter(bytes: number): void {
    this.cutAt = this.relayed + bytes;
  }

  /** Cuts every open connection (what a server restart does to its clients). */
  cut(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.cut();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('Neo4jStore on a real server', { skip }, () => {
  const relay = new Relay();
  after(() => relay.stop());

  test('wrong credentials: the error says which user was refused and where the password comes from', async () => {
    await assert.rejects(
      openNeo4jStore({ password: 'not-the-password' }),
      /Neo4j at bolt:\/\/.* refused user 'neo4j': check NEO4J_USER \/ NEO4J_PASSWORD/,
    );
  });

  test('a write whose connections are cut mid-transaction is retried and lands whole', async () => {
    if (!claim.ok) return;
    await claim.reset();
    await relay.listen();
    const store = await openNeo4jStore({ uri: `bolt://127.0.0.1:${relay.port}` });
    try {
      const messages = variedMessages(await realMessages(), 60);
      const before = relay.accepted;
      // The batch's parameters are several MB: cut after the first 512 KB of them, mid-statement.
      relay.cutAfter(512 * 1024);
      const res = await store.putMessages(messages);
      assert.ok(relay.accepted > before, 'the connection was cut and the driver reconnected');
      assert.equal(res.inserted + res.duplicates, messages.length);
      assert.equal(res.inserted, messages.length, 'the retried transaction saw nothing of the cut one');
      assert.equal((await store.stats()).messages, messages.length);
    } finally {
      await store.close();
      await relay.stop();
    }
  });

  test('a write while the server is away and back within the retry time succeeds', async () => {
    if (!claim.ok) return;
    await claim.reset();
    await relay.listen();
    const port = relay.port;
    const store = await openNeo4jStore({ uri: `bolt://127.0.0.1:${port}`, maxRetryTimeMs: 20_000 });
    try {
      const [m] = await realMessages();
      await relay.stop();
      const writing = store.putMessages([m]);
      await new Promise((r) => setTimeout(r, 1500));
      await relay.listen(port);
      assert.deepEqual(await writing, { inserted: 1, duplicates: 0, duplicateMsgids: [] });
      assert.equal((await store.message(m.msgid))?.msgid, m.msgid);
    } finally {
      await store.close();
      await relay.stop();
    }
  });

  test('a write while the server stays away fails with an error after the retries, not silently', async () => {
    if (!claim.ok) return;
    await claim.reset();
    await relay.listen();
    const store = await openNeo4jStore({ uri: `bolt://127.0.0.1:${relay.port}`, maxRetryTimeMs: 2_000 });
    const [m] = await realMessages();
    try {
      await relay.stop();
      await assert.rejects(
        store.putMessages([m]),
        /^Error: Neo4j write failed \(putMessages, 1 messages\) after retries: cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:\d+/,
      );
    } finally {
      await store.close();
    }
    const direct = await openNeo4jStore();
    try {
      assert.equal(await direct.message(m.msgid), null);
      assert.equal((await direct.stats()).messages, 0);
    } finally {
      await direct.close();
    }
  });
});
