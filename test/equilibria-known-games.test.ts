/**
 * Known equilibria of classic games, with sources; every closed form is derived in a comment.
 * Conventions: bimatrixGame(A, B) with A the row player's (player 0's) payoffs, B the column player's;
 * joint action j = a*n2 + b; x = player 0's mixed strategy, y = player 1's.
 */
import { describe, expect, it } from 'vitest';
import {
  bimatrixGame,
  extremeEquilibria,
  lemkeHowson,
  lemkeHowsonAll,
  normalFormGameFromFunction,
  solveCce,
  solveCe,
  solveNash,
  solveZeroSum,
  supportEnumeration,
  approximateNash,
  pureNashEquilibria,
} from '@drmg/equilibria';
import type { BimatrixEquilibrium, NormalFormGame } from '@drmg/equilibria';

const TOL = 1e-9;

function expectVec(actual: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThanOrEqual(tol);
}

/** Whether the list holds (x, y) within tol. */
function contains(list: readonly BimatrixEquilibrium[], x: number[], y: number[], tol = 1e-9): boolean {
  return list.some((e) => x.every((v, a) => Math.abs(e.x[a] - v) <= tol) && y.every((v, b) => Math.abs(e.y[b] - v) <= tol));
}

/** Every CCE / CE / Nash method on `game` returns a certified answer. */
function expectAllCertified(game: NormalFormGame): void {
  for (const selection of ['welfare', 'max-min', 'none'] as const) {
    const cce = solveCce(game, { selection });
    expect(cce.status).toBe('optimal');
    expect(cce.certificate.cceGap).toBeLessThanOrEqual(TOL);
    const ce = solveCe(game, { selection });
    expect(ce.status).toBe('optimal');
    expect(ce.certificate.ceGap).toBeLessThanOrEqual(TOL);
  }
  const ne = solveNash(game);
  expect(ne.certificate.cceGap).toBeLessThanOrEqual(ne.approximate ? ne.epsilon : TOL);
}

