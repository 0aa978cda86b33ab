/**
 * A profiling driver (not a bench): `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/profile-evaluation.ts tv 50 5 5`
 * evaluates a dense random game (radii in [0, 0.5) per (i, h, s), a random correlated policy) for about 5 s on one
 * thread (THREADS=2: two; RHO_SCALE=0: every radius 0);
 * `node bench/profile-top.mjs DIR/*.cpuprofile` prints the profile's top entries by self time.
 */
import { createRng, createTabularGame } from '../packages/core/src/index.ts';
import type { Divergence } from '../packages/core/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';

const divergence = (process.argv[2] ?? 'tv') as Divergence;
const S = Number(process.argv[3] ?? 50);
const A = process.argv.slice(4).map(Number);
if (A.length === 0) A.push(5, 5);
const H = 20;
const rng = createRng(11);
const m = A.length;
const J = A.reduce((x, y) => x * y, 1);
const rows = H * S * J;
const reward = new Float64Array(rows * m).map(() => rng());
const kernel = new Float64Array(rows * S);
for (let r = 0; r < rows; r++) {
  let sum = 0;
  for (let sp = 0; sp < S; sp++) sum += kernel[r * S + sp] = 0.05 + rng();
  for (let sp = 0; sp < S; sp++) kernel[r * S + sp] /= sum;
}
const radius = new Float64Array(m * H * S).map(() => Number(process.env.RHO_SCALE ?? 0.5) * rng());
const game = createTabularGame({ S, H, A, initial: new Float64Array(S).fill(1 / S), reward, kernel, divergence, radius });
const prob = new Float64Array(H * S * J);
for (let r = 0; r < H * S; r++) {
  let sum = 0;
  for (let j = 0; j < J; j++) sum += prob[r * J + j] = 0.05 + rng();
  for (let j = 0; j < J; j++) prob[r * J + j] /= sum;
}
const ev = createEvaluator(game, { threads: process.env.THREADS === '2' ? 2 : 1 });
const policy = { kind: 'joint' as const, H, S, J, prob };
let n = 0, sink = 0;
const t0 = performance.now();
while (performance.now() - t0 < 5000) {
  sink += ev.evaluate(policy).gap[0];
  n++;
}
console.log(`${divergence} S=${S} ${A.join('x')}: ${((performance.now() - t0) / n).toFixed(2)} ms per evaluation (${n} runs), sink ${sink.toFixed(3)}`);
