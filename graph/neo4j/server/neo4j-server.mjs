#!/usr/bin/env node
// Starts, stops and reports on the project's own Neo4j 5 Community server (plain Node ESM, so it
// runs before any build; `npm run neo4j` / `npm run neo4j:stop`).
//
//   node graph/neo4j/server/neo4j-server.mjs start | stop | status
//
// What it runs: the embedded Neo4j DBMS from Maven Central (org.neo4j:neo4j, version in pom.xml)
// with the Bolt connector on 127.0.0.1, driven by java/LoregraphNeo4jServer.java. The first start
// resolves the jars with Maven (cached in ~/.m2) and compiles the launcher with javac (cached in
// .work/neo4j/build-<hash>/); later starts reuse both. Needs Java 17+ and Maven on PATH.
//
// Environment:
//   NEO4J_PORT          Bolt port on 127.0.0.1 (default 7687)
//   NEO4J_PASSWORD      password of the user `neo4j` (default loregraph-dev)
//   NEO4J_HEAP          JVM -Xmx (default 2g)
//   NEO4J_PAGECACHE_MB  page cache in MiB (default 512)
//   NEO4J_START_TIMEOUT seconds to wait for Bolt to answer (default 180)
//
// Files under .work/neo4j/: data/ (the databases), logs/ (Neo4j's own logs), neo4j.log (the
// process's stdout/stderr), neo4j.pid.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const WORK = join(ROOT, '.work', 'neo4j');
const PID_FILE = join(WORK, 'neo4j.pid');
const LOG_FILE = join(WORK, 'neo4j.log');
const POM = join(HERE, 'pom.xml');
const LAUNCHER_SOURCE = join(HERE, 'java', 'LoregraphNeo4jServer.java');
const MAIN_CLASS = 'LoregraphNeo4jServer';

const PORT = Number(process.env.NEO4J_PORT || 7687);
const PASSWORD = process.env.NEO4J_PASSWORD || 'loregraph-dev';
const USER = 'neo4j';
const URI = `bolt://127.0.0.1:${PORT}`;
const START_TIMEOUT_MS = Number(process.env.NEO4J_START_TIMEOUT || 180) * 1000;

function log(line) {
  process.stdout.write(`neo4j-server: ${line}\n`);
}

