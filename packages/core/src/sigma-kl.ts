/**
 * The KL robust expectation's one-dimensional dual (paper eq. 11), solved exactly and fast.
 *
 * Work in shifted values W = V - min_{supp P} V >= 0 and inverse temperature beta = 1/eta:
 *   sigma - min V = sup_{beta>0} G(beta),   G(beta) = -(cgf(beta) + rho) / beta,
 *   cgf(beta) = log E_P[exp(-beta W)]   (the cumulant generating function of -W, at beta).
 * With q_beta proportional to P exp(-beta W) (the tilted kernel),
 *   F(beta) := beta cgf'(beta) - cgf(beta) = KL(q_beta || P),   F'(beta) = beta Var_q[W] > 0,
 *   G'(beta) = (rho - F(beta)) / beta^2,
 * so the maximiser solves KL(q_beta || P) = rho; it exists iff rho < F(inf) = -log P(W = 0),
 * otherwise sigma = min V (the eta -> 0 limit), attained by P conditioned on {W = 0}. At the
 * maximiser G = E_q[W].
 *
 * Exp calls are the cost, so every pass (one exp per support entry, then one loop of central moments)
 * also yields the cumulants kappa_1..kappa_8 of W under q_beta, and the root of F is found on the
 * order-8 Taylor model
 *   cgf(beta + d) ~ cgf(beta) + sum_{j=1..8} kappa_j (-d)^j / j!
 * (a few polynomial Newton steps, no exps). When the model's last two terms are negligible at its
 * root, its value is returned; otherwise the next pass is taken at that root, safeguarded by a
 * bracket. "Pass 0" uses P's own cumulants (no exps) for the small-rho model, which is exact already
 * for tiny rho and otherwise a starting point from which one exp pass typically suffices (1.00 passes
 * per row on dense random rows with rho in [0.1, 0.3], 1.2 on 5-entry rows). Rows covering at least
 * half the states take that pass from exp tables shared by all rows of the loaded V (one table of S
 * exps per grid point beta_g = 1.03^g), so dense rows of one step cost almost no exps. Measured against
 * 40-digit arithmetic the result is within ~4e-15 of E_P[W].
 *
 * Two-point rows (two next states of positive mass, common in empirical kernels early in learning) skip the
 * dual: the primal is one variable, the mass delta moved to the lower state, the root of KL = rho, found by a
 * bracketed Newton that descends monotonically (see `klTwoPoint`).
 *
 * Hard rows. Two things break the plain passes: an argmin mass P(W = 0) so small that Z = E_P[exp(-beta W)]
 * (at least P(W = 0)) underflows or loses its digits to the exp cut-off near 3e-308, and a span of W
 * so large or small that kappa_8 overflows or kappa_2 underflows. Rows with P(W = 0) < 1e-200 or a span
 * outside [1e-30, 1e30] are solved "carefully": W is divided by its span (so beta is in units of
 * 1/span), and the passes with beta > 0.68 keep the weights in log space,
 *   cgf = M + log sum_t exp(log P_t - beta W_t - M) - log psum,   M = max_t (log P_t - beta W_t),
 * which stays exact for masses down to the smallest subnormal (5e-324); the rest is the same solver.
 * Every row's search keeps a bracket [lo, hi] of beta*, starting from lo = sqrt(8 rho)/span (a true
 * lower bound: F'(beta) = beta Var_q[W] <= beta span^2/4, so F(beta) <= beta^2 span^2/8). A start far
 * above beta* (kappa_2 tiny, e.g. a minority mass of 1e-100 at the minimum puts the Gaussian start at
 * ~1e50 while beta* ~ 230) is left by geometric bisection of the bracket instead of a fixed factor of 4
 * per pass, an unbounded bracket is grown by squaring factors (4, 16, 256, ...), and a bracket whose
 * log-width has not halved in 4 passes is bisected in log beta: the search converges for every row.
 * A solve that still ends without converging (none is known) yields NaN, which the caller turns into
 * a located error: never a silently wrong number. Radii below 1e-32 take the small-rho closed form
 * E_P[W] - sqrt(2 rho kappa_2) directly: there F = rho would sit below F's rounding (or in subnormals),
 * and sigma is within span sqrt(rho/2) < 1e-16 span of E_P[W] anyway (Pinsker).
 */
import { EXPM1_SMALL_LIMIT, expNonPositive, expm1Small } from './sigma-exp.ts';
import type { StateIndexArray } from './kernel-index.ts';

