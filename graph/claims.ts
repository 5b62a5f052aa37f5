// The claims part of the GraphStore contract: review claims extracted from messages (ASSERTS),
// the kernel symbols they are about (ABOUT), the claims they answer (ANSWERS), the checks linked to
// them with the reasons (CHECKED_BY), the runs of the model (RAN) and the verdicts those runs gave
// each claim (VERDICT) — written by the derive stage (analysis/derive.ts) and read by the
// `claims`, `check` and `summary` commands.
//
// Rules every implementation keeps (besides those of store.ts):
// - replaceClaims replaces everything stored for the messages it names (their claims, the links
//   and verdict edges of those claims): re-deriving a message never duplicates;
// - a CheckRun is keyed by check + variant + params hash: the same run written twice is one run;
// - nothing here computes a verdict: verdicts are what analysis/checks computed by running the model.
import type { Answer, ClaimKind, Entity, Stance } from '../analysis/claims/types.js';

export type VerdictValue = 'confirmed' | 'refuted' | 'inconclusive' | 'unchecked';

/** A claim as stored: the extractor's claim plus where it sits and what the checks made of it. */
export interface ClaimRecord {
  /** `msgid#sentenceIndex` */
  id: string;
  msgid: string;
  sentenceIndex: number;
  text: string;
  kind: ClaimKind;
  confidence: number;
  entities: Entity[];
  /** Body lines (0-based, inclusive) and columns of the sentence. */
  lines: { start: number; end: number; startCol: number; endCol: number };
  answers: Answer | null;
  stance: Stance;
  /** `quoted`: read from a quoted block of a message whose quoted original is not in the store. */
  origin: 'own' | 'quoted';
  quoteDepth: number;
  /** For a quoted claim: the quoted author as the attribution line names them, when it does. */
  quotedAuthor: string | null;
  /** ANSWERS: the stored claim this one answers (its quoted text), when it could be found. */
  answersClaim: string | null;
  /** Root of the claim's thread. */
  thread: string | null;
  /** The series, revision and patch (member key) under review in the claim's thread, when known. */
  series: string | null;
  revision: string | null;
  patch: string | null;
  /** The claim's verdict on the code under review ('unchecked' when no check applies) and why. */
  verdict: VerdictValue;
  why: string;
  extractorVersion: string;
}

/** CHECKED_BY Claim→Check: a check the linker chose for a claim, with its reasons. */
export interface CheckLinkRecord {
  claimId: string;
  check: string;
  /** What the check decides, in one sentence (stored on the Check). */
  decides: string;
  polarity: string;
  reasons: string[];
}

/** A CheckRun: one run of one case of a check on one variant of the code. */
export interface CheckRunRecord {
  /** `check/variant/paramsHash`: the run's identity. */
  key: string;
  check: string;
  /** The model variants run, joined with `+` (`arm64-pfn-valid-v3`; `base` for none). */
  variant: string;
  /** Hash of everything else the run took (scenario, parameters, kernel, profile, bounds, polarity). */
  paramsHash: string;
  /** sha256 of all the run's inputs, as analysis/checks computed it. */
  inputHash: string;
  case: string;
  scenario: string;
  kernel: string;
  modelVersion: string;
  /** The run's own verdict (for its polarity) and explanation. */
  verdict: Exclude<VerdictValue, 'unchecked'>;
  why: string;
  /** The whole run as analysis/checks returned it: parameters, bounds, exploration stats, detectors, trace. */
  run: unknown;
}

/** VERDICT CheckRun→Claim: a run that decided (part of) a claim's verdict on one variant. */
export interface VerdictRecord {
  run: string;
  claimId: string;
  check: string;
  /** `under-review` or `counterfactual`. */
  role: string;
  /** `V2 2/2 (under review)`, `V3 …`. */
  label: string;
  /** The variant applies the patch under review (what a per-patch report such as b4's is about). */
  appliesPatch: boolean;
  /** The verdict for this variant (over all its runs) and why. */
  verdict: Exclude<VerdictValue, 'unchecked'>;
  why: string;
}

/** A concern's status across the versions of its series (analysis/lifecycle), with why. */
export interface ClaimStatusRecord {
  claimId: string;
  status: string;
  why: string;
}

/** Stored claims read back a few messages at a time: what replaceClaims and putClaimStatuses wrote. */
export interface StoredClaimBatch extends ClaimBatch {
  /** Always empty: runs are shared by many claims and read once each with runBatches. */
  runs: [];
  /** The lifecycle status of every claim of the batch that has one. */
  statuses: ClaimStatusRecord[];
}

/** Fresh checks of stored claims, written in one transaction. */
export interface RecheckBatch {
  claims: { claimId: string; verdict: VerdictValue; why: string }[];
  links: CheckLinkRecord[];
  runs: CheckRunRecord[];
  verdicts: VerdictRecord[];
}

