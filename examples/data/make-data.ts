/**
 * Writes the example data files of examples/data (drmg-game/1 and drmg-policy/1):
 *   initial-shock.game.json / .policy.json  the paper's Example 1 ("Initial Shock", Appendix D.1), uniform policy
 *   random-tv.game.json / .policy.json      a small random 2-agent TV game and a random product policy
 *   random-kl.game.json / .policy.json      a small random 2-agent KL game and a random correlated policy
 * Deterministic (seeded with createRng). Probabilities are multiples of 1/8 (exact in binary, so the
 * files read cleanly and rows sum to exactly 1); rewards are rounded to 0.01.
 *
 * Run: npx tsx examples/data/make-data.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGame, createProductPolicy, createRng, gameToJson, policyToJson, uniformPolicy } from '@drmg/core';
import type { JointPolicy, Rng, TabularGame } from '@drmg/core';

const here = dirname(fileURLToPath(import.meta.url));

/** One-line JSON with `, ` between array entries. */
function oneLine(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(oneLine).join(', ')}]` : JSON.stringify(value);
}

/** JSON with two-space indentation, but any array that fits in 100 columns kept on one line. */
export function formatJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    const flat = oneLine(value);
    if (indent.length + flat.length <= 100) return flat;
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = indent + '  ';
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The "Initial Shock" game (paper Example 1, Appendix D.1; algorithms.md "Hard instances"), 2 agents x
 * 2 actions, H = 3, states {0: good, 1: bad}: reward 1 in good for both agents; in bad reward 1 only
 * under the secret joint action a* = (1, 1); nominally good stays good and bad goes to good only under
 * a*; TV radius 0.2 at step 0 in state good only, 0 elsewhere; the start state is good.
 */
export function initialShockGame(rho = 0.2): TabularGame {
  const isSecret = (a: readonly number[]): boolean => a[0] === 1 && a[1] === 1;
  return buildGame({
    name: 'initial-shock',
    states: 2,
    horizon: 3,
    actions: [2, 2],
    initial: [1, 0],
    reward: (_h, s, a) => (s === 0 || isSecret(a) ? 1 : 0),
    transition: (_h, s, a) => (s === 0 || isSecret(a) ? [1, 0] : [0, 1]),
    divergence: 'tv',
    radius: (_i, h, s) => (h === 0 && s === 0 ? rho : 0),
    labels: { states: ['good', 'bad'], actions: [['a0', 'a1'], ['a0', 'a1']] },
  });
}

/** A random distribution over n outcomes in multiples of 1/8, on a support of at most `support` outcomes. */
function dyadicRow(rng: Rng, n: number, support: number): number[] {
  const row = new Array<number>(n).fill(0);
  const k = 1 + Math.floor(rng() * Math.min(support, n));
  const chosen: number[] = [];
  while (chosen.length < k) {
    const s = Math.floor(rng() * n);
    if (!chosen.includes(s)) chosen.push(s);
  }
  for (let unit = 0; unit < 8; unit++) row[chosen[unit < k ? unit : Math.floor(rng() * k)]] += 1 / 8;
  return row;
}

/** A small random game with readable numbers (rewards to 0.01, probabilities in eighths). */
function readableRandomGame(seed: number, name: string, S: number, H: number, A: number[], divergence: 'tv' | 'kl', radius: number[]): TabularGame {
  const rng = createRng(seed);
  const m = A.length;
  const J = A.reduce((x, y) => x * y, 1);
  const reward = Array.from({ length: H * S * J * m }, () => Math.round(rng() * 100) / 100);
  const kernel = Array.from({ length: H * S * J }, () => dyadicRow(rng, S, 2));
  return buildGame({
    name,
    states: S,
    horizon: H,
    actions: A,
    initial: dyadicRow(rng, S, S),
    reward: (h, s, a, i) => reward[((h * S + s) * J + a.reduce((j, ai, k) => j * A[k] + ai, 0)) * m + i],
    transition: (h, s, a) => kernel[(h * S + s) * J + a.reduce((j, ai, k) => j * A[k] + ai, 0)],
    divergence,
    radius,
  });
}

/** A random correlated joint policy with rows in eighths. */
function dyadicJointPolicy(rng: Rng, game: TabularGame): JointPolicy {
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J);
  for (let r = 0; r < H * S; r++) prob.set(dyadicRow(rng, J, 3), r * J);
  return { kind: 'joint', H, S, J, prob };
}

function write(file: string, doc: unknown): void {
  writeFileSync(join(here, file), formatJson(doc) + '\n');
  console.log(`wrote examples/data/${file}`);
}

/** Writes every example file. */
export function makeData(): void {
  const shock = initialShockGame();
  write('initial-shock.game.json', { ...gameToJson(shock), description: 'The paper\'s Example 1, "Initial Shock" (Appendix D.1): secret joint action a* = (1, 1), TV radius 0.2 at step 0 in state good.' });
  write('initial-shock.policy.json', policyToJson(uniformPolicy(shock), shock));

  const tv = readableRandomGame(1, 'random-tv', 3, 3, [2, 3], 'tv', [0.1, 0.2]);
  const rngTv = createRng(2);
  const product = createProductPolicy(tv, (i) => dyadicRow(rngTv, tv.A[i], 2));
  write('random-tv.game.json', gameToJson(tv));
  write('random-tv.policy.json', policyToJson(product, tv));

  const kl = readableRandomGame(3, 'random-kl', 3, 2, [2, 2], 'kl', [0.05, 0.1]);
  write('random-kl.game.json', gameToJson(kl));
  write('random-kl.policy.json', policyToJson(dyadicJointPolicy(createRng(4), kl), kl));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) makeData();
