/**
 * Environment steps per second: a tabular environment with S = 100, J = 25 (two agents with 5
 * actions, dense random kernel rows), on the lean index path (`stepIndex`), through the object
 * API (`step`), and through the adversarial-kernel wrapper (worst-case and random kernels).
 */
import os from 'node:os';
import { createRng, createTabularGame, uniformPolicy } from '../packages/core/src/index.ts';
import { adversarialKernel, createTabularEnv, randomKernel, type TabularEnv } from '../packages/envs/src/index.ts';
import { medianMs } from './timing.ts';

/** Median wall-clock and CPU milliseconds of `fn` (CPU time is robust to other processes sharing the cores). */
function timed(fn: () => void, reps = 15, warmup = 3): { wall: number; cpu: number } {
  const cpu: number[] = [];
  const wall = medianMs(
    () => {
      const c0 = process.cpuUsage();
      fn();
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1000);
    },
    reps,
    warmup,
  );
  const sorted = cpu.slice(warmup).sort((a, b) => a - b);
  return { wall, cpu: sorted[Math.floor(sorted.length / 2)] };
}

function benchGame(divergence: 'tv' | 'kl') {
  const S = 100;
  const H = 10;
  const A = [5, 5];
  const J = 25;
  const rng = createRng(`envs-bench:${divergence}`);
  const reward = new Float64Array(H * S * J * 2).map(() => rng());
  const kernel = new Float64Array(H * S * J * S);
  for (let r = 0; r < H * S * J; r++) {
    let sum = 0;
    for (let sp = 0; sp < S; sp++) sum += kernel[r * S + sp] = rng() + 1e-3;
    for (let sp = 0; sp < S; sp++) kernel[r * S + sp] /= sum;
  }
  const initial = new Float64Array(S).fill(1 / S);
  return createTabularGame({ name: 'bench', S, H, A, initial, reward, kernel, divergence, radius: 0.2 });
}

/** Steps per second (wall clock, CPU time) of `steps` lean steps (resets at the horizon). */
function leanRate(env: TabularEnv, steps: number, js: Int32Array): [number, number] {
  const H = env.horizon;
  const rewards = new Float64Array(env.model.m);
  let sink = 0;
  const t = timed(() => {
    env.resetState(1);
    for (let k = 0; k < steps; k++) {
      if (env.h === H) env.resetState();
      sink += env.stepIndex(js[k & 4095], rewards);
    }
  });
  if (sink < 0) console.log(sink);
  return [steps / (t.wall / 1000), steps / (t.cpu / 1000)];
}

/** Steps per second (wall clock, CPU time) of the object API (`step({ agent_0: a0, agent_1: a1 })`). */
function objectRate(env: TabularEnv, steps: number, js: Int32Array): [number, number] {
  const H = env.horizon;
  const acts = Array.from({ length: 4096 }, (_, k) => ({ agent_0: Math.floor(js[k] / 5), agent_1: js[k] % 5 }));
  let sink = 0;
  const t = timed(() => {
    env.reset({ seed: 1 });
    for (let k = 0; k < steps; k++) {
      if (env.h === H) env.reset();
      sink += env.step(acts[k & 4095]).rewards.agent_0;
    }
  });
  if (sink < 0) console.log(sink);
  return [steps / (t.wall / 1000), steps / (t.cpu / 1000)];
}

export async function run(): Promise<void> {
  const game = benchGame('tv');
  const env = createTabularEnv(game);
  const rng = createRng('envs-bench-actions');
  const js = Int32Array.from({ length: 4096 }, () => Math.floor(rng() * 25));
  const steps = 1_000_000;
  const fmt = ([wall, cpu]: [number, number]) => `${(wall / 1e6).toFixed(2)} M steps/s (per CPU second: ${(cpu / 1e6).toFixed(2)} M)`;
  console.log(`load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (figures drop when other processes share them)`);
  console.log(`tabular env S=100 J=25 H=10 (dense rows), lean stepIndex:        ${fmt(leanRate(env, steps, js))}`);
  console.log(`tabular env S=100 J=25 H=10 (dense rows), object step():         ${fmt(objectRate(env, 300_000, js))}`);
  const policy = uniformPolicy(game);
  const worst = adversarialKernel(env, { type: 'worst-case', agent: 0, policy });
  console.log(`adversarial-kernel wrapper, worst-case:0 (TV), lean stepIndex:   ${fmt(leanRate(worst, steps, js))}`);
  console.log(`adversarial-kernel wrapper, worst-case:0 (TV), object step():    ${fmt(objectRate(worst, 300_000, js))}`);
  const random = adversarialKernel(env, { type: 'random', seed: 1 });
  console.log(`adversarial-kernel wrapper, random (TV), lean stepIndex:         ${fmt(leanRate(random, steps, js))}`);
  const klGame = benchGame('kl');
  const t0 = performance.now();
  const klKernel = randomKernel(klGame, { seed: 1 });
  const t1 = performance.now();
  const klEnv = createTabularEnv(klGame).withKernel(klKernel, 'random');
  console.log(`adversarial-kernel wrapper, random (KL), lean stepIndex:         ${fmt(leanRate(klEnv, steps, js))}`);
  const t2 = performance.now();
  adversarialKernel(env, { type: 'worst-case', agent: 0, policy });
  const t3 = performance.now();
  console.log(`wrapping cost (once per wrapper, 25,000 rows of 100): worst-case TV ${(t3 - t2).toFixed(0)} ms, random KL kernel ${(t1 - t0).toFixed(0)} ms`);
}
