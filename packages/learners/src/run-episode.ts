/**
 * A minimal synchronous training loop on a TabularGame (the RxJS streams of packages/experiments do the same with
 * events): s_0 ~ mu, then for h = 0..H-1: j = learner.act(h, s), rewards r_i(h, s, j), sp ~ P*_h(. | s, j),
 * learner.observe(h, s, j, r, sp). Used by tests, benchmarks and examples.
 */
import { inputError, sampleIndex } from '@drmg/core';
import type { Policy, Rng, TabularGame } from '@drmg/core';
import type { EpisodeReport, Learner } from './learner.ts';

/** What one episode produced. */
export interface EpisodeResult {
  /** The episode's policy (from beginEpisode). */
  readonly policy: Policy;
  /** The learner's end-of-episode report. */
  readonly report: EpisodeReport;
  /** The sampled start state s_0. */
  readonly start: number;
  /** Each agent's undiscounted return of the episode. */
  readonly returns: Float64Array;
}

/**
 * Runs episode k of `learner` on `game` under the nominal kernel P*, drawing every random choice from `rng`
 * (start state, then per step the learner's action and the next state).
 * @throws DrmgError ('input') when the learner returns a joint action outside [0, J-1].
 */
export function runEpisode(game: TabularGame, learner: Learner, k: number, rng: Rng): EpisodeResult {
  const { H, S, J, m, reward, kernel, initial } = game;
  const { rowStart, next, prob } = kernel;
  const policy = learner.beginEpisode(k);
  const rewards = new Float64Array(m);
  const returns = new Float64Array(m);
  let s = sampleIndex(rng, initial, 0, S);
  const start = s;
  for (let h = 0; h < H; h++) {
    const j = learner.act(h, s, rng);
    if (!(Number.isInteger(j) && j >= 0 && j < J)) inputError(`${learner.name}.act(h=${h}, s=${s})`, `returned ${j}, expected a joint action in [0, ${J - 1}]`);
    const r = (h * S + s) * J + j;
    for (let i = 0; i < m; i++) {
      rewards[i] = reward[r * m + i];
      returns[i] += rewards[i];
    }
    const a = rowStart[r];
    const sp = next[a + sampleIndex(rng, prob, a, rowStart[r + 1] - a)];
    learner.observe(h, s, j, rewards, sp);
    s = sp;
  }
  const report = learner.endEpisode(k);
  return { policy, report, start, returns };
}
