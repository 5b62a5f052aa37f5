// Claims linked to executable checks of the sparsemem model, with verdicts computed by running it,
// and their export as b4 CI-check results. See README-level notes in catalog.ts and link.ts.
export type * from './types.js';
export { CATALOG, KNOWN_FIXES, findCheck, MODAL } from './catalog.js';
export { KNOWN_PATCHES, knownPatch, patchIndexNamed, type KnownPatch, type PatchVariant } from './patches.js';
export { kernelFor, type KernelChoice } from './kernels.js';
export { threadContexts, claimContext, precedingText } from './context.js';
export { linkClaim, uncheckedReason } from './link.js';
export { runCase, rerun, runLink, runVariant, verdictFor, inputHash, type RunInputs } from './run.js';
export { claimContexts, checkClaim, reviewMessages, type ReviewOptions, type ReviewedClaim } from './pipeline.js';
export { readMessages } from './messages.js';
export { b4Checks, b4Status, b4Deciding, type B4Check, type B4Options, type PatchChecks } from './b4.js';
export { summarize, findReviewed, type SeriesSummary } from './summary.js';
