// Shapes of the checks stage: the thread context a claim is read in, the checks of the catalog,
// the links from claims to checks (with the reasons for each choice), the runs of the model and
// the verdicts derived from them. Every verdict is computed by a run; nothing here stores one.
import type { Claim } from '../claims/index.js';
import type { Message, SubjectInfo } from '../../ingest/model.js';
import type { Bounds, Predicate } from '../sparsemem/index.js';

export type Arch = 'arm64' | 'x86_64';

/** What a thread tells about the code under review. */
export interface ThreadContext {
  /** Normalised subject shared by the thread's messages. */
  title: string;
  /** Subject of the patch under review (the thread's first patch mail, else its first message). */
  subject: SubjectInfo;
  /** Earliest date seen in the thread (ISO), the best estimate of when the patch was posted. */
  date: string | null;
  arch: Arch | null;
  archReason: string;
  /** Virtual address bits the thread names (`39-bit VA`), if any. */
  vaBits: number | null;
  /** msgids of the thread's messages. */
  msgids: string[];
  /** Message-IDs of patch mails (not replies, carrying a patch subject). */
  patchMails: Set<string>;
}

/** A claim read in its message and thread. */
export interface ClaimContext {
  claim: Claim;
  message: Message;
  thread: ThreadContext;
  /** Up to four body lines before the claim (quote markers removed): what "#3 and #4" or "After memunmap (poisoning):" refer to. */
  preceding: string;
}

/**
 * What the claim says about the check's outcome:
 *  - `outcome-happens`: the (bad) outcome happens (a concern, a bug report, "pfn_to_page(x) lands in Y");
 *  - `invariant-holds`: the outcome (a violation) never happens in any reachable state;
 *  - `outcome-does-not-happen`: the outcome does not happen ("the warning is a false positive").
 */
export type Polarity = 'outcome-happens' | 'invariant-holds' | 'outcome-does-not-happen';

export type Verdict = 'confirmed' | 'refuted' | 'inconclusive' | 'unchecked';

/** One scenario instance of a check: a scenario family, its parameters and the predicate it decides. */
export interface CheckCase {
  /** Case id within the check (`case3`, `start`, `poisoned`). */
  id: string;
  scenario: string;
  params: Record<string, unknown>;
  /** Overrides the scenario's outcome predicate (e.g. one observation of several). */
  outcome?: { description: string; when: Predicate };
}

/** Everything the linker worked out for one claim and one check. */
export interface LinkPlan {
  polarity: Polarity;
  cases: CheckCase[];
  /** The runs to make: the code the claim is about, plus labelled counterfactuals. */
  variants: VariantPlan[];
  reasons: string[];
}

export type VariantRole = 'under-review' | 'counterfactual';

export interface VariantPlan {
  role: VariantRole;
  /** The run applies the patch under review (what a per-patch report such as b4's is about). */
  appliesPatch: boolean;
  /** `V2 2/2 (under review)`, `V3, the next revision (counterfactual)`. */
  label: string;
  variants: string[];
  kernel: string;
  profile: string;
  why: string;
}

/** A named check of the catalog. */
export interface CheckDef {
  name: string;
  /** What the check decides, in one sentence. */
  decides: string;
  /** Scenario families it runs (data/scenarios/NAME.yaml). */
  scenarios: string[];
  /** The polarity of a claim that simply states what the check decides. */
  polarity: Polarity;
  /** Model slots whose implementation the check depends on: a patch touching none of them does not change the answer. */
  slots: string[];
  /** The kernel the check runs by default: the release in development when the thread was posted, or the last released one. */
  era: 'development' | 'released';
  bounds: Partial<Bounds>;
  /** Kernel source keys (../shared/reference/sparsemem.md) for the facts the scenarios model. */
  sources: string[];
  /** What makes the check applicable, in words (for the report and the web page). */
  appliesWhen: string;
  /** Decide applicability; returns null (with the reason it does not apply) or the check's plan pieces. */
  match(ctx: ClaimContext): MatchResult;
}

export type MatchResult =
  | { applies: true; reasons: string[]; polarity: Polarity; cases: CheckCase[]; profile?: string; archRequired?: Arch }
  | { applies: false; reason: string; partial: boolean };

export interface ClaimLink {
  claimId: string;
  check: string;
  plan: LinkPlan;
}

/** The links for one claim, or why none applies. */
export interface LinkResult {
  claimId: string;
  links: ClaimLink[];
  /** Set when no check applies: the honest reason. */
  unchecked: string | null;
  /** Checks that matched in part and why they were not chosen. */
  nearMisses: { check: string; reason: string }[];
}

export interface TraceSummary {
  /** Which execution the trace is: one where the outcome holds, one where it does not, or the first. */
  kind: 'witness' | 'counterexample' | 'first';
  schedule: string[];
  steps: { thread: string; step: string; detail?: string }[];
  /** Steps left out past the kept prefix. */
  omitted: number;
  crashed: string | null;
  detectors: Record<string, number>;
  observations: Record<string, unknown>;
}

/** One run of one case of a check on one variant. */
export interface CheckRun {
  check: string;
  case: string;
  scenario: string;
  params: Record<string, unknown>;
  outcome: { description: string; when: Predicate };
  polarity: Polarity;
  role: VariantRole;
  label: string;
  variants: string[];
  kernel: string;
  profile: string;
  bounds: Bounds;
  modelVersion: string;
  observed: 'always' | 'sometimes' | 'never';
  satisfied: number;
  executions: number;
  exhaustive: boolean;
  stepsExplored: number;
  detectors: Record<string, { executions: number; total: number }>;
  trace: TraceSummary;
  verdict: Exclude<Verdict, 'unchecked'>;
  why: string;
  /** sha256 of the run's inputs (model version, instantiated scenario, variants, kernel, profile, bounds, polarity). */
  inputHash: string;
  /** Whether the claim hedged ("might", "could"): one witness execution then confirms it. */
  modal: boolean;
}

export interface VariantVerdict {
  role: VariantRole;
  appliesPatch: boolean;
  label: string;
  variants: string[];
  kernel: string;
  profile: string;
  verdict: Exclude<Verdict, 'unchecked'>;
  why: string;
  runs: CheckRun[];
}

export interface CheckVerdict {
  check: string;
  polarity: Polarity;
  reasons: string[];
  /** The verdict on the code under review. */
  verdict: Exclude<Verdict, 'unchecked'>;
  variants: VariantVerdict[];
}

export interface ClaimVerdict {
  claimId: string;
  msgid: string;
  text: string;
  verdict: Verdict;
  /** Why: the deciding run's explanation, or the reason no check applies. */
  why: string;
  checks: CheckVerdict[];
  nearMisses: { check: string; reason: string }[];
}