// Matching pennies: player 0 wants to match, player 1 to mismatch (von Neumann and Morgenstern 1944).
const matchingPennies = bimatrixGame([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]);
// Rock-paper-scissors, actions (R, P, S), win 1, lose -1.
const rps = bimatrixGame(
  [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
  [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
);
// Battle of the sexes with payoffs (2, 1) and (1, 2) on the diagonal, 0 off it.
const battle = bimatrixGame([[2, 0], [0, 1]], [[1, 0], [0, 2]]);
// Chicken (Aumann 1974's example of correlation): actions (swerve, dare), (6,6) (2,7) / (7,2) (0,0).
const chicken = bimatrixGame([[6, 2], [7, 0]], [[6, 7], [2, 0]]);
// Shapley's game (Shapley 1964): player 0 wins (1) when b = a + 1 mod 3, player 1 when b = a - 1 mod 3.
const shapley = bimatrixGame(
  [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
  [[0, 0, 1], [1, 0, 0], [0, 1, 0]],
);
// Prisoner's dilemma, actions (cooperate, defect): (3,3) (0,5) / (5,0) (1,1).
const prisoners = bimatrixGame([[3, 0], [5, 1]], [[3, 5], [0, 1]]);
// Stag hunt (Rousseau; Skyrms 2004), actions (stag, hare): (4,4) (0,3) / (3,0) (3,3).
const stagHunt = bimatrixGame([[4, 0], [3, 3]], [[4, 3], [0, 3]]);

describe('matching pennies and rock-paper-scissors', () => {
  it('have the unique uniform NE and value 0', () => {
    for (const [g, n] of [[matchingPennies, 2], [rps, 3]] as const) {
      const u = new Array<number>(n).fill(1 / n);
      const zs = solveZeroSum(g);
      expectVec(zs.x, u);
      expectVec(zs.y, u);
      expect(Math.abs(zs.value)).toBeLessThanOrEqual(1e-15);
      const ne = solveNash(g);
      expect(ne.method).toBe('zero-sum-lp');
      expect(ne.value).toBeCloseTo(0, 15);
      expect(ne.epsilon).toBeLessThanOrEqual(1e-15);
      expect(supportEnumeration(g)).toHaveLength(1);
      expect(extremeEquilibria(g)).toHaveLength(1);
      expect(contains(lemkeHowsonAll(g), u, u)).toBe(true);
      expect(lemkeHowsonAll(g)).toHaveLength(1);
    }
  });

  it('matching pennies: the only CE and CCE is uniform', () => {
    // With cells a=(H,H), b=(H,T), c=(T,H), d=(T,T), the CE constraints read a >= b (row told H), d >= c (row told T),
    // c >= a (column told H), b >= d (column told T), so a >= b >= d >= c >= a: all equal 1/4. The CCE constraints
    // (deviate to a fixed action) reduce to the same chain: c <= d <= b <= a <= c.
    for (const selection of ['welfare', 'max-min', 'none'] as const) {
      expectVec(solveCe(matchingPennies, { selection }).dist, [0.25, 0.25, 0.25, 0.25], 1e-12);
      expectVec(solveCce(matchingPennies, { selection }).dist, [0.25, 0.25, 0.25, 0.25], 1e-12);
    }
  });

  it('rock-paper-scissors: every CCE has uniform marginals and pays 0', () => {
    // In a zero-sum game u_0(x) >= max_a u_0(a, x_1) >= value = 0 and symmetrically u_0(x) <= 0, so x_1's marginal is
    // minimax: uniform (the unique minimax strategy of RPS); likewise x_0's.
    for (const r of [solveCce(rps), solveCe(rps), solveCce(rps, { selection: 'none' })]) {
      expect(r.status).toBe('optimal');
      const row = [0, 0, 0];
      const col = [0, 0, 0];
      for (let j = 0; j < 9; j++) {
        row[Math.floor(j / 3)] += r.dist[j];
        col[j % 3] += r.dist[j];
      }
      expectVec(row, [1 / 3, 1 / 3, 1 / 3], 1e-12);
      expectVec(col, [1 / 3, 1 / 3, 1 / 3], 1e-12);
      expectVec(r.payoffs, [0, 0], 1e-12);
    }
  });
});

describe('battle of the sexes', () => {
  // Pure: both at 0 or both at 1. Mixed: player 0 indifferent when 2 y_0 = y_1, so y = (1/3, 2/3); player 1
  // indifferent when x_0 = 2 x_1, so x = (2/3, 1/3); each then gets 2/3.
  it('has three NE: two pure and (2/3, 1/3), (1/3, 2/3)', () => {
    const all = supportEnumeration(battle);
    expect(all).toHaveLength(3);
    expect(contains(all, [1, 0], [1, 0])).toBe(true);
    expect(contains(all, [0, 1], [0, 1])).toBe(true);
    expect(contains(all, [2 / 3, 1 / 3], [1 / 3, 2 / 3])).toBe(true);
    expect(extremeEquilibria(battle)).toHaveLength(3);
    for (const e of lemkeHowsonAll(battle)) expect(contains(all, [...e.x], [...e.y])).toBe(true);
  });

  it('solveNash picks the max-welfare one on request and reports its payoffs', () => {
    // Both pure NE have welfare 3 (> 4/3 mixed); ties keep the first found.
    const ne = solveNash(battle, { select: 'max-welfare' });
    expect(ne.welfare).toBeCloseTo(3, 14);
    expect(ne.epsilon).toBe(0);
    const mixed = solveNash(battle, { method: 'support-enumeration', select: 'first' });
    expect(mixed.welfare).toBeGreaterThan(0);
  });
});

describe('chicken (Aumann 1974)', () => {
  // NE: (swerve, dare) and (dare, swerve) with welfare 9; mixed: 6y + 2(1 - y) = 7y gives y = 2/3 (swerve), each
  // player gets 14/3, welfare 28/3. Max-welfare CE: with cells a=(S,S), b=(S,D), c=(D,S), d=(D,D) the CE constraints
  // are a <= 2b, a <= 2c, c >= 2d, b >= 2d; welfare 12a + 9(b + c) is maximised by d = 0, b = c = (1 - a)/2 and the
  // largest a with a <= 1 - a: a = 1/2, b = c = 1/4, welfare 9 + 3a = 21/2. With two actions each CCE = CE.
  it('the max-welfare CE and CCE (1/2, 1/4, 1/4, 0) has welfare 10.5 > 28/3, the best NE', () => {
    for (const r of [solveCe(chicken), solveCce(chicken)]) {
      expect(r.status).toBe('optimal');
      expectVec(r.dist, [0.5, 0.25, 0.25, 0], 1e-12);
      expect(r.welfare).toBeCloseTo(10.5, 12);
    }
    const all = extremeEquilibria(chicken);
    expect(all).toHaveLength(3);
    expect(contains(all, [2 / 3, 1 / 3], [2 / 3, 1 / 3])).toBe(true);
    const best = solveNash(chicken, { method: 'support-enumeration', select: 'max-welfare' });
    expect(best.welfare).toBeCloseTo(28 / 3, 12);
  });

  it("max-min selection gives each player the most the worse-off can get: 21/4", () => {
    // By symmetry (the CE polytope and the objective are symmetric, so averaging an optimum with its mirror image is
    // optimal too) the max-min optimum may be taken symmetric; then min payoff = welfare / 2 <= 21/4.
    const r = solveCe(chicken, { selection: 'max-min' });
    expect(Math.min(r.payoffs[0], r.payoffs[1])).toBeCloseTo(21 / 4, 12);
  });
});

describe("Shapley's game (Shapley 1964)", () => {
  it('has the unique NE uniform (payoff 1/3 each), and a CE with welfare 1', () => {
    const u = [1 / 3, 1 / 3, 1 / 3];
    const all = extremeEquilibria(shapley);
    expect(all).toHaveLength(1);
    expect(contains(all, u, u)).toBe(true);
    const ne = solveNash(shapley);
    expect(ne.method).toBe('lemke-howson');
    expectVec(ne.marginals[0], u, 1e-12);
    expectVec(ne.marginals[1], u, 1e-12);
    // Fictitious play cycles on this game (Shapley 1964); the LP does not care. Uniform over the six off-diagonal
    // cells is a CE: told a, player 0 faces b = a + 1 or a - 1 equally and earns 1/2 by obeying, 1/2 by switching to
    // a + 1 and 0 by switching to a - 1 (symmetrically for player 1). Off-diagonal cells have welfare exactly 1 and
    // diagonal ones 0, so 1 is the largest welfare of any distribution.
    const ce = solveCe(shapley);
    expect(ce.welfare).toBeCloseTo(1, 12);
    expect(ce.gap).toBeLessThanOrEqual(TOL);
  });
});

describe("prisoner's dilemma", () => {
  it('defect/defect is the unique NE, CE and CCE, even when cooperation would pay more', () => {
    // Defect strictly dominates (5 > 3, 1 > 0), so no equilibrium, correlated or not, puts mass on cooperate.
    expect(pureNashEquilibria(prisoners)).toEqual([3]);
    expect(extremeEquilibria(prisoners)).toHaveLength(1);
    for (const selection of ['welfare', 'max-min', 'none'] as const) {
      expectVec(solveCe(prisoners, { selection }).dist, [0, 0, 0, 1], 1e-12);
      expectVec(solveCce(prisoners, { selection }).dist, [0, 0, 0, 1], 1e-12);
    }
    const ne = solveNash(prisoners);
    expectVec(ne.dist, [0, 0, 0, 1], 0);
  });
});

describe('stag hunt', () => {
  // Pure (stag, stag) and (hare, hare); mixed: 4 y = 3 gives y = 3/4 on stag, symmetric.
  it('has two pure NE and the mixed (3/4, 1/4)', () => {
    const all = supportEnumeration(stagHunt);
    expect(all).toHaveLength(3);
    expect(contains(all, [1, 0], [1, 0])).toBe(true);
    expect(contains(all, [0, 1], [0, 1])).toBe(true);
    expect(contains(all, [3 / 4, 1 / 4], [3 / 4, 1 / 4])).toBe(true);
    // The payoff-dominant (stag, stag) has the highest welfare of every correlated equilibrium too.
    expectVec(solveCe(stagHunt).dist, [1, 0, 0, 0], 1e-12);
  });
});

describe('von Stengel (2002) examples, Handbook of Game Theory vol. 3, ch. 45', () => {
  const A = [[3, 3], [2, 5], [0, 6]];
  // Nondegenerate (Sec. 2.3): three NE. Checks: ((1,0,0),(1,0)) pure; x = (4/5,1/5,0) makes columns pay 14/5 each and
  // y = (2/3,1/3) makes rows 0, 1 pay 3 (row 2: 2); x = (0,1/3,2/3) makes columns pay 8/3 and y = (1/3,2/3) makes
  // rows 1, 2 pay 4 (row 0: 3).
  const nondeg = bimatrixGame(A, [[3, 2], [2, 6], [3, 1]]);
  // Degenerate (Sec. 2.6): B's first row is (3, 3), so x = (1,0,0) has two best responses. Then row 0 stays best
  // (3 >= 5 - 3 y_0 and 3 >= 6 (1 - y_0)) exactly for y_0 in [2/3, 1]: a segment of equilibria with extreme points
  // y = (1,0) and (2/3,1/3); the mixed ((0,1/3,2/3),(1/3,2/3)) survives (columns pay 8/3, rows 1, 2 pay 4).
  const deg = bimatrixGame(A, [[3, 3], [2, 6], [3, 1]]);

  it('nondegenerate: support enumeration, vertex enumeration and Lemke-Howson agree on the three NE', () => {
    const expected: [number[], number[]][] = [
      [[1, 0, 0], [1, 0]],
      [[4 / 5, 1 / 5, 0], [2 / 3, 1 / 3]],
      [[0, 1 / 3, 2 / 3], [1 / 3, 2 / 3]],
    ];
    for (const list of [supportEnumeration(nondeg), extremeEquilibria(nondeg)]) {
      expect(list).toHaveLength(3);
      for (const [x, y] of expected) expect(contains(list, x, y)).toBe(true);
    }
    for (const e of lemkeHowsonAll(nondeg)) expect(expected.some(([x, y]) => contains([e], x, y))).toBe(true);
  });

  it('degenerate: every Lemke-Howson path ends at one of the three extreme equilibria', () => {
    const expected: [number[], number[]][] = [
      [[1, 0, 0], [1, 0]],
      [[1, 0, 0], [2 / 3, 1 / 3]],
      [[0, 1 / 3, 2 / 3], [1 / 3, 2 / 3]],
    ];
    const ext = extremeEquilibria(deg);
    expect(ext).toHaveLength(3);
    for (const [x, y] of expected) expect(contains(ext, x, y)).toBe(true);
    for (let label = 0; label < 5; label++) {
      const e = lemkeHowson(deg, label);
      expect(expected.some(([x, y]) => contains([e], x, y))).toBe(true);
    }
    expectAllCertified(deg);
  });
});

describe('degenerate games where naive Lemke-Howson fails', () => {
  it('math.stackexchange q. 1151753: a naive tie-break ends at a wrong point; the lexicographic rule does not', () => {
    // From "Lemke-Howson pivoting in degenerate bimatrix games" (math.stackexchange.com/questions/1151753): the first
    // ratio tests tie, and an arbitrary choice can stop the path early. Its extreme equilibria, by vertex enumeration:
    const g = bimatrixGame([[1, 3, 3], [3, 1, 3], [1, 3, 3]], [[3, 3, 1], [1, 1, 3], [3, 1, 3]]);
    const ext = extremeEquilibria(g);
    expect(ext.length).toBeGreaterThanOrEqual(3);
    // (0.5, 0.5, 0) against R is the equilibrium the question expected; (A, M) = (row 0, column 1) is pure.
    expect(contains(ext, [0.5, 0.5, 0], [0, 0, 1])).toBe(true);
    expect(contains(ext, [1, 0, 0], [0, 1, 0])).toBe(true);
    for (let label = 0; label < 6; label++) {
      const e = lemkeHowson(g, label);
      expect(contains(ext, [...e.x], [...e.y])).toBe(true);
      expect(solveNash(g, { method: 'lemke-howson', label }).epsilon).toBeLessThanOrEqual(1e-12);
    }
    expectAllCertified(g);
  });

  it("nashpy's degenerate zero-sum example: value -1/3, Lemke-Howson from every label succeeds", () => {
    // nashpy's documentation shows its Lemke-Howson returning nan on A = [[0,-1,1],[-1,0,1],[-1,1,0]] (zero-sum).
    // By hand: y = (2/3, 1/3, 0) gives rows A y = (-1/3, -2/3, -1/3), so rows 0 and 2 are best; x = (2/3, 0, 1/3)
    // gives columns x^T A = (-1/3, -1/3, 2/3), so the minimiser uses columns 0 and 1: an NE with value -1/3.
    const A = [[0, -1, 1], [-1, 0, 1], [-1, 1, 0]];
    const g = bimatrixGame(A, A.map((r) => r.map((v) => -v)));
    expect(solveZeroSum(g).value).toBeCloseTo(-1 / 3, 14);
    for (let label = 0; label < 6; label++) {
      const e = lemkeHowson(g, label);
      const ne = solveNash(g, { method: 'lemke-howson', label });
      expect(ne.epsilon).toBeLessThanOrEqual(1e-12);
      expect(ne.payoffs[0]).toBeCloseTo(-1 / 3, 12);
      expect(contains(extremeEquilibria(g), [...e.x], [...e.y])).toBe(true);
    }
  });

  it('the all-zero game (every profile is an equilibrium) and a constant game', () => {
    const zero = bimatrixGame([[0, 0], [0, 0]], [[0, 0], [0, 0]]);
    expect(extremeEquilibria(zero)).toHaveLength(4);
    for (let label = 0; label < 4; label++) expect(lemkeHowson(zero, label).x.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expectAllCertified(zero);
    expectAllCertified(bimatrixGame([[2, 2, 2], [2, 2, 2]], [[5, 5, 5], [5, 5, 5]]));
  });
});

describe('zero-sum values', () => {
  it('a 3x3 game with value 1/7', () => {
    // Core 2x2 [[3,-1],[-2,1]] has no saddle point (maximin -1 < minimax 1). Player 0 indifferent: 3x - 2(1-x) =
    // -x + (1-x) gives x = 3/7 and value 9/7 - 8/7 = 1/7; player 1: 3y - (1-y) = -2y + (1-y) gives y = 2/7.
    // Row 2 earns -4(2/7) - 5(5/7) = -33/7 < 1/7 against y; column 2 concedes 4(3/7) + 3(4/7) = 24/7 > 1/7 against x:
    // neither enters, so the NE is unique.
    const A = [[3, -1, 4], [-2, 1, 3], [-4, -5, 5]];
    const g = bimatrixGame(A, A.map((r) => r.map((v) => -v)));
    const zs = solveZeroSum(g);
    expect(zs.value).toBeCloseTo(1 / 7, 14);
    expectVec(zs.x, [3 / 7, 4 / 7, 0], 1e-13);
    expectVec(zs.y, [2 / 7, 5 / 7, 0], 1e-13);
    // Constant-sum works the same (add 10 to both players' payoffs... to player 1's only: U_0 + U_1 = 10).
    const shifted = bimatrixGame(A, A.map((r) => r.map((v) => 10 - v)));
    expect(solveNash(shifted).value).toBeCloseTo(1 / 7, 14);
    // Every CCE pays player 0 the value (see RPS above).
    expect(solveCce(g).payoffs[0]).toBeCloseTo(1 / 7, 12);
  });
});

describe('three players', () => {
  it("Jordan's cyclic matching pennies (Jordan 1993): the unique NE is uniform", () => {
    // 0 wants to match 1, 1 wants to match 2, 2 wants to mismatch 0; no player can be pure in an NE.
    const jordan = normalFormGameFromFunction([2, 2, 2], ([a, b, c]) => [a === b ? 1 : -1, b === c ? 1 : -1, c !== a ? 1 : -1]);
    const ne = solveNash(jordan);
    expect(ne.approximate).toBe(true);
    for (const mi of ne.marginals) expectVec(mi, [0.5, 0.5], 1e-9);
    expect(ne.epsilon).toBeLessThanOrEqual(TOL);
    expectAllCertified(jordan);
  });

  it('an asymmetric cyclic pennies game with the unique NE (1/5, 1/3, 3/4) on action 0', () => {
    // Player 0 gets 2 for (0, 0) and 1 for (1, 1) against player 1 (indifferent iff 2 y1 = 1 - y1: y1 = 1/3);
    // player 1 gets 1 for (0, 0) and 3 for (1, 1) against player 2 (y2 = 3/4); player 2 mismatches player 0, getting
    // 1 for (a2, a0) = (0, 1) and 4 for (1, 0) (indifferent iff 1 - y0 = 4 y0: y0 = 1/5). A pure player 0 makes player
    // 2, then 1, then 0 respond purely and the cycle contradicts itself, so every player mixes: the NE is unique.
    const g = normalFormGameFromFunction([2, 2, 2], ([a0, a1, a2]) => [
      a0 === a1 ? (a0 === 0 ? 2 : 1) : 0,
      a1 === a2 ? (a1 === 0 ? 1 : 3) : 0,
      a2 !== a0 ? (a2 === 0 ? 1 : 4) : 0,
    ]);
    expect(pureNashEquilibria(g)).toEqual([]);
    const r = approximateNash(g);
    expect(r.epsilon).toBeLessThanOrEqual(TOL);
    expectVec(r.marginals[0], [1 / 5, 4 / 5], 1e-9);
    expectVec(r.marginals[1], [1 / 3, 2 / 3], 1e-9);
    expectVec(r.marginals[2], [3 / 4, 1 / 4], 1e-9);
    const ne = solveNash(g);
    expect(ne.method).toBe('logit-homotopy');
    expect(ne.certificate.cceGap).toBeLessThanOrEqual(ne.epsilon + 1e-15);
  });

  it('a three-player coordination game: pure NE found exactly, max-welfare CE is all-choose-the-best', () => {
    // Everyone gets k + 1 when all three choose k (k = 0, 1, 2), 0 otherwise: three strict pure NE (j = 0, 13, 26),
    // plus the six all-different profiles (no single switch makes all three agree, so no one gains); profiles with
    // exactly two agreeing are not NE (the third joins them).
    const g = normalFormGameFromFunction([3, 3, 3], ([a, b, c]) => (a === b && b === c ? [a + 1, a + 1, a + 1] : [0, 0, 0]));
    expect(pureNashEquilibria(g)).toEqual([0, 5, 7, 11, 13, 15, 19, 21, 26]);
    const ne = solveNash(g, { select: 'max-welfare' });
    expect(ne.method).toBe('pure');
    expect(ne.welfare).toBe(9);
    expect(ne.approximate).toBe(false);
    const ce = solveCe(g);
    expect(ce.dist[26]).toBeCloseTo(1, 12);
    expectAllCertified(g);
  });
});
