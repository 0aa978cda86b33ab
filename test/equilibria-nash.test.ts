/**
 * Nash equilibria by independent methods that must agree: Lemke-Howson (every label), support enumeration, vertex
 * enumeration, the minimax LP; and the certified approximate method for three or more players.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '@drmg/core';
import type { Rng } from '@drmg/core';
import {
  approximateNash,
  createNormalFormGame,
  extremeEquilibria,
  lemkeHowson,
  lemkeHowsonAll,
  pureNashEquilibria,
  sameEquilibrium,
  solveNash,
  supportEnumeration,
} from '@drmg/equilibria';
import type { BimatrixEquilibrium, NormalFormGame } from '@drmg/equilibria';

function randomGame(rng: Rng, A: number[], draw: () => number): NormalFormGame {
  const J = A.reduce((a, b) => a * b, 1);
  const U = new Array<number>(J * A.length);
  for (let k = 0; k < U.length; k++) U[k] = draw();
  return createNormalFormGame(A, U);
}

function inSet(list: readonly BimatrixEquilibrium[], e: BimatrixEquilibrium): boolean {
  return list.some((f) => sameEquilibrium(e, f, 1e-8));
}

describe('two players: Lemke-Howson, support enumeration and vertex enumeration agree', () => {
  it('on 240 random (hence nondegenerate) games from 2x2 to 6x6', () => {
    const rng = createRng('nash-nondegenerate');
    let total = 0;
    for (const [n1, n2] of [[2, 2], [2, 3], [3, 3], [3, 4], [4, 4], [5, 5], [4, 6], [6, 6]]) {
      for (let g = 0; g < 30; g++) {
        const game = randomGame(rng, [n1, n2], rng);
        const se = supportEnumeration(game);
        const ve = extremeEquilibria(game);
        // A nondegenerate game has an odd number of equilibria (Lemke-Howson 1964; von Stengel 2002, Sec. 2.5).
        expect(se.length % 2).toBe(1);
        expect(ve.length).toBe(se.length);
        for (const e of ve) expect(inSet(se, e)).toBe(true);
        for (let label = 0; label < n1 + n2; label++) {
          const lh = lemkeHowson(game, label);
          expect(inSet(se, lh)).toBe(true);
        }
        total += se.length;
      }
    }
    expect(total).toBeGreaterThan(240);
  });

  it('Lemke-Howson terminates at a certified extreme equilibrium on 150 degenerate integer games', () => {
    // Payoffs in {0, 1, 2}: ties everywhere, so the ratio tests tie and only the lexicographic rule keeps the
    // path from cycling or stopping early.
    const rng = createRng('nash-degenerate');
    for (const [n1, n2] of [[2, 2], [3, 3], [3, 4], [4, 4], [5, 5]]) {
      for (let g = 0; g < 30; g++) {
        const game = randomGame(rng, [n1, n2], () => Math.floor(rng() * 3));
        const ve = extremeEquilibria(game);
        for (let label = 0; label < n1 + n2; label++) {
          const ne = solveNash(game, { method: 'lemke-howson', label });
          expect(ne.epsilon).toBeLessThanOrEqual(1e-12);
          expect(inSet(ve, { x: ne.marginals[0], y: ne.marginals[1] })).toBe(true);
        }
      }
    }
  });

  it('certified on larger games (10x10 and 15x12), with every label', () => {
    const rng = createRng('nash-large');
    for (const [n1, n2] of [[10, 10], [15, 12]]) {
      for (let g = 0; g < 10; g++) {
        const game = randomGame(rng, [n1, n2], () => rng() * 20);
        const all = lemkeHowsonAll(game);
        expect(all.length).toBeGreaterThanOrEqual(1);
        for (const e of all) {
          const ne = solveNash(game, { method: 'lemke-howson', label: e.label });
          expect(ne.epsilon).toBeLessThanOrEqual(1e-9);
        }
        const best = solveNash(game, { select: 'max-welfare' });
        for (const e of all) {
          const w = solveNash(game, { method: 'lemke-howson', label: e.label }).welfare;
          expect(best.welfare).toBeGreaterThanOrEqual(w - 1e-12);
        }
      }
    }
  });

  it('zero-sum: the minimax LP value equals every Lemke-Howson equilibrium payoff', () => {
    // All equilibria of a zero-sum game pay player 0 the value (von Neumann's minimax theorem).
    const rng = createRng('nash-zero-sum');
    for (const [n1, n2] of [[3, 3], [4, 7], [8, 8]]) {
      for (let g = 0; g < 20; g++) {
        const J = n1 * n2;
        const U = new Array<number>(2 * J);
        for (let j = 0; j < J; j++) {
          U[2 * j] = rng() * 2 - 1;
          U[2 * j + 1] = -U[2 * j];
        }
        const game = createNormalFormGame([n1, n2], U);
        const lp = solveNash(game);
        expect(lp.method).toBe('zero-sum-lp');
        expect(lp.epsilon).toBeLessThanOrEqual(1e-12);
        expect(lp.payoffs[0]).toBeCloseTo(lp.value ?? NaN, 12);
        for (let label = 0; label < n1 + n2; label += 3) {
          const lh = solveNash(game, { method: 'lemke-howson', label });
          expect(lh.payoffs[0]).toBeCloseTo(lp.value ?? NaN, 10);
        }
      }
    }
  });
});

describe('three or more players: certified approximate equilibria', () => {
  it('random 2x2x2, 3x3x3, 4x4x4 and 2x2x2x2 games: epsilon is the exact gap and at most 1e-9', () => {
    const rng = createRng('nash-multi');
    for (const A of [[2, 2, 2], [3, 3, 3], [4, 4, 4], [2, 2, 2, 2]]) {
      for (let g = 0; g < 12; g++) {
        const game = randomGame(rng, A, rng);
        const r = approximateNash(game);
        expect(r.epsilon).toBeLessThanOrEqual(1e-9);
        const ne = solveNash(game);
        expect(ne.certificate.cceGap).toBeLessThanOrEqual(ne.epsilon + 1e-15);
        expect(ne.epsilon).toBeLessThanOrEqual(1e-9);
        for (const mi of ne.marginals) expect(mi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
        if (pureNashEquilibria(game).length > 0) expect(ne.method).toBe('pure');
        else expect(ne.approximate).toBe(true);
      }
    }
  });

  it('games without a pure equilibrium and with payoff ties (integer payoffs)', () => {
    const rng = createRng('nash-multi-int');
    let tried = 0;
    while (tried < 20) {
      const game = randomGame(rng, [3, 3, 3], () => Math.floor(rng() * 3));
      if (pureNashEquilibria(game).length > 0) continue;
      tried++;
      const ne = solveNash(game);
      expect(ne.method).toBe('logit-homotopy');
      expect(ne.epsilon).toBeLessThanOrEqual(1e-9);
    }
  });

  it('one player: the best action', () => {
    const ne = solveNash(createNormalFormGame([4], [1, 5, 3, 5]));
    expect([...ne.marginals[0]]).toEqual([0, 1, 0, 0]);
    expect(ne.epsilon).toBe(0);
  });

  it('is deterministic', () => {
    const rng = createRng('nash-determinism');
    const game = randomGame(rng, [3, 3, 3], rng);
    const a = approximateNash(game);
    const b = approximateNash(game);
    expect(a.marginals.map((v) => [...v])).toEqual(b.marginals.map((v) => [...v]));
    expect(a.epsilon).toBe(b.epsilon);
  });

  it('rejects methods that do not fit the game', () => {
    const g3 = createNormalFormGame([2, 2, 2], new Array(24).fill(0));
    expect(() => solveNash(g3, { method: 'lemke-howson' })).toThrow("options.method: 'lemke-howson' needs a two-player game, got 3 players");
    const g2 = createNormalFormGame([2, 2], [1, 1, 0, 0, 0, 0, 1, 1]); // coordination: not constant-sum
    expect(() => solveNash(g2, { method: 'zero-sum-lp' })).toThrow('expected U_0(j) + U_1(j) to be the same for every joint action');
    expect(() => lemkeHowson(g2, 4)).toThrow('label: expected an integer in [0, 3], got 4');
  });
});
