/**
 * Seeds per episode and per agent, derived from the run seed, so that any episode replays alone.
 *
 * The derivation (stable: changing it changes every stream, so it is versioned by this comment):
 *
 *   episode seed     e_k  = `${seed}/k${k}`                     (k 0-based; injective in (seed, k))
 *   environment           reset({ seed: floor(2^32 * u) }),  u the first draw of createRng(`${e_k}/env`)
 *   learner (act)         createRng(`${e_k}/learner`)
 *   agent i               createRng(`${e_k}/agent${i}`)          (EpisodeRng.agent(i))
 *
 * createRng is seedrandom's Alea, which hashes the seed string with its Mash function, so nearby
 * strings give unrelated streams. Episode k's draws depend on (seed, k) only, never on how many
 * draws earlier episodes made: given the learner's state at the start of episode k, episode k
 * replays alone (`new TrainingRun({ ..., seed }).episode(k, sink)`). The environment's seed is an
 * unsigned 32-bit integer so that environments wrapping external simulators can take it as is.
 */
import { createRng, inputError, type Rng, describeValue } from '@drmg/core';

/** The learner's generator of one episode, with one more generator per agent for decentralised learners. */
export interface EpisodeRng extends Rng {
  /**
   * Agent i's own generator in this episode, createRng(agentSeed(e_k, i)): the same object on every call with the
   * same i, independent of the learner's stream and of the other agents' draws.
   * @throws DrmgError when i is not an agent index (an integer >= 0).
   */
  agent(i: number): Rng;
}

/**
 * The seed of episode k (0-based) of a run with seed `seed`: `${seed}/k${k}`.
 * @throws DrmgError when k is not an integer >= 0.
 * @example episodeSeed(1, 0) === '1/k0'
 */
export function episodeSeed(seed: number | string, k: number): string {
  if (!Number.isSafeInteger(k) || k < 0) inputError('episodeSeed(k)', `expected an episode index, an integer >= 0, got ${describeValue(k)}`);
  return `${seed}/k${k}`;
}

/** The seed the environment is reset with in episode `episode` (an episode seed): floor(2^32 * u), u the first draw of createRng(`${episode}/env`). */
export function envSeed(episode: string): number {
  return Math.floor(createRng(`${episode}/env`)() * 4294967296);
}

/** The seed of agent i's own generator in episode `episode` (an episode seed): `${episode}/agent${i}`. */
export function agentSeed(episode: string, i: number): string {
  return `${episode}/agent${i}`;
}

/**
 * The learner's generator of episode `episode` (an episode seed), createRng(`${episode}/learner`), with
 * `agent(i)` giving agent i's own generator (created on first use).
 */
export function episodeRng(episode: string): EpisodeRng {
  const agents: Rng[] = [];
  const agent = (i: number): Rng => {
    if (!Number.isSafeInteger(i) || i < 0) inputError('rng.agent(i)', `expected an agent index, an integer >= 0, got ${describeValue(i)}`);
    return (agents[i] ??= createRng(agentSeed(episode, i)));
  };
  return Object.assign(createRng(`${episode}/learner`), { agent });
}
