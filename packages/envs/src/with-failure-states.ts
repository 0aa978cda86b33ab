/**
 * The failure-state transform (the paper's Assumption 1): adds one absorbing, zero-reward
 * failure state F = S to a game, reached nominally with probability `leak` from every (h, s, j),
 * and declares it a failure state of every agent. Under TV the adversary's worst case then moves
 * its mass to F (min V = 0 there), inside the nominal support whenever leak > 0.
 */
import { createTabularGame, inputError, stateIndexArray, type Kernel, type TabularGame, describeValue, checkObject, checkGameIntact } from '@drmg/core';

/** Options of `withFailureStates`. */
export interface FailureStateOptions {
  /** Nominal probability of falling into F from (h, s, j): a number in [0, 1] or a function; default 0. */
  readonly leak?: number | ((h: number, s: number, j: number) => number);
  /** Label of the new state (default `failure`). */
  readonly label?: string;
}

/**
 * The game with an absorbing zero-reward failure state F = S appended: P'_h(.|s,j) =
 * (1 - leak) P*_h(.|s,j) + leak * delta_F for s < S, P'_h(F|F,j) = 1, r_i(h, F, j) = 0, radius 0 at F,
 * initial mass 0 on F, failureStates[i] = (agent i's claimed failure states) + [F].
 * @throws DrmgError when a leak is not a probability (naming h, s, j).
 */
export function withFailureStates(game: TabularGame, options: FailureStateOptions = {}): TabularGame {
  checkGameIntact(game);
  checkObject(options, 'options', 'options {leak?, label?}');
  const { S, H, m } = game;
  const S2 = S + 1;
  const F = S;
  const kernel = failureKernel(game, game.kernel, options.leak ?? 0);
  const reward = new Float64Array(H * S2 * game.J * m);
  // Rewards of the original rows moved to the wider layout; F's rows stay 0.
  for (let h = 0; h < H; h++) reward.set(game.reward.subarray(h * S * game.J * m, (h + 1) * S * game.J * m), h * S2 * game.J * m);
  const radius = new Float64Array(m * H * S2);
  for (let i = 0; i < m; i++) for (let h = 0; h < H; h++) for (let s = 0; s < S; s++) radius[(i * H + h) * S2 + s] = game.radius[(i * H + h) * S + s];
  const initial = new Float64Array(S2);
  initial.set(game.initial);
  const failureStates = Array.from({ length: m }, (_, i) => [...(game.failureStates?.[i] ?? []), F]);
  const labels = {
    states: [...(game.labels?.states ?? Array.from({ length: S }, (_, s) => String(s))), options.label ?? 'failure'],
    ...(game.labels?.actions ? { actions: game.labels.actions.map((a) => [...a]) } : {}),
  };
  return createTabularGame({
    name: game.name,
    S: S2,
    H,
    A: game.A,
    initial,
    reward,
    kernel,
    divergence: game.divergence,
    radius,
    failureStates,
    labels,
    ...(game.extra ? { extra: { ...game.extra } } : {}),
  });
}

/**
 * The kernel `kernel` of `game`'s sizes with F = S appended (the transform of `withFailureStates`):
 * row (h, s, j) of the result, in the layout ((h*(S+1) + s)*J + j), is (1 - leak) kernel_h(.|s,j) +
 * leak * delta_F for s < S, and delta_F for s = F.
 * @throws DrmgError when a leak is not a probability (naming h, s, j).
 */
export function failureKernel(game: Pick<TabularGame, 'S' | 'H' | 'J'>, kernel: Kernel, leakOf: number | ((h: number, s: number, j: number) => number)): Kernel {
  const { S, H, J } = game;
  const S2 = S + 1;
  const F = S;
  const { rowStart, next, prob } = kernel;
  const rows2 = H * S2 * J;
  const rs = new Int32Array(rows2 + 1);
  const nx = stateIndexArray(S2, next.length + rows2);
  const pr = new Float64Array(next.length + rows2);
  let k2 = 0;
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S2; s++) {
      for (let j = 0; j < J; j++) {
        const r2 = (h * S2 + s) * J + j;
        rs[r2] = k2;
        if (s === F) {
          nx[k2] = F;
          pr[k2++] = 1;
          continue;
        }
        const leak = typeof leakOf === 'function' ? leakOf(h, s, j) : leakOf;
        if (typeof leak !== 'number' || !(leak >= 0 && leak <= 1)) {
          inputError(`withFailureStates(leak)(h=${h}, s=${s}, j=${j})`, `expected a probability in [0, 1], got ${describeValue(leak)}`);
        }
        const r = (h * S + s) * J + j;
        if (leak < 1) {
          for (let k = rowStart[r]; k < rowStart[r + 1]; k++) {
            nx[k2] = next[k];
            pr[k2++] = (1 - leak) * prob[k];
          }
        }
        if (leak > 0) {
          nx[k2] = F;
          pr[k2++] = leak;
        }
      }
    }
  }
  rs[rows2] = k2;
  return { rowStart: rs, next: nx.subarray(0, k2), prob: pr.subarray(0, k2) };
}
