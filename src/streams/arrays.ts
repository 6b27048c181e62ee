/**
 * Copies of small arrays with one slot changed: the path copies of the
 * persistent structures (sorted-tree.ts, hash-map.ts). Each allocates one
 * array of exactly the length it returns (no `splice`, whose growth would
 * reserve spare capacity, and no removed-elements array), because one
 * conversation event makes a dozen of them.
 */

/** A copy of `items` with `items[at]` replaced by `value`. */
export function withItem<X>(items: readonly X[], at: number, value: X): X[] {
  const copy = items.slice();
  copy[at] = value;
  return copy;
}

/** A copy of `items` with `value` inserted before `items[at]` (at `items.length`: appended). */
export function withInserted<X>(items: readonly X[], at: number, value: X): X[] {
  const n = items.length;
  const copy = new Array<X>(n + 1);
  for (let i = 0; i < at; i++) copy[i] = items[i]!;
  copy[at] = value;
  for (let i = at; i < n; i++) copy[i + 1] = items[i]!;
  return copy;
}

/** A copy of `items` without `items[at]`. */
export function withRemoved<X>(items: readonly X[], at: number): X[] {
  const n = items.length;
  const copy = new Array<X>(n - 1);
  for (let i = 0; i < at; i++) copy[i] = items[i]!;
  for (let i = at + 1; i < n; i++) copy[i - 1] = items[i]!;
  return copy;
}

/**
 * A copy of `items` without `items[from]` and with `value` inserted before
 * `items[to]` (`to` counts in `items`, from 0 to `items.length`): a move
 * within one array, one allocation of the same length.
 */
export function withMoved<X>(items: readonly X[], from: number, to: number, value: X): X[] {
  const copy = items.slice();
  if (to <= from) {
    for (let i = from; i > to; i--) copy[i] = items[i - 1]!;
    copy[to] = value;
  } else {
    for (let i = from; i < to - 1; i++) copy[i] = items[i + 1]!;
    copy[to - 1] = value;
  }
  return copy;
}