/** Scratch and result of the KL solver for rows of up to S entries. */
export interface KlState {
  /** W[t] = (V(next state t) - min over the support) / scale, t < n. */
  readonly w: Float64Array;
  /** Careful solves' log weights log P[t] (see "Hard rows"); allocated on first use. */
  lw: Float64Array | null;
  /** pe[t] = P[t] exp(-beta W[t]) at the current pass. */
  readonly pe: Float64Array;
  /** [cgf, kappa_1, ..., kappa_8] at the current pass. */
  readonly c: Float64Array;
  /** Model solve in/out: [beta0, F(beta0), rho, d start | d, cgf increment, tail terms] (see `solveModel`). */
  readonly modelIo: Float64Array;
  /** Inputs set by the caller before `klSolveRow`: min of V over the row, and rho. */
  vmin: number;
  rho: number;
  /** Output of `klSolveRow`: sigma - vmin. */
  value: number;
  /**
   * The maximiser of the last solve in units of 1/scale, beta* scale (so that beta w[t] = beta* W_t):
   * 0 when rho = 0, Infinity in the eta -> 0 limit.
   */
  beta: number;
  /** The unit of w and 1/beta: 1 on the plain passes, the span of W for careful solves. */
  scale: number;
  /** Sum of the last row's stored probabilities (1 up to rounding; P = prob / psum). */
  psum: number;
  /** P(W = 0) * psum for the last row (the argmin set's mass). */
  p0: number;
  /** Exact exp passes of the last solve (for profiling; a pass served by the table counts 0). */
  passes: number;
  /**
   * Exp tables shared by the rows of one loaded V (see `klSolveRow`): slot k holds
   * tab[k*S + sp] = exp(-beta_g (V(sp) - vg)) for the grid point beta_g = GRID^tabTag[k], valid while
   * tabEpoch[k] === epoch. Allocated on first use.
   */
  tab: Float64Array | null;
  readonly tabTag: Int32Array;
  readonly tabEpoch: Int32Array;
  /** Two-point rows solved so far (see `klTwoPoint`), allocated on first use. */
  twoPoint: Float64Array | null;
  /** `tableFor`'s beta in (snapped to the grid out) and the row's scale of the table's exps. */
  tabBeta: number;
  tabScale: number;
  /** gridBeta[k] = GRID^gridTag[k], the grid points last used (direct-mapped as the tables). */
  readonly gridTag: Int32Array;
  readonly gridBeta: Float64Array;
  /** Bumped by every load of V (invalidates the tables); vg = min of the loaded V over all states. */
  epoch: number;
  vg: number;
  /**
   * Dense rows' shared gather (see `klSolveDenseRow`), valid while wdEpoch === epoch: wd[sp] = V(sp) - vg, wdSpan =
   * max wd, argmins[0 .. nArgmin) = the states with wd = 0. Allocated on first use.
   */
  wd: Float64Array | null;
  wdEpoch: number;
  wdSpan: number;
  argmins: Int32Array | null;
  nArgmin: number;
  /** `klSolveDenseRow`: E_P[W] of its row (P = prob / psum), whichever way the row was solved. */
  mean: number;
  /** Set by the gather for the solve (`klSolveFrom`): sum of P W, the span of W, whether the row is solved carefully, log psum. */
  s1: number;
  span: number;
  careful: boolean;
  logPsum: number;
}

/** Allocates solver scratch for rows of up to S entries. */
export function createKlState(S: number): KlState {
  return {
    w: new Float64Array(S),
    lw: null,
    pe: new Float64Array(S),
    c: new Float64Array(9),
    modelIo: new Float64Array(6),
    // NaN (a double) rather than 0 (a small integer) keeps these fields in double representation.
    vmin: Number.NaN,
    rho: Number.NaN,
    value: Number.NaN,
    beta: Number.NaN,
    scale: Number.NaN,
    psum: Number.NaN,
    p0: Number.NaN,
    passes: 0,
    tab: null,
    tabTag: new Int32Array(TABLE_SLOTS),
    tabEpoch: new Int32Array(TABLE_SLOTS),
    gridTag: new Int32Array(TABLE_SLOTS).fill(0x7fffffff), // no grid point g has |g| >= 2^30 (see the snap's guard)
    gridBeta: new Float64Array(TABLE_SLOTS),
    tabBeta: Number.NaN,
    tabScale: Number.NaN,
    twoPoint: null,
    epoch: 1,
    vg: Number.NaN,
    wd: null,
    wdEpoch: 0,
    wdSpan: Number.NaN,
    argmins: null,
    nArgmin: 0,
    mean: Number.NaN,
    s1: Number.NaN,
    span: Number.NaN,
    careful: false,
    logPsum: Number.NaN,
  };
}

/** Called whenever V is (re)loaded: forgets the exp tables and records the global min vg. */
export function klValuesChanged(st: KlState, vg: number): void {
  st.epoch++;
  st.vg = vg;
}

const I2 = 1 / 2;
const I6 = 1 / 6;
const I24 = 1 / 24;
const I120 = 1 / 120;
const I720 = 1 / 720;
const I5040 = 1 / 5040;
const I40320 = 1 / 40320;
// (j - 1) / j! for j = 3..8: the model's F coefficients, multiplied rather than divided (no division in the setup).
const I3 = 1 / 3;
const I8 = 1 / 8;
const I30 = 1 / 30;
const I144 = 1 / 144;
const I840 = 1 / 840;
const I5760 = 1 / 5760;
/** Relative accuracy aimed at, in units of E_P[W]. */
const REL_TOL = 1e-13;
/** Pass limit: the safeguards below converge far sooner (at most ~300 passes from the widest bracket). */
const MAX_PASSES = 400;
/** Rows whose argmin mass P(W = 0) is below this are solved carefully (see "Hard rows"). */
const P0_PLAIN = 1e-200;
/** Rows whose span of W lies outside [SPAN_MIN, SPAN_MAX] are solved carefully (see "Hard rows"). */
const SPAN_MIN = 1e-30;
const SPAN_MAX = 1e30;
/** Largest beta tried (in units of 1/scale); a root beyond it leaves G within Finf/BETA_MAX of its sup. */
const BETA_MAX = 1e300;
/** Radii below this take the closed form of the small-rho limit (see `klSolveRow`). */
const RHO_TINY = 1e-32;
/** A bracket whose log-width has not halved in this many passes is bisected. */
const STALL_PASSES = 4;
/** Exp-table grid: beta_g = GRID^g; a row's first pass may snap its start to the nearest grid point. */
const LOG_GRID = Math.log(1.03);
const INV_LOG_GRID = 1 / LOG_GRID;
/** Direct-mapped table slots (grid point g in slot g & (TABLE_SLOTS - 1)): 64 cover a factor 6.6 in beta. */
const TABLE_SLOTS = 64;
/** Direct-mapped slots of the two-point cache (5 doubles each: p1, p0, rho, delta*, beta* w1). */
const TWO_POINT_SLOTS = 1024;
/** The two-point cache's key (p1, p0, rho) and its 32-bit words, hashed into a slot. */
const twoKey = new Float64Array(3);
const twoKeyWords = new Int32Array(twoKey.buffer);

