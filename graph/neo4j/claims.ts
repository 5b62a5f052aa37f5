// The claim store on Neo4j. Graph shape (see ARCHITECTURE.md):
//   (:Message)-[:ASSERTS]->(:Claim {id, …})             id = msgid#sentence index
//   (:Claim)-[:ABOUT]->(:Symbol {key, kind, name})       key = kind:name
//   (:Claim)-[:ANSWERS]->(:Claim)                        the claim whose quoted text it answers
//   (:Claim)-[:CHECKED_BY {polarity, reasons}]->(:Check {name, decides})
//   (:Check)-[:RAN]->(:CheckRun {key, …})                key = check/variant/params hash
//   (:CheckRun)-[:VERDICT {check, role, label, verdict, why}]->(:Claim)
// Writes are one managed transaction each, rows as UNWIND parameters, MERGE on the keys.
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { Provenance } from '../../ingest/model.js';
import {
  symbolKey,
  symbolName,
  type CheckRunRecord,
  type CheckRunView,
  type CheckLinkRecord,
  type ClaimBatch,
  type RecheckBatch,
  type StoredClaimBatch,
  type ClaimCheckView,
  type ClaimQuery,
  type ClaimRecord,
  type ClaimStats,
  type ClaimStatusRecord,
  type ClaimStore,
  type ClaimView,
  type SymbolSummary,
  type SymbolView,
  type VerdictRecord,
  type VerdictValue,
} from '../claims.js';
import { claimAuthor, isSymbolEntity, sortChecks } from '../claimViews.js';
import type { Neo4jConnection } from './connection.js';
import { compareKeys as cmp } from '../order.js';

/** Constraints (node keys) and indexes the claim queries use; run by ensureSchema. */
export const CLAIM_SCHEMA_STATEMENTS = [
  'CREATE CONSTRAINT loregraph_claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE',
  'CREATE CONSTRAINT loregraph_symbol_key IF NOT EXISTS FOR (s:Symbol) REQUIRE s.key IS UNIQUE',
  'CREATE CONSTRAINT loregraph_check_name IF NOT EXISTS FOR (k:Check) REQUIRE k.name IS UNIQUE',
  'CREATE CONSTRAINT loregraph_checkrun_key IF NOT EXISTS FOR (r:CheckRun) REQUIRE r.key IS UNIQUE',
  'CREATE INDEX loregraph_claim_msgid IF NOT EXISTS FOR (c:Claim) ON (c.msgid)',
  'CREATE INDEX loregraph_claim_series IF NOT EXISTS FOR (c:Claim) ON (c.series)',
  'CREATE INDEX loregraph_claim_thread IF NOT EXISTS FOR (c:Claim) ON (c.thread)',
  'CREATE INDEX loregraph_claim_answers IF NOT EXISTS FOR (c:Claim) ON (c.answersClaim)',
  'CREATE INDEX loregraph_symbol_name IF NOT EXISTS FOR (s:Symbol) ON (s.name)',
];

/** Labels the claim store writes (for clearing a database). */
export const CLAIM_LABELS = ['Claim', 'Symbol', 'Check', 'CheckRun'] as const;

const CHUNK = 1000;

async function unwind<T>(tx: ManagedTransaction, cypher: string, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await tx.run(cypher, { rows: rows.slice(i, i + CHUNK) });
}

interface ClaimProps {
  id: string;
  msgid: string;
  sentenceIndex: number;
  text: string;
  kind: string;
  confidence: number;
  entitiesJson: string;
  linesJson: string;
  answersJson: string | null;
  stance: string;
  origin: string;
  quoteDepth: number;
  quotedAuthor: string | null;
  answersClaim: string | null;
  thread: string | null;
  series: string | null;
  revision: string | null;
  patch: string | null;
  verdict: string;
  why: string;
  status: string | null;
  statusWhy: string | null;
  extractorVersion: string;
}

function claimProps(c: ClaimRecord): Record<string, unknown> {
  return {
    id: c.id,
    msgid: c.msgid,
    sentenceIndex: neo4j.int(c.sentenceIndex),
    text: c.text,
    kind: c.kind,
    confidence: c.confidence,
    entitiesJson: JSON.stringify(c.entities),
    linesJson: JSON.stringify(c.lines),
    answersJson: c.answers ? JSON.stringify(c.answers) : null,
    stance: c.stance,
    origin: c.origin,
    quoteDepth: neo4j.int(c.quoteDepth),
    quotedAuthor: c.quotedAuthor,
    answersClaim: c.answersClaim,
    thread: c.thread,
    series: c.series,
    revision: c.revision,
    patch: c.patch,
    verdict: c.verdict,
    why: c.why,
    extractorVersion: c.extractorVersion,
  };
}

