/**
 * Limited-memory BFGS for min f(x) + Σ_j l1_j |x_j| with f smooth. With every l1_j = 0 it is
 * plain L-BFGS; otherwise it is OWL-QN (Andrew & Gao, 2007): the quasi-Newton direction of the
 * pseudo-gradient, kept in the orthant of the current point, with a projected backtracking
 * line search. One method serves LogisticRegression's l2/none and l1/elastic-net penalties.
 *
 * Stopping follows scipy's L-BFGS-B (which scikit-learn's lbfgs solver calls): max |(pseudo-)
 * gradient| ≤ gtol, or a relative decrease (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol.
 */
export interface LbfgsOptions {
  readonly maxIter: number;
  readonly gtol: number;
  readonly ftol: number;
  /** Per-coordinate L1 weights; absent = smooth problem. */
  readonly l1?: Float64Array;
  /** History size (scipy's default maxcor is 10). */
  readonly memory?: number;
  /** Called after every iteration (e.g. abort checks, progress). */
  readonly onIteration?: (iter: number) => void;
}

export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly nIter: number;
  readonly converged: boolean;
}

/** Writes ∇f(x) into g and returns f(x) (a promise when the evaluation runs on worker threads). */
export type Objective = (x: Float64Array, g: Float64Array) => number | Promise<number>;

export async function minimizeLbfgs(
  fg: Objective,
  x0: Float64Array,
  opts: LbfgsOptions,
): Promise<LbfgsResult> {
  const n = x0.length;
  const m = opts.memory ?? 10;
  const l1 = opts.l1;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const pg = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);

  const penalty = (v: Float64Array): number => {
    if (!l1) return 0;
    let s = 0;
    for (let j = 0; j < n; j++) s += l1[j] * Math.abs(v[j]);
    return s;
  };
  const pseudoGradient = (v: Float64Array, grad: Float64Array, out: Float64Array): number => {
    let inf = 0;
    for (let j = 0; j < n; j++) {
      const lam = l1 ? l1[j] : 0;
      let p = grad[j];
      if (lam > 0) {
        if (v[j] > 0) p += lam;
        else if (v[j] < 0) p -= lam;
        else if (grad[j] + lam < 0) p = grad[j] + lam;
        else if (grad[j] - lam > 0) p = grad[j] - lam;
        else p = 0;
      }
      out[j] = p;
      if (Math.abs(p) > inf) inf = Math.abs(p);
    }
    return inf;
  };

  let f = (await fg(x, g)) + penalty(x);
  let pgInf = pseudoGradient(x, g, pg);
  let iter = 0;
  let converged = pgInf <= opts.gtol;
  while (!converged && iter < opts.maxIter) {
    // Two-loop recursion: d = −H·pg.
    for (let j = 0; j < n; j++) d[j] = -pg[j];
    const k = S.length;
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = rho[i] * dot(S[i], d);
      axpy(-alpha[i], Y[i], d);
    }
    let gamma = 1;
    if (k > 0) gamma = dot(S[k - 1], Y[k - 1]) / dot(Y[k - 1], Y[k - 1]);
    for (let j = 0; j < n; j++) d[j] *= gamma;
    for (let i = 0; i < k; i++) {
      const beta = rho[i] * dot(Y[i], d);
      axpy(alpha[i] - beta, S[i], d);
    }
    if (l1) for (let j = 0; j < n; j++) if (d[j] * pg[j] >= 0) d[j] = 0;
    let slope = dot(pg, d);
    if (!(slope < 0)) {
      // Not a descent direction (history gone stale): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let j = 0; j < n; j++) d[j] = -pg[j];
      slope = dot(pg, d);
      if (!(slope < 0)) break;
    }
    // First step as scipy: 1/‖d‖ so that it has unit length; then 1.
    let step = k === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
    let fNew = Number.POSITIVE_INFINITY;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < n; j++) {
        let v = x[j] + step * d[j];
        // Stay in the orthant of x (or of −pg where x is zero).
        if (l1 && l1[j] > 0) {
          const orth = x[j] !== 0 ? Math.sign(x[j]) : -Math.sign(pg[j]);
          if (v * orth <= 0) v = 0;
        }
        xNew[j] = v;
      }
      fNew = (await fg(xNew, gNew)) + penalty(xNew);
      let decrease = 0;
      for (let j = 0; j < n; j++) decrease += pg[j] * (xNew[j] - x[j]);
      if (fNew <= f + 1e-4 * decrease) {
        accepted = true;
        break;
      }
      step *= step > 0.1 ? 0.5 : 0.1 ** 0.5;
    }
    iter++;
    opts.onIteration?.(iter);
    if (!accepted) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = xNew[j] - x[j];
      y[j] = gNew[j] - g[j];
    }
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    pgInf = pseudoGradient(x, g, pg);
    if (pgInf <= opts.gtol) converged = true;
    else if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= opts.ftol) converged = true;
  }
  return { x, f, nIter: iter, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