/** Order-8 model of cgf(beta0 + d) - cgf(beta0) from c = [cgf, kappa_1..kappa_8]. */
function modelCgf(c: Float64Array, d: number): number {
  const x = -d;
  return (
    x *
    (c[1] +
      x * (c[2] * I2 + x * (c[3] * I6 + x * (c[4] * I24 + x * (c[5] * I120 + x * (c[6] * I720 + x * (c[7] * I5040 + x * c[8] * I40320)))))))
  );
}

/**
 * Root d of the model's F(beta0 + d) = rho by Newton from a start (the model's F' is
 * (beta0 + d) cgf''(beta0 + d) > 0 near a valid root). The model's F is evaluated without cancellation:
 * with x = -d,  F(beta0 + d) - F(beta0) = sum_{j=2..8} kappa_j ( -beta0 x^(j-1)/(j-1)! + (j-1) x^j/j! )
 * (the kappa_1 terms cancel exactly, which matters for small beta where F ~ kappa_2 beta^2 / 2).
 * Numbers travel through modelIo so that no call boxes a double: in modelIo[0] = beta0, modelIo[1] =
 * F(beta0), modelIo[2] = rho, modelIo[3] = start; out modelIo[3] = d, modelIo[4] = the model's
 * cgf(beta0 + d) - cgf(beta0), modelIo[5] = its last
 * two terms (`tailTerms`). Returns false when Newton fails (beta0 + d leaves (0, inf), F' <= 0, or no
 * convergence in 40 steps).
 */
function solveModel(c: Float64Array, modelIo: Float64Array): boolean {
  const beta0 = modelIo[0], F0 = modelIo[1], rho = modelIo[2];
  // Coefficients of the model's F(beta0 + d) - F(beta0) = B(x) - beta0 A(x) and of
  // cgf''(beta0 + d), in x = -d, hoisted out of the Newton loop.
  const k2 = c[2], k3 = c[3], k4 = c[4], k5 = c[5], k6 = c[6], k7 = c[7], k8 = c[8];
  const a3 = k3 * I2, a4 = k4 * I6, a5 = k5 * I24, a6 = k6 * I120, a7 = k7 * I720, a8 = k8 * I5040;
  const b2 = k2 * I2, b3 = k3 * I3, b4 = k4 * I8, b5 = k5 * I30, b6 = k6 * I144, b7 = k7 * I840, b8 = k8 * I5760;
  const e4 = k4 * I2, e5 = k5 * I6, e6 = k6 * I24, e7 = k7 * I120, e8 = k8 * I720;
  let d = modelIo[3];
  for (let it = 0; it < 40; it++) {
    const b = beta0 + d;
    if (!(b > 0)) return false;
    const x = -d;
    const A = x * (k2 + x * (a3 + x * (a4 + x * (a5 + x * (a6 + x * (a7 + x * a8))))));
    const B = x * x * (b2 + x * (b3 + x * (b4 + x * (b5 + x * (b6 + x * (b7 + x * b8))))));
    const F = F0 + (B - beta0 * A);
    const Fp = b * (k2 + x * (k3 + x * (e4 + x * (e5 + x * (e6 + x * (e7 + x * e8))))));
    if (!(Fp > 0)) return false;
    const step = (rho - F) / Fp;
    d += step;
    // Quadratic convergence: after a step of 1e-6 b the iterate is ~1e-12 b from the model's root, and
    // the model's G is stationary there, so its value is off by only ~1e-24 relative.
    if (Math.abs(step) <= 1e-6 * b) {
      modelIo[3] = d;
      modelIo[4] = modelCgf(c, d);
      modelIo[5] = tailTerms(c, d);
      return true;
    }
  }
  return false;
}

/** |kappa_7 d^7/7!| + |kappa_8 d^8/8!|: the model's last two terms, a proxy for its truncation error. */
function tailTerms(c: Float64Array, d: number): number {
  const d2 = d * d;
  const d7 = d2 * d2 * d2 * d;
  return Math.abs(c[7] * I5040 * d7) + Math.abs(c[8] * I40320 * d7 * d);
}

/**
 * Fills c[2..8] = [kappa_2..kappa_8] of W under the weights q[qOff + t], t < n, given their sum
 * Z = c[0] and the mean c[1] (passed in c so that the call boxes no double): central moments m_k in
 * one loop, then kappa_4 = m4 - 3 m2^2, kappa_5 = m5 - 10 m3 m2, kappa_6 = m6 - 15 m4 m2 - 10 m3^2
 * + 30 m2^3, kappa_7 = m7 - 21 m5 m2 - 35 m4 m3 + 210 m3 m2^2, kappa_8 = m8 - 28 m6 m2 - 56 m5 m3
 * - 35 m4^2 + 420 m4 m2^2 + 560 m3^2 m2 - 630 m2^4.
 * (A separate loop from the exps: fused, the accumulators spill registers and run slower.)
 */
