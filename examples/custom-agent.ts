/**
 * A custom decentralised agent plugged into `compare`: robust independent Q-learning.
 *
 * Each agent learns from its own observation (h, s), its own action and its own reward only (the
 * `Agent` interface of @drmg/learners), like `independent-q`, but backs up a pessimistic value: with its
 * own radius rho = rho_i(h, s) (from its AgentContext), the target of a transition (h, s, a, r, s') is
 *
 *   r + (1 - rho) V_{h+1}(s') + rho min_x V_{h+1}(x),
 *
 * the expectation under the mixture (1 - rho) P + rho delta_{argmin V}, which lies in the TV ball of
 * radius rho around P: an "R-contamination" robust target (Wang and Zou 2021, "Online robust
 * reinforcement learning with model uncertainty"), an upper bound on the exact sigma_P[V] that needs no
 * model. Exploration is optimistic with a UCB-Hoeffding bonus c sqrt(H^3 iota / t), as in `independent-q`.
 *
 * `registerLearner` makes it a learner named `rect-q` (a team of these agents via `teamLearner`), so
 * `drmg compare --module examples/custom-agent.ts --learners rect-q,independent-q,planner` runs it; this
 * file registers it when imported, which is how worker threads learn about it too (`modules`).
 *
 * Run: npx tsx examples/custom-agent.ts   (DRMG_EXAMPLE_EPISODES, DRMG_EXAMPLE_SEEDS, DRMG_EXAMPLE_WORKERS to change the size)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { Rng } from '@drmg/core';
import { compare, compareProgress, type CompareReport } from '@drmg/compare';
import { agentContext, defineLearner, registerLearner, teamLearner, type Agent, type AgentContext, type AgentObservation } from '@drmg/learners';

/** Settings of the robust Q-learning agent. */
export interface RobustQConfig {
  /** Bonus constant c of c sqrt(H^3 iota / t). */
  readonly c: number;
  /** Multiplier of the agent's radius (0: plain optimistic Q-learning). */
  readonly rhoScale: number;
}

/**
 * One robust Q-learning agent (see the file header). Layouts: Q[(h*S + s)*A + a], N the same,
 * V[h*S + s] for h = 0..H (row H is 0), minV[h] = min_x V[h*S + x].
 */
export function createRobustQAgent(context: AgentContext, config: RobustQConfig): Agent {
  const { S, H, actions: nA, radius } = context;
  const K = Math.max(1, context.episodes);
  const iota = Math.log((S * nA * K * H) / 0.1);
  const bonusLead = config.c * Math.sqrt(H * H * H * iota);
  const Q = new Float64Array(H * S * nA);
  const N = new Int32Array(H * S * nA);
  const V = new Float64Array((H + 1) * S);
  const minV = new Float64Array(H + 1);
  for (let h = 0; h < H; h++) {
    Q.fill(H - h, h * S * nA, (h + 1) * S * nA);
    V.fill(H - h, h * S, (h + 1) * S);
    minV[h] = H - h;
  }

  const greedy = (base: number, rng: Rng | null): number => {
    let best = -Infinity;
    let ties = 0;
    for (let a = 0; a < nA; a++) {
      if (Q[base + a] > best) {
        best = Q[base + a];
        ties = 1;
      } else if (Q[base + a] === best) ties++;
    }
    let pick = rng === null ? 0 : Math.floor(rng() * ties);
    for (let a = 0; a < nA; a++) {
      if (Q[base + a] === best && pick-- === 0) return a;
    }
    return nA - 1;
  };

  return {
    act(obs: AgentObservation, rng: Rng): number {
      return greedy((obs.h * S + obs.s) * nA, rng);
    },
    observe(obs: AgentObservation, action: number, reward: number, next: AgentObservation): void {
      const { h, s } = obs;
      const k = (h * S + s) * nA + action;
      const t = ++N[k];
      const alpha = (H + 1) / (H + t);
      const rho = Math.min(1, config.rhoScale * radius[h * S + s]);
      const vNext = next.h < H ? (1 - rho) * V[next.h * S + next.s] + rho * minV[next.h] : 0;
      Q[k] = (1 - alpha) * Q[k] + alpha * (reward + vNext + bonusLead / Math.sqrt(t));
      const base = (h * S + s) * nA;
      let best = -Infinity;
      for (let a = 0; a < nA; a++) if (Q[base + a] > best) best = Q[base + a];
      V[h * S + s] = Math.min(best, H - h);
      let m = Infinity;
      for (let x = 0; x < S; x++) if (V[h * S + x] < m) m = V[h * S + x];
      minV[h] = m;
    },
    endEpisode(): void {},
    policy(): Float64Array {
      const pi = new Float64Array(H * S * nA);
      for (let hs = 0; hs < H * S; hs++) {
        const base = hs * nA;
        let best = -Infinity;
        let ties = 0;
        for (let a = 0; a < nA; a++) {
          if (Q[base + a] > best) {
            best = Q[base + a];
            ties = 1;
          } else if (Q[base + a] === best) ties++;
        }
        for (let a = 0; a < nA; a++) pi[base + a] = Q[base + a] === best ? 1 / ties : 0;
      }
      return pi;
    },
  };
}

