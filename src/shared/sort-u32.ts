/**
 * In-place ascending sort of `a[0, n)` for the hot path: no allocation (a
 * typed array's own sort needs a subarray view per call), insertion sort for
 * short runs, quicksort with a median-of-three pivot above them. The
 * explicit stack always pushes the larger part and loops on the smaller, so
 * it never holds more than 2·log2(n) entries: 64 for any 32-bit count.
 */

/** Runs this short or shorter are insertion-sorted (the replicator's views are mostly tens of entities). */
const SHORT = 24;

/** Stack for sortU32: one per caller, reused across calls. */
export function sortStack(): Int32Array {
  return new Int32Array(64);
}

export function sortU32(a: Uint32Array, n: number, stack: Int32Array): void {
  let top = 0;
  let lo = 0;
  let hi = n - 1;
  for (;;) {
    if (hi - lo < SHORT) {
      insertion(a, lo, hi);
      if (top === 0) return;
      hi = stack[--top];
      lo = stack[--top];
      continue;
    }
    const mid = (lo + hi) >>> 1;
    // Median of three to a[mid], then the pivot is parked at hi - 1 with a[lo] <= it <= a[hi] as sentinels.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    swap(a, mid, hi - 1);
    const pivot = a[hi - 1];
    let i = lo;
    let j = hi - 1;
    for (;;) {
      while (a[++i] < pivot);
      while (pivot < a[--j]);
      if (i >= j) break;
      swap(a, i, j);
    }
    swap(a, i, hi - 1);
    // [lo, i-1] and [i+1, hi]: push the larger, go on with the smaller.
    if (i - lo > hi - i) {
      stack[top++] = lo;
      stack[top++] = i - 1;
      lo = i + 1;
    } else {
      stack[top++] = i + 1;
      stack[top++] = hi;
      hi = i - 1;
    }
  }
}

function insertion(a: Uint32Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i;
    while (j > lo && a[j - 1] > v) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = v;
  }
}

function swap(a: Uint32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}