/** Everything derived for some messages' claims, written in one transaction. */
export interface ClaimBatch {
  /** The messages whose claims are replaced (a message with no claims left is listed too). */
  msgids: string[];
  claims: ClaimRecord[];
  links: CheckLinkRecord[];
  runs: CheckRunRecord[];
  verdicts: VerdictRecord[];
}

export interface ClaimCheckView {
  name: string;
  variant: string;
  role: string;
  verdict: Exclude<VerdictValue, 'unchecked'>;
  why: string;
}

export interface ClaimView extends ClaimRecord {
  /** Who said it: the sender, or for a quoted claim the quoted author when known. */
  author: string;
  /** The sender of the message the claim was read from. */
  sender: string;
  date: string | null;
  subject: string;
  /** Where the message was read from (file and first line for text dumps). */
  source: { path: string; format: string; line: number | null };
  synthetic: boolean;
  status: string | null;
  statusWhy: string | null;
  /** Linked checks: one entry per check and variant run, the code under review first. */
  checks: ClaimCheckView[];
  /** Checks linked to the claim (CHECKED_BY), with the reasons. */
  links: { check: string; polarity: string; reasons: string[] }[];
}

export interface ClaimQuery {
  /** Symbol name (`pfn_valid`, `pfn_valid()`, `ms->usage`). */
  about?: string;
  /** Series key. */
  series?: string;
  kind?: ClaimKind;
  msgid?: string;
  /** Thread root. */
  thread?: string;
  limit?: number;
}

export interface SymbolSummary {
  kind: string;
  name: string;
  claims: number;
  threads: number;
  people: number;
  first: string | null;
  last: string | null;
}

export interface SymbolView {
  name: string;
  kinds: string[];
  /** Every claim about it, oldest first: who said what, in which thread and when. */
  claims: ClaimView[];
}

export interface CheckRunView extends CheckRunRecord {
  /** How the run bears on the claim asked about. */
  role: string;
  label: string;
  appliesPatch: boolean;
  variantVerdict: Exclude<VerdictValue, 'unchecked'>;
  variantWhy: string;
}

export interface ClaimStats {
  claims: number;
  quoted: number;
  symbols: number;
  links: number;
  runs: number;
  verdicts: Record<VerdictValue, number>;
}

export interface ClaimStore {
  // --- writes -------------------------------------------------------------------------------
  /**
   * The claims stage is about to write every stored message's claims again, each message once,
   * until finishExtraction. A store may load in bulk meanwhile: the embedded store empties the
   * claims (with their symbols, links and verdict edges; runs stay) and builds their secondary
   * indexes once, at the finish. Reads in between may miss what is not yet written again; after
   * finishExtraction everything reads as it would without the two calls.
   */
  startExtraction(): Promise<void>;
  /** After the claims stage's last write (also when it failed part way). */
  finishExtraction(): Promise<void>;
  /** Replace the claims of `batch.msgids` (with their links and verdict edges); upsert the runs by key. */
  replaceClaims(batch: ClaimBatch): Promise<void>;
  /**
   * Store fresh checks of already stored claims (the `check` command): upsert the runs, replace
   * the links and verdict edges of every claim named in `claims`, and set those claims' verdict.
   */
  putCheckRuns(batch: RecheckBatch): Promise<void>;
  /** Set the lifecycle status of stored claims (replaces an earlier status). */
  putClaimStatuses(statuses: ClaimStatusRecord[]): Promise<void>;

  // --- reads of what was written (export, copying a store) ------------------------------------
  /**
   * Every stored claim, the claims of at most `size` messages a batch in Message-ID order, with
   * their check links, verdict edges and statuses (no runs: see runBatches). Writing each batch
   * with replaceClaims then putClaimStatuses, after the runs, rebuilds the claims as stored.
   */
  claimBatches(size: number): AsyncIterable<StoredClaimBatch>;
  /** Every CheckRun (referenced by a verdict or not), by key, at most `size` a batch. */
  runBatches(size: number): AsyncIterable<CheckRunRecord[]>;

  // --- queries -------------------------------------------------------------------------------
  /** Claims matching every given filter, oldest message first, then sentence order. */
  claims(query?: ClaimQuery): Promise<ClaimView[]>;
  claim(id: string): Promise<ClaimView | null>;
  /** Every symbol some claim is about, most-discussed first. */
  symbols(): Promise<SymbolSummary[]>;
  /** The claims about one symbol across threads and years (null when no claim names it). */
  symbol(name: string): Promise<SymbolView | null>;
  /** The runs behind a claim's verdicts, with their full trace. */
  checkRuns(claimId: string): Promise<CheckRunView[]>;
  claimStats(): Promise<ClaimStats>;
}

/** `pfn_valid()` → `pfn_valid`: how a symbol typed by a user matches a stored entity name. */
export function symbolName(input: string): string {
  return input.trim().replace(/\(\s*\)$/, '');
}

/** The Symbol key: kind and name. */
export function symbolKey(kind: string, name: string): string {
  return `${kind}:${name}`;
}
