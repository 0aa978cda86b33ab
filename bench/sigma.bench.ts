/**
 * Benchmark of the robust expectation sigma (packages/core/src/robust-expectation.ts): rows per second
 * for TV and KL on dense rows at S = 50 and S = 500 and on sparse rows (5 entries) at S = 500, with
 * random kernels, values in [0, 10] and radii in [0.1, 0.3]; plus one batched step call.
 * Each figure is the median of many timed repetitions after a warm-up.
 */
import {
  createRng,
  createSigmaWorkspace,
  jointActionLayout,
  loadValues,
  robustExpectationRow,
  robustExpectationStep,
  stateIndexArray,
} from '../packages/core/src/index.ts';
import type { Divergence, Kernel, Rng, TabularGame } from '../packages/core/src/index.ts';
import { medianMs } from './timing.ts';

/** A CSR kernel of `rows` random rows over S states with `n` entries each (n = S: dense). */
function randomKernel(rng: Rng, rows: number, S: number, n: number): Kernel {
  const rowStart = new Int32Array(rows + 1);
  const next = stateIndexArray(S, rows * n);
  const prob = new Float64Array(rows * n);
  const mark = new Uint8Array(S);
  for (let r = 0; r < rows; r++) {
    const a = r * n;
    rowStart[r] = a;
    if (n === S) {
      for (let t = 0; t < n; t++) next[a + t] = t;
    } else {
      mark.fill(0);
      for (let t = 0; t < n; t++) {
        let sp: number;
        do sp = Math.floor(rng() * S);
        while (mark[sp] === 1);
        mark[sp] = 1;
      }
      let t = 0;
      for (let sp = 0; sp < S; sp++) if (mark[sp] === 1) next[a + t++] = sp;
    }
    let sum = 0;
    for (let t = 0; t < n; t++) {
      const x = -Math.log(1 - rng()); // Dirichlet(1, ..., 1) via exponentials
      prob[a + t] = x;
      sum += x;
    }
    for (let t = 0; t < n; t++) prob[a + t] /= sum;
  }
  rowStart[rows] = rows * n;
  return { rowStart, next, prob };
}

/** Median rows per second of robustExpectationRow over all rows of the kernel. */
function rowsPerSecond(divergence: Divergence, S: number, n: number, rows: number, reps: number): { rate: number; passes: number } {
  const rng = createRng(`sigma-bench-${divergence}-${S}-${n}`);
  const kernel = randomKernel(rng, rows, S, n);
  const V = new Float64Array(S);
  for (let s = 0; s < S; s++) V[s] = 10 * rng();
  const rho = new Float64Array(rows);
  for (let r = 0; r < rows; r++) rho[r] = 0.1 + 0.2 * rng();
  const ws = createSigmaWorkspace(S);
  loadValues(ws, V);
  let sink = 0;
  // KL exp passes per row (the cost driver), read from the solver's internal counter.
  let passes = 0;
  if (divergence === 'kl') {
    const kl = (ws as unknown as { kl: { passes: number } }).kl;
    for (let r = 0; r < rows; r++) {
      kl.passes = 0;
      sink += robustExpectationRow(ws, divergence, kernel, r, rho[r]);
      passes += kl.passes;
    }
  }
  const ms = medianMs(() => {
    for (let r = 0; r < rows; r++) sink += robustExpectationRow(ws, divergence, kernel, r, rho[r]);
  }, reps, 5);
  if (!Number.isFinite(sink)) throw new Error('non-finite sigma in the benchmark');
  return { rate: rows / (ms / 1000), passes: passes / rows };
}

/** A random game with S states, horizon 1 and J joint actions, dense rows, radii in [0.1, 0.3]. */
function randomGame(divergence: Divergence, S: number, A: number[]): TabularGame {
  const rng = createRng(`sigma-bench-game-${divergence}`);
  const layout = jointActionLayout(A);
  const J = layout.J;
  const radius = new Float64Array(S);
  for (let s = 0; s < S; s++) radius[s] = 0.1 + 0.2 * rng();
  return {
    name: 'sigma-bench',
    m: A.length,
    S,
    H: 1,
    A,
    J,
    layout,
    initial: new Float64Array(S).fill(1 / S),
    reward: new Float64Array(S * J * A.length),
    kernel: randomKernel(rng, S * J, S, S),
    divergence,
    radius: new Float64Array(A.length * S).fill(0).map((_, k) => radius[k % S]),
  };
}

function fmt(rate: number): string {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M rows/s` : `${(rate / 1e3).toFixed(1)} k rows/s`;
}

/** Prints rows/s for each case and the time of one batched step. */
export async function run(): Promise<void> {
  const cases: [Divergence, number, number, string][] = [
    ['tv', 50, 50, 'dense'],
    ['kl', 50, 50, 'dense'],
    ['tv', 500, 500, 'dense'],
    ['kl', 500, 500, 'dense'],
    ['tv', 500, 5, 'sparse (5 entries)'],
    ['kl', 500, 5, 'sparse (5 entries)'],
  ];
  for (const [div, S, n, label] of cases) {
    const rows = n === S ? Math.max(400, Math.floor(200_000 / S)) : 20_000;
    const { rate, passes } = rowsPerSecond(div, S, n, rows, 41);
    const extra = div === 'kl' ? ` (${passes.toFixed(2)} exp passes/row)` : '';
    console.log(`sigma ${div.toUpperCase()} S=${S} ${label}: ${fmt(rate)}${extra}`);
  }
  for (const div of ['tv', 'kl'] as const) {
    const game = randomGame(div, 50, [5, 5]);
    const ws = createSigmaWorkspace(50);
    const V = new Float64Array(50);
    const rng = createRng('sigma-bench-step');
    for (let s = 0; s < 50; s++) V[s] = 10 * rng();
    const out = new Float64Array(50 * game.J);
    const t = medianMs(() => robustExpectationStep(game, ws, 0, 0, V, 0, out), 101, 20);
    console.log(
      `sigma ${div.toUpperCase()} step S=50 J=25 (1,250 dense rows): ${(t * 1000).toFixed(0)} us; ` +
        `150,000 rows at this rate: ${((t * 150_000) / 1250).toFixed(1)} ms`,
    );
  }
}