function cumulants(c: Float64Array, q: Float64Array, qOff: number, w: Float64Array, n: number): void {
  const Z = c[0], mean = c[1];
  let m2 = 0, m3 = 0, m4 = 0, m5 = 0, m6 = 0, m7 = 0, m8 = 0;
  for (let t = 0; t < n; t++) {
    const d = w[t] - mean;
    const d2 = d * d;
    const qd2 = q[qOff + t] * d2;
    const qd4 = qd2 * d2;
    const qd6 = qd4 * d2;
    m2 += qd2;
    m3 += qd2 * d;
    m4 += qd4;
    m5 += qd4 * d;
    m6 += qd6;
    m7 += qd6 * d;
    m8 += qd6 * d2;
  }
  const iz = 1 / Z;
  m2 *= iz;
  m3 *= iz;
  m4 *= iz;
  m5 *= iz;
  m6 *= iz;
  m7 *= iz;
  m8 *= iz;
  const m22 = m2 * m2;
  c[2] = m2;
  c[3] = m3;
  c[4] = m4 - 3 * m22;
  c[5] = m5 - 10 * m3 * m2;
  c[6] = m6 - 15 * m4 * m2 - 10 * m3 * m3 + 30 * m22 * m2;
  c[7] = m7 - 21 * m5 * m2 - 35 * m4 * m3 + 210 * m3 * m22;
  c[8] = m8 - 28 * m6 * m2 - 56 * m5 * m3 - 35 * m4 * m4 + 420 * m4 * m22 + 560 * m3 * m3 * m2 - 630 * m22 * m22;
}

/**
 * st.value = sigma_KL - min V (eq. 11 in eta = 1/beta) for the CSR row entries [a, a+n) (next states
 * next[], probabilities prob[] summing to psum ~ 1, P = prob/psum) against values v, given st.vmin =
 * the minimum of v over the row's support and st.rho = rho > 0, with n >= 2. Also sets st.beta
 * (Infinity in the eta -> 0 limit, where the value is 0), st.scale, st.psum, st.p0 and st.w. Inputs and
 * outputs travel through st so that no call boxes a double. st.value is NaN only if the search fails
 * to converge (see "Hard rows"; the caller reports it).
 */
export function klSolveRow(st: KlState, v: Float64Array, next: StateIndexArray, prob: Float64Array, a: number, n: number): void {
  const w = st.w;
  const vmin = st.vmin, rho = st.rho;
  st.passes = 0;
  st.scale = 1;

  // Gather W (pass 0, no exps), then P's cumulants.
  let psum = 0, p0 = 0, span = 0, s1 = 0;
  // The first two entries of positive probability, and how many there are (up to 3).
  let tA = -1, tB = -1, npos = 0;
  for (let t = 0; t < n; t++) {
    const k = a + t;
    const pk = prob[k];
    if (pk > 0) {
      if (npos === 0) tA = t;
      else if (npos === 1) tB = t;
      if (npos < 3) npos++;
    }
    // Entries stored with probability 0 (outside the support, against the CSR convention) get W = 0
    // and weight 0, so they cannot feed exp a positive argument.
    const x = pk > 0 ? v[next[k]] - vmin : 0;
    w[t] = x;
    psum += pk;
    s1 += pk * x;
    if (x === 0) p0 += pk;
    if (x > span) span = x;
  }
  st.psum = psum;
  st.p0 = p0;
  const p0n = p0 / psum;
  if (limitAttained(p0n, span, rho)) {
    st.beta = Infinity;
    st.value = 0;
    return;
  }
  // Hard rows (see the header): W in units of its span, log weights for the passes with large beta.
  const careful = isHardRow(p0n, span);
  let logPsum = 0;
  if (careful) {
    st.scale = span;
    let lw = st.lw;
    if (lw === null) lw = st.lw = new Float64Array(w.length);
    logPsum = Math.log(psum);
    s1 = 0;
    for (let t = 0; t < n; t++) {
      const pk = prob[a + t];
      const x = w[t] / span;
      w[t] = x;
      s1 += pk * x;
      lw[t] = pk > 0 ? Math.log(pk) : -Infinity;
    }
    span = 1;
  }
  if (npos === 2 && !careful && rho >= RHO_TINY) {
    // Two next states (one at W = 0, one at W = span, as span > 0): the primal in one variable (see `klTwoPoint`).
    const pA = prob[a + tA] / psum, pB = prob[a + tB] / psum;
    if (pA >= P0_PLAIN && pB >= P0_PLAIN) {
      klTwoPoint(st, pA, pB, w[tA], w[tB], rho);
      return;
    }
  }
  st.s1 = s1;
  st.span = span;
  st.careful = careful;
  st.logPsum = logPsum;
  klSolveFrom(st, v, next, prob, a, n, w);
}

/**
 * Whether the eta -> 0 limit is attained (sigma = min V over the support): -log P(W = 0) <= rho, where P conditioned on
 * {W = 0} has KL = -log P(W = 0); exp(-rho) >= 1 - rho spares the log in the common case (and an infinite rho passes
 * even where P(W = 0) rounds to 0). Also when W is constant (span 0).
 */
function limitAttained(p0n: number, span: number, rho: number): boolean {
  return !(span > 0) || (p0n >= 1 - rho && (Math.log(p0n) + rho >= 0 || rho === Infinity));
}

/** Whether a row is solved carefully (see "Hard rows"): a tiny argmin mass, or a span of W out of the plain range. */
function isHardRow(p0n: number, span: number): boolean {
  return !(p0n >= P0_PLAIN && span >= SPAN_MIN && span <= SPAN_MAX);
}

