/**
 * The bonus-scale sweep behind MORNAVI's and Nash-VI's `bonusScale=auto` default (see the header of
 * packages/learners/src/mornavi.ts): `npx tsx examples/bonus-sweep.ts` prints, per game, the exact robust regret
 * sum_k gap(pi^k) from the initial distribution (Def. 2, unclipped; policies scored every `--every` episodes by the
 * exact evaluator, each score counted for the episodes it stands for), beside it regret+ = sum_k max(gap(pi^k), 0)
 * (the positive-part sum, which the figures of the `auto` report were computed with), the late gap (mean gap of the
 * last 10% of the evaluations) and the output policy's gap, mean over the seeds, for: the old fixed default, the
 * `auto` scale and a grid of fixed scales (the best by regret is marked). Every run uses bonus=scaled, the heuristic
 * the sweep tunes: its bounds are not certificates.
 *
 * The small default (about 20 s): K = 3,000, seed 0, every 10 episodes, the small evidence games, bridge-crossing
 * and a random-v0 game with S = 12. Options (all optional):
 *   --K 3000            episodes
 *   --seeds 0,1,2       learner seeds (the training rng; the games are fixed). The auto constant was fitted on
 *                       seeds 100-102 and reported on 0-2.
 *   --every 10          evaluate every n-th episode policy
 *   --games a,b         among: ridge-tv, random-kl-4, random-tv-8, random-kl-8, held-out-tv-6, held-out-kl-6,
 *                       bridge-tv, bridge-kl, intersection-tv, random-v0-12, random-v0-20, random-v0-16-kl
 *                       (suffix `:nash` for Nash-VI on the game's rho = 0 version, scored by the nominal gap)
 *   --scales 1e-6,1e-5  the fixed grid (default: decades 1e-7 .. 1e-3; `none`: only the old default and auto)
 *   --all               the report's 18 pairs: every game above with MORNAVI, and six with `:nash`
 * Everything is seeded: the same command prints the same figures.
 */
import { fileURLToPath } from 'node:url';
import { createRng, randomGame } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { make } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { autoBonusScale, createLearner, learnerContext, runEpisode } from '@drmg/learners';
import type { LearnerParamValues } from '@drmg/learners';
import { ridgeGame } from './ridge-game.ts';

const GAMES: Record<string, () => TabularGame> = {
  'ridge-tv': ridgeGame,
  'random-kl-4': () => randomGame(11, { S: 4, H: 3, A: [2, 2], divergence: 'kl', maxRadius: 0.3, name: 'random-kl-4' }),
  'random-tv-8': () => randomGame(12, { S: 8, H: 4, A: [2, 3], divergence: 'tv', maxRadius: 0.3, support: 3, name: 'random-tv-8' }),
  'random-kl-8': () => randomGame(13, { S: 8, H: 4, A: [2, 3], divergence: 'kl', maxRadius: 0.3, support: 3, name: 'random-kl-8' }),
  'held-out-tv-6': () => randomGame(31, { S: 6, H: 3, A: [3, 3], divergence: 'tv', maxRadius: 0.3, support: 3, name: 'held-out-tv-6' }),
  'held-out-kl-6': () => randomGame(32, { S: 6, H: 3, A: [3, 3], divergence: 'kl', maxRadius: 0.3, support: 3, name: 'held-out-kl-6' }),
  'bridge-tv': () => make('bridge-crossing-v0').model,
  'bridge-kl': () => make('bridge-crossing-v0', { divergence: 'kl' }).model,
  'intersection-tv': () => make('intersection-v0').model,
  'random-v0-12': () => make('random-v0', { states: 12, horizon: 4, actions: 3, support: 3, seed: 7 }).model,
  'random-v0-20': () => make('random-v0', { states: 20, horizon: 5, actions: 2, support: 4, seed: 8 }).model,
  'random-v0-16-kl': () => make('random-v0', { states: 16, horizon: 4, actions: 2, support: 3, divergence: 'kl', seed: 9 }).model,
};
const SMALL_DEFAULT = ['ridge-tv', 'random-kl-4', 'random-tv-8', 'random-kl-8', 'bridge-tv', 'random-v0-12'];
/** The report's grid (decades); the fit used half-decades 1e-7, 3e-7, ..., 3e-3. */
const GRID = [1e-7, 1e-6, 1e-5, 1e-4, 1e-3];
/** The report's game/learner pairs (`--all`). */
const ALL = [...Object.keys(GAMES), 'ridge-tv:nash', 'random-kl-4:nash', 'random-tv-8:nash', 'random-v0-12:nash', 'bridge-tv:nash', 'intersection-tv:nash'];
/** The fixed defaults before `auto`. */
const OLD = { mornavi: 0.0003, nash: 0.003 };

interface Score {
  /** sum_k gap (Def. 2, unclipped). */
  readonly regret: number;
  /** regret+: sum_k max(gap, 0). */
  readonly regretPlus: number;
  readonly late: number;
  readonly output: number;
}

