// Connecting to a Neo4j server: configuration from options or the environment, one driver per
// store, managed transactions (retried by the driver on transient errors) and errors that say
// what to do instead of a bare driver stack.
import neo4j, { type Driver, type ManagedTransaction, type Session } from 'neo4j-driver';
import { boltPort, noDelayForBoltPort } from './nodelay.js';

export const DEFAULT_NEO4J_URI = 'bolt://127.0.0.1:7687';
export const DEFAULT_NEO4J_USER = 'neo4j';
/** The password `npm run neo4j` gives the user neo4j unless NEO4J_PASSWORD says otherwise. */
export const DEFAULT_NEO4J_PASSWORD = 'loregraph-dev';

export interface Neo4jConfig {
  uri: string;
  user: string;
  password: string;
  /** Database name; the server's default database when omitted (Community has one). */
  database?: string;
  /** How long the driver keeps retrying a transaction that failed transiently (default 30 s). */
  maxRetryTimeMs?: number;
}

/** Options win over NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE, which win over the defaults. */
export function neo4jConfig(opts: Partial<Neo4jConfig> = {}): Neo4jConfig {
  const env = process.env;
  return {
    uri: opts.uri ?? (env.NEO4J_URI || DEFAULT_NEO4J_URI),
    user: opts.user ?? (env.NEO4J_USER || DEFAULT_NEO4J_USER),
    password: opts.password ?? (env.NEO4J_PASSWORD || DEFAULT_NEO4J_PASSWORD),
    database: opts.database ?? (env.NEO4J_DATABASE || undefined),
    maxRetryTimeMs: opts.maxRetryTimeMs ?? 30_000,
  };
}

function errorCode(e: unknown): string {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Turns driver errors about reaching or logging in to the server into errors a user can act on. */
export function explainConnectError(e: unknown, cfg: Neo4jConfig): Error {
  const code = errorCode(e);
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') {
    return new Error(
      `cannot reach Neo4j at ${cfg.uri}: is it running? start one with npm run neo4j (${errorMessage(e)})`,
      { cause: e },
    );
  }
  if (code.startsWith('Neo.ClientError.Security.')) {
    return new Error(
      `Neo4j at ${cfg.uri} refused user '${cfg.user}': check NEO4J_USER / NEO4J_PASSWORD ` +
        `(npm run neo4j sets the password from NEO4J_PASSWORD, default ${DEFAULT_NEO4J_PASSWORD}) (${errorMessage(e)})`,
      { cause: e },
    );
  }
  return e instanceof Error ? e : new Error(String(e));
}

export class Neo4jConnection {
  readonly driver: Driver;
  readonly config: Neo4jConfig;

  private constructor(driver: Driver, config: Neo4jConfig) {
    this.driver = driver;
    this.config = config;
  }

  /** Opens a driver and checks that the server answers and accepts the credentials. */
  static async open(opts: Partial<Neo4jConfig> = {}): Promise<Neo4jConnection> {
    const cfg = neo4jConfig(opts);
    noDelayForBoltPort(boltPort(cfg.uri));
    const driver = neo4j.driver(cfg.uri, neo4j.auth.basic(cfg.user, cfg.password), {
      // Every count, offset and depth loregraph stores fits in 2^53; plain numbers keep the
      // query results identical to the embedded store's.
      disableLosslessIntegers: true,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: cfg.maxRetryTimeMs,
      logging: { level: 'error', logger: () => {} },
    });
    try {
      await driver.verifyConnectivity({ database: cfg.database });
    } catch (e) {
      await driver.close();
      throw explainConnectError(e, cfg);
    }
    return new Neo4jConnection(driver, cfg);
  }

  session(mode: 'READ' | 'WRITE'): Session {
    return this.driver.session({
      database: this.config.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
  }

  /**
   * Runs `work` in one write transaction, retried by the driver on transient errors (deadlocks,
   * a dropped connection, a restarting server) for up to maxRetryTimeMs. If it still fails the
   * error is thrown, naming what was being written: a write is never dropped silently.
   */
  async write<T>(what: string, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('WRITE');
    try {
      return await session.executeWrite(work);
    } catch (e) {
      const explained = explainConnectError(e, this.config);
      throw new Error(`Neo4j write failed (${what}) after retries: ${explained.message}`, { cause: e });
    } finally {
      await session.close();
    }
  }

  async read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.session('READ');
    try {
      return await session.executeRead(work);
    } catch (e) {
      throw explainConnectError(e, this.config);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
