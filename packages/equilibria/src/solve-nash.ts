/**
 * Nash equilibria of normal-form games, picking the method by the game (EQUILIBRIUM = NASH in the paper's eq. 7):
 * - one player: a best action (exact);
 * - two players, constant-sum: the minimax LP (exact; also returns the value);
 * - two players, general sum: Lemke-Howson from label `label` (exact up to rounding), or with
 *   select 'max-welfare' the best of the equilibria found from every starting label;
 * - three or more players: a pure equilibrium if one exists (exact), otherwise the logit homotopy with Newton
 *   polish (`approximateNash`): approximate, with its certified epsilon.
 * Every result carries the certificate of the product distribution, computed from the payoffs.
 */
import { inputError } from '@drmg/core';
import { createCertifier, createCertificate } from './certify.ts';
import type { Certificate } from './certify.ts';
import { lemkeHowson, lemkeHowsonAll } from './lemke-howson.ts';
import { supportEnumeration } from './support-enumeration.ts';
import { approximateNash } from './logit-homotopy.ts';
import type { ApproximateNashOptions } from './logit-homotopy.ts';
import { pureNashEquilibria } from './pure-nash.ts';
import { productDistribution } from './product-distribution.ts';
import { isConstantSum, solveZeroSum } from './zero-sum.ts';
import type { BimatrixEquilibrium } from './bimatrix.ts';
import type { NormalFormGame } from './normal-form-game.ts';

/** Which Nash method to use; 'auto' picks by the number of players and constant-sum structure (file header). */
export type NashMethod = 'auto' | 'zero-sum-lp' | 'lemke-howson' | 'support-enumeration' | 'logit-homotopy';

/** Options of `solveNash`. */
export interface NashOptions {
  /** Method (default 'auto'). */
  readonly method?: NashMethod;
  /** Lemke-Howson's first dropped label (default 0). */
  readonly label?: number;
  /**
   * 'first' (default): the equilibrium the method reaches first; 'max-welfare': the highest total payoff among those
   * it finds (Lemke-Howson from every label, all of support enumeration, all pure equilibria for m >= 3).
   */
  readonly select?: 'first' | 'max-welfare';
  /** Options of the m >= 3 approximate method. */
  readonly approximate?: ApproximateNashOptions;
}

/** A Nash equilibrium: per-player mixed strategies, their product distribution and its certificate. */
export interface NashResult {
  /** marginals[i][a]: player i's mixed strategy. */
  readonly marginals: Float64Array[];
  /** dist[j] = prod_i marginals[i][a_i(j)]. */
  readonly dist: Float64Array;
  /** payoffs[i] = sum_j dist[j] U_i(j). */
  readonly payoffs: Float64Array;
  /** sum_i payoffs[i]. */
  readonly welfare: number;
  /** Certificate of `dist`; certificate.cceGap is the NE gap max_i (max_b u_i(b, x_-i) - u_i(x)). */
  readonly certificate: Certificate;
  /** max(0, certificate.cceGap): how far from an exact equilibrium the returned profile is. */
  readonly epsilon: number;
  /** True when the method only approximates (the m >= 3 homotopy); false for exact methods (LP, Lemke-Howson, pure). */
  readonly approximate: boolean;
  /** The method that produced it. */
  readonly method: 'single-player' | 'pure' | 'zero-sum-lp' | 'lemke-howson' | 'support-enumeration' | 'logit-homotopy';
  /** For two-player constant-sum games: the value for player 0. */
  readonly value?: number;
}

function result(game: NormalFormGame, marginals: Float64Array[], method: NashResult['method'], approximate: boolean, value?: number): NashResult {
  const { m, J, payoff } = game;
  const dist = productDistribution(game.layout, marginals);
  const certificate = createCertifier(game.A).certify(payoff, dist, createCertificate(m));
  const payoffs = new Float64Array(m);
  for (let j = 0; j < J; j++) for (let i = 0; i < m; i++) payoffs[i] += dist[j] * payoff[j * m + i];
  let welfare = 0;
  for (let i = 0; i < m; i++) welfare += payoffs[i];
  const out: NashResult = { marginals, dist, payoffs, welfare, certificate, epsilon: Math.max(0, certificate.cceGap), approximate, method };
  return value === undefined ? out : { ...out, value };
}