/**
 * The gather of `klSolveRow` for a dense row (n = S entries, entry a + sp holds state sp, every one positive, so the
 * row's min of V is the global one): W = V - vg is shared by every dense row of the loaded V (computed once per V),
 * so the row costs one loop of two multiply-adds before the solve instead of a gather of W. Same contract as
 * `klSolveRow` (st.vmin must be vg), and st.mean = E_P[W], except that st.w is not filled (`klWorstCase` needs `klSolveRow`); rows that
 * need the careful solve or have fewer than three entries take `klSolveRow`.
 */
export function klSolveDenseRow(st: KlState, v: Float64Array, next: StateIndexArray, prob: Float64Array, a: number): void {
  const S = v.length;
  if (st.wdEpoch !== st.epoch) denseGather(st, v);
  const wd = st.wd as Float64Array;
  const span = st.wdSpan, rho = st.rho;
  let psum = 0, s1 = 0;
  for (let sp = 0; sp < S; sp++) {
    const pk = prob[a + sp];
    psum += pk;
    s1 += pk * wd[sp];
  }
  st.mean = s1 / psum;
  const argmins = st.argmins as Int32Array;
  let p0 = 0;
  for (let u = 0; u < st.nArgmin; u++) p0 += prob[a + argmins[u]];
  const p0n = p0 / psum;
  if (S < 3 || isHardRow(p0n, span)) {
    klSolveRow(st, v, next, prob, a, S);
    return;
  }
  st.passes = 0;
  st.scale = 1;
  st.psum = psum;
  st.p0 = p0;
  if (limitAttained(p0n, span, rho)) {
    st.beta = Infinity;
    st.value = 0;
    return;
  }
  st.s1 = s1;
  st.span = span;
  st.careful = false;
  st.logPsum = 0;
  klSolveFrom(st, v, next, prob, a, S, wd);
}

/** Fills the dense rows' shared W = V - vg, its span and its zeros for the loaded V. */
function denseGather(st: KlState, v: Float64Array): void {
  const S = v.length, vg = st.vg;
  let wd = st.wd, argmins = st.argmins;
  if (wd === null || wd.length !== S) wd = st.wd = new Float64Array(S);
  if (argmins === null || argmins.length !== S) argmins = st.argmins = new Int32Array(S);
  let span = 0, nz = 0;
  for (let sp = 0; sp < S; sp++) {
    const x = v[sp] - vg;
    wd[sp] = x;
    if (x > span) span = x;
    if (x === 0) argmins[nz++] = sp;
  }
  st.wdSpan = span;
  st.nArgmin = nz;
  st.wdEpoch = st.epoch;
}

/**
 * The solve of `klSolveRow` from its gather: W in w[0 .. n), and st.psum, st.s1 = sum P W, st.span, st.careful,
 * st.logPsum, st.scale, st.p0 set (a row past the limit test, with span > 0).
 */
