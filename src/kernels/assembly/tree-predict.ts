// Tree-ensemble prediction over a block of row-major float64 rows (NaN = missing).
// Nodes are 4 i32 each: feature (-1 for a leaf), left (a leaf: its leaf index), right, and
// meta = missingLeft | (catStart + 1) << 1 (catStart -1 for a numeric split); thresholds are
// f64 per node. A categorical value is a level code; bit `code` of catBits[catStart..] set
// sends it left. Each tree adds its leaf values to the row's outputs: all of them when
// leafWidth = outWidth, else output t % outWidth.
export function treePredict(
  nodes: usize,
  thresholds: usize,
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
  // Trees outer, rows inner: a tree's upper nodes stay in cache across the block's rows.
  for (let t = 0; t < nTrees; t++) {
    const root = load<i32>(treeStart + ((<usize>t) << 2));
    const slot = outWidth === 1 || leafWidth !== 1 ? 0 : t % outWidth;
    for (let r = 0; r < nRows; r++) {
      const row = x + <usize>r * ((<usize>nFeat) << 3);
      const o = out + <usize>r * ((<usize>outWidth) << 3);
      let i = root;
      for (;;) {
        const p = nodes + ((<usize>i) << 4);
        const f = load<i32>(p);
        if (f < 0) break;
        const v = load<f64>(row + ((<usize>f) << 3));
        const meta = load<i32>(p, 12);
        let left: bool;
        if (isNaN(v)) left = (meta & 1) !== 0;
        else if (meta < 2) left = v <= load<f64>(thresholds + ((<usize>i) << 3));
        else {
          const code = <u32>v;
          const w = load<u32>(catBits + ((<usize>((meta >> 1) - 1) + <usize>(code >> 5)) << 2));
          left = ((w >> (code & 31)) & 1) !== 0;
        }
        i = select<i32>(load<i32>(p, 4), load<i32>(p, 8), left);
      }
      const leaf = <usize>load<i32>(nodes + ((<usize>i) << 4), 4);
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
  }
}
