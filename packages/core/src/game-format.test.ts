import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGame } from './game-builder.ts';
import { gameToJson, parseGame, readGameFile } from './game-format.ts';
import { readPolicyFile } from './policy-format.ts';
import { randomGame } from './random-game.ts';
import type { TabularGame } from './tabular-game.ts';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/data');

function expectSameGame(a: TabularGame, b: TabularGame): void {
  expect([a.name, a.S, a.H, a.m, a.J, a.A, a.divergence]).toEqual([b.name, b.S, b.H, b.m, b.J, b.A, b.divergence]);
  expect(Array.from(a.initial)).toEqual(Array.from(b.initial));
  expect(Array.from(a.reward)).toEqual(Array.from(b.reward));
  expect(Array.from(a.kernel.rowStart)).toEqual(Array.from(b.kernel.rowStart));
  expect(Array.from(a.kernel.next)).toEqual(Array.from(b.kernel.next));
  expect(Array.from(a.kernel.prob)).toEqual(Array.from(b.kernel.prob));
  expect(Array.from(a.radius)).toEqual(Array.from(b.radius));
  expect(a.failureStates).toEqual(b.failureStates);
  expect(a.labels).toEqual(b.labels);
  expect(a.extra).toEqual(b.extra);
}

describe('drmg-game/1', () => {
  it('round trip: parseGame(gameToJson(g)) equals g, also through JSON text (property, random games)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('agent' as const, 'state' as const),
        fc.constantFrom('tv' as const, 'kl' as const),
        fc.integer(),
        (S, H, A, support, radius, divergence, seed) => {
          const g = randomGame(seed, { S, H, A, support, radius, divergence });
          expectSameGame(parseGame(gameToJson(g)), g);
          expectSameGame(parseGame(JSON.parse(JSON.stringify(gameToJson(g)))), g);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('writes the kernel densely with its zeros, and the radius as one number per agent when uniform over (h, s)', () => {
    const g = buildGame({
      states: 2,
      horizon: 2,
      actions: [1, 2],
      initial: 0,
      reward: () => 0,
      transition: (_h, s) => ({ [s]: 1 }),
      divergence: 'tv',
      radius: (i, h) => (i === 0 ? 0.25 : h * 0.5),
    });
    const doc = gameToJson(g);
    expect(doc.transition).toEqual([
      [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
      [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
    ]);
    expect(doc.uncertainty).toEqual({ divergence: 'tv', radius: [0.25, [[0, 0], [0.5, 0.5]]] });
    expect(doc.initial).toEqual([1, 0]);
  });

  it('keeps unknown top-level fields, labels and failure states, and writes them back', () => {
    // State 1 is absorbing with zero reward for agent 1 only.
    const g = buildGame({
      name: 'trap',
      states: 2,
      horizon: 2,
      actions: [2, 2],
      initial: [0.5, 0.5],
      reward: (_h, s, a, i) => (s === 1 && i === 1 ? 0 : (a[0] + a[1]) / 2),
      transition: (_h, s, a) => (s === 1 ? [0, 1] : a[0] === a[1] ? [1, 0] : [0.5, 0.5]),
      divergence: 'tv',
      radius: [0.1, 0.2],
      failureStates: [[], [1]],
      labels: { states: ['ok', 'trap'], actions: [['l', 'r'], ['l', 'r']] },
    });
    const doc = { ...gameToJson(g), meta: { author: 'x', seeds: [1, 2] }, comment: 'hello' };
    const back = parseGame(JSON.parse(JSON.stringify(doc)));
    expect(back.extra).toEqual({ meta: { author: 'x', seeds: [1, 2] }, comment: 'hello' });
    expect(back.failureStates).toEqual([[], [1]]);
    expect(back.labels).toEqual({ states: ['ok', 'trap'], actions: [['l', 'r'], ['l', 'r']] });
    const again = gameToJson(back);
    expect(again).toEqual(doc);
    expect(Object.keys(again).slice(0, 4)).toEqual(['format', 'name', 'states', 'horizon']);
  });

  it('extra fields never override format fields when written', () => {
    const g = randomGame(3, { S: 2, H: 1, A: [2] });
    const doc = gameToJson({ ...g, extra: { format: 'evil', states: 99, note: 1 } });
    expect(doc.format).toBe('drmg-game/1');
    expect(doc.states).toBe(2);
    expect(doc.note).toBe(1);
  });

  it('reads the example initial-shock game: Example 1 of the paper, as described in the brief', () => {
    const g = readGameFile(join(dataDir, 'initial-shock.game.json'));
    expect([g.S, g.H, g.A, g.J, g.divergence]).toEqual([2, 3, [2, 2], 4, 'tv']);
    expect(Array.from(g.initial)).toEqual([1, 0]);
    const { S, J, m, H } = g;
    for (let h = 0; h < H; h++) {
      for (let j = 0; j < J; j++) {
        const secret = j === 3; // a* = (1, 1) -> j = 1*2 + 1
        for (let i = 0; i < m; i++) {
          expect(g.reward[((h * S + 0) * J + j) * m + i]).toBe(1);
          expect(g.reward[((h * S + 1) * J + j) * m + i]).toBe(secret ? 1 : 0);
        }
        // Good stays good; bad goes to good only under a*.
        const rGood = (h * S + 0) * J + j;
        const rBad = (h * S + 1) * J + j;
        expect([g.kernel.next[g.kernel.rowStart[rGood]], g.kernel.prob[g.kernel.rowStart[rGood]]]).toEqual([0, 1]);
        expect([g.kernel.next[g.kernel.rowStart[rBad]], g.kernel.prob[g.kernel.rowStart[rBad]]]).toEqual([secret ? 0 : 1, 1]);
      }
    }
    // rho[(i*H + h)*S + s]: 0.2 at step 0 in good, 0 elsewhere, for both agents.
    expect(Array.from(g.radius)).toEqual([0.2, 0, 0, 0, 0, 0, 0.2, 0, 0, 0, 0, 0]);
    const pi = readPolicyFile(join(dataDir, 'initial-shock.policy.json'), g);
    expect(Array.from(pi.prob)).toEqual(new Array(3 * 2 * 4).fill(0.25));
  });

  it('reads the other example games with their policies, and the files are what gameToJson writes', () => {
    for (const name of ['initial-shock', 'random-tv', 'random-kl']) {
      const file = join(dataDir, `${name}.game.json`);
      const g = readGameFile(file);
      expect(g.name).toBe(name);
      expect(gameToJson(g)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      const pi = readPolicyFile(join(dataDir, `${name}.policy.json`), g);
      expect(pi.prob.length).toBe(g.H * g.S * g.J);
    }
    expect(readGameFile(join(dataDir, 'random-kl.game.json')).divergence).toBe('kl');
    expect(readGameFile(join(dataDir, 'random-tv.game.json')).m).toBe(2);
  });
});