function klSolveFrom(st: KlState, v: Float64Array, next: StateIndexArray, prob: Float64Array, a: number, n: number, w: Float64Array): void {
  const S = v.length;
  const pe = st.pe, c = st.c, modelIo = st.modelIo;
  const vmin = st.vmin, rho = st.rho, psum = st.psum, span = st.span, careful = st.careful, logPsum = st.logPsum;
  const scale = st.scale, p0 = st.p0, p0n = p0 / psum;
  let s1 = st.s1;
  c[0] = psum;
  c[1] = s1 / psum;
  const tables = 2 * n >= S && !careful;
  cumulants(c, prob, a, w, n);
  c[0] = 0;
  const meanW = c[1];
  const tol = REL_TOL * meanW;
  // E_q[exp(-z W)] has no zeros in the strip |Im z| < pi/span (its real part, after factoring out
  // exp(-i Im(z) span/2), is a positive combination of cosines of angles below pi/2), so the cumulant
  // series of cgf around any real beta converges for |d| < pi/span. A model value is trusted only for
  // |d| <= 1/span (series ratio <= 1/pi) and when its last two terms are negligible.
  const maxD = 1 / span;

  if (rho < RHO_TINY) {
    // F = rho would be solved below the rounding of F (~1e-16 beta E[W]) or in subnormals. Here
    // sigma - min V = E_P[W] - sqrt(2 rho kappa_2) + O(rho span), and in any case (Pinsker) within
    // span sqrt(rho/2) < 1e-16 span of E_P[W]; the square roots are split so that nothing underflows.
    // The worst case is tilted by beta* ~ sqrt(2 rho / kappa_2), capped where that Gaussian regime ends
    // (a tiny kappa_2 from a tiny argmin mass): a smaller beta keeps KL(q || P) below rho.
    const r2 = Math.sqrt(2 * rho), s2 = Math.sqrt(c[2]);
    const b = r2 / s2, cap = 1e-8 / span;
    st.beta = b < cap ? b : cap;
    st.value = (meanW - r2 * s2) * scale;
    return;
  }
  const gauss = Math.sqrt((2 * rho) / c[2]); // F(beta) ~ kappa_2 beta^2 / 2
  let beta = gauss;
  modelIo[0] = 0; modelIo[1] = 0; modelIo[2] = rho; modelIo[3] = gauss;
  if (solveModel(c, modelIo)) {
    const d0 = modelIo[3];
    if (d0 <= maxD && modelIo[5] <= 0.1 * tol * d0) {
      st.beta = d0;
      st.value = (-(modelIo[4] + rho) / d0) * scale;
      return;
    }
    if (d0 < 3 * gauss && d0 > gauss / 3) beta = d0;
  }
  // F(beta) <= beta^2 span^2 / 8 (see "Hard rows"), so beta* >= lo.
  let lo = Math.sqrt(8 * rho) / span, hi = Infinity;
  if (!(beta > 0 && beta < BETA_MAX)) beta = 1 / meanW < BETA_MAX ? 1 / meanW : BETA_MAX;
  if (beta < lo) beta = lo;

  // Rows of one loaded V share exps: a dense-ish row (at least half the states) snaps its start to the
  // nearest grid point beta_g (within 1.5%, which the order-8 model absorbs: on dense random rows the
  // next root is accepted as often as from the unsnapped start) and reads
  // exp(-beta_g W_t) = tab[next_t] * exp(beta_g (vmin - vg)) from that grid point's table, computed once
  // per V (S exps) and reused by every row that lands there. Values do not depend on which rows came
  // before: the tables are exact exps of the loaded V.
  let tabOff = -1;
  if (tables) {
    st.tabBeta = beta;
    tabOff = tableFor(st, v, vmin, span);
    if (tabOff >= 0) beta = st.tabBeta;
  }

  let best = -Infinity, bestBeta = beta;
  // Whether the first pass read the shared table (then a second table pass may follow; see the end of the loop).
  let usedTab = false;
  // Safeguards: the growth factor of an unbounded bracket, and the bracket ratio hi/lo last halved in log.
  let grow = 4, refRatio = Infinity, stall = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let Z: number, cgf: number;
    s1 = 0;
    if (tabOff >= 0) {
      // A pass from a shared table (the first, and at most one more; no exps).
      const tab = st.tab as Float64Array;
      const tabScale = st.tabScale;
      let z = 0;
      for (let t = 0; t < n; t++) {
        const k = a + t;
        const x = w[t];
        const e = prob[k] * (tab[tabOff + next[k]] * tabScale);
        pe[t] = e;
        z += e;
        s1 += e * x;
      }
      Z = z;
      cgf = Math.log(Z / psum);
      tabOff = -1;
      usedTab = true;
    } else if (beta * span < EXPM1_SMALL_LIMIT) {
      st.passes++;
      // Z is near psum: sum P (exp(-beta W) - 1) keeps cgf = log(Z/psum) accurate to ~1 ulp of itself,
      // where log(Z) would leave an absolute error ~1e-16, i.e. ~1e-16/beta in G.
      let Zm1 = 0;
      for (let t = 0; t < n; t++) {
        const x = w[t];
        const pt = prob[a + t];
        const em1 = pt * expm1Small(-beta * x);
        const e = pt + em1;
        pe[t] = e;
        Zm1 += em1;
        s1 += e * x;
      }
      Z = psum + Zm1;
      cgf = Math.log1p(Zm1 / psum);
    } else if (careful) {
      st.passes++;
      // Log space: pe[t] = P_t exp(-beta W_t - M) <= 1 with one of them 1, so nothing underflows that matters.
      const lw = st.lw as Float64Array;
      let M = -Infinity;
      for (let t = 0; t < n; t++) {
        const l = lw[t] - beta * w[t];
        pe[t] = l;
        if (l > M) M = l;
      }
      let z = 0;
      for (let t = 0; t < n; t++) {
        const e = Math.exp(pe[t] - M);
        pe[t] = e;
        z += e;
        s1 += e * w[t];
      }
      Z = z;
      cgf = M + Math.log(z) - logPsum;
    } else {
      st.passes++;
      let z = 0;
      for (let t = 0; t < n; t++) {
        const x = w[t];
        const e = prob[a + t] * expNonPositive(-beta * x);
        pe[t] = e;
        z += e;
        s1 += e * x;
      }
      Z = z;
      cgf = Math.log(Z / psum);
    }
    c[0] = Z;
    c[1] = s1 / Z;
    cumulants(c, pe, 0, w, n);
    c[0] = cgf;
    const mean = c[1];
    const F = -beta * mean - cgf;
    const G = -(cgf + rho) / beta;
    if (G > best) {
      best = G;
      bestBeta = beta;
    }
    if (F < rho) {
      if (beta > lo) lo = beta;
    } else if (beta < hi) hi = beta;
    const slope = beta * c[2]; // F'(beta)

    modelIo[0] = beta; modelIo[1] = F; modelIo[2] = rho; modelIo[3] = (rho - F) / slope;
    let nextBeta = solveModel(c, modelIo) ? beta + modelIo[3] : NaN;
    if (nextBeta > lo && nextBeta < hi) {
      if (Math.abs(modelIo[3]) <= maxD && modelIo[5] <= 0.1 * tol * nextBeta) {
        st.value = (-(cgf + modelIo[4] + rho) / nextBeta) * scale;
        // The value is stationary in beta, the worst case's KL is not: for large beta span (near saturation,
        // where F bends on the scale 1/span rather than beta) the model's Newton stops ~1e-10 short of its
        // root; one more model step (no exps) puts beta there.
        if (nextBeta * span > 16 && solveModel(c, modelIo)) nextBeta = beta + modelIo[3];
        st.beta = nextBeta;
        return;
      }
    } else {
      nextBeta = NaN;
    }
    // Newton's estimate of sup G - G(beta) = (rho - F)^2 / (2 beta^2 F'(beta)); or a bracket at rounding level.
    // Careful rows have large beta*, where G is flat but the worst case's KL(q || P) = F is not: they also
    // wait for F = rho to ~1e-12 (or F's rounding), so the kernel tilted by the returned beta lies in the ball.
    if (((rho - F) * (rho - F)) / (2 * beta * beta * slope) <= tol || hi - lo <= 1e-15 * lo) {
      if (!careful) {
        st.beta = bestBeta;
        st.value = best * scale;
        return;
      }
      if (Math.abs(rho - F) <= 1e-12 * rho + 4e-16 * (beta * mean - cgf) || hi - lo <= 1e-15 * lo) {
        st.beta = beta;
        st.value = best * scale;
        return;
      }
    }
    if (!(nextBeta === nextBeta)) {
      // Fallback when the model's root is out of reach: Newton on F against beta, or, near saturation
      // (rho > F(inf)/2), on log(F(inf) - F) against beta, since F(inf) - F decays like exp(-beta w_1);
      // damped to a factor of 4 and kept inside the bracket. A step that wants to go further moves to the
      // geometric midpoint of the bracket when that is further (a start far above beta*), or grows an
      // unbounded bracket by squaring factors.
      const Finf = careful ? logPsum - Math.log(p0) : -Math.log(p0n);
      if (rho > 0.5 * Finf && F < Finf) {
        const D = Finf - F;
        nextBeta = beta + ((Math.log(D) - Math.log(Finf - rho)) * D) / slope;
      } else {
        nextBeta = beta + (rho - F) / slope;
      }
      const base = beta > lo ? beta : lo; // beta < lo only after a table snap (by at most 1.5%)
      if (!(nextBeta >= 0.25 * beta)) {
        nextBeta = 0.25 * beta;
        const mid = Math.sqrt(lo) * Math.sqrt(hi);
        if (mid < nextBeta) nextBeta = mid;
      } else if (!(nextBeta <= 4 * beta)) {
        if (hi === Infinity) {
          nextBeta = base * grow;
          if (grow < 1e30) grow *= grow;
        } else {
          nextBeta = 4 * beta;
          const mid = Math.sqrt(lo) * Math.sqrt(hi);
          if (mid > nextBeta) nextBeta = mid;
        }
      }
      if (!(nextBeta > lo && nextBeta < hi)) nextBeta = hi === Infinity ? 4 * base : Math.sqrt(lo) * Math.sqrt(hi);
    }
    // Guaranteed progress: bisect (in log beta) a bracket that has not halved in log-width lately.
    const ratio = hi / lo;
    if (!(ratio * ratio > refRatio)) {
      refRatio = ratio;
      stall = 0;
    } else if (++stall >= STALL_PASSES) {
      nextBeta = Math.sqrt(lo) * Math.sqrt(hi);
      stall = 0;
    }
    if (nextBeta > BETA_MAX) nextBeta = BETA_MAX;
    if (!(nextBeta > lo && nextBeta < hi)) {
      // Nothing left to try (beta* beyond BETA_MAX, where G is within F(inf)/BETA_MAX of its sup).
      st.beta = bestBeta;
      st.value = best * scale;
      return;
    }
    if (usedTab && pass === 0) {
      // The table pass's model root is accurate but its tail is not yet negligible (a start from pass 0 more than
      // the grid's step off): a second table pass at the grid point nearest that root costs no exps.
      st.tabBeta = nextBeta;
      const off = tableFor(st, v, vmin, span);
      if (off >= 0 && st.tabBeta > lo && st.tabBeta < hi) {
        tabOff = off;
        nextBeta = st.tabBeta;
      }
    }
    beta = nextBeta;
  }
  st.beta = bestBeta;
  st.value = Number.NaN;
}