function propsToRecord(p: ClaimProps): ClaimRecord {
  return {
    id: p.id,
    msgid: p.msgid,
    sentenceIndex: p.sentenceIndex,
    text: p.text,
    kind: p.kind as ClaimRecord['kind'],
    confidence: p.confidence,
    entities: JSON.parse(p.entitiesJson) as ClaimRecord['entities'],
    lines: JSON.parse(p.linesJson) as ClaimRecord['lines'],
    answers: p.answersJson ? (JSON.parse(p.answersJson) as ClaimRecord['answers']) : null,
    stance: p.stance as ClaimRecord['stance'],
    origin: p.origin as ClaimRecord['origin'],
    quoteDepth: p.quoteDepth,
    quotedAuthor: p.quotedAuthor ?? null,
    answersClaim: p.answersClaim ?? null,
    thread: p.thread ?? null,
    series: p.series ?? null,
    revision: p.revision ?? null,
    patch: p.patch ?? null,
    verdict: p.verdict as VerdictValue,
    why: p.why,
    extractorVersion: p.extractorVersion,
  };
}

interface RunProps {
  key: string;
  check: string;
  variant: string;
  paramsHash: string;
  inputHash: string;
  /** `case` is a Cypher keyword: the case id is stored as caseId. */
  caseId: string;
  scenario: string;
  kernel: string;
  modelVersion: string;
  verdict: string;
  why: string;
  runJson: string;
}

function runProps(r: CheckRunRecord): RunProps {
  const { run, case: caseId, ...rest } = r;
  return { ...rest, caseId, runJson: JSON.stringify(run) };
}

function propsToRun(p: RunProps): CheckRunRecord {
  const { runJson, caseId, ...rest } = p;
  return { ...rest, case: caseId, verdict: p.verdict as CheckRunRecord['verdict'], run: JSON.parse(runJson) as unknown };
}

async function writeRuns(tx: ManagedTransaction, runs: CheckRunRecord[]): Promise<void> {
  await unwind(
    tx,
    `UNWIND $rows AS r
     MERGE (k:Check {name: r.check}) ON CREATE SET k.decides = ''
     MERGE (run:CheckRun {key: r.key})
     SET run += r
     MERGE (k)-[:RAN]->(run)`,
    runs.map(runProps),
  );
}

async function writeLinks(tx: ManagedTransaction, links: CheckLinkRecord[]): Promise<void> {
  await unwind(
    tx,
    `UNWIND $rows AS l
     MATCH (c:Claim {id: l.claimId})
     MERGE (k:Check {name: l.check}) SET k.decides = l.decides
     MERGE (c)-[e:CHECKED_BY]->(k)
     SET e.polarity = l.polarity, e.reasons = l.reasons`,
    links,
  );
}

async function writeVerdicts(tx: ManagedTransaction, verdicts: VerdictRecord[]): Promise<void> {
  await unwind(
    tx,
    `UNWIND $rows AS v
     MATCH (run:CheckRun {key: v.run}), (c:Claim {id: v.claimId})
     MERGE (run)-[e:VERDICT {label: v.label}]->(c)
     SET e.check = v.check, e.role = v.role, e.appliesPatch = v.appliesPatch, e.verdict = v.verdict, e.why = v.why`,
    verdicts,
  );
}

const VIEW_RETURN = `
  OPTIONAL MATCH (m:Message {msgid: c.msgid}) WHERE m.seq IS NOT NULL
  WITH c, m ORDER BY m.date, c.msgid, c.sentenceIndex
  LIMIT $limit
  CALL { WITH c OPTIONAL MATCH (:CheckRun)-[v:VERDICT]->(c)
         RETURN [x IN collect(DISTINCT {name: v.check, variant: v.label, role: v.role, verdict: v.verdict, why: v.why})
                 WHERE x.name IS NOT NULL] AS checks }
  CALL { WITH c OPTIONAL MATCH (c)-[l:CHECKED_BY]->(k:Check) WITH l, k ORDER BY k.name
         RETURN [x IN collect({check: k.name, polarity: l.polarity, reasons: l.reasons}) WHERE x.check IS NOT NULL] AS links }
  RETURN properties(c) AS claim, m.fromName AS fromName, m.fromAddress AS fromAddress, m.date AS date,
         m.subject AS subject, m.synthetic AS synthetic, m.provenanceJson AS provenanceJson, checks, links`;

