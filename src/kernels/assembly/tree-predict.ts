// Tree-ensemble prediction over a block of row-major float64 rows (NaN = missing).
// Nodes are 24 bytes each: i32 feature (-1 for a leaf), i32 left (a leaf: its leaf index),
// i32 right, i32 meta = missingLeft | (catStart + 1) << 1 (catStart -1 for a numeric split),
// f64 threshold: one node, one cache line at most. A categorical value is a level code; bit `code` of catBits[catStart..] set
// sends it left. Each tree adds its leaf values to the row's outputs: all of them when
// leafWidth = outWidth, else output t % outWidth.
// The child of internal node i that a row (at `row`) goes to.
// @ts-expect-error: decorator
function step(nodes: usize, catBits: usize, i: i32, row: usize): i32 {
  const p = nodes + <usize>i * 24;
  const v = load<f64>(row + ((<usize>load<i32>(p)) << 3));
  const meta = load<i32>(p, 12);
  let left: bool;
  if (isNaN(v)) left = (meta & 1) !== 0;
  else if (meta < 2) left = v <= load<f64>(p, 16);
  else {
    const code = <u32>v;
    const w = load<u32>(catBits + ((<usize>((meta >> 1) - 1) + <usize>(code >> 5)) << 2));
    left = ((w >> (code & 31)) & 1) !== 0;
  }
  return select<i32>(load<i32>(p, 4), load<i32>(p, 8), left);
}

// @ts-expect-error: decorator
function isLeaf(nodes: usize, i: i32): bool {
  return load<i32>(nodes + <usize>i * 24) < 0;
}

// Adds leaf `i`'s values to the outputs at `o`.
// @ts-expect-error: decorator
function addLeaf(nodes: usize, leafValues: usize, i: i32, o: usize, slot: i32, leafWidth: i32): void {
  const leaf = <usize>load<i32>(nodes + <usize>i * 24, 4);
  if (leafWidth === 1) {
    const q = o + ((<usize>slot) << 3);
    store<f64>(q, load<f64>(q) + load<f64>(leafValues + (leaf << 3)));
  } else {
    const lv = leafValues + leaf * ((<usize>leafWidth) << 3);
    for (let k = 0; k < leafWidth; k++) {
      const q = o + ((<usize>k) << 3);
      store<f64>(q, load<f64>(q) + load<f64>(lv + ((<usize>k) << 3)));
    }
  }
}

export function treePredict(
  nodes: usize,
  catBits: usize,
  leafValues: usize,
  treeStart: usize,
  nTrees: i32,
  x: usize,
  nRows: i32,
  nFeat: i32,
  out: usize,
  leafWidth: i32,
  outWidth: i32,
): void {
  const rowBytes = (<usize>nFeat) << 3;
  const outBytes = (<usize>outWidth) << 3;
  // Trees outer, rows inner: a tree's upper nodes stay in cache across the block's rows. Four
  // rows walk together so that their independent chains of loads overlap.
  for (let t = 0; t < nTrees; t++) {
    const root = load<i32>(treeStart + ((<usize>t) << 2));
    const slot = outWidth === 1 || leafWidth !== 1 ? 0 : t % outWidth;
    let r = 0;
    for (; r + 4 <= nRows; r += 4) {
      const x0 = x + <usize>r * rowBytes;
      const x1 = x0 + rowBytes;
      const x2 = x1 + rowBytes;
      const x3 = x2 + rowBytes;
      let i0 = root;
      let i1 = root;
      let i2 = root;
      let i3 = root;
      for (;;) {
        const l0 = isLeaf(nodes, i0);
        const l1 = isLeaf(nodes, i1);
        const l2 = isLeaf(nodes, i2);
        const l3 = isLeaf(nodes, i3);
        if (l0 && l1 && l2 && l3) break;
        if (!l0) i0 = step(nodes, catBits, i0, x0);
        if (!l1) i1 = step(nodes, catBits, i1, x1);
        if (!l2) i2 = step(nodes, catBits, i2, x2);
        if (!l3) i3 = step(nodes, catBits, i3, x3);
      }
      const o = out + <usize>r * outBytes;
      addLeaf(nodes, leafValues, i0, o, slot, leafWidth);
      addLeaf(nodes, leafValues, i1, o + outBytes, slot, leafWidth);
      addLeaf(nodes, leafValues, i2, o + 2 * outBytes, slot, leafWidth);
      addLeaf(nodes, leafValues, i3, o + 3 * outBytes, slot, leafWidth);
    }
    for (; r < nRows; r++) {
      const row = x + <usize>r * rowBytes;
      let i = root;
      while (!isLeaf(nodes, i)) i = step(nodes, catBits, i, row);
      addLeaf(nodes, leafValues, i, out + <usize>r * outBytes, slot, leafWidth);
    }
  }
}

