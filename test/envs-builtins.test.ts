/**
 * The built-in environments: every one passes checkEnv; closed-form values of the paper's two
 * examples; the scaled matrix games' known equilibria; and, in the sim-to-real environments,
 * robust and nominal equilibria that differ as their doc comments say.
 */
import { createProductPolicy, createRng, deterministicPolicy, type JointPolicy, type Policy, type TabularGame } from '@drmg/core';
import {
  adversarialKernel,
  bridgeStateViews,
  checkEnv,
  checkFailureStateAssumption,
  gameWithKernel,
  intersectionStateViews,
  listEnvs,
  make,
  type BridgePosition,
  type CarPosition,
  type TabularEnv,
} from '@drmg/envs';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';

/** Values from the initial distribution: sum_s mu(s) x[i*S + s]. */
function fromStart(game: TabularGame, x: Float64Array, i: number): number {
  let v = 0;
  for (let s = 0; s < game.S; s++) v += game.initial[s] * x[i * game.S + s];
  return v;
}

function nominalOf(game: TabularGame): TabularGame {
  return gameWithKernel(game, game.kernel, { radius: 0 });
}

function jointOf(game: TabularGame, cells: [number, number, number][]): JointPolicy {
  // One-state, one-step games: probability on the joint action (a0, a1).
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let h = 0; h < game.H; h++) for (const [a0, a1, p] of cells) prob[h * game.J + a0 * game.A[1] + a1] = p;
  return { kind: 'joint', H: game.H, S: game.S, J: game.J, prob };
}

describe('checkEnv on every built-in', () => {
  it.each(listEnvs().map((e) => e.id))('%s passes with its defaults', (id) => {
    const rep = checkEnv(make(id));
    expect(rep.problems).toEqual([]);
    expect(rep.ok).toBe(true);
  });

  it.each([
    ['initial-shock-v0', { agents: 3, actions: 2, horizon: 5, rho: 0.4, secret: 5 }],
    ['corrupted-bandit-v0', { agents: 1, actions: 5, epsilon: 0.5, rho: 2 }],
    ['random-v0', { divergence: 'kl', states: 8, support: 3, concentration: 0.1, seed: 7 }],
    ['random-v0', { failure: true, leak: 0.2, agents: 3, actions: 2 }],
    ['bridge-crossing-v0', { divergence: 'kl', slip: 0, rho: 1, horizon: 12 }],
    ['intersection-v0', { divergence: 'kl', slip: 1, horizon: 4 }],
    ['rock-paper-scissors-v0', { horizon: 3 }],
  ] as const)('%s passes with %j', (id, params) => {
    expect(checkEnv(make(id, params), { seeds: [3, 'x'] }).problems).toEqual([]);
  });

  it.each(listEnvs().map((e) => e.id))('%s: the same seed gives the same trajectory, also through an adversarial kernel', (id) => {
    const play = (env: TabularEnv, seed: number) => {
      const rng = createRng(`actions/${seed}`);
      const out: unknown[] = [env.reset({ seed }).observations];
      while (env.agents.length > 0) {
        const actions: Record<string, number> = {};
        for (const a of env.agents) actions[a] = env.actionSpace(a).sample(rng);
        out.push(env.step(actions));
      }
      return JSON.stringify(out);
    };
    const env = make(id);
    const wrapped = adversarialKernel(env, { type: 'random', seed: 1 });
    for (const e of [env, wrapped]) {
      const first = play(e, 42);
      play(e, 7);
      expect(play(e, 42)).toBe(first);
    }
    // A freshly made environment replays the same episode too.
    expect(play(make(id), 42)).toBe(play(env, 42));
  });

  it('out-of-range actions get clear errors', () => {
    const env = make('bridge-crossing-v0');
    env.reset({ seed: 0 });
    expect(() => env.step({ agent_0: 3, agent_1: 0 })).toThrow('step(actions).agent_0: expected an integer action in [0, 2] (Discrete(3)), got 3');
    expect(() => env.step({ agent_0: 0, agent_1: '1' as unknown as number })).toThrow('step(actions).agent_1: expected an integer action in [0, 2] (Discrete(3)), got "1"');
  });

  it('the sim-to-real environments and random-v0 with failure = true satisfy Assumption 1 as claimed', () => {
    for (const env of [make('bridge-crossing-v0'), make('intersection-v0'), make('random-v0', { failure: true })]) {
      const rep = checkFailureStateAssumption(env.model);
      expect(rep.messages).toEqual([]);
      expect(rep.holds).toBe(true);
    }
  });
});

