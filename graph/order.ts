// The order both stores list keys in: plain code-unit comparison, as SQLite's BINARY collation
// orders (ASCII) keys, and unlike localeCompare, which ignores case and punctuation first.
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
