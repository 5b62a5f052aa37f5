// The claim store on the embedded SQLite file (tables in schema.ts, CLAIM_SCHEMA_SQL).
import type Database from 'better-sqlite3';
import { UntilChanged } from './untilChanged.js';
import { statementCache } from './statements.js';
import type { Answer, ClaimKind, Entity, Stance } from '../../analysis/claims/types.js';
import type { Provenance } from '../../ingest/model.js';
import {
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
import { CLAIM_SCHEMA_SQL, EXTRACTION_INDEXES, EXTRACTION_TABLES } from './schema.js';
import { claimAuthor, isSymbolEntity, sortChecks } from '../claimViews.js';

type Db = Database.Database;

interface ClaimRow {
  id: string;
  msgid: string;
  sentence_index: number;
  text: string;
  kind: string;
  confidence: number;
  entities_json: string;
  lines_json: string;
  answers_json: string | null;
  stance: string;
  origin: string;
  quote_depth: number;
  quoted_author: string | null;
  answers_claim: string | null;
  thread: string | null;
  series: string | null;
  revision: string | null;
  patch: string | null;
  verdict: string;
  why: string;
  status: string | null;
  status_why: string | null;
  extractor_version: string;
}

interface ClaimViewRow extends ClaimRow {
  from_name: string | null;
  from_address: string | null;
  date: string | null;
  subject: string | null;
  synthetic: number | null;
  provenance_json: string | null;
}

interface VerdictRow {
  claim_id: string;
  run_key: string;
  check_name: string;
  role: string;
  label: string;
  applies_patch: number;
  verdict: string;
  why: string;
}

interface RunRow {
  key: string;
  check_name: string;
  variant: string;
  params_hash: string;
  input_hash: string;
  case_id: string;
  scenario: string;
  kernel: string;
  model_version: string;
  verdict: string;
  why: string;
  run_json: string;
}

function claimToRow(c: ClaimRecord): ClaimRow {
  return {
    id: c.id,
    msgid: c.msgid,
    sentence_index: c.sentenceIndex,
    text: c.text,
    kind: c.kind,
    confidence: c.confidence,
    entities_json: JSON.stringify(c.entities),
    lines_json: JSON.stringify(c.lines),
    answers_json: c.answers ? JSON.stringify(c.answers) : null,
    stance: c.stance,
    origin: c.origin,
    quote_depth: c.quoteDepth,
    quoted_author: c.quotedAuthor,
    answers_claim: c.answersClaim,
    thread: c.thread,
    series: c.series,
    revision: c.revision,
    patch: c.patch,
    verdict: c.verdict,
    why: c.why,
    status: null,
    status_why: null,
    extractor_version: c.extractorVersion,
  };
}

function rowToRecord(r: ClaimRow): ClaimRecord {
  return {
    id: r.id,
    msgid: r.msgid,
    sentenceIndex: r.sentence_index,
    text: r.text,
    kind: r.kind as ClaimKind,
    confidence: r.confidence,
    entities: JSON.parse(r.entities_json) as Entity[],
    lines: JSON.parse(r.lines_json) as ClaimRecord['lines'],
    answers: r.answers_json ? (JSON.parse(r.answers_json) as Answer) : null,
    stance: r.stance as Stance,
    origin: r.origin as ClaimRecord['origin'],
    quoteDepth: r.quote_depth,
    quotedAuthor: r.quoted_author,
    answersClaim: r.answers_claim,
    thread: r.thread,
    series: r.series,
    revision: r.revision,
    patch: r.patch,
    verdict: r.verdict as VerdictValue,
    why: r.why,
    extractorVersion: r.extractor_version,
  };
}

function runToRow(r: CheckRunRecord): RunRow {
  return {
    key: r.key,
    check_name: r.check,
    variant: r.variant,
    params_hash: r.paramsHash,
    input_hash: r.inputHash,
    case_id: r.case,
    scenario: r.scenario,
    kernel: r.kernel,
    model_version: r.modelVersion,
    verdict: r.verdict,
    why: r.why,
    run_json: JSON.stringify(r.run),
  };
}

function rowToRun(r: RunRow): CheckRunRecord {
  return {
    key: r.key,
    check: r.check_name,
    variant: r.variant,
    paramsHash: r.params_hash,
    inputHash: r.input_hash,
    case: r.case_id,
    scenario: r.scenario,
    kernel: r.kernel,
    modelVersion: r.model_version,
    verdict: r.verdict as CheckRunRecord['verdict'],
    why: r.why,
    run: JSON.parse(r.run_json) as unknown,
  };
}

const VIEW_SELECT = `SELECT c.*, m.from_name, m.from_address, m.date, m.subject, m.synthetic, m.provenance_json
  FROM claims c LEFT JOIN messages m ON m.msgid = c.msgid`;
const VIEW_ORDER = `ORDER BY m.date IS NULL, m.date, c.msgid, c.sentence_index`;

export class SqliteClaimStore implements ClaimStore {
  /** Prepared once per SQL text (statements.ts). */
  private readonly prepare: (sql: string) => Database.Statement;

  /** The symbol index, kept until the database changes (untilChanged.ts). */
  private readonly cached: UntilChanged;

  constructor(private readonly db: Db) {
    this.prepare = statementCache(db);
    this.cached = new UntilChanged(db);
    // Files written by the first version of these tables lack applies_patch on the verdict edges:
    // the edges are derived data, so they are dropped and the next ingest derives them again.
    const columns = db.prepare(`SELECT name FROM pragma_table_info('claim_verdicts')`).all() as { name: string }[];
    if (columns.length > 0 && !columns.some((c) => c.name === 'applies_patch')) db.exec(`DROP TABLE claim_verdicts`);
    // Files from before the claims table was a rowid table (schema.ts says why): the claims and
    // their edges are dropped alike, and the next ingest extracts them again.
    const shape = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'claims'`).pluck().get() as string | undefined;
    if (shape && /WITHOUT ROWID/i.test(shape)) {
      db.transaction(() => {
        for (const t of ['claims', 'claim_symbols', 'check_links', 'claim_verdicts']) db.exec(`DROP TABLE IF EXISTS ${t}`);
      })();
    }
    db.exec(CLAIM_SCHEMA_SQL);
    // The same statements finishExtraction runs: a claims stage killed between start and finish
    // gets its indexes back here.
    for (const i of EXTRACTION_INDEXES) db.exec(i.sql);
  }

  /** Between startExtraction and finishExtraction: the claim tables were emptied, so replaceClaims
   * has nothing to delete (and no index by message to find it with). */
  private extracting = false;

  async startExtraction(): Promise<void> {
    this.db.transaction(() => {
      for (const t of EXTRACTION_TABLES) this.db.exec(`DELETE FROM ${t}`);
      for (const i of EXTRACTION_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${i.name}`);
    })();
    this.extracting = true;
  }

  async finishExtraction(): Promise<void> {
    this.extracting = false;
    this.db.transaction(() => {
      for (const i of EXTRACTION_INDEXES) this.db.exec(i.sql);
    })();
  }

  private writeRuns(runs: CheckRunRecord[]): void {
    const stmt = this.prepare(`INSERT INTO check_runs (key, check_name, variant, params_hash, input_hash, case_id,
        scenario, kernel, model_version, verdict, why, run_json)
      VALUES (@key, @check_name, @variant, @params_hash, @input_hash, @case_id, @scenario, @kernel, @model_version,
        @verdict, @why, @run_json)
      ON CONFLICT(key) DO UPDATE SET input_hash = excluded.input_hash, case_id = excluded.case_id,
        scenario = excluded.scenario, kernel = excluded.kernel, model_version = excluded.model_version,
        verdict = excluded.verdict, why = excluded.why, run_json = excluded.run_json`);
    for (const r of runs) stmt.run(runToRow(r));
  }

  private writeLinks(links: CheckLinkRecord[]): void {
    const check = this.prepare(`INSERT INTO checks (name, decides) VALUES (?, ?)
      ON CONFLICT(name) DO UPDATE SET decides = excluded.decides`);
    const link = this.prepare(`INSERT OR REPLACE INTO check_links (claim_id, check_name, polarity, reasons_json) VALUES (?, ?, ?, ?)`);
    for (const l of links) {
      check.run(l.check, l.decides);
      link.run(l.claimId, l.check, l.polarity, JSON.stringify(l.reasons));
    }
  }

  private writeVerdicts(verdicts: VerdictRecord[]): void {
    const stmt = this.prepare(`INSERT OR REPLACE INTO claim_verdicts (claim_id, run_key, check_name, role, label, applies_patch, verdict, why)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const v of verdicts) stmt.run(v.claimId, v.run, v.check, v.role, v.label, v.appliesPatch ? 1 : 0, v.verdict, v.why);
  }

  async replaceClaims(batch: ClaimBatch): Promise<void> {
    const del = {
      verdicts: this.prepare(`DELETE FROM claim_verdicts WHERE claim_id IN (SELECT id FROM claims WHERE msgid = ?)`),
      links: this.prepare(`DELETE FROM check_links WHERE claim_id IN (SELECT id FROM claims WHERE msgid = ?)`),
      symbols: this.prepare(`DELETE FROM claim_symbols WHERE claim_id IN (SELECT id FROM claims WHERE msgid = ?)`),
      claims: this.prepare(`DELETE FROM claims WHERE msgid = ?`),
    };
    const insert = this.prepare(`INSERT OR REPLACE INTO claims (id, msgid, sentence_index, text, kind, confidence,
        entities_json, lines_json, answers_json, stance, origin, quote_depth, quoted_author, answers_claim, thread, series,
        revision, patch, verdict, why, status, status_why, extractor_version)
      VALUES (@id, @msgid, @sentence_index, @text, @kind, @confidence, @entities_json, @lines_json, @answers_json, @stance,
        @origin, @quote_depth, @quoted_author, @answers_claim, @thread, @series, @revision, @patch, @verdict, @why,
        @status, @status_why, @extractor_version)`);
    const symbol = this.prepare(`INSERT OR IGNORE INTO claim_symbols (claim_id, kind, name) VALUES (?, ?, ?)`);
    // A message's claims and their edges go before it is written again (on a first extraction there is nothing to delete).
    const stored = this.prepare(`SELECT 1 FROM claims WHERE msgid = ? LIMIT 1`).pluck();
    this.db.transaction((b: ClaimBatch) => {
      for (const msgid of this.extracting ? [] : new Set([...b.msgids, ...b.claims.map((c) => c.msgid)])) {
        if (stored.get(msgid) === undefined) continue;
        del.verdicts.run(msgid);
        del.links.run(msgid);
        del.symbols.run(msgid);
        del.claims.run(msgid);
      }
      for (const c of b.claims) {
        insert.run(claimToRow(c));
        for (const e of c.entities) if (isSymbolEntity(e)) symbol.run(c.id, e.kind, e.name);
      }
      this.writeLinks(b.links);
      this.writeRuns(b.runs);
      this.writeVerdicts(b.verdicts);
    })(batch);
  }

  async putCheckRuns(batch: RecheckBatch): Promise<void> {
    const clearVerdicts = this.prepare(`DELETE FROM claim_verdicts WHERE claim_id = ?`);
    const clearLinks = this.prepare(`DELETE FROM check_links WHERE claim_id = ?`);
    const set = this.prepare(`UPDATE claims SET verdict = ?, why = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const c of batch.claims) {
        clearVerdicts.run(c.claimId);
        clearLinks.run(c.claimId);
        set.run(c.verdict, c.why, c.claimId);
      }
      this.writeLinks(batch.links);
      this.writeRuns(batch.runs);
      this.writeVerdicts(batch.verdicts);
    })();
  }

  async putClaimStatuses(statuses: ClaimStatusRecord[]): Promise<void> {
    const set = this.prepare(`UPDATE claims SET status = ?, status_why = ? WHERE id = ?`);
    this.db.transaction(() => {
      for (const s of statuses) set.run(s.status, s.why, s.claimId);
    })();
  }

  async *claimBatches(size: number): AsyncIterable<StoredClaimBatch> {
    const page = this.prepare(`SELECT DISTINCT msgid FROM claims WHERE msgid > ? ORDER BY msgid LIMIT ?`).pluck();
    const claims = this.prepare(`SELECT * FROM claims WHERE msgid = ? ORDER BY sentence_index, id`);
    const links = this.prepare(
      `SELECT l.claim_id, l.check_name, l.polarity, l.reasons_json, coalesce(k.decides, '') AS decides
       FROM claims c JOIN check_links l ON l.claim_id = c.id LEFT JOIN checks k ON k.name = l.check_name
       WHERE c.msgid = ? ORDER BY l.claim_id, l.check_name`,
    );
    const verdicts = this.prepare(
      `SELECT v.* FROM claims c JOIN claim_verdicts v ON v.claim_id = c.id WHERE c.msgid = ? ORDER BY v.claim_id, v.run_key, v.label`,
    );
    const read = this.db.transaction((msgids: string[]): StoredClaimBatch => {
      const batch: StoredClaimBatch = { msgids, claims: [], links: [], runs: [], verdicts: [], statuses: [] };
      for (const msgid of msgids) {
        for (const r of claims.all(msgid) as ClaimRow[]) {
          batch.claims.push(rowToRecord(r));
          if (r.status !== null) batch.statuses.push({ claimId: r.id, status: r.status, why: r.status_why ?? '' });
        }
        for (const l of links.all(msgid) as { claim_id: string; check_name: string; polarity: string; reasons_json: string; decides: string }[]) {
          batch.links.push({ claimId: l.claim_id, check: l.check_name, decides: l.decides, polarity: l.polarity, reasons: JSON.parse(l.reasons_json) as string[] });
        }
        for (const v of verdicts.all(msgid) as VerdictRow[]) {
          batch.verdicts.push({
            run: v.run_key, claimId: v.claim_id, check: v.check_name, role: v.role, label: v.label, appliesPatch: v.applies_patch === 1,
            verdict: v.verdict as VerdictRecord['verdict'], why: v.why,
          });
        }
      }
      return batch;
    });
    let after = '';
    for (;;) {
      const msgids = page.all(after, size) as string[];
      if (msgids.length === 0) return;
      after = msgids[msgids.length - 1];
      yield read(msgids);
      if (msgids.length < size) return;
    }
  }

  async *runBatches(size: number): AsyncIterable<CheckRunRecord[]> {
    const page = this.prepare(`SELECT * FROM check_runs WHERE key > ? ORDER BY key LIMIT ?`);
    let after = '';
    for (;;) {
      const rows = page.all(after, size) as RunRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].key;
      yield rows.map(rowToRun);
      if (rows.length < size) return;
    }
  }

  private toView(r: ClaimViewRow): ClaimView {
    const record = rowToRecord(r);
    const prov = r.provenance_json ? (JSON.parse(r.provenance_json) as Provenance) : null;
    const sender = r.from_name ?? r.from_address ?? '(unknown)';
    const checks = this.db
      .prepare(
        `SELECT DISTINCT check_name AS name, label AS variant, role, verdict, why FROM claim_verdicts WHERE claim_id = ?`,
      )
      .all(r.id) as ClaimCheckView[];
    const links = (
      this.db
        .prepare(`SELECT check_name, polarity, reasons_json FROM check_links WHERE claim_id = ? ORDER BY check_name`)
        .all(r.id) as { check_name: string; polarity: string; reasons_json: string }[]
    ).map((l) => ({ check: l.check_name, polarity: l.polarity, reasons: JSON.parse(l.reasons_json) as string[] }));
    return {
      ...record,
      author: claimAuthor(record, sender),
      sender,
      date: r.date,
      subject: r.subject ?? '',
      source: { path: prov?.source ?? '', format: prov?.format ?? '', line: prov?.line ?? null },
      synthetic: r.synthetic === 1,
      status: r.status,
      statusWhy: r.status_why,
      checks: sortChecks(checks),
      links,
    };
  }

  async claims(q: ClaimQuery = {}): Promise<ClaimView[]> {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    if (q.about) {
      where.push(`c.id IN (SELECT claim_id FROM claim_symbols WHERE name = @about)`);
      params.about = symbolName(q.about);
    }
    if (q.series) {
      where.push('c.series = @series');
      params.series = q.series;
    }
    if (q.kind) {
      where.push('c.kind = @kind');
      params.kind = q.kind;
    }
    if (q.msgid) {
      where.push('c.msgid = @msgid');
      params.msgid = q.msgid;
    }
    if (q.thread) {
      where.push('c.thread = @thread');
      params.thread = q.thread;
    }
    params.limit = q.limit ?? -1;
    const rows = this.db
      .prepare(`${VIEW_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ${VIEW_ORDER} LIMIT @limit`)
      .all(params) as ClaimViewRow[];
    return rows.map((r) => this.toView(r));
  }

  async claim(id: string): Promise<ClaimView | null> {
    const r = this.prepare(`${VIEW_SELECT} WHERE c.id = ?`).get(id) as ClaimViewRow | undefined;
    return r ? this.toView(r) : null;
  }

  async symbols(): Promise<SymbolSummary[]> {
    return this.cached.list('symbols', () => this.db
      .prepare(
        `SELECT s.kind, s.name, count(DISTINCT s.claim_id) AS claims, count(DISTINCT c.thread) AS threads,
                count(DISTINCT coalesce(c.quoted_author, m.from_address, m.from_name)) AS people,
                min(m.date) AS first, max(m.date) AS last
         FROM claim_symbols s JOIN claims c ON c.id = s.claim_id LEFT JOIN messages m ON m.msgid = c.msgid
         GROUP BY s.kind, s.name
         ORDER BY claims DESC, s.name, s.kind`,
      )
      .all() as SymbolSummary[]);
  }

  async symbol(name: string): Promise<SymbolView | null> {
    const n = symbolName(name);
    const kinds = (
      this.prepare(`SELECT DISTINCT kind FROM claim_symbols WHERE name = ? ORDER BY kind`).all(n) as { kind: string }[]
    ).map((k) => k.kind);
    if (kinds.length === 0) return null;
    return { name: n, kinds, claims: await this.claims({ about: n }) };
  }

  async checkRuns(claimId: string): Promise<CheckRunView[]> {
    const rows = this.db
      .prepare(
        `SELECT r.*, v.role AS v_role, v.label AS v_label, v.applies_patch AS v_applies, v.verdict AS v_verdict, v.why AS v_why
         FROM claim_verdicts v JOIN check_runs r ON r.key = v.run_key
         WHERE v.claim_id = ?
         ORDER BY r.check_name, v.role DESC, v.label, r.case_id, r.key`,
      )
      .all(claimId) as (RunRow & { v_role: string; v_label: string; v_applies: number; v_verdict: string; v_why: string })[];
    return rows.map((r) => ({
      ...rowToRun(r),
      role: r.v_role,
      label: r.v_label,
      appliesPatch: r.v_applies === 1,
      variantVerdict: r.v_verdict as CheckRunView['variantVerdict'],
      variantWhy: r.v_why,
    }));
  }

  async claimStats(): Promise<ClaimStats> {
    const one = (sql: string): number => (this.prepare(sql).get() as { n: number }).n;
    const verdicts: ClaimStats['verdicts'] = { confirmed: 0, refuted: 0, inconclusive: 0, unchecked: 0 };
    for (const r of this.prepare(`SELECT verdict, count(*) AS n FROM claims GROUP BY verdict`).all() as {
      verdict: VerdictValue;
      n: number;
    }[])
      verdicts[r.verdict] = r.n;
    return {
      claims: one(`SELECT count(*) AS n FROM claims`),
      quoted: one(`SELECT count(*) AS n FROM claims WHERE origin = 'quoted'`),
      symbols: one(`SELECT count(*) AS n FROM (SELECT DISTINCT kind, name FROM claim_symbols)`),
      links: one(`SELECT count(*) AS n FROM check_links`),
      runs: one(`SELECT count(*) AS n FROM check_runs`),
      verdicts,
    };
  }
}
