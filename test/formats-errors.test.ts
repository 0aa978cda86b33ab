/**
 * One case per kind of malformed drmg-game/1 / drmg-policy/1 input (formats brief): each must be an
 * input DrmgError whose path names the field and index and whose message says what was expected.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrmgError, buildGame, gameToJson, parseGame, parsePolicy, readGameFile, readPolicyFile } from '@drmg/core';
import type { TabularGame } from '@drmg/core';

/** A valid 2-agent game (2 x 2 actions, S = 2, H = 3) as a drmg-game/1 document. */
function baseGame(): TabularGame {
  return buildGame({
    name: 'base',
    states: 2,
    horizon: 3,
    actions: [2, 2],
    initial: [1, 0],
    reward: (_h, s, a, i) => (s === 0 ? 0.5 : a[i] === 1 ? 1 : 0),
    transition: (_h, s, a) => (s === 0 ? [0.75, 0.25] : a[0] === a[1] ? [0.5, 0.5] : [0, 1]),
    divergence: 'tv',
    radius: [0.1, 0.2],
  });
}
// Plain JSON data (JSON.parse result), so each case can mutate its own copy.
function baseDoc(): Record<string, any> {
  return JSON.parse(JSON.stringify(gameToJson(baseGame())));
}

/** Runs f, expects an input DrmgError at exactly `path` whose message contains `text`; returns it. */
function expectInputError(f: () => unknown, path: string, text: string): DrmgError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an error at ${path}`).toBeInstanceOf(DrmgError);
  const e = caught as DrmgError;
  expect(e.kind).toBe('input');
  expect(e.path).toBe(path);
  expect(e.message).toContain(text);
  // A message is "path: detail", one line, never a stack trace.
  expect(e.message).toBe(path ? `${path}: ${e.detail}` : e.detail);
  expect(e.message).not.toMatch(/\n|\bat .*\(.*:\d+:\d+\)/);
  return e;
}

/** Parses a mutated copy of the base document. */
function gameWith(mutate: (d: Record<string, any>) => void): () => TabularGame {
  const d = baseDoc();
  mutate(d);
  return () => parseGame(d);
}

describe('drmg-game/1 errors', () => {
  it('the base document is valid (control)', () => {
    expect(parseGame(baseDoc()).J).toBe(4);
  });

  it('not an object', () => {
    expectInputError(() => parseGame([]), '', 'expected a drmg-game/1 JSON object, got an array of 0 entries');
    expectInputError(() => parseGame(null), '', 'expected a drmg-game/1 JSON object, got null');
    expectInputError(() => parseGame('game'), '', 'expected a drmg-game/1 JSON object, got "game"');
  });

  it('missing or wrong format', () => {
    expectInputError(gameWith((d) => delete d.format), 'format', 'missing, expected "drmg-game/1"');
    expectInputError(gameWith((d) => (d.format = 'drmg-game/2')), 'format', 'expected "drmg-game/1", got "drmg-game/2"');
    expectInputError(gameWith((d) => (d.format = 'drmg-policy/1')), 'format', 'expected "drmg-game/1", got "drmg-policy/1"');
  });

  it('non-integer, non-positive or missing states / horizon / actions', () => {
    expectInputError(gameWith((d) => (d.states = 2.5)), 'states', 'expected a positive integer, got 2.5');
    expectInputError(gameWith((d) => (d.states = 0)), 'states', 'expected a positive integer, got 0');
    expectInputError(gameWith((d) => (d.states = '2')), 'states', 'expected a positive integer, got "2"');
    expectInputError(gameWith((d) => delete d.states), 'states', 'missing, expected a positive integer');
    expectInputError(gameWith((d) => (d.horizon = -1)), 'horizon', 'expected a positive integer, got -1');
    expectInputError(gameWith((d) => (d.actions = [2, 0])), 'actions[1]', 'expected a positive integer, got 0');
    expectInputError(gameWith((d) => (d.actions = [])), 'actions', 'expected a non-empty array of action counts');
    expectInputError(gameWith((d) => delete d.actions), 'actions', 'missing, expected an array of positive integers');
  });

  it('wrong lengths at any depth', () => {
    expectInputError(gameWith((d) => d.reward[1][0].pop()), 'reward[1][0]', 'expected 4 entries (J), got 3');
    expectInputError(gameWith((d) => d.reward.pop()), 'reward', 'expected 3 entries (H), got 2');
    expectInputError(gameWith((d) => d.reward[2][1][3].push(0)), 'reward[2][1][3]', 'expected 2 entries (m), got 3');
    expectInputError(gameWith((d) => d.transition[0][1][2].push(0)), 'transition[0][1][2]', 'expected 2 entries (S), got 3');
    expectInputError(gameWith((d) => (d.transition[1] = 5)), 'transition[1]', 'expected an array of 2 entries (S), got 5');
    expectInputError(gameWith((d) => (d.initial = [1, 0, 0])), 'initial', 'expected 2 entries (S), got 3');
    expectInputError(gameWith((d) => delete d.reward), 'reward', 'missing, expected an array of shape [H][S][J][m]');
    expectInputError(gameWith((d) => delete d.transition), 'transition', 'missing, expected an array of shape [H][S][J][S]');
  });

  it('non-numbers and NaN', () => {
    expectInputError(gameWith((d) => (d.reward[0][1][2][0] = '0.5')), 'reward[0][1][2][0]', 'expected a finite number, got "0.5"');
    expectInputError(gameWith((d) => (d.reward[0][1][2][1] = null)), 'reward[0][1][2][1]', 'expected a finite number, got null');
    expectInputError(gameWith((d) => (d.transition[2][0][3][1] = Number.NaN)), 'transition[2][0][3][1]', 'expected a finite number, got NaN');
    expectInputError(gameWith((d) => (d.initial[0] = Infinity)), 'initial[0]', 'expected a finite number, got Infinity');
    expectInputError(gameWith((d) => (d.uncertainty.radius[1] = 'big')), 'uncertainty.radius[1]', 'expected a number or an array number[H][S] = [3][2], got "big"');
  });

  it('rewards outside [0, 1]', () => {
    expectInputError(gameWith((d) => (d.reward[0][0][0][1] = -0.25)), 'reward[0][0][0][1]', 'expected a reward in [0, 1], got -0.25');
    expectInputError(gameWith((d) => (d.reward[2][1][3][0] = 1.5)), 'reward[2][1][3][0]', 'expected a reward in [0, 1], got 1.5');
  });

  it('negative transition entries', () => {
    expectInputError(gameWith((d) => (d.transition[0][1][2] = [1.1, -0.1])), 'transition[0][1][2][1]', 'expected a probability >= 0, got -0.1');
  });

  it('rows not summing to 1 (the sum is reported)', () => {
    expectInputError(gameWith((d) => (d.transition[2][0][1] = [0.5, 0.43])), 'transition[2][0][1]', 'row sums to 0.93, expected 1');
    expectInputError(gameWith((d) => (d.transition[1][1][0] = [0.5, 0.5 + 2e-9])), 'transition[1][1][0]', 'row sums to 1.000000002, expected 1');
    // Within 1e-9 it is accepted (and renormalised).
    expect(gameWith((d) => (d.transition[1][1][0] = [0.5, 0.5 + 5e-10]))().kernel.prob.length).toBeGreaterThan(0);
  });

  it('initial not a distribution', () => {
    expectInputError(gameWith((d) => (d.initial = [0.5, 0.4])), 'initial', 'sums to 0.9, expected 1 (a distribution over states)');
    expectInputError(gameWith((d) => (d.initial = [1.5, -0.5])), 'initial[1]', 'expected a probability >= 0, got -0.5');
    expectInputError(gameWith((d) => delete d.initial), 'initial', 'missing, expected a distribution over the 2 states');
  });

  it('radius of the wrong shape, or negative', () => {
    expectInputError(gameWith((d) => (d.uncertainty.radius = 0.2)), 'uncertainty.radius', 'expected an array of 2 entries (one per agent, each a number or number[H][S]), got 0.2');
    expectInputError(gameWith((d) => (d.uncertainty.radius = [0.2])), 'uncertainty.radius', 'expected 2 entries (one per agent), got 1');
    expectInputError(gameWith((d) => (d.uncertainty.radius[1] = [[0, 0], [0, 0]])), 'uncertainty.radius[1]', 'expected 3 entries (H), got 2');
    expectInputError(gameWith((d) => (d.uncertainty.radius[1] = [[0, 0], [0, 0], [0]])), 'uncertainty.radius[1][2]', 'expected 2 entries (S), got 1');
    expectInputError(gameWith((d) => (d.uncertainty.radius[0] = -0.1)), 'uncertainty.radius[0]', 'expected a radius >= 0, got -0.1');
    expectInputError(gameWith((d) => (d.uncertainty.radius[1] = [[0, 0], [0, 0], [-1, 0]])), 'uncertainty.radius[1][2][0]', 'expected a radius >= 0, got -1');
    expectInputError(gameWith((d) => delete d.uncertainty.radius), 'uncertainty.radius', 'missing, expected an array of 2 radii');
  });

  it('unknown divergence', () => {
    expectInputError(gameWith((d) => (d.uncertainty.divergence = 'chi2')), 'uncertainty.divergence', 'expected "tv" or "kl", got "chi2"');
    expectInputError(gameWith((d) => delete d.uncertainty.divergence), 'uncertainty.divergence', 'expected "tv" or "kl", got nothing (missing)');
  });

  it('missing uncertainty', () => {
    expectInputError(gameWith((d) => delete d.uncertainty), 'uncertainty', 'missing, expected {"divergence": "tv" | "kl", "radius": [one per agent]}');
    expectInputError(gameWith((d) => (d.uncertainty = 'tv')), 'uncertainty', 'expected an object {"divergence", "radius"}, got "tv"');
  });

  it('failure states out of range, or a claim that does not hold (agent, h, s, j and why)', () => {
    expectInputError(gameWith((d) => (d.failureStates = [[1], [2]])), 'failureStates[1][0]', 'expected a state in [0, 1], got 2');
    expectInputError(gameWith((d) => (d.failureStates = [[1]])), 'failureStates', 'expected 2 entries (m), got 1');
    // Make state 1 absorbing: then agent 1's reward at h 0, s 1, j 1 (a = (0, 1)) is 1.
    expectInputError(
      gameWith((d) => {
        for (const byH of d.transition) byH[1] = [[0, 1], [0, 1], [0, 1], [0, 1]];
        d.failureStates = [[], [1]];
      }),
      'failureStates[1]',
      'agent 1, h 0, s 1, j 1: reward is 1, expected 0 in a failure state',
    );
    // With zero rewards in state 1, the kernel still leaves it: [0.5, 0.5] under j 0.
    expectInputError(
      gameWith((d) => {
        for (const byH of d.reward) byH[1] = [[0, 0], [0, 0], [0, 0], [0, 0]];
        d.failureStates = [[1], []];
      }),
      'failureStates[0]',
      'agent 0, h 0, s 1, j 0: the nominal kernel keeps 0.5 of its mass inside the failure set {1}, expected at least 1 - 1e-9',
    );
  });

  it('a game too large for memory is refused before anything is allocated', () => {
    expectInputError(gameWith((d) => Object.assign(d, { states: 100_000, horizon: 100, actions: [10, 10] })), 'reward', 'too large: H*S*J*m = 2000000000 entries exceeds the limit of 2^27');
    expectInputError(gameWith((d) => Object.assign(d, { states: 2 ** 14, horizon: 1, actions: [1] })), 'transition', 'too large: H*S*J*S = 268435456 entries exceeds the limit of 2^27');
    // J = 10^10 joint actions: refused before the joint-action decode table (J*m entries) is built.
    expectInputError(gameWith((d) => Object.assign(d, { states: 1, horizon: 1, actions: [100000, 100000] })), 'reward', 'too large: H*S*J*m = 20000000000 entries');
  });

  it('labels of the wrong length', () => {
    expectInputError(gameWith((d) => (d.labels = { states: ['a'] })), 'labels.states', 'expected 2 entries (S), got 1');
    expectInputError(gameWith((d) => (d.labels = { actions: [['x', 'y'], ['x']] })), 'labels.actions[1]', 'expected 2 entries (A[1]), got 1');
    expectInputError(gameWith((d) => (d.labels = { states: ['a', 3] })), 'labels.states[1]', 'expected a string, got 3');
  });
});

describe('drmg-policy/1 errors', () => {
  const game = baseGame();
  const uniform = () => ({ format: 'drmg-policy/1', policy: [0, 1, 2].map(() => [0, 1].map(() => [0.25, 0.25, 0.25, 0.25])) });

  it('not an object, wrong format', () => {
    expectInputError(() => parsePolicy(7, game), '', 'expected a drmg-policy/1 JSON object, got 7');
    expectInputError(() => parsePolicy({ ...uniform(), format: undefined }, game), 'format', 'missing, expected "drmg-policy/1"');
    expectInputError(() => parsePolicy({ ...uniform(), format: 'drmg-game/1' }, game), 'format', 'expected "drmg-policy/1", got "drmg-game/1"');
  });

  it('wrong lengths, non-numbers, negative entries, rows not summing to 1', () => {
    const p1 = uniform();
    p1.policy[1].pop();
    expectInputError(() => parsePolicy(p1, game), 'policy[1]', 'expected 2 entries (S), got 1');
    const p2 = uniform();
    p2.policy[2][1] = [0.5, 0.5];
    expectInputError(() => parsePolicy(p2, game), 'policy[2][1]', 'expected 4 entries (J), got 2');
    const p3 = uniform() as { policy: unknown[][][] };
    p3.policy[0][0][3] = 'x';
    expectInputError(() => parsePolicy(p3, game), 'policy[0][0][3]', 'expected a finite number, got "x"');
    const p4 = uniform();
    p4.policy[1][0] = [0.5, 0.5, 0.25, -0.25];
    expectInputError(() => parsePolicy(p4, game), 'policy[1][0][3]', 'expected a probability >= 0, got -0.25');
    const p5 = uniform();
    p5.policy[1][0] = [0.3, 0.3, 0.2, 0.1];
    expectInputError(() => parsePolicy(p5, game), 'policy[1][0]', 'row sums to 0.9, expected 1');
    expectInputError(() => parsePolicy({ format: 'drmg-policy/1' }, game), 'policy', 'missing, expected an array of shape [H][S][J]');
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drmg-formats-'));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('a missing file is an input error naming the file', () => {
    const p = join(dir, 'nope.game.json');
    expectInputError(() => readGameFile(p), p, 'file not found');
    expectInputError(() => readPolicyFile(p, baseGame()), p, 'file not found');
    expectInputError(() => readGameFile(dir), dir, 'is a directory, expected a JSON file');
  });

  it('bad JSON reports line, column and offset', () => {
    const p = file('bad.game.json', '{\n  "format": "drmg-game/1",\n  "states": 2,\n}\n');
    expectInputError(() => readGameFile(p), p, 'invalid JSON at line 4, column 1 (offset 44): unexpected "}", expected a double-quoted property name');
    const q = file('bad2.game.json', '{"format": tru}');
    expectInputError(() => readGameFile(q), q, 'invalid JSON at line 1, column 15 (offset 14): unexpected "}", expected "true"');
    const r = file('empty.policy.json', '');
    expectInputError(() => readPolicyFile(r, baseGame()), r, 'invalid JSON at line 1, column 1 (offset 0): unexpected end of input, expected a value');
    const s = file('trailing.game.json', '{} x');
    expectInputError(() => readGameFile(s), s, 'invalid JSON at line 1, column 4 (offset 3): unexpected "x", expected end of input after the JSON value');
  });

  it('errors inside a file are prefixed with the file name', () => {
    const d = baseDoc();
    d.transition[2][0][1] = [0.5, 0.43];
    const p = file('sum.game.json', JSON.stringify(d));
    expectInputError(() => readGameFile(p), `${p}: transition[2][0][1]`, 'row sums to 0.93, expected 1');
    const q = file('array.game.json', '[1, 2]');
    expectInputError(() => readGameFile(q), q, 'expected a drmg-game/1 JSON object, got an array of 2 entries');
    const pol = file('p.policy.json', JSON.stringify({ format: 'drmg-policy/1', policy: [[[1, 0, 0, 0]]] }));
    expectInputError(() => readPolicyFile(pol, baseGame()), `${pol}: policy`, 'expected 3 entries (H), got 1');
  });

  it('a valid file reads back as the game it was written from', () => {
    const g = baseGame();
    const p = file('ok.game.json', JSON.stringify(gameToJson(g)));
    const back = readGameFile(p);
    expect(Array.from(back.kernel.prob)).toEqual(Array.from(g.kernel.prob));
    expect(Array.from(back.reward)).toEqual(Array.from(g.reward));
  });
});
