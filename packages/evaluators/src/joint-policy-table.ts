/**
 * Checks a policy against a game and returns its joint table pi[(h*S + s)*J + j] = pi_h(j | s).
 *
 * A joint policy's own array is returned as is (after the checks); a product policy is expanded into
 * the caller's buffer: pi_h(j | s) = prod_i pi_{i,h}(a_i(j) | s).
 */
import { inputError, describeValue } from '@drmg/core';
import type { Policy, TabularGame } from '@drmg/core';

/** Absolute tolerance on a policy row's sum (formats.md: rows sum to 1 within 1e-9). */
const ROW_TOLERANCE = 1e-9;

/**
 * The joint table of `policy` on `game`: a joint policy's `prob` itself, or a product policy expanded
 * into `out` (length H*S*J) as pi_h(j|s) = prod_i pi_{i,h}(a_i|s).
 * @throws DrmgError ('input') when the policy's H, S, J or A differ from the game's, an array has the
 * wrong length, or a row has a negative / non-finite entry or does not sum to 1 within 1e-9.
 */
export function jointPolicyTable(game: TabularGame, policy: Policy, out: Float64Array): Float64Array {
  const { m, S, H, J, A } = game;
  if (policy === null || typeof policy !== 'object') inputError('policy', `expected a joint or product policy object, got ${describeValue(policy)}`);
  if (policy.kind !== 'joint' && policy.kind !== 'product') {
    inputError('policy.kind', `expected "joint" or "product", got ${describeValue((policy as { kind?: unknown }).kind)}`);
  }
  if (policy.H !== H) inputError('policy.H', `expected ${H} (the game's horizon), got ${describeValue(policy.H)}`);
  if (policy.S !== S) inputError('policy.S', `expected ${S} (the game's number of states), got ${describeValue(policy.S)}`);
  if (policy.kind === 'joint') {
    if (policy.J !== J) inputError('policy.J', `expected ${J} (the game's number of joint actions), got ${describeValue(policy.J)}`);
    const prob = policy.prob;
    if (!(prob instanceof Float64Array) || prob.length !== H * S * J) {
      inputError('policy.prob', `expected a Float64Array of H*S*J = ${H * S * J} entries, got ${prob instanceof Float64Array ? prob.length : typeof prob}`);
    }
    checkRows(prob, H, S, J, 'policy');
    return prob;
  }
  const PA = policy.A;
  if (!Array.isArray(PA) || PA.length !== m) inputError('policy.A', `expected ${m} action counts (one per agent), got ${Array.isArray(PA) ? PA.length : typeof PA}`);
  const marginals = policy.marginals;
  if (!Array.isArray(marginals) || marginals.length !== m) inputError('policy.marginals', `expected ${m} marginal tables (one per agent), got ${Array.isArray(marginals) ? marginals.length : typeof marginals}`);
  for (let i = 0; i < m; i++) {
    if (PA[i] !== A[i]) inputError(`policy.A[${i}]`, `expected ${A[i]} (agent ${i}'s actions in the game), got ${describeValue(PA[i])}`);
    const mi = marginals[i];
    if (!(mi instanceof Float64Array) || mi.length !== H * S * A[i]) {
      inputError(`policy.marginals[${i}]`, `expected a Float64Array of H*S*A[${i}] = ${H * S * A[i]} entries, got ${mi instanceof Float64Array ? mi.length : typeof mi}`);
    }
    checkRows(mi, H, S, A[i], `policy.marginals[${i}]`);
  }
  if (out.length < H * S * J) inputError('out', `expected a buffer of at least ${H * S * J} entries, got ${out.length}`);
  // Expansion: out[(h*S+s)*J + j] = prod_i marginal_i[(h*S+s)*A_i + a_i(j)].
  const actionOf = game.layout.actionOf;
  for (let hs = 0; hs < H * S; hs++) {
    const base = hs * J;
    for (let j = 0; j < J; j++) {
      let p = 1;
      const jm = j * m;
      for (let i = 0; i < m; i++) p *= marginals[i][hs * A[i] + actionOf[jm + i]];
      out[base + j] = p;
    }
  }
  return out;
}

/** Checks that table[(h*S + s)*n + k] holds, for each (h, s), a distribution over k < n. */
function checkRows(table: Float64Array, H: number, S: number, n: number, path: string): void {
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      const base = (h * S + s) * n;
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const p = table[base + k];
        if (!(p >= 0) || p === Infinity) inputError(`${path}[${h}][${s}][${k}]`, `expected a probability >= 0, got ${p}`);
        sum += p;
      }
      if (Math.abs(sum - 1) > ROW_TOLERANCE) inputError(`${path}[${h}][${s}]`, `row sums to ${Number(sum.toPrecision(12))}, expected 1`);
    }
  }
}
