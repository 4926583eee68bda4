/**
 * numpy's default `argsort` (kind "quicksort": median-of-3 introsort, insertion sort up to 16
 * elements, heapsort when too deep) for integer keys. It is not stable, and scikit-learn's
 * GroupKFold depends on how it orders ties, so this follows the same steps to give the same
 * permutation (numpy 1.24; later numpy may use a SIMD sort on some CPUs).
 */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const n = v.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  if (n < 2) return idx;
  const swap = (a: number, b: number): void => {
    const t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let depth = msb(n) * 2;
  for (;;) {
    if (depth < 0) {
      heapArgsort(v, idx, pl, pr - pl + 1);
    } else {
      while (pr - pl > 15) {
        const pm = pl + ((pr - pl) >> 1);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        if (v[idx[pr]] < v[idx[pm]]) swap(pr, pm);
        if (v[idx[pm]] < v[idx[pl]]) swap(pm, pl);
        const vp = v[idx[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do pi++;
          while (v[idx[pi]] < vp);
          do pj--;
          while (vp < v[idx[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        // the larger part waits on the stack
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--depth);
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = idx[pi];
        const vp = v[vi];
        let pj = pi;
        while (pj > pl && vp < v[idx[pj - 1]]) {
          idx[pj] = idx[pj - 1];
          pj--;
        }
        idx[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop() as number;
    pl = stack.pop() as number;
    depth = depths.pop() as number;
  }
  return idx;
}

function msb(n: number): number {
  let d = 0;
  while (n > 1) {
    n >>>= 1;
    d++;
  }
  return d;
}

/** numpy's heapsort fallback over idx[start, start + n). */
function heapArgsort(v: ArrayLike<number>, idx: Int32Array, start: number, n: number): void {
  // 1-based heap over a = idx[start - 1 + k]
  const at = (k: number): number => start - 1 + k;
  for (let l = n >> 1; l > 0; --l) siftDown(v, idx, at, l, n);
  for (let m = n; m > 1; ) {
    const tmp = idx[at(m)];
    idx[at(m)] = idx[at(1)];
    idx[at(1)] = tmp;
    m--;
    siftDown(v, idx, at, 1, m);
  }
}

function siftDown(
  v: ArrayLike<number>,
  idx: Int32Array,
  at: (k: number) => number,
  l: number,
  n: number,
): void {
  const tmp = idx[at(l)];
  let i = l;
  let j = l * 2;
  while (j <= n) {
    if (j < n && v[idx[at(j)]] < v[idx[at(j + 1)]]) j++;
    if (v[tmp] < v[idx[at(j)]]) {
      idx[at(i)] = idx[at(j)];
      i = j;
      j += j;
    } else break;
  }
  idx[at(i)] = tmp;
}