function pureMarginals(game: NormalFormGame, j: number): Float64Array[] {
  const marginals: Float64Array[] = [];
  for (let i = 0; i < game.m; i++) {
    const mi = new Float64Array(game.A[i]);
    mi[game.layout.actionOf[j * game.m + i]] = 1;
    marginals.push(mi);
  }
  return marginals;
}

function welfareOf(game: NormalFormGame, e: BimatrixEquilibrium): number {
  const n2 = game.A[1];
  let w = 0;
  for (let a = 0; a < game.A[0]; a++) {
    if (e.x[a] === 0) continue;
    for (let b = 0; b < n2; b++) w += e.x[a] * e.y[b] * (game.payoff[(a * n2 + b) * 2] + game.payoff[(a * n2 + b) * 2 + 1]);
  }
  return w;
}

function bestByWelfare(game: NormalFormGame, list: readonly BimatrixEquilibrium[]): BimatrixEquilibrium {
  let best = list[0];
  let bestW = welfareOf(game, best);
  for (let k = 1; k < list.length; k++) {
    const w = welfareOf(game, list[k]);
    if (w > bestW + 1e-12) {
      best = list[k];
      bestW = w;
    }
  }
  return best;
}

/**
 * A Nash equilibrium of `game` with its certificate; the method is chosen as in the file header unless
 * `options.method` forces one.
 * @throws DrmgError when a forced method does not fit the game (e.g. 'lemke-howson' with three players,
 *   'zero-sum-lp' on a game that is not constant-sum) or an option is invalid.
 * @example solveNash(battleOfTheSexes, { select: 'max-welfare' }).marginals
 */
export function solveNash(game: NormalFormGame, options: NashOptions = {}): NashResult {
  const method = options.method ?? 'auto';
  const select = options.select ?? 'first';
  if (select !== 'first' && select !== 'max-welfare') inputError('options.select', `expected 'first' or 'max-welfare', got ${JSON.stringify(select)}`);
  const { m, J } = game;
  if (m === 1 && method === 'auto') {
    let best = 0;
    for (let j = 1; j < J; j++) if (game.payoff[j] > game.payoff[best]) best = j;
    return result(game, pureMarginals(game, best), 'single-player', false);
  }
  const twoPlayerOnly = method === 'zero-sum-lp' || method === 'lemke-howson' || method === 'support-enumeration';
  if (twoPlayerOnly && m !== 2) inputError('options.method', `'${method}' needs a two-player game, got ${m} players`);
  if (method === 'zero-sum-lp' || (method === 'auto' && m === 2 && isConstantSum(game))) {
    const zs = solveZeroSum(game);
    return result(game, [zs.x, zs.y], 'zero-sum-lp', false, zs.value);
  }
  if (method === 'lemke-howson' || (method === 'auto' && m === 2)) {
    const e = select === 'max-welfare' ? bestByWelfare(game, lemkeHowsonAll(game)) : lemkeHowson(game, options.label ?? 0);
    return result(game, [e.x, e.y], 'lemke-howson', false);
  }
  if (method === 'support-enumeration') {
    const all = supportEnumeration(game);
    if (all.length === 0) {
      // Degenerate games can defeat support enumeration; Lemke-Howson always finds one.
      const e = lemkeHowson(game, options.label ?? 0);
      return result(game, [e.x, e.y], 'lemke-howson', false);
    }
    const e = select === 'max-welfare' ? bestByWelfare(game, all) : all[0];
    return result(game, [e.x, e.y], 'support-enumeration', false);
  }
  if (method === 'auto') {
    const pure = pureNashEquilibria(game);
    if (pure.length > 0) {
      let best = pure[0];
      if (select === 'max-welfare') {
        let bestW = -Infinity;
        for (const j of pure) {
          let w = 0;
          for (let i = 0; i < m; i++) w += game.payoff[j * m + i];
          if (w > bestW) {
            bestW = w;
            best = j;
          }
        }
      }
      return result(game, pureMarginals(game, best), 'pure', false);
    }
  } else if (method !== 'logit-homotopy') {
    inputError('options.method', `expected 'auto', 'zero-sum-lp', 'lemke-howson', 'support-enumeration' or 'logit-homotopy', got ${JSON.stringify(method)}`);
  }
  if (m < 2) inputError('options.method', `'logit-homotopy' needs at least two players, got ${m}`);
  const r = approximateNash(game, options.approximate);
  return result(game, r.marginals, 'logit-homotopy', true);
}