// One row (nFeat float64 at `row`) through every tree, its outputs added at `out` as
// treePredict would: eight trees walk together so that their chains of dependent loads (cache
// misses in a large forest) overlap; each tree's leaf is kept at `leaves` (nTrees int32) and
// the leaves are added in tree order.
export function treePredictRow(
  nodes: usize,
  catBits: usize,
  leafValues: usize,
  treeStart: usize,
  nTrees: i32,
  row: usize,
  out: usize,
  leafWidth: i32,
  outWidth: i32,
  leaves: usize,
): void {
  let t = 0;
  for (; t + 8 <= nTrees; t += 8) {
    const ts = treeStart + ((<usize>t) << 2);
    let i0 = load<i32>(ts);
    let i1 = load<i32>(ts, 4);
    let i2 = load<i32>(ts, 8);
    let i3 = load<i32>(ts, 12);
    let i4 = load<i32>(ts, 16);
    let i5 = load<i32>(ts, 20);
    let i6 = load<i32>(ts, 24);
    let i7 = load<i32>(ts, 28);
    for (;;) {
      const n0 = !isLeaf(nodes, i0);
      const n1 = !isLeaf(nodes, i1);
      const n2 = !isLeaf(nodes, i2);
      const n3 = !isLeaf(nodes, i3);
      const n4 = !isLeaf(nodes, i4);
      const n5 = !isLeaf(nodes, i5);
      const n6 = !isLeaf(nodes, i6);
      const n7 = !isLeaf(nodes, i7);
      if (!(n0 || n1 || n2 || n3 || n4 || n5 || n6 || n7)) break;
      if (n0) i0 = step(nodes, catBits, i0, row);
      if (n1) i1 = step(nodes, catBits, i1, row);
      if (n2) i2 = step(nodes, catBits, i2, row);
      if (n3) i3 = step(nodes, catBits, i3, row);
      if (n4) i4 = step(nodes, catBits, i4, row);
      if (n5) i5 = step(nodes, catBits, i5, row);
      if (n6) i6 = step(nodes, catBits, i6, row);
      if (n7) i7 = step(nodes, catBits, i7, row);
    }
    const lp = leaves + ((<usize>t) << 2);
    store<i32>(lp, i0);
    store<i32>(lp, i1, 4);
    store<i32>(lp, i2, 8);
    store<i32>(lp, i3, 12);
    store<i32>(lp, i4, 16);
    store<i32>(lp, i5, 20);
    store<i32>(lp, i6, 24);
    store<i32>(lp, i7, 28);
  }
  for (; t < nTrees; t++) {
    let i = load<i32>(treeStart + ((<usize>t) << 2));
    while (!isLeaf(nodes, i)) i = step(nodes, catBits, i, row);
    store<i32>(leaves + ((<usize>t) << 2), i);
  }
  for (t = 0; t < nTrees; t++) {
    const slot = outWidth === 1 || leafWidth !== 1 ? 0 : t % outWidth;
    addLeaf(nodes, leafValues, load<i32>(leaves + ((<usize>t) << 2)), out, slot, leafWidth);
  }
}