type ViewRecord = { get(key: string): unknown };

function toView(r: ViewRecord): ClaimView {
  const p = r.get('claim') as ClaimProps;
  const record = propsToRecord(p);
  const sender = (r.get('fromName') as string | null) ?? (r.get('fromAddress') as string | null) ?? '(unknown)';
  const provJson = r.get('provenanceJson') as string | null;
  const prov = provJson ? (JSON.parse(provJson) as Provenance) : null;
  return {
    ...record,
    author: claimAuthor(record, sender),
    sender,
    date: (r.get('date') as string | null) ?? null,
    subject: (r.get('subject') as string | null) ?? '',
    source: { path: prov?.source ?? '', format: prov?.format ?? '', line: prov?.line ?? null },
    synthetic: r.get('synthetic') === true,
    status: p.status ?? null,
    statusWhy: p.statusWhy ?? null,
    checks: sortChecks(r.get('checks') as ClaimCheckView[]),
    links: r.get('links') as ClaimView['links'],
  };
}

export class Neo4jClaimStore implements ClaimStore {
  constructor(private readonly conn: Neo4jConnection) {}

  /** Neo4j replaces each message's claims in its own transaction, through indexes it keeps
   *  up to date: there is nothing to defer. */
  async startExtraction(): Promise<void> {}

  async finishExtraction(): Promise<void> {}

  async replaceClaims(batch: ClaimBatch): Promise<void> {
    const msgids = [...new Set([...batch.msgids, ...batch.claims.map((c) => c.msgid)])];
    if (msgids.length === 0 && batch.runs.length === 0) return;
    const claims = batch.claims.map((c) => ({
      props: claimProps(c),
      symbols: [...new Map(c.entities.filter(isSymbolEntity).map((e) => [symbolKey(e.kind, e.name), e])).values()].map((e) => ({
        key: symbolKey(e.kind, e.name),
        kind: e.kind,
        name: e.name,
      })),
    }));
    await this.conn.write(`replaceClaims, ${batch.claims.length} claims of ${msgids.length} messages`, async (tx) => {
      await unwind(
        tx,
        `UNWIND $rows AS msgid MATCH (c:Claim {msgid: msgid}) DETACH DELETE c`,
        msgids,
      );
      await unwind(
        tx,
        `UNWIND $rows AS r
         CREATE (c:Claim) SET c = r.props
         WITH c, r
         OPTIONAL MATCH (m:Message {msgid: r.props.msgid}) WHERE m.seq IS NOT NULL
         FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (m)-[:ASSERTS]->(c))
         WITH c, r
         UNWIND r.symbols AS s
         MERGE (sym:Symbol {key: s.key}) ON CREATE SET sym.kind = s.kind, sym.name = s.name
         CREATE (c)-[:ABOUT]->(sym)`,
        claims,
      );
      const ids = batch.claims.map((c) => c.id);
      // ANSWERS both ways: new claims answering stored ones, stored claims answering new ones.
      await unwind(
        tx,
        `UNWIND $rows AS id
         MATCH (a:Claim {id: id}) WHERE a.answersClaim IS NOT NULL
         MATCH (b:Claim {id: a.answersClaim})
         MERGE (a)-[:ANSWERS]->(b)`,
        ids,
      );
      await unwind(
        tx,
        `UNWIND $rows AS id
         MATCH (a:Claim {answersClaim: id}) MATCH (b:Claim {id: id})
         MERGE (a)-[:ANSWERS]->(b)`,
        ids,
      );
      await writeLinks(tx, batch.links);
      await writeRuns(tx, batch.runs);
      await writeVerdicts(tx, batch.verdicts);
    });
  }

  async putCheckRuns(batch: RecheckBatch): Promise<void> {
    await this.conn.write(`putCheckRuns, ${batch.runs.length} runs`, async (tx) => {
      await unwind(
        tx,
        `UNWIND $rows AS r MATCH (c:Claim {id: r.claimId})
         SET c.verdict = r.verdict, c.why = r.why
         WITH c
         CALL { WITH c OPTIONAL MATCH (:CheckRun)-[v:VERDICT]->(c) DELETE v }
         CALL { WITH c OPTIONAL MATCH (c)-[l:CHECKED_BY]->(:Check) DELETE l }`,
        batch.claims,
      );
      await writeLinks(tx, batch.links);
      await writeRuns(tx, batch.runs);
      await writeVerdicts(tx, batch.verdicts);
    });
  }

