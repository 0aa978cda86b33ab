/**
 * `checkEnv(env)`: a conformance checker in the spirit of Gymnasium's `check_env` and
 * PettingZoo's `parallel_api_test`. It plays seeded episodes with random actions from the action
 * spaces and reports every problem found (it never throws for a faulty environment).
 */
import { createRng, type Kernel, type TabularGame } from '@drmg/core';
import type { AgentId, ParallelEnv } from './parallel-env.ts';
import type { Space } from './spaces/space.ts';
import { kernelProblem } from './validate-kernel.ts';

/** Options of `checkEnv`. */
export interface CheckEnvOptions {
  /** Seeds of the episodes played (default [0, 1, 2]). */
  readonly seeds?: readonly (number | string)[];
}

/** The verdict: `ok` iff `problems` is empty; `checks` counts the assertions made. */
export interface CheckEnvReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly checks: number;
}

/** An environment that may expose a tabular model and the kernel it samples. */
export type CheckableEnv<O = unknown, A = unknown, I = unknown> = ParallelEnv<O, A, I> & { readonly model?: TabularGame; readonly kernel?: Kernel };

interface Trace {
  readonly text: string;
  readonly steps: number;
}

function serialise(x: unknown): string {
  return JSON.stringify(x, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
}

/** Overwrites every number inside an observation (if it is mutable) to expose aliasing. */
function scribble(x: unknown): void {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return;
  if (ArrayBuffer.isView(x)) {
    (x as unknown as Float64Array).fill(-7);
    return;
  }
  for (const k of Object.keys(x)) {
    const v = (x as Record<string, unknown>)[k];
    try {
      if (typeof v === 'number') (x as Record<string, unknown>)[k] = -7;
      else scribble(v);
    } catch {
      // read-only property: cannot alias through it
    }
  }
}

/**
 * Checks `env` against the parallel API and, for tabular environments, its model: agents and
 * spaces; observations inside their spaces after reset and every step; finite rewards; boolean
 * terminations/truncations for every agent; the episode ending exactly at the horizon (unless
 * every agent terminates earlier) with `agents` empty afterwards and a further step rejected;
 * out-of-range actions rejected; seed determinism after every reset (seeds a, b, a, b give the
 * same traces); returned observations not aliased to internal buffers (scribbling on them
 * changes nothing, earlier observations stay intact); `render()` a string; and for a model:
 * kernel rows (nominal and sampled) non-negative, next states increasing, summing to 1,
 * rewards in [0, 1], initial a distribution, spaces matching S, H and A.
 */
export function checkEnv<O, A, I>(checked: CheckableEnv<O, A, I>, options: CheckEnvOptions = {}): CheckEnvReport {
  // The checker only feeds the environment actions sampled from its own action spaces.
  const env = checked as unknown as CheckableEnv;
  const problems: string[] = [];
  let checks = 0;
  const expect = (ok: boolean, message: string) => {
    checks++;
    if (!ok && !problems.includes(message)) problems.push(message);
    return ok;
  };
  const attempt = <T>(what: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (e) {
      expect(false, `${what} threw: ${(e as Error).message}`);
      return undefined;
    }
  };

  const agents = env.possibleAgents;
  expect(Array.isArray(agents) && agents.length > 0, 'possibleAgents must be a non-empty array');
  expect(new Set(agents).size === agents.length && agents.every((a) => typeof a === 'string'), 'possibleAgents must be distinct strings');
  expect(Number.isInteger(env.horizon) && env.horizon >= 1, `horizon must be a positive integer, got ${env.horizon}`);
  const actionSpaces = new Map<AgentId, Space<unknown>>();
  const observationSpaces = new Map<AgentId, Space<unknown>>();
  for (const a of agents) {
    const as = attempt(`actionSpace(${a})`, () => env.actionSpace(a));
    const os = attempt(`observationSpace(${a})`, () => env.observationSpace(a));
    if (as) actionSpaces.set(a, as);
    if (os) observationSpaces.set(a, os);
  }
  if (problems.length > 0) return { ok: false, problems, checks };

  const play = (seed: number | string, scribbleOn: boolean): Trace | undefined => {
    const rng = createRng(`checkEnv:${seed}`);
    const parts: string[] = [];
    const kept: { obs: unknown; text: string }[] = [];
    const reset = attempt(`reset({ seed: ${JSON.stringify(seed)} })`, () => env.reset({ seed }));
    if (!reset) return undefined;
    const record = (obsRecord: Readonly<Record<AgentId, unknown>>, where: string) => {
      for (const a of agents) {
        const o = obsRecord[a];
        expect(o !== undefined, `${where}: no observation for ${a}`);
        const space = observationSpaces.get(a);
        expect(space !== undefined && space.contains(o), `${where}: observation of ${a} ${serialise(o)} is not in ${space?.toString()}`);
        kept.push({ obs: o, text: serialise(o) });
      }
      parts.push(serialise(obsRecord));
    };
    record(reset.observations, `reset(seed ${seed})`);
    expect(serialise(env.agents) === serialise(agents), `after reset, agents must be every possible agent, got ${serialise(env.agents)}`);
    if (scribbleOn) for (const a of agents) scribble(reset.observations[a]);
    let steps = 0;
    let done = false;
    while (!done) {
      const actions: Record<AgentId, unknown> = {};
      for (const a of env.agents) actions[a] = (actionSpaces.get(a) as Space<unknown>).sample(rng);
      const res = attempt(`step at ${steps} (seed ${seed})`, () => env.step(actions));
      if (!res) return undefined;
      steps++;
      const where = `step ${steps} (seed ${seed})`;
      record(res.observations, where);
      parts.push(serialise({ r: res.rewards, te: res.terminations, tr: res.truncations, i: res.infos }));
      let allEnded = true;
      let anyTerminated = false;
      for (const a of agents) {
        expect(typeof res.rewards[a] === 'number' && Number.isFinite(res.rewards[a]), `${where}: reward of ${a} must be a finite number, got ${serialise(res.rewards[a])}`);
        expect(typeof res.terminations[a] === 'boolean', `${where}: termination of ${a} must be a boolean`);
        expect(typeof res.truncations[a] === 'boolean', `${where}: truncation of ${a} must be a boolean`);
        expect(a in res.infos, `${where}: no info for ${a}`);
        const ended = res.terminations[a] === true || res.truncations[a] === true;
        anyTerminated ||= res.terminations[a] === true;
        allEnded &&= ended;
        if (steps < env.horizon && !anyTerminated) expect(res.truncations[a] === false, `${where}: ${a} truncated before the horizon ${env.horizon}`);
      }
      if (steps === env.horizon) expect(allEnded, `${where}: the episode must end at the horizon H = ${env.horizon} (truncation), but some agent goes on`);
      if (scribbleOn) for (const a of agents) scribble(res.observations[a]);
      if (allEnded || steps > env.horizon) done = true;
    }
    expect(steps <= env.horizon, `the episode ran ${steps} steps, longer than the horizon ${env.horizon}`);
    expect(env.agents.length === 0, `after the episode ended, agents must be empty, got ${serialise(env.agents)}`);
    let threw = false;
    try {
      const actions: Record<AgentId, unknown> = {};
      for (const a of agents) actions[a] = (actionSpaces.get(a) as Space<unknown>).sample(rng);
      env.step(actions);
    } catch {
      threw = true;
    }
    expect(threw, 'step() after the episode ended must throw (call reset() first)');
    if (!scribbleOn) {
      for (const k of kept) expect(serialise(k.obs) === k.text, `an observation changed after it was returned (${k.text} became ${serialise(k.obs)}): observations must not alias internal buffers`);
    }
    return { text: parts.join('\n'), steps };
  };

  const seeds = options.seeds ?? [0, 1, 2];
  const first = new Map<string, Trace>();
  for (const seed of [...seeds, ...seeds]) {
    const t = play(seed, false);
    if (!t) continue;
    const key = String(seed);
    const before = first.get(key);
    if (before === undefined) first.set(key, t);
    else expect(before.text === t.text, `seed ${JSON.stringify(seed)} gave a different episode after other resets: reset({ seed }) must reseed everything`);
  }
  for (const seed of seeds) {
    const t = play(seed, true);
    const before = first.get(String(seed));
    if (t && before) expect(before.text === t.text, `writing into returned observations changed later steps (seed ${JSON.stringify(seed)}): observations must not alias internal buffers`);
  }

  // Out-of-range actions must be rejected.
  for (const a of agents) {
    const space = actionSpaces.get(a) as Space<unknown> & { n?: number };
    if (space.kind !== 'discrete' || typeof space.n !== 'number') continue;
    attempt('reset()', () => env.reset({ seed: 0 }));
    const actions: Record<AgentId, unknown> = {};
    for (const b of agents) actions[b] = 0;
    actions[a] = space.n;
    let threw = false;
    try {
      env.step(actions);
    } catch {
      threw = true;
    }
    expect(threw, `step() with action ${space.n} for ${a} (outside ${space.toString()}) must throw`);
  }

  attempt('reset()', () => env.reset({ seed: 0 }));
  const picture = attempt('render()', () => env.render());
  expect(typeof picture === 'string', 'render() must return a string');

  const model = env.model;
  if (model !== undefined) {
    const { S, H, J, m } = model;
    expect(H === env.horizon, `horizon ${env.horizon} differs from the model's H = ${H}`);
    expect(m === agents.length, `the model has ${m} agents, the environment ${agents.length}`);
    const kp = kernelProblem(model.kernel, H, S, J);
    expect(kp === null, `model kernel ${kp}`);
    if (env.kernel !== undefined && env.kernel !== model.kernel) {
      const sp = kernelProblem(env.kernel, H, S, J);
      expect(sp === null, `sampled kernel ${sp}`);
    }
    let mu = 0;
    let muOk = model.initial.length === S;
    for (let s = 0; s < model.initial.length; s++) {
      muOk &&= model.initial[s] >= 0;
      mu += model.initial[s];
    }
    expect(muOk && Math.abs(mu - 1) <= 1e-9, `initial distribution must be ${S} non-negative numbers summing to 1, sums to ${mu}`);
    let rewardsOk = model.reward.length === H * S * J * m;
    for (let k = 0; k < model.reward.length && rewardsOk; k++) rewardsOk = model.reward[k] >= 0 && model.reward[k] <= 1;
    expect(rewardsOk, 'rewards must be H*S*J*m numbers in [0, 1]');
    agents.forEach((a, i) => {
      const space = actionSpaces.get(a) as Space<unknown> & { n?: number };
      expect(space.kind === 'discrete' && space.n === model.A[i], `actionSpace(${a}) must be Discrete(${model.A[i]}), got ${space.toString()}`);
      const os = observationSpaces.get(a) as Space<unknown>;
      expect(os.contains({ state: S - 1, step: H }) && !os.contains({ state: S, step: 0 }), `observationSpace(${a}) must hold { state < ${S}, step <= ${H} }, got ${os.toString()}`);
    });
  }
  return { ok: problems.length === 0, problems, checks };
}