describe('initial-shock-v0 (the paper Example 1)', () => {
  // Closed form, any Markov policy playing a* with probability q in the bad state at every step:
  // good pays 1 and stays good (no uncertainty after step 0): G(n) = n for n remaining steps.
  // Bad with n steps left: W(n) = q (1 + G(n-1)) + (1 - q) W(n-1), W(0) = 0 (reward 0 unless a*).
  // Step 0 in good: reward 1, and the TV adversary moves rho to bad (W <= G):
  //   V = 1 + (1 - rho) G(H-1) + rho W(H-1).
  const W = (n: number, q: number): number => (n === 0 ? 0 : q * (1 + (n - 1)) + (1 - q) * W(n - 1, q));
  it.each([
    [2, 2, 3, 0.2, 3],
    [2, 3, 5, 0.5, 4],
    [3, 2, 4, 0.1, 0],
    [1, 4, 6, 1, 2],
  ])('agents %i, actions %i, H = %i, rho = %f, a* = %i', (agents, actions, horizon, rho, secret) => {
    const env = make('initial-shock-v0', { agents, actions, horizon, rho, secret });
    const game = env.model;
    expect(game.S).toBe(2);
    for (const q of [0, 0.3, 1]) {
      // At bad: a* with probability q, the rest spread evenly; at good: uniform.
      const prob = new Float64Array(game.H * 2 * game.J);
      for (let h = 0; h < game.H; h++) {
        for (let j = 0; j < game.J; j++) {
          prob[(h * 2 + 0) * game.J + j] = 1 / game.J;
          prob[(h * 2 + 1) * game.J + j] = game.J === 1 ? 1 : j === secret ? q : (1 - q) / (game.J - 1);
        }
      }
      if (game.J === 1 && q !== 1) continue;
      const policy: Policy = { kind: 'joint', H: game.H, S: 2, J: game.J, prob };
      const ev = createEvaluator(game).evaluate(policy);
      const want = 1 + (1 - rho) * (horizon - 1) + rho * W(horizon - 1, q);
      for (let i = 0; i < agents; i++) expect(ev.value[i * 2 + 0]).toBeCloseTo(want, 12);
    }
  });

  it('labels its states and defaults a* to J - 1', () => {
    const game = make('initial-shock-v0').model;
    expect(game.labels?.states).toEqual(['good', 'bad']);
    // a* = 3 = (1, 1): in bad, only j = 3 pays.
    expect([0, 1, 2, 3].map((j) => game.reward[((0 * 2 + 1) * 4 + j) * 2])).toEqual([0, 0, 0, 1]);
  });
});