  async putClaimStatuses(statuses: ClaimStatusRecord[]): Promise<void> {
    if (statuses.length === 0) return;
    await this.conn.write(`putClaimStatuses, ${statuses.length}`, (tx) =>
      unwind(tx, `UNWIND $rows AS r MATCH (c:Claim {id: r.claimId}) SET c.status = r.status, c.statusWhy = r.why`, statuses),
    );
  }

  async *claimBatches(size: number): AsyncIterable<StoredClaimBatch> {
    let after = '';
    for (;;) {
      const rows = await this.conn.read(async (tx) => {
        const res = await tx.run(
          `MATCH (c:Claim) WHERE c.msgid > $after
           WITH DISTINCT c.msgid AS msgid ORDER BY msgid LIMIT $limit
           MATCH (c:Claim {msgid: msgid})
           CALL { WITH c OPTIONAL MATCH (c)-[l:CHECKED_BY]->(k:Check)
                  RETURN [x IN collect({check: k.name, decides: coalesce(k.decides, ''), polarity: l.polarity, reasons: l.reasons})
                          WHERE x.check IS NOT NULL] AS links }
           CALL { WITH c OPTIONAL MATCH (r:CheckRun)-[v:VERDICT]->(c)
                  RETURN [x IN collect({run: r.key, check: v.check, role: v.role, label: v.label, appliesPatch: v.appliesPatch,
                                        verdict: v.verdict, why: v.why}) WHERE x.run IS NOT NULL] AS verdicts }
           RETURN msgid, properties(c) AS claim, links, verdicts
           ORDER BY msgid, c.sentenceIndex, c.id`,
          { after, limit: neo4j.int(size) },
        );
        return res.records.map((r) => r.toObject() as { msgid: string; claim: ClaimProps; links: Omit<CheckLinkRecord, 'claimId'>[]; verdicts: Omit<VerdictRecord, 'claimId'>[] });
      });
      if (rows.length === 0) return;
      after = rows[rows.length - 1].msgid;
      const batch: StoredClaimBatch = { msgids: [...new Set(rows.map((r) => r.msgid))], claims: [], links: [], runs: [], verdicts: [], statuses: [] };
      for (const r of rows) {
        const id = r.claim.id;
        batch.claims.push(propsToRecord(r.claim));
        if (r.claim.status != null) batch.statuses.push({ claimId: id, status: r.claim.status, why: r.claim.statusWhy ?? '' });
        batch.links.push(...r.links.map((l) => ({ claimId: id, ...l })).sort((a, b) => cmp(a.check, b.check)));
        batch.verdicts.push(
          ...r.verdicts.map((v) => ({ ...v, claimId: id, appliesPatch: v.appliesPatch === true })).sort((a, b) => cmp(a.run, b.run) || cmp(a.label, b.label)),
        );
      }
      yield batch;
      if (batch.msgids.length < size) return;
    }
  }

  async *runBatches(size: number): AsyncIterable<CheckRunRecord[]> {
    let after = '';
    for (;;) {
      const runs = await this.conn.read(async (tx) => {
        const res = await tx.run(`MATCH (r:CheckRun) WHERE r.key > $after RETURN properties(r) AS run ORDER BY r.key LIMIT $limit`, {
          after,
          limit: neo4j.int(size),
        });
        return res.records.map((r) => propsToRun(r.get('run') as RunProps));
      });
      if (runs.length === 0) return;
      after = runs[runs.length - 1].key;
      yield runs;
      if (runs.length < size) return;
    }
  }

