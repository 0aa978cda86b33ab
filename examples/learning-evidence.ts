/**
 * Evidence for the learners (issue 5, item 6): `npx tsx examples/learning-evidence.ts` prints, in about a minute,
 *  1. MORNAVI's cumulative exact robust regret sum_k gap(pi^k) (Def. 2, from the initial distribution, every episode
 *     scored by the exact evaluator, unclipped: a correlated policy's CCE gap can be negative (formats.md) and then
 *     lowers the regret; the positive-part sum sum_k max(gap, 0) is shown beside it as `regret+`) at K = 1,000 ... 20,000
 *     and its log-log slope from 1,000 to 20,000 (printed only where the regret is above max(1e-6, 1e-9 K H), as in
 *     `drmg compare`), on a small TV game with a failure state and on a small KL game, with the default bonus and with
 *     the paper's (eq. 19 / eq. 102, constants 1); the output policy's exact gap and the learner's own bound on it at
 *     each K, as a `certified gap` or as a `bound (not certified)`;
 *  2. the same on larger random games: two that were run while the default was chosen (S = 8) and two held out
 *     (S = 6, 3 x 3 actions, first run after the default was fixed);
 *  3. the initial-shock game (paper Example 1, Theorem 1): regret linear in K;
 *  4. MORNAVI with rho = 0 (its default, certified widths) next to Nash-VI (its default, the scaled heuristic bonus) on
 *     the non-robust versions of the games (radii zeroed);
 *  5. worst-case (robust) values of the output policies on the failure-state game: robust vs non-robust learners.
 * Everything is seeded: the same run prints the same figures.
 */
import { fileURLToPath } from 'node:url';
import { createRng, randomGame, readGameFile } from '@drmg/core';
import type { Policy, TabularGame } from '@drmg/core';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { createLearner, learnerContext, planRobustEquilibrium, runEpisode } from '@drmg/learners';
import type { LearnerParamValues } from '@drmg/learners';
import { slopeTolerance, SLOPE_TOLERANCE_RULE } from '@drmg/compare';
import { ridgeGame } from './ridge-game.ts';

const CHECKPOINTS = [1000, 2000, 5000, 10000, 20000];
const K = CHECKPOINTS[CHECKPOINTS.length - 1];

function nominal(game: TabularGame): TabularGame {
  return { ...game, name: `${game.name} (rho = 0)`, radius: new Float64Array(game.radius.length) };
}

interface Checkpoint {
  readonly K: number;
  /** The regret, sum_k gap_k (Def. 2, unclipped). */
  readonly regret: number;
  /** regret+: sum_k max(gap_k, 0). */
  readonly regretPlus: number;
  readonly outputGap: number;
  /** The learner's bound on its output policy's gap: certified (NaN if none) ... */
  readonly certified: number;
  /** ... or not a certificate (NaN if none). */
  readonly bound: number;
}

/** Trains `name` on `game` for K episodes (seed 1), scoring every episode policy exactly on `scoring`. */
function train(game: TabularGame, name: string, params: LearnerParamValues, scoring: TabularGame = game): { points: Checkpoint[]; output: Policy } {
  const learner = createLearner(name, learnerContext(game, K, name === 'planner'), params);
  const ev = createEvaluator(scoring);
  const rng = createRng(1);
  const points: Checkpoint[] = [];
  let regret = 0;
  let regretPlus = 0;
  for (let k = 0; k < K; k++) {
    const res = runEpisode(game, learner, k, rng);
    const gap = initialGap(scoring, ev.evaluate(res.policy, { swap: false }));
    regret += gap;
    regretPlus += gap > 0 ? gap : 0;
    if (CHECKPOINTS.includes(k + 1)) {
      const outputGap = initialGap(scoring, ev.evaluate(learner.outputPolicy(), { swap: false }));
      const certified = learner.outputCertifiedGap?.() ?? NaN;
      const bound = learner.outputBoundGap?.() ?? NaN;
      points.push({ K: k + 1, regret, regretPlus, outputGap, certified, bound });
    }
  }
  return { points, output: learner.outputPolicy() };
}

