// Shapes of the concern lifecycle: a concern (a claim with its message), the patch it is about,
// the events that moved it (answered, acknowledged, disputed, addressed) and its resulting state.
import type { Claim } from '../claims/index.js';
import type { Address, Message } from '../../ingest/model.js';
import type { SeriesAnalysis } from '../../ingest/series/index.js';
import type { ParentLookup } from '../../ingest/thread/ancestors.js';

export interface MessageClaim {
  claim: Claim;
  message: Message;
}

export type ConcernState = 'open' | 'answered' | 'acknowledged' | 'disputed' | 'addressed';

export interface LifecycleEvent {
  kind: 'answered' | 'acknowledged' | 'disputed' | 'addressed';
  /** The reply (or, for `addressed`, the next revision's patch mail). */
  msgid: string;
  by: string | null;
  date: string | null;
  /** What was said (the reply's sentences), or the changed diff lines. */
  text: string;
  evidence: string;
}

/** The patch a concern is about. */
export interface PatchRef {
  /** Series revision key (`series:<id>:v2`), when series grouping placed it. */
  revision: string | null;
  revisionId: string | null;
  version: number;
  index: number | null;
  /** Member key of the patch (its msgid when the mail is in the archive). */
  member: string | null;
  author: Address | null;
  title: string;
  evidence: string;
}

export interface ConcernLifecycle {
  concern: { claimId: string; msgid: string; text: string; by: string | null; date: string | null; patch: PatchRef | null };
  state: ConcernState;
  events: LifecycleEvent[];
  why: string;
}

export interface LifecycleOptions {
  /** msgid -> parent msgid; default from In-Reply-To / References / the inferred parent. */
  parents?: ParentLookup;
  /** Series, revisions and lineage; default analyzeSeries(messages) without trailer attribution. */
  series?: SeriesAnalysis;
  /** Which claims are concerns; default isConcern. */
  isConcern?: (c: MessageClaim) => boolean;
}
