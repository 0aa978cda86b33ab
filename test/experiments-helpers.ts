/**
 * Test helpers for the training-stream tests: a small learner of our own whose policy changes with
 * what it saw (so that determinism tests compare something that moves), a ParallelEnv that hides a
 * TabularEnv's lean API (to drive the object path), and event collection.
 */
import { readGameFile, type JointPolicy, type Rng, type TabularGame } from '@drmg/core';
import type { AgentRecord, ParallelEnv, TabularEnv, TabularObservation } from '@drmg/envs';
import type { Learner, LearnerContext } from '@drmg/learners';
import { eventToJsonLine, type TrainEvent } from '@drmg/experiments';
import type { Observable } from '@drmg/experiments';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const dataFile = (f: string) => join(root, 'examples/data', f);
export const loadGame = (f: string): TabularGame => readGameFile(dataFile(f));

/** Counts of calls, to see how much training ran. */
export interface CallCounts {
  begun: number;
  ended: number;
}

/**
 * A toy learner: pi_h(j|s) proportional to 1 + (agent 0's total reward observed at (h, s, j)),
 * so the policy drifts with the data; it acts by sampling that policy with the given rng and
 * certifies 1 / (k + 1) (a made-up bound, only to see certifiedGap flow through).
 */
export function driftingLearner(ctx: LearnerContext, counts: CallCounts = { begun: 0, ended: 0 }): Learner {
  const { H, S, J, m } = ctx;
  const score = new Float64Array(H * S * J).fill(1);
  const prob = new Float64Array(H * S * J);
  const policy: JointPolicy = { kind: 'joint', H, S, J, prob };
  const refresh = () => {
    for (let r = 0; r < H * S; r++) {
      let z = 0;
      for (let j = 0; j < J; j++) z += score[r * J + j];
      for (let j = 0; j < J; j++) prob[r * J + j] = score[r * J + j] / z;
    }
  };
  refresh();
  return {
    name: 'drifting',
    beginEpisode() {
      counts.begun++;
      refresh();
      return policy; // the same buffer every episode: train must snapshot it
    },
    act(h: number, s: number, rng: Rng) {
      let u = rng();
      const base = (h * S + s) * J;
      for (let j = 0; j < J - 1; j++) {
        u -= prob[base + j];
        if (u < 0) return j;
      }
      return J - 1;
    },
    observe(h: number, s: number, j: number, rewards: ArrayLike<number>) {
      if (rewards.length !== m) throw new Error('rewards of the wrong length');
      score[(h * S + s) * J + j] += rewards[0];
    },
    endEpisode(k: number) {
      counts.ended++;
      return { certifiedGap: 1 / (k + 1) };
    },
    outputPolicy() {
      return { ...policy, prob: prob.slice() };
    },
  };
}

/** The TabularEnv behind a plain ParallelEnv (not instanceof TabularEnv), so train takes the object path. */
export function objectOnly(env: TabularEnv): ParallelEnv<TabularObservation, number, unknown> {
  return {
    metadata: env.metadata,
    possibleAgents: env.possibleAgents,
    get agents() {
      return env.agents;
    },
    horizon: env.horizon,
    observationSpace: (a) => env.observationSpace(a),
    actionSpace: (a) => env.actionSpace(a),
    reset: (args) => env.reset(args),
    step: (actions: AgentRecord<number>) => env.step(actions),
    render: () => env.render(),
    close: () => env.close(),
  };
}

/** Every event of a finite stream. */
export function collect<T>(stream: Observable<T>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    stream.subscribe({ next: (e) => out.push(e), error: reject, complete: () => resolve(out) });
  });
}

/** A stream's events as JSON lines (the byte-for-byte determinism check). */
export async function jsonLines(stream: Observable<TrainEvent>): Promise<string> {
  return (await collect(stream)).map(eventToJsonLine).join('\n');
}

/** Resolves after `n` turns of the event loop (lets pending training chunks run, if any were left). */
export async function ticks(n: number): Promise<void> {
  for (let q = 0; q < n; q++) await new Promise((r) => setImmediate(r));
}