/** `rect-q`: a team of robust Q-learning agents, one per agent index (decentralised, product policy). */
export const rectQDefinition = defineLearner({
  name: 'rect-q',
  description: "decentralised robust Q-learning: each agent backs up (1 - rho) V(s') + rho min V (examples/custom-agent.ts)",
  params: {
    c: { type: 'number', default: 0.01, min: 0, doc: 'bonus constant c of c sqrt(H^3 iota / t)' },
    rhoScale: { type: 'number', default: 1, min: 0, doc: "multiplier of each agent's radius (0: plain optimistic Q-learning)" },
  },
  create: (context, params) => teamLearner(context.A.map((_, i) => createRobustQAgent(agentContext(context, i), params)), context, 'rect-q'),
});

// Registered on import (replace: importing twice, e.g. on the main thread and in a worker, is harmless).
registerLearner(rectQDefinition, { replace: true });

/** Options of `main` (the smoke test makes them small). */
export interface CustomAgentOptions {
  readonly episodes?: number;
  readonly seeds?: number;
  readonly workers?: number;
  readonly out?: string;
  readonly quiet?: boolean;
}

/** Compares rect-q with independent Q-learning and the planner on bridge-crossing-v0 and prints the summary. */
export async function main(options: CustomAgentOptions = {}): Promise<CompareReport> {
  const report = await compare(
    {
      env: 'bridge-crossing-v0',
      learners: [{ name: 'rect-q', params: { c: 0.01 } }, { name: 'independent-q', params: { c: 0.01 } }, 'planner'],
      episodes: options.episodes ?? 3000,
      seeds: options.seeds ?? 3,
      radii: [0, 0.1, 0.2, 0.3],
      randomKernels: 4,
      rolloutEpisodes: 100,
      // Worker threads import this file, which registers rect-q there as well.
      modules: [import.meta.url],
    },
    {
      out: options.out ?? mkdtempSync(join(tmpdir(), 'drmg-custom-agent-')),
      workers: options.workers,
      progress: options.quiet ? undefined : compareProgress(process.stderr),
    },
  );
  if (!options.quiet) console.log(`${report.text}\nreport: ${join(report.dir, 'report.html')}\n${report.timingLine}`);
  return report;
}

// No top-level await here: compare imports this module (its `modules`), which must have finished loading.
if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main({
    episodes: process.env.DRMG_EXAMPLE_EPISODES ? Number(process.env.DRMG_EXAMPLE_EPISODES) : undefined,
    seeds: process.env.DRMG_EXAMPLE_SEEDS ? Number(process.env.DRMG_EXAMPLE_SEEDS) : undefined,
    workers: process.env.DRMG_EXAMPLE_WORKERS ? Number(process.env.DRMG_EXAMPLE_WORKERS) : undefined,
  }).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
