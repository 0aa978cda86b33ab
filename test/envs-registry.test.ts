/** The environment registry: ids, versions, typed parameters and their errors, registration. */
import { buildGame, DrmgError } from '@drmg/core';
import { createTabularEnv, defineEnv, envSpec, hasEnv, listEnvs, make, register } from '@drmg/envs';
import { describe, expect, it } from 'vitest';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    expect((e as DrmgError).kind).toBe('input');
    return (e as Error).message;
  }
  throw new Error('expected a DrmgError');
}

const builtins = [
  'battle-of-sexes-v0',
  'bridge-crossing-v0',
  'chicken-v0',
  'corrupted-bandit-v0',
  'initial-shock-v0',
  'intersection-v0',
  'matching-pennies-v0',
  'prisoners-dilemma-v0',
  'random-v0',
  'rock-paper-scissors-v0',
  'shapley-v0',
  'stag-hunt-v0',
];

describe('listEnvs', () => {
  it('lists every built-in, sorted, with sizes at the defaults and documented parameters', () => {
    const envs = listEnvs();
    expect(envs.map((e) => e.id).filter((id) => builtins.includes(id))).toEqual(builtins);
    const bridge = envs.find((e) => e.id === 'bridge-crossing-v0');
    expect(bridge?.sizes).toEqual({ agents: 2, states: 36, horizon: 6, actions: [3, 3], jointActions: 9 });
    expect(bridge?.params.map((p) => p.name)).toEqual(['horizon', 'slip', 'crowding', 'rho', 'divergence']);
    expect(bridge?.params.find((p) => p.name === 'rho')).toEqual({ name: 'rho', type: 'number', typeDoc: 'NUMBER', default: 0.2, min: 0, max: 1, doc: expect.any(String) });
    const shock = envs.find((e) => e.id === 'initial-shock-v0');
    expect(shock?.params.find((p) => p.name === 'secret')).toMatchObject({ default: 3, min: 0, max: 3, rangeDoc: 'J - 1' });
    for (const e of envs) {
      expect(e.summary.length).toBeGreaterThan(10);
      for (const p of e.params) expect(p.doc.length).toBeGreaterThan(3);
      // Small enough for exact evaluation and quick learning.
      expect(e.sizes.states).toBeLessThanOrEqual(36);
      expect(e.sizes.horizon).toBeLessThanOrEqual(10);
    }
  });
});

describe('make', () => {
  it('makes an environment with its id in the metadata and the parameters applied', () => {
    const env = make('initial-shock-v0', { horizon: 5, rho: 0.4 });
    expect(env.metadata.id).toBe('initial-shock-v0');
    expect(env.model.H).toBe(5);
    expect(env.model.radius[0]).toBe(0.4);
  });

  it('names the env id, the parameter and the allowed range', () => {
    expect(message(() => make('bridge-crossing-v0', { rho: 1.5 }))).toBe('bridge-crossing-v0.rho: expected a number in [0, 1], got 1.5');
    expect(message(() => make('bridge-crossing-v0', { horizon: 2 }))).toBe('bridge-crossing-v0.horizon: expected an integer in [3, 12], got 2');
    expect(message(() => make('bridge-crossing-v0', { divergence: 'chi2' }))).toBe('bridge-crossing-v0.divergence: expected one of "tv", "kl", got "chi2"');
    expect(message(() => make('initial-shock-v0', { agents: 3, secret: 8 }))).toBe('initial-shock-v0.secret: expected an integer in [0, 7] (J - 1), got 8');
    expect(message(() => make('intersection-v0', { slippery: 1 }))).toBe('intersection-v0.slippery: unknown parameter; intersection-v0 accepts horizon, slip, rho, divergence');
    expect(message(() => make('random-v0', { states: 200, horizon: 50, agents: 4, actions: 5 }))).toMatch(/^random-v0\.states: H\*S\*J\*S = \d+ exceeds 4194304 entries/);
  });

  it('rejects unknown ids, and ids without or with a wrong version, listing what exists', () => {
    expect(message(() => make('bridge-crossing'))).toBe('make("bridge-crossing"): missing version; registered: bridge-crossing-v0');
    expect(message(() => make('bridge-crossing-v3'))).toBe('make("bridge-crossing-v3"): unknown version; registered: bridge-crossing-v0');
    expect(message(() => make('cliff-walking-v0'))).toMatch(/^make\("cliff-walking-v0"\): unknown environment id; registered: .*bridge-crossing-v0/);
    expect(hasEnv('bridge-crossing-v0')).toBe(true);
    expect(hasEnv('bridge-crossing')).toBe(false);
  });

  it('renders with ANSI colours when asked', () => {
    const env = make('bridge-crossing-v0', {}, { renderMode: 'ansi' });
    env.reset({ seed: 0 });
    expect(env.render()).toContain('\x1b[');
    const plain = make('bridge-crossing-v0');
    plain.reset({ seed: 0 });
    expect(plain.render()).not.toContain('\x1b[');
    expect(plain.render()).toContain('bank [01]');
  });
});

describe('register', () => {
  const spec = defineEnv({
    id: 'coin-test-v0',
    summary: 'a one-step coin for the registry test',
    params: { bias: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'probability of heads' } },
    create: (p, ctx) =>
      createTabularEnv(
        buildGame({ states: 2, horizon: 1, actions: [1], initial: [p.bias, 1 - p.bias], reward: (_h, s) => 1 - s, transition: (_h, s) => ({ [s]: 1 }), divergence: 'tv', radius: 0 }),
        { id: ctx.id },
      ),
  });

  it('adds a versioned id that make then builds; duplicates need replace', () => {
    register(spec, { replace: true });
    expect(make('coin-test-v0', { bias: 0.25 }).model.initial[0]).toBe(0.25);
    expect(envSpec('coin-test-v0')).toBe(spec);
    expect(message(() => register(spec))).toBe('register(spec).id: coin-test-v0 is already registered; bump the version or pass { replace: true }');
    expect(message(() => make('coin-test-v0', { bias: 2 }))).toBe('coin-test-v0.bias: expected a number in [0, 1], got 2');
  });

  it('rejects ids without a version', () => {
    expect(message(() => register({ ...spec, id: 'coin' }))).toBe('register(spec).id: expected a versioned id like "my-game-v0" (lower-case words joined by "-", then -vN), got "coin"');
    expect(message(() => register({ ...spec, id: 'Coin-v0' }))).toMatch(/expected a versioned id/);
  });
});