describe('corrupted-bandit-v0 (the paper Example 2)', () => {
  // Robust value of an arm with mean mu: min { q <= mu : KL(Ber(q) || Ber(mu)) <= rho }, by bisection.
  const klBer = (q: number, mu: number) => (q > 0 ? q * Math.log(q / mu) : 0) + (q < 1 ? (1 - q) * Math.log((1 - q) / (1 - mu)) : 0);
  const robustMean = (mu: number, rho: number) => {
    let lo = 0;
    let hi = mu;
    if (rho === 0) return mu;
    if (klBer(0, mu) <= rho) return 0;
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (klBer(mid, mu) <= rho) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  it.each([
    [0.1, 0.1],
    [0.25, 0.02],
    [0.4, 1],
    [0.2, 0],
  ])('epsilon = %f, rho = %f: each arm is worth its KL-robust Bernoulli mean, nominally its mean', (epsilon, rho) => {
    const game = make('corrupted-bandit-v0', { epsilon, rho, secret: 1 }).model;
    const ev = createEvaluator(game);
    const nominal = createEvaluator(nominalOf(game));
    for (let arm = 0; arm < game.J; arm++) {
      const policy = deterministicPolicy(game, () => arm);
      const mu = arm === 1 ? 0.5 + epsilon : 0.5;
      expect(ev.evaluate(policy).value[0]).toBeCloseTo(robustMean(mu, rho), 9);
      expect(nominal.evaluate(policy).value[0]).toBeCloseTo(mu, 12);
    }
  });
});

describe('matrix games (payoffs scaled into [0, 1])', () => {
  const value = (id: string, cells: [number, number, number][], horizon = 1) => {
    const game = make(id, { horizon }).model;
    const ev = createEvaluator(game).evaluate(jointOf(game, cells));
    return { v: [ev.value[0], ev.value[1]], gap: ev.gap[0], ceGap: ev.ceGap[0] };
  };
  const uniform = (n: number) => {
    const cells: [number, number, number][] = [];
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) cells.push([a, b, 1 / (n * n)]);
    return cells;
  };

  it('matching pennies and rock-paper-scissors: uniform play is the equilibrium, worth 1/2 each', () => {
    for (const [id, n] of [
      ['matching-pennies-v0', 2],
      ['rock-paper-scissors-v0', 3],
    ] as const) {
      const r = value(id, uniform(n));
      expect(r.v[0]).toBeCloseTo(0.5, 12);
      expect(r.v[1]).toBeCloseTo(0.5, 12);
      expect(Math.abs(r.gap)).toBeLessThan(1e-12);
    }
    // A pure profile in matching pennies: the loser gains 1 by switching.
    expect(value('matching-pennies-v0', [[0, 0, 1]]).gap).toBeCloseTo(1, 12);
  });

  it("Shapley's game: uniform is a Nash equilibrium worth 1/3 each", () => {
    const r = value('shapley-v0', uniform(3));
    expect(r.v[0]).toBeCloseTo(1 / 3, 12);
    expect(Math.abs(r.gap)).toBeLessThan(1e-12);
  });

  it("chicken: mixed NE (swerve 2/3) worth 14/3 / 7; Aumann's CE worth 5 / 7 with CE gap 0", () => {
    const p = 2 / 3;
    const mixed = value('chicken-v0', [
      [0, 0, p * p],
      [0, 1, p * (1 - p)],
      [1, 0, (1 - p) * p],
      [1, 1, (1 - p) * (1 - p)],
    ]);
    expect(mixed.v[0]).toBeCloseTo(14 / 3 / 7, 12);
    expect(Math.abs(mixed.gap)).toBeLessThan(1e-12);
    const ce = value('chicken-v0', [
      [0, 0, 1 / 3],
      [0, 1, 1 / 3],
      [1, 0, 1 / 3],
    ]);
    expect(ce.v[0]).toBeCloseTo(5 / 7, 12);
    expect(Math.abs(ce.ceGap)).toBeLessThan(1e-12);
  });

  it("prisoner's dilemma: (defect, defect) is the equilibrium worth 1/5; (C, C) gains 2/5 by defecting", () => {
    const dd = value('prisoners-dilemma-v0', [[1, 1, 1]]);
    expect(dd.v).toEqual([0.2, 0.2]);
    expect(dd.gap).toBeCloseTo(0, 12);
    expect(value('prisoners-dilemma-v0', [[0, 0, 1]]).gap).toBeCloseTo(0.4, 12);
  });

  it('battle of the sexes and stag hunt: their pure equilibria have gap 0; repetition multiplies values by H', () => {
    expect(value('battle-of-sexes-v0', [[0, 0, 1]])).toMatchObject({ v: [1, 2 / 3], gap: 0 });
    expect(value('battle-of-sexes-v0', [[1, 1, 1]]).gap).toBeCloseTo(0, 12);
    expect(value('battle-of-sexes-v0', [[0, 1, 1]]).gap).toBeCloseTo(2 / 3, 12);
    expect(value('stag-hunt-v0', [[0, 0, 1]])).toMatchObject({ v: [1, 1], gap: 0 });
    expect(value('stag-hunt-v0', [[1, 1, 1]])).toMatchObject({ v: [0.75, 0.75], gap: 0 });
    expect(value('stag-hunt-v0', [[0, 0, 1]], 4).v).toEqual([4, 4]);
  });
});

