// Concern lifecycle across versions: answered, acknowledged, disputed, addressed or open.
export type * from './types.js';
export { concernLifecycles, isConcern, threadParents } from './lifecycle.js';