/** One run: K episodes of `learner` with `params` on `game`, seed `seed`, scored every `every` episodes. */
function run(game: TabularGame, learner: string, params: LearnerParamValues, K: number, seed: number, every: number): Score {
  const l = createLearner(learner, learnerContext(game, K), params);
  const ev = createEvaluator(game);
  const rng = createRng(seed);
  const gaps: number[] = [];
  let regret = 0;
  let regretPlus = 0;
  for (let k = 0; k < K; k++) {
    const res = runEpisode(game, l, k, rng);
    if ((k + 1) % every === 0 || k === 0) {
      const gap = initialGap(game, ev.evaluate(res.policy, { swap: false }));
      // episodes 1..every-1 stand on the first policy, then each score on the `every` episodes up to it
      const weight = k > 0 ? every : every - 1;
      regret += weight * gap;
      regretPlus += weight * Math.max(gap, 0);
      if (k > 0) gaps.push(gap);
    }
  }
  const tail = gaps.slice(Math.floor(gaps.length * 0.9));
  const late = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
  const output = initialGap(game, ev.evaluate(l.outputPolicy(), { swap: false }));
  return { regret, regretPlus, late, output };
}

function mean(xs: readonly Score[]): Score {
  const n = xs.length;
  const avg = (f: (x: Score) => number) => xs.reduce((a, x) => a + f(x), 0) / n;
  return { regret: avg((x) => x.regret), regretPlus: avg((x) => x.regretPlus), late: avg((x) => x.late), output: avg((x) => x.output) };
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const fmtR = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const fmtG = (x: number) => x.toFixed(3);

export function main(): void {
  const t0 = performance.now();
  const K = Number(option('K') ?? 3000);
  const every = Number(option('every') ?? 10);
  const seeds = (option('seeds') ?? '0').split(',').map(Number);
  const all = process.argv.includes('--all');
  const games = option('games')?.split(',') ?? (all ? ALL : SMALL_DEFAULT);
  const scalesOption = option('scales');
  const scales = scalesOption === 'none' ? [] : (scalesOption?.split(',').map(Number) ?? GRID);
  console.log(`bonus sweep: K = ${K}, seeds ${seeds.join(',')}, exact gap every ${every} episodes; regret, regret+ (late gap, output gap), mean over seeds`);
  console.log('regret: sum of the gaps (Def. 2, unclipped); regret+: sum of max(gap, 0)');
  for (const key of games) {
    const [id, variant] = key.split(':');
    const make0 = GAMES[id];
    if (make0 === undefined) throw new Error(`unknown game ${id}, expected one of ${Object.keys(GAMES).join(', ')}`);
    let game = make0();
    const nash = variant === 'nash';
    if (nash) game = { ...game, name: `${game.name} (rho = 0)`, radius: new Float64Array(game.radius.length) };
    const learner = nash ? 'nash-vi' : `mornavi-${game.divergence}`;
    const ctx = learnerContext(game, K);
    const auto = autoBonusScale(ctx, { bonusForm: nash ? 'bernstein' : game.divergence });
    const rows: [string, number | 'auto', Score][] = [];
    const score = (p: LearnerParamValues) => mean(seeds.map((seed) => run(game, learner, p, K, seed, every)));
    // bonus=scaled: MORNAVI's default is now bonus=valid, and the sweep is about the scaled heuristic.
    rows.push([`old default ${nash ? OLD.nash : OLD.mornavi}`, nash ? OLD.nash : OLD.mornavi, score({ bonus: 'scaled', bonusScale: nash ? OLD.nash : OLD.mornavi })]);
    rows.push([`auto (${auto.toExponential(1)})`, 'auto', score({ bonus: 'scaled', bonusScale: 'auto' })]);
    for (const c of scales) rows.push([c.toExponential(0), c, score({ bonus: 'scaled', bonusScale: c })]);
    const fixed = rows.slice(2);
    const best = fixed.reduce((a, b) => (b[2].regret < a[2].regret ? b : a), fixed[0]);
    console.log(`\n${key}: ${learner}, S = ${game.S}, H = ${game.H}, actions ${game.A.join(' x ')}, ${game.divergence.toUpperCase()}`);
    for (const [label, , s] of rows) {
      const mark = best !== undefined && s === best[2] ? '  <- best fixed' : '';
      console.log(`  ${label.padEnd(18)} ${fmtR(s.regret).padStart(8)} ${fmtR(s.regretPlus).padStart(8)}  (late ${fmtG(s.late)}, output ${fmtG(s.output)})${mark}`);
    }
    const a = rows[1][2], o = rows[0][2];
    console.log(`  auto / old = ${(a.regret / o.regret).toFixed(2)}${best !== undefined ? `, auto / best fixed = ${(a.regret / best[2].regret).toFixed(2)}` : ''}`);
  }
  console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
