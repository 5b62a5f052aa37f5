// Identity resolution: one person across addresses and name forms, each merge with its reason.
export { resolveIdentities, observationsOf } from './resolve.js';
export type { Identities, MergeReason, MergeRule, Observation, Person } from './resolve.js';
export { nameKey, domainFamily, localFamilyKey } from './names.js';
export type { NameKey } from './names.js';