function fail(line) {
  process.stderr.write(`neo4j-server: ${line}\n`);
  process.exit(1);
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// --- the process -----------------------------------------------------------------------------

function readPid() {
  if (!existsSync(PID_FILE)) return null;
  const pid = Number(readFileSync(PID_FILE, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** True when `pid` is alive and is our launcher (not a recycled pid of something else). */
function isOurServer(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(MAIN_CLASS);
  } catch {
    // No /proc (not Linux): trust the signal check.
    return true;
  }
}

function runningPid() {
  const pid = readPid();
  if (pid !== null && isOurServer(pid)) return pid;
  if (pid !== null) rmSync(PID_FILE, { force: true });
  return null;
}

/** 'ok', 'auth' (a server answers but refuses the credentials) or 'down'. */
async function probe() {
  const driver = neo4j.driver(URI, neo4j.auth.basic(USER, PASSWORD), {
    connectionTimeout: 2000,
    maxConnectionPoolSize: 1,
    logging: { level: 'error', logger: () => {} },
  });
  try {
    await driver.verifyConnectivity();
    return { state: 'ok' };
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e ? String(e.code) : '';
    if (code.startsWith('Neo.ClientError.Security')) return { state: 'auth', message: e.message };
    return { state: 'down', message: e instanceof Error ? e.message : String(e) };
  } finally {
    await driver.close();
  }
}

function tailLog(lines = 30) {
  if (!existsSync(LOG_FILE)) return '(no log)';
  return readFileSync(LOG_FILE, 'utf8').split('\n').slice(-lines).join('\n');
}

// --- build: jars from Maven Central, the launcher compiled once --------------------------------

function checkTool(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) fail(`${what} is needed to run Neo4j (tried \`${cmd} ${args.join(' ')}\`)`);
}

function ensureBuilt() {
  const hash = createHash('sha256')
    .update(readFileSync(POM))
    .update(readFileSync(LAUNCHER_SOURCE))
    .digest('hex')
    .slice(0, 12);
  const buildDir = join(WORK, `build-${hash}`);
  const classpathFile = join(buildDir, 'classpath.txt');
  const classesDir = join(buildDir, 'classes');
  if (existsSync(join(buildDir, 'ok'))) {
    return { classpath: `${classesDir}:${readFileSync(classpathFile, 'utf8').trim()}`, built: false };
  }
  checkTool('java', ['-version'], 'Java 17 or newer');
  checkTool('mvn', ['-v'], 'Maven');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(classesDir, { recursive: true });
  log('resolving Neo4j jars with Maven (first start only; cached in ~/.m2)');
  const mvn = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`, '-Dmdep.includeScope=runtime'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (mvn.status !== 0) fail('Maven could not resolve the Neo4j artifacts (see above)');
  const jars = readFileSync(classpathFile, 'utf8').trim();
  log('compiling the launcher');
  const javac = spawnSync('javac', ['-d', classesDir, '-cp', jars, LAUNCHER_SOURCE], { stdio: 'inherit' });
  if (javac.status !== 0) fail('javac failed on the launcher (see above)');
  writeFileSync(join(buildDir, 'ok'), new Date().toISOString() + '\n');
  return { classpath: `${classesDir}:${jars}`, built: true };
}

// --- commands ---------------------------------------------------------------------------------

async function start() {
  const t0 = Date.now();
  mkdirSync(WORK, { recursive: true });
  const existing = runningPid();
  if (existing !== null) {
    const p = await waitForBolt(existing, START_TIMEOUT_MS);
    log(`already running (pid ${existing}) at ${URI}`);
    if (p.state === 'auth') fail(`but it refuses user ${USER} with this NEO4J_PASSWORD: ${p.message}`);
    console.log(URI);
    return;
  }
  const before = await probe();
  if (before.state === 'ok') {
    log(`a Neo4j server not started by this script already answers at ${URI}; using it`);
    console.log(URI);
    return;
  }
  if (before.state === 'auth') fail(`a Neo4j server at ${URI} refuses user ${USER}: ${before.message}`);

  const { classpath, built } = ensureBuilt();
  mkdirSync(join(WORK, 'data'), { recursive: true });
  if (existsSync(LOG_FILE)) renameSync(LOG_FILE, `${LOG_FILE}.1`);
  const out = openSync(LOG_FILE, 'a');
  const child = spawn(
    'java',
    [
      '-Xms512m',
      `-Xmx${process.env.NEO4J_HEAP || '2g'}`,
      '-XX:+UseG1GC',
      '-XX:-OmitStackTraceInFastThrow',
      '-Dio.netty.tryReflectionSetAccessible=true',
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      '--add-opens=java.base/java.lang=ALL-UNNAMED',
      '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
      '--add-exports=java.base/sun.nio.ch=ALL-UNNAMED',
      '-cp',
      classpath,
      MAIN_CLASS,
    ],
    {
      cwd: WORK,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, LOREGRAPH_NEO4J_HOME: WORK, NEO4J_PORT: String(PORT), NEO4J_PASSWORD: PASSWORD },
    },
  );
  closeSync(out);
  writeFileSync(PID_FILE, `${child.pid}\n`);
  child.unref();
  log(`started pid ${child.pid}; waiting for Bolt at ${URI} (log: ${LOG_FILE})`);
  const p = await waitForBolt(child.pid, START_TIMEOUT_MS);
  if (p.state !== 'ok') {
    process.stderr.write(tailLog() + '\n');
    if (isOurServer(child.pid)) {
      process.kill(child.pid, 'SIGKILL');
      rmSync(PID_FILE, { force: true });
    }
    fail(p.state === 'auth' ? `the server refuses user ${USER}: ${p.message}` : `Neo4j did not come up: ${p.message}`);
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  log(`ready in ${secs} s (${built ? 'cold: jars resolved and launcher compiled' : 'warm'}); user ${USER}`);
  console.log(URI);
}

/** True once the launcher has set the password and said so (Bolt opens a moment earlier). */
function launcherReady() {
  return existsSync(LOG_FILE) && readFileSync(LOG_FILE, 'utf8').includes('loregraph-neo4j: ready');
}

async function waitForBolt(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = { state: 'down', message: 'not started' };
  while (Date.now() < deadline) {
    if (!isOurServer(pid)) return { state: 'down', message: `the server process ${pid} exited` };
    // Probing before the password is set would fail the login and, repeated, lock the user out.
    if (!launcherReady()) {
      await sleep(300);
      continue;
    }
    last = await probe();
    if (last.state !== 'down') return last;
    await sleep(500);
  }
  return { state: 'down', message: `no answer within ${Math.round(timeoutMs / 1000)} s (${last.message})` };
}

async function stop() {
  const pid = runningPid();
  if (pid === null) {
    log('not running');
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && isOurServer(pid)) await sleep(200);
  if (isOurServer(pid)) {
    log(`pid ${pid} did not stop within 60 s; killing it`);
    process.kill(pid, 'SIGKILL');
    while (isOurServer(pid)) await sleep(100);
  }
  rmSync(PID_FILE, { force: true });
  log(`stopped (pid ${pid})`);
}

async function status() {
  const pid = runningPid();
  const p = await probe();
  if (pid !== null) {
    const state = p.state === 'ok' ? 'answering' : p.state === 'auth' ? 'answering, but refusing the credentials' : 'starting or not answering';
    log(`running (pid ${pid}) at ${URI}: ${state}`);
    return;
  }
  if (p.state === 'ok') log(`not started by this script, but a Neo4j answers at ${URI}`);
  else log(`not running (${URI})`);
  process.exitCode = 3;
}

const command = process.argv[2];
if (command === 'start') await start();
else if (command === 'stop') await stop();
else if (command === 'status') await status();
else {
  process.stderr.write('usage: neo4j-server.mjs start|stop|status\n');
  process.exit(2);
}
