// Public API of the executable SPARSEMEM model (issue 5). The check catalog calls runScenario()
// with a scenario (by name, path or object) plus variants/params, and reads the computed outcome.

export { MODEL_VERSION, runScenario, initialState } from './run.js';
export type { RunOptions, RunResult, RunResultWithState, ExecutionSummary, Observed } from './run.js';
export { loadScenario, parseScenario, instantiate, listScenarioFiles, scenariosDir, parseNum, parseBig } from './scenario.js';
export type { Scenario, OpSpec, Predicate, InvariantName, NumLike } from './scenario.js';
export { VARIANTS, SLOT_IMPLS, defaultImpls, resolveImpls, findVariant } from './variants.js';
export type { Variant, Slot, SlotImpls } from './variants.js';
export { ARCH_CONFIGS, makeProfile, sectionFlagsFor, pfnToSectionNr, sectionNrToPfn, subsectionIndex } from './profile.js';
export type { Profile, ArchConfig, SectionFlags } from './profile.js';
export { KERNEL_LABELS, parseKernel } from './kernel.js';
export type { KernelVersion } from './kernel.js';
export { MUTATIONS } from './mutations.js';
export type { Mutation } from './mutations.js';
export { classifyAddress, pageAddress, vmemmapLayout } from './vmemmap.js';
export type { AddressRegion, VmemmapLayout } from './vmemmap.js';
export { explainText, explainSvg, sectionRows } from './explain.js';
export { formatResult, registerModelCommands } from './cli.js';
export { DEFAULT_BOUNDS } from './explore.js';
export type { Bounds } from './explore.js';
export type { KState } from './state.js';