/**
 * The shared exp table of the grid point nearest st.tabBeta (see `klSolveRow`): returns its offset in st.tab (the
 * table computed now if this V has not used that grid point yet) and sets st.tabBeta = beta_g and st.tabScale =
 * exp(beta_g (vmin - vg)); -1 when the grid point is out of the tables' range (beta_g span below the expm1 regime,
 * or a row's min so far above the global one that the scale would overflow).
 */
function tableFor(st: KlState, v: Float64Array, vmin: number, span: number): number {
  const S = v.length;
  const g = Math.round(Math.log(st.tabBeta) * INV_LOG_GRID);
  if (!(g > -0x40000000 && g < 0x40000000)) return -1; // NaN or out of range
  // beta_g = GRID^g depends on g alone: computed once per grid point (an exp per row saved).
  const gs = g & (TABLE_SLOTS - 1);
  let bg: number;
  if (st.gridTag[gs] === g) bg = st.gridBeta[gs];
  else {
    bg = Math.exp(g * LOG_GRID);
    st.gridBeta[gs] = bg;
    st.gridTag[gs] = g;
  }
  const shift = bg * (vmin - st.vg); // the row's min against the global min: keep far from underflow
  if (!(bg * span >= EXPM1_SMALL_LIMIT && shift < 600)) return -1;
  let tab = st.tab;
  if (tab === null) tab = st.tab = new Float64Array(TABLE_SLOTS * S);
  const tabOff = gs * S;
  if (st.tabEpoch[gs] !== st.epoch || st.tabTag[gs] !== g) {
    const vg = st.vg;
    for (let sp = 0; sp < S; sp++) tab[tabOff + sp] = expNonPositive(-bg * (v[sp] - vg));
    st.tabEpoch[gs] = st.epoch;
    st.tabTag[gs] = g;
  }
  st.tabScale = shift === 0 ? 1 : Math.exp(shift); // dense rows: the row's min is the global one
  st.tabBeta = bg;
  return tabOff;
}

