/**
 * The decentralised agent interface: an agent acts for one agent index from its own observation and
 * learns from its own reward only. `teamLearner` runs a team of agents as a centralised Learner
 * (a product policy), so agents plug into every training loop and comparison.
 */
import type { Rng } from '@drmg/core';

/** What one agent sees at a step. */
export interface AgentObservation {
  readonly h: number;
  readonly s: number;
}

/** What an agent is told before training. */
export interface AgentContext {
  /** This agent's index and action count. */
  readonly agent: number;
  readonly actions: number;
  readonly S: number;
  readonly H: number;
  readonly episodes: number;
  /** This agent's own radius rho[(h*S + s)] (its uncertainty set), and the divergence. */
  readonly radius: Float64Array;
  readonly divergence: 'tv' | 'kl';
}

/** One decentralised agent. */
export interface Agent {
  /**
   * This agent's action at observation `obs` in the current episode, drawn with `rng`: under `train` (and
   * `teamLearner`) the agent's own generator of the episode, independent of the other agents' draws.
   */
  act(obs: AgentObservation, rng: Rng): number;
  /** Its own transition: its action, its reward, the next observation (h + 1 = H at the end). */
  observe(obs: AgentObservation, action: number, reward: number, next: AgentObservation): void;
  /** Called when an episode ends (k is 0-based). */
  endEpisode(k: number): void;
  /** Its current Markov policy pi_i[(h*S + s)*actions + a] (what `act` samples from in the next episode). */
  policy(): Float64Array;
}
