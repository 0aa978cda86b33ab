/**
 * Policy helpers: uniform, deterministic and product policies, and product -> joint conversion.
 *
 * Layouts: joint pi[(h*S + s)*J + j]; product marginals[i][(h*S + s)*A[i] + a]. Every row these
 * functions produce sums to exactly 1 (renormalised as in drmg-policy/1).
 */
import { inputError } from './drmg-error.ts';
import { SUM_TOLERANCE, checkDenseSize, checkFunction, checkObject, checkPolicySizes, describeValue, formatNumber, isFiniteNumber, normaliseSlice } from './input-checks.ts';
import type { JointPolicy, ProductPolicy, TabularGame } from './tabular-game.ts';

/** The sizes a joint policy table needs (H steps, S states, J joint actions): a TabularGame, or an external simulator's spec. */
export type PolicySizes = Pick<TabularGame, 'H' | 'S' | 'J'>;

/**
 * The joint policy of a product policy: pi_h(j | s) = prod_i pi_{i,h}(a_i(j) | s) (the product of
 * the marginals, paper Sec. 2), written into `out` (length H*S*J) when given.
 * @throws DrmgError('input', ...) when the policy's H, S or A do not match the game, or `out` has the wrong length.
 */
export function productToJoint(policy: ProductPolicy, game: TabularGame, out?: Float64Array): JointPolicy {
  checkObject(game, 'game', 'a TabularGame');
  checkObject(policy, 'policy', 'a product policy');
  const { H, S, J, m, A } = game;
  if (policy.kind !== 'product') inputError('policy.kind', `expected "product", got ${describeValue(policy.kind)}`);
  if (policy.H !== H || policy.S !== S) inputError('policy', `expected H = ${H}, S = ${S} (the game's), got H = ${policy.H}, S = ${policy.S}`);
  if (!Array.isArray(policy.A) || !Array.isArray(policy.marginals) || policy.A.length !== m || policy.marginals.length !== m) inputError('policy.marginals', `expected ${m} marginals (one per agent), got ${policy.marginals.length}`);
  for (let i = 0; i < m; i++) {
    if (policy.A[i] !== A[i]) inputError(`policy.A[${i}]`, `expected ${A[i]} actions (the game's), got ${policy.A[i]}`);
    if (policy.marginals[i].length !== H * S * A[i]) inputError(`policy.marginals[${i}]`, `expected H*S*A[${i}] = ${H * S * A[i]} entries, got ${policy.marginals[i].length}`);
  }
  const n = H * S * J;
  if (out !== undefined && out.length !== n) inputError('out', `expected H*S*J = ${n} entries, got ${out.length}`);
  const prob = out ?? new Float64Array(n);
  const marginals = policy.marginals;
  const actionOf = game.layout.actionOf;
  for (let hs = 0; hs < H * S; hs++) {
    const base = hs * J;
    for (let j = 0; j < J; j++) {
      let p = 1;
      for (let i = 0; i < m; i++) p *= marginals[i][hs * A[i] + actionOf[j * m + i]];
      prob[base + j] = p;
    }
    normaliseSlice(prob, base, base + J);
  }
  return { kind: 'joint', H, S, J, prob };
}

/** The uniform joint policy pi_h(j | s) = 1/J (rows renormalised to sum to exactly 1). */
export function uniformPolicy(game: PolicySizes): JointPolicy {
  checkPolicySizes(game, 'game');
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J).fill(1 / J);
  for (let hs = 0; hs < H * S; hs++) normaliseSlice(prob, hs * J, (hs + 1) * J);
  return { kind: 'joint', H, S, J, prob };
}

/**
 * The deterministic joint policy pi_h(j | s) = 1 if j = jointAction(h, s), else 0.
 * @throws DrmgError('input', `jointAction(h=.., s=..)`, ...) when the function returns no joint action in [0, J-1].
 */
