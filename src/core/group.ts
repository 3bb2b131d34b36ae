/** Items grouped by key, in their original order within each group; an item whose key is null is left out. */
export function groupBy<T>(items: Iterable<T>, key: (x: T) => string | null | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    if (k === null || k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(x);
    else groups.set(k, [x]);
  }
  return groups;
}