/**
 * The log-log slope of the regret from the first checkpoint to the last, or why there is none: as in `drmg compare`,
 * only where the regret (at both ends) is above the tolerance max(1e-6, 1e-9 K H), below which it is rounding noise.
 */
function slope(points: readonly Checkpoint[], H: number): { slope: number; reason: string | null } {
  const a = points[0], b = points[points.length - 1];
  const tol = slopeTolerance(b.K, H);
  for (const p of [b, a]) {
    if (!(p.regret > tol)) return { slope: NaN, reason: `regret at K = ${p.K} is ${p.regret.toExponential(1)}, not above the tolerance ${tol.toExponential(1)}` };
  }
  return { slope: Math.log(b.regret / a.regret) / Math.log(b.K / a.K), reason: null };
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const exp = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : '-');
const slopeText = (f: { slope: number; reason: string | null }) => (f.reason === null ? fmt(f.slope, 2) : `- (${f.reason})`);

function table(title: string, points: readonly Checkpoint[], H: number): void {
  console.log(`  ${title}`);
  console.log(
    `    ${'K'.padStart(6)} ${'regret'.padStart(9)} ${'regret/K'.padStart(9)} ${'regret+'.padStart(9)} ${'output gap'.padStart(11)} ${'certified gap'.padStart(13)} ${'bound (not certified)'.padStart(21)}`,
  );
  for (const p of points) {
    console.log(
      `    ${String(p.K).padStart(6)} ${fmt(p.regret).padStart(9)} ${exp(p.regret / p.K).padStart(9)} ${fmt(p.regretPlus).padStart(9)} ${exp(p.outputGap).padStart(11)} ${fmt(p.certified, 3).padStart(13)} ${fmt(p.bound, 3).padStart(21)}`,
    );
  }
  console.log(`    log-log slope of regret, K = 1,000 -> 20,000: ${slopeText(slope(points, H))}`);
}

/** Agent i's robust (worst-case) value averaged over the initial distribution, and the robust gap. */
function worstCase(game: TabularGame, policy: Policy): { values: number[]; gap: number } {
  const ev = createEvaluator(game).evaluate(policy, { swap: false });
  const values = [];
  for (let i = 0; i < game.m; i++) {
    let v = 0;
    for (let s = 0; s < game.S; s++) v += game.initial[s] * ev.value[i * game.S + s];
    values.push(v);
  }
  return { values, gap: initialGap(game, ev) };
}