export function deterministicPolicy(game: TabularGame, jointAction: (h: number, s: number) => number): JointPolicy {
  checkPolicySizes(game, 'game');
  checkFunction(jointAction, 'jointAction', 'a function (h, s) => joint action');
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      const j = jointAction(h, s);
      if (!Number.isInteger(j) || j < 0 || j >= J) inputError(`jointAction(h=${h}, s=${s})`, `returned ${describeValue(j)}, expected a joint action in [0, ${J - 1}]`);
      prob[(h * S + s) * J + j] = 1;
    }
  }
  return { kind: 'joint', H, S, J, prob };
}

/**
 * A product policy from per-agent marginals pi_{i,h}(. | s) = marginal(i, h, s), each a distribution
 * over agent i's A[i] actions (entries >= 0, summing to 1 within 1e-9, renormalised).
 * @throws DrmgError('input', `marginal(i=.., h=.., s=..)`, ...) naming the call that returned a bad row.
 */
export function createProductPolicy(game: TabularGame, marginal: (i: number, h: number, s: number) => readonly number[]): ProductPolicy {
  checkObject(game, 'game', 'a TabularGame');
  checkFunction(marginal, 'marginal', 'a function (i, h, s) => distribution over agent i\'s actions');
  const { H, S, m, A } = game;
  const marginals: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const Ai = A[i];
    const table = new Float64Array(H * S * Ai);
    for (let h = 0; h < H; h++) {
      for (let s = 0; s < S; s++) {
        const path = `marginal(i=${i}, h=${h}, s=${s})`;
        const row = marginal(i, h, s) as unknown;
        if (row === null || typeof row !== 'object' || typeof (row as ArrayLike<unknown>).length !== 'number') {
          inputError(path, `returned ${describeValue(row)}, expected an array of ${Ai} probabilities (A[${i}])`);
        }
        const r = row as ArrayLike<unknown>;
        if (r.length !== Ai) inputError(path, `returned ${r.length} entries, expected ${Ai} (A[${i}])`);
        const base = (h * S + s) * Ai;
        let sum = 0;
        for (let a = 0; a < Ai; a++) {
          const x = r[a];
          if (!isFiniteNumber(x) || x < 0) inputError(`${path}[${a}]`, `returned ${describeValue(x)}, expected a probability >= 0`);
          table[base + a] = x;
          sum += x;
        }
        if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) inputError(path, `row sums to ${formatNumber(sum)}, expected 1`);
        normaliseSlice(table, base, base + Ai);
      }
    }
    marginals.push(table);
  }
  return { kind: 'product', H, S, A: [...A], marginals };
}

/**
 * Checks that a joint policy's rows are distributions (entries finite and >= 0, summing to 1 within
 * 1e-9) with the game's H, S, J; returns a copy with rows renormalised to sum to exactly 1.
 * @throws DrmgError('input', `policy[h][s][j]` or `policy[h][s]`, ...) at the first bad entry or row.
 */
export function checkJointPolicy(prob: ArrayLike<number>, game: PolicySizes): JointPolicy {
  checkPolicySizes(game, 'game');
  const { H, S, J } = game;
  checkDenseSize(H * S * J, 'H*S*J', 'policy');
  if (prob === null || typeof prob !== 'object' || typeof prob.length !== 'number') inputError('policy', `expected an array of H*S*J = ${H * S * J} probabilities, got ${describeValue(prob)}`);
  if (prob.length !== H * S * J) inputError('policy', `expected H*S*J = ${H * S * J} entries, got ${prob.length}`);
  const out = new Float64Array(H * S * J);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      const base = (h * S + s) * J;
      let sum = 0;
      for (let j = 0; j < J; j++) {
        const x = prob[base + j];
        if (!isFiniteNumber(x)) inputError(`policy[${h}][${s}][${j}]`, `expected a finite number, got ${describeValue(x)}`);
        if (x < 0) inputError(`policy[${h}][${s}][${j}]`, `expected a probability >= 0, got ${formatNumber(x)}`);
        out[base + j] = x + 0;
        sum += x;
      }
      if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) inputError(`policy[${h}][${s}]`, `row sums to ${formatNumber(sum)}, expected 1`);
      normaliseSlice(out, base, base + J);
    }
  }
  return { kind: 'joint', H, S, J, prob: out };
}