/**
 * The two-point row: masses pA, pB (summing to 1 up to rounding) at W = wA, wB, one of them 0 and the other the
 * span w1 > 0, with mass p1 at w1 and p0 at 0, where -log p0 > rho (the eta -> 0 limit was ruled out). The worst
 * case moves mass delta from w1 to 0 until KL = rho: sigma - min V = (p1 - delta*) w1, delta* the root in (0, p1) of
 *   f(delta) = (p1 - delta) log1p(-delta / p1) + (p0 + delta) log1p(delta / p0) - rho,
 * convex and increasing there (f(0) = -rho < 0, f(p1) = -log p0 - rho > 0). In delta and log1p the rounding of f
 * is ~1e-16 delta while its slope is ~delta / (p0 p1), so delta* is found to ~1e-16 absolute even for radii near
 * 1e-32. Pinsker (KL >= 2 delta^2) puts sqrt(rho / 2) at or right of the root, where Newton descends monotonically
 * (each tangent lies below the convex f); a bracket catches the rest. The tilt is beta* = f'(delta*) / w1.
 * Sets st.value and st.beta (scale 1).
 */
function klTwoPoint(st: KlState, pA: number, pB: number, wA: number, wB: number, rho: number): void {
  const hiA = wA > wB;
  const p1 = hiA ? pA : pB, p0 = hiA ? pB : pA, w1 = hiA ? wA : wB;
  // delta* and the tilt beta* w1 depend on (p1, p0, rho) alone, not on W: a row solved before against another V (the
  // same empirical row in the next planning pass) reads them back, bit for bit what the loop below would give.
  let cache = st.twoPoint;
  if (cache === null) cache = st.twoPoint = new Float64Array(5 * TWO_POINT_SLOTS);
  twoKey[0] = p1;
  twoKey[1] = p0;
  twoKey[2] = rho;
  const slot = 5 * ((twoKeyWords[0] ^ Math.imul(twoKeyWords[1], 0x9e3779b1) ^ Math.imul(twoKeyWords[2] ^ twoKeyWords[5], 0x85ebca6b) ^ Math.imul(twoKeyWords[3] ^ twoKeyWords[4], 0xc2b2ae35)) & (TWO_POINT_SLOTS - 1));
  if (cache[slot] === p1 && cache[slot + 1] === p0 && cache[slot + 2] === rho) {
    st.scale = 1;
    st.beta = cache[slot + 4] / w1;
    st.value = (p1 - cache[slot + 3]) * w1;
    return;
  }
  let lo = 0, hi = p1;
  let d = Math.sqrt(rho / 2);
  if (!(d < p1)) d = 0.5 * p1;
  let slope = 0;
  for (let it = 0; it < 400; it++) {
    const l1 = Math.log1p(-d / p1), l0 = Math.log1p(d / p0);
    const f = (p1 - d) * l1 + (p0 + d) * l0 - rho;
    slope = l0 - l1;
    if (f > 0) hi = d;
    else lo = d;
    let nd = d - f / slope;
    if (!(nd > lo && nd < hi)) nd = 0.5 * (lo + hi);
    const done = !(Math.abs(nd - d) > 2e-16 * d) || !(hi - lo > 2e-16 * hi);
    d = nd;
    if (done) break;
  }
  const tilt = Math.log1p(d / p0) - Math.log1p(-d / p1);
  cache[slot] = p1;
  cache[slot + 1] = p0;
  cache[slot + 2] = rho;
  cache[slot + 3] = d;
  cache[slot + 4] = tilt;
  st.scale = 1;
  st.beta = tilt / w1;
  st.value = (p1 - d) * w1;
}

/**
 * Writes the worst-case kernel of the last `klSolveRow` for the same row into out[off + next state]
 * (out zeroed by the caller): P tilted by exp(-beta* W), or, in the eta -> 0 limit (beta = Infinity),
 * P conditioned on {W = 0}. The tilt is evaluated directly when its normaliser is far from underflow
 * and in log space otherwise (careful rows with a tiny argmin mass).
 */
export function klWorstCase(st: KlState, next: StateIndexArray, prob: Float64Array, a: number, n: number, out: Float64Array, off: number): void {
  const beta = st.beta, w = st.w;
  if (beta === Infinity) {
    const p0 = st.p0;
    for (let t = 0; t < n; t++) if (w[t] === 0) out[off + next[a + t]] = prob[a + t] / p0;
    return;
  }
  let Z = 0;
  for (let t = 0; t < n; t++) Z += prob[a + t] * Math.exp(-beta * w[t]);
  if (Z >= 1e-280 && Z < Infinity) {
    for (let t = 0; t < n; t++) out[off + next[a + t]] = (prob[a + t] * Math.exp(-beta * w[t])) / Z;
    return;
  }
  let M = -Infinity;
  for (let t = 0; t < n; t++) {
    const pk = prob[a + t];
    if (pk > 0) {
      const l = Math.log(pk) - beta * w[t];
      if (l > M) M = l;
    }
  }
  Z = 0;
  for (let t = 0; t < n; t++) {
    const pk = prob[a + t];
    if (pk > 0) Z += Math.exp(Math.log(pk) - beta * w[t] - M);
  }
  for (let t = 0; t < n; t++) {
    const pk = prob[a + t];
    out[off + next[a + t]] = pk > 0 ? Math.exp(Math.log(pk) - beta * w[t] - M) / Z : 0;
  }
}