export function main(): void {
  const t0 = performance.now();
  const ridge = ridgeGame();
  const kl = randomGame(11, { S: 4, H: 3, A: [2, 2], divergence: 'kl', maxRadius: 0.3, name: 'random-kl' });
  const larger = [
    randomGame(12, { S: 8, H: 4, A: [2, 3], divergence: 'tv', maxRadius: 0.3, support: 3, name: 'random-tv-8 (seen)' }),
    randomGame(13, { S: 8, H: 4, A: [2, 3], divergence: 'kl', maxRadius: 0.3, support: 3, name: 'random-kl-8 (seen)' }),
    randomGame(31, { S: 6, H: 3, A: [3, 3], divergence: 'tv', maxRadius: 0.3, support: 3, name: 'held-out-tv-6' }),
    randomGame(32, { S: 6, H: 3, A: [3, 3], divergence: 'kl', maxRadius: 0.3, support: 3, name: 'held-out-kl-6' }),
  ];
  const shock = readGameFile(fileURLToPath(new URL('./data/initial-shock.game.json', import.meta.url)));
  console.log('Learning evidence: exact robust regret sum_k gap(pi^k) from the initial distribution (Def. 2, unclipped; CCE, seed 1)');
  console.log('  regret+ = sum_k max(gap(pi^k), 0), the positive-part sum; a slope only where the regret at K exceeds');
  console.log(`  ${SLOPE_TOLERANCE_RULE}; certified gap: the learner's bound from provably valid widths; bound (not certified): any other`);

  console.log('\n1. MORNAVI: the default bonus and the paper constants');
  const ridgeDefault = train(ridge, 'mornavi-tv', {});
  for (const [game, name] of [[ridge, 'mornavi-tv'], [kl, 'mornavi-kl']] as const) {
    console.log(`\n ${game.name}: S = ${game.S}, H = ${game.H}, actions ${game.A.join(' x ')}, ${game.divergence.toUpperCase()}`);
    table(`${name}, default`, game === ridge ? ridgeDefault.points : train(game, name, {}).points, game.H);
    table(`${name}, bonus=paper (eq. ${name === 'mornavi-tv' ? 19 : 102}, constants 1)`, train(game, name, { bonus: 'paper' }).points, game.H);
  }

  console.log('\n2. Larger random games, MORNAVI default (seen: run while the default was chosen; held-out: not)');
  for (const game of larger) {
    const name = `mornavi-${game.divergence}`;
    table(`${game.name}: S = ${game.S}, H = ${game.H}, actions ${game.A.join(' x ')}, ${name}`, train(game, name, {}).points, game.H);
  }

  console.log('\n3. Initial shock (paper Example 1, Theorem 1: any learner has regret linear in K)');
  table('mornavi-tv, default', train(shock, 'mornavi-tv', {}).points, shock.H);

  console.log('\n4. Non-robust twins on the rho = 0 versions of the games (scored by the non-robust gap)');
  for (const [game, name] of [[ridge, 'mornavi-tv'], [kl, 'mornavi-kl']] as const) {
    const nom = nominal(game);
    const a = train(nom, name, { rhoScale: 0 }).points;
    const b = train(nom, 'nash-vi', {}).points;
    console.log(`  ${nom.name}:    K ${CHECKPOINTS.map((k) => String(k).padStart(7)).join(' ')}   slope`);
    console.log(`    ${`${name} rhoScale=0`.padEnd(22)} ${a.map((p) => fmt(p.regret).padStart(7)).join(' ')}   ${slopeText(slope(a, nom.H))}`);
    console.log(`    ${'nash-vi'.padEnd(22)} ${b.map((p) => fmt(p.regret).padStart(7)).join(' ')}   ${slopeText(slope(b, nom.H))}`);
  }

  console.log(`\n5. Worst-case value on ${ridge.name} of the output policies after K = ${K} episodes (robust value per agent, from mu)`);
  const rows: [string, Policy][] = [
    ['mornavi-tv (robust)', ridgeDefault.output],
    ['planner (robust, known model)', planRobustEquilibrium(ridge, { equilibrium: 'cce' }).policy],
    ['mornavi-tv rhoScale=0', train(ridge, 'mornavi-tv', { rhoScale: 0 }).output],
    ['nash-vi', train(ridge, 'nash-vi', {}).output],
    ['independent-q', train(ridge, 'independent-q', {}).output],
    ['random', train(ridge, 'random', {}).output],
    ['planner on rho = 0 (non-robust)', planRobustEquilibrium(nominal(ridge), { equilibrium: 'cce' }).policy],
  ];
  console.log(`    ${'learner'.padEnd(32)} ${'agent 0'.padStart(8)} ${'agent 1'.padStart(8)} ${'sum'.padStart(8)} ${'robust gap'.padStart(11)} ${'nominal sum'.padStart(12)}`);
  for (const [label, policy] of rows) {
    const w = worstCase(ridge, policy);
    const n = worstCase(nominal(ridge), policy);
    console.log(
      `    ${label.padEnd(32)} ${fmt(w.values[0], 4).padStart(8)} ${fmt(w.values[1], 4).padStart(8)} ${fmt(w.values[0] + w.values[1], 4).padStart(8)} ${exp(w.gap).padStart(11)} ${fmt(n.values[0] + n.values[1], 4).padStart(12)}`,
    );
  }
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
