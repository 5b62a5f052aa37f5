// Lists kept by key (revisions by window, by title, by total…).

/** Append `value` to the list under `key`, in place (copying the list on each add made building a
 * large bucket quadratic). */
export function pushTo<K, T>(map: Map<K, T[]>, key: K, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