  async claims(q: ClaimQuery = {}): Promise<ClaimView[]> {
    const where: string[] = [];
    if (q.about) where.push('EXISTS { (c)-[:ABOUT]->(:Symbol {name: $about}) }');
    if (q.series) where.push('c.series = $series');
    if (q.kind) where.push('c.kind = $kind');
    if (q.msgid) where.push('c.msgid = $msgid');
    if (q.thread) where.push('c.thread = $thread');
    return this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (c:Claim) ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${VIEW_RETURN}`, {
        about: q.about ? symbolName(q.about) : null,
        series: q.series ?? null,
        kind: q.kind ?? null,
        msgid: q.msgid ?? null,
        thread: q.thread ?? null,
        limit: neo4j.int(q.limit ?? 1_000_000_000),
      });
      return res.records.map(toView);
    });
  }

  async claim(id: string): Promise<ClaimView | null> {
    return this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (c:Claim {id: $id}) ${VIEW_RETURN}`, { id, limit: neo4j.int(1) });
      return res.records[0] ? toView(res.records[0]) : null;
    });
  }

  async symbols(): Promise<SymbolSummary[]> {
    return this.conn.read(async (tx) => {
      const res = await tx.run(
        `MATCH (s:Symbol)<-[:ABOUT]-(c:Claim)
         OPTIONAL MATCH (m:Message {msgid: c.msgid}) WHERE m.seq IS NOT NULL
         WITH s, c, m
         RETURN s.kind AS kind, s.name AS name, count(DISTINCT c) AS claims, count(DISTINCT c.thread) AS threads,
                count(DISTINCT coalesce(c.quotedAuthor, m.fromAddress, m.fromName)) AS people,
                min(m.date) AS first, max(m.date) AS last
         ORDER BY claims DESC, name, kind`,
      );
      return res.records.map((r) => ({
        kind: r.get('kind') as string,
        name: r.get('name') as string,
        claims: r.get('claims') as number,
        threads: r.get('threads') as number,
        people: r.get('people') as number,
        first: (r.get('first') as string | null) ?? null,
        last: (r.get('last') as string | null) ?? null,
      }));
    });
  }

  async symbol(name: string): Promise<SymbolView | null> {
    const n = symbolName(name);
    const kinds = await this.conn.read(async (tx) => {
      const res = await tx.run(`MATCH (s:Symbol {name: $name})<-[:ABOUT]-(:Claim) RETURN DISTINCT s.kind AS kind ORDER BY kind`, { name: n });
      return res.records.map((r) => r.get('kind') as string);
    });
    if (kinds.length === 0) return null;
    return { name: n, kinds, claims: await this.claims({ about: n }) };
  }

  async checkRuns(claimId: string): Promise<CheckRunView[]> {
    return this.conn.read(async (tx) => {
      const res = await tx.run(
        `MATCH (r:CheckRun)-[v:VERDICT]->(:Claim {id: $id})
         RETURN properties(r) AS run, v.role AS role, v.label AS label, v.appliesPatch AS appliesPatch, v.verdict AS verdict, v.why AS why
         ORDER BY r.check, role DESC, label, r.caseId, r.key`,
        { id: claimId },
      );
      return res.records.map((r) => ({
        ...propsToRun(r.get('run') as RunProps),
        role: r.get('role') as string,
        label: r.get('label') as string,
        appliesPatch: r.get('appliesPatch') === true,
        variantVerdict: r.get('verdict') as CheckRunView['variantVerdict'],
        variantWhy: r.get('why') as string,
      }));
    });
  }

  async claimStats(): Promise<ClaimStats> {
    return this.conn.read(async (tx) => {
      const res = await tx.run(
        `CALL { MATCH (c:Claim) RETURN count(c) AS claims }
         CALL { MATCH (c:Claim {origin: 'quoted'}) RETURN count(c) AS quoted }
         CALL { MATCH (s:Symbol) WHERE EXISTS { (s)<-[:ABOUT]-(:Claim) } RETURN count(s) AS symbols }
         CALL { MATCH (:Claim)-[l:CHECKED_BY]->(:Check) RETURN count(l) AS links }
         CALL { MATCH (r:CheckRun) RETURN count(r) AS runs }
         RETURN claims, quoted, symbols, links, runs`,
      );
      const r = res.records[0];
      const verdicts: ClaimStats['verdicts'] = { confirmed: 0, refuted: 0, inconclusive: 0, unchecked: 0 };
      const byVerdict = await tx.run(`MATCH (c:Claim) RETURN c.verdict AS verdict, count(c) AS n`);
      for (const v of byVerdict.records) verdicts[v.get('verdict') as VerdictValue] = v.get('n') as number;
      return {
        claims: r.get('claims') as number,
        quoted: r.get('quoted') as number,
        symbols: r.get('symbols') as number,
        links: r.get('links') as number,
        runs: r.get('runs') as number,
        verdicts,
      };
    });
  }
}