describe('bridge-crossing-v0: robustness changes the equilibrium', () => {
  const views = bridgeStateViews();
  // Robot i takes route `route[i]` from the bank (1 bridge, 2 path) and then always moves on.
  const plan = (game: TabularGame, route: [number, number]) =>
    createProductPolicy(game, (i, _h, s) => {
      const row = [0, 0, 0];
      row[views[s].robots[i].position === ('bank' as BridgePosition) ? route[i] : 1] = 1;
      return row;
    });
  it('TV defaults: nominal NE (bridge, path) worth (4(1 - slip), 3); robust NE (path, path) worth (3, 3)', () => {
    const game = make('bridge-crossing-v0').model;
    const robust = createEvaluator(game);
    const nominal = createEvaluator(nominalOf(game));
    const bp = plan(game, [1, 2]);
    const pp = plan(game, [2, 2]);
    const nbp = nominal.evaluate(bp);
    expect(fromStart(game, nbp.value, 0)).toBeCloseTo(3.6, 12);
    expect(fromStart(game, nbp.value, 1)).toBeCloseTo(3, 12);
    expect(nbp.gap[0]).toBeCloseTo(0, 12);
    // Robustly the bridge robot falls with 0.1 + 0.2: worth 4 * 0.7 = 2.8 < 3, so it gains 0.2 by going around.
    const rbp = robust.evaluate(bp);
    expect(fromStart(game, rbp.value, 0)).toBeCloseTo(2.8, 12);
    expect(rbp.gap[0]).toBeCloseTo(0.2, 12);
    expect(robust.evaluate(pp).gap[0]).toBeCloseTo(0, 12);
    // Nominally (path, path) is not an equilibrium: the bridge is worth 3.6 > 3 alone.
    expect(nominal.evaluate(pp).gap[0]).toBeCloseTo(0.6, 12);
    // Both on the bridge at once: the crowded fall probability 0.35 gives 4 * 0.65 = 2.6 each, nominally.
    expect(fromStart(game, nominal.evaluate(plan(game, [1, 1])).value, 0)).toBeCloseTo(2.6, 12);
  });
  it('KL: the same story (a KL adversary inflates the slip the simulator allows)', () => {
    const game = make('bridge-crossing-v0', { divergence: 'kl' }).model;
    const robust = createEvaluator(game);
    expect(robust.evaluate(plan(game, [1, 2])).gap[0]).toBeGreaterThan(0.1);
    expect(robust.evaluate(plan(game, [2, 2])).gap[0]).toBeCloseTo(0, 12);
    // With slip = 0 the KL adversary has nothing to inflate: robust = nominal.
    const safe = make('bridge-crossing-v0', { divergence: 'kl', slip: 0, crowding: 0 }).model;
    expect(fromStart(safe, createEvaluator(safe).evaluate(plan(safe, [1, 2])).value, 0)).toBeCloseTo(4, 12);
  });
});

describe('intersection-v0: robustness changes the equilibrium', () => {
  const views = intersectionStateViews();
  // At its line, car i plays `atLine(i, h)`; elsewhere it moves on.
  const plan = (game: TabularGame, atLine: (i: number, h: number) => number) =>
    createProductPolicy(game, (i, h, s) => {
      const row = [0, 0, 0];
      const v = views[s];
      row[!v.crashed && v.cars[i].position === ('line' as CarPosition) ? atLine(i, h) : 1] = 1;
      return row;
    });
  it('TV defaults: nominal NE (go, wait then go) worth (6 * 0.95, 5 * 0.95); robust NE (go, detour) worth (6 * 0.8, 4)', () => {
    const game = make('intersection-v0').model;
    const robust = createEvaluator(game);
    const nominal = createEvaluator(nominalOf(game));
    const waitThenGo = plan(game, (i, h) => (i === 0 || h > 0 ? 1 : 0));
    const detour = plan(game, (i) => (i === 0 ? 1 : 2));
    const nw = nominal.evaluate(waitThenGo);
    expect(fromStart(game, nw.value, 0)).toBeCloseTo(5.7, 12);
    expect(fromStart(game, nw.value, 1)).toBeCloseTo(4.75, 12);
    expect(nw.gap[0]).toBeCloseTo(0, 12);
    expect(nominal.evaluate(detour).gap[0]).toBeCloseTo(0.75, 12);
    const rd = robust.evaluate(detour);
    expect(fromStart(game, rd.value, 0)).toBeCloseTo(4.8, 12);
    expect(fromStart(game, rd.value, 1)).toBeCloseTo(4, 12);
    expect(rd.gap[0]).toBeCloseTo(0, 12);
    // Robustly, waiting then going is worth 4.75 * 0.8 = 3.8 < 4: the second car gains 0.2 by the detour.
    expect(robust.evaluate(waitThenGo).gap[0]).toBeCloseTo(0.2, 12);
    // Both go at once: certain crash.
    expect(fromStart(game, nominal.evaluate(plan(game, () => 1)).value, 0)).toBe(0);
  });
});
