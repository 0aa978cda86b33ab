/**
 * The EQUILIBRIUM subroutine of eq. 7 as one reusable object: given the stage game U[j*m + i] (agent i's payoff
 * at joint action j, agent 0 most significant), write an equilibrium distribution over joint actions.
 *
 * - 'cce', 'ce': the LP solvers of @drmg/equilibria (dense dual simplex, maximum-welfare selection).
 *   When the LP path reports trouble (status 'failed' or 'inaccurate'), the backups are the CE LP (for CCE: a CE is a
 *   CCE) and then a Nash equilibrium (a CE and a CCE); the best certificate wins and is returned.
 * - 'nash': `solveNash` of @drmg/equilibria: two agents by the minimax LP (constant-sum) or Lemke-Howson from label 0
 *   (exact up to rounding); three or more by a pure equilibrium when there is one, else the logit homotopy
 *   (approximate: its certified epsilon is returned as the gap). The product of the marginals is written as the
 *   joint distribution and the marginals are kept in `marginals`.
 * - One agent (A = [n]): the equilibrium of a one-player game is a best action, the first argmax.
 * - A stage game in which every agent's payoff is the same at every joint action (typical of optimistic planning,
 *   where eq. 5 clips every entry at the value range) is solved by the uniform distribution: every distribution
 *   is then an exact NE, CE and CCE, and the uniform one explores where the LP's vertex would always pick j = 0.
 *
 * Layouts: payoff U[j*m + i], length J*m; outDist[outOffset + j], length J.
 */
import { inputError, jointActionLayout } from '@drmg/core';
import type { JointActionLayout } from '@drmg/core';
import { createCceSolver, createCeSolver, createCertificate, createCertifier, createNormalFormGame, solveNash } from '@drmg/equilibria';
import type { CorrelatedSolver } from '@drmg/equilibria';

/** Which equilibrium the stage games are solved for (eq. 7): Nash (product), CCE or CE (correlated). */
export type StageEquilibrium = 'nash' | 'cce' | 'ce';

/** The equilibrium names accepted by `createStageSolver` (and by `--param equilibrium=`). */
export const STAGE_EQUILIBRIA: readonly StageEquilibrium[] = ['nash', 'cce', 'ce'];

/** A reusable stage-game solver for fixed action counts. */
export interface StageSolver {
  /** The equilibrium concept solved for. */
  readonly equilibrium: StageEquilibrium;
  /** Joint-action layout of the stage games. */
  readonly layout: JointActionLayout;
  /** For 'nash': the marginals of the last solve, marginals[i][a]; null for 'cce' and 'ce'. */
  readonly marginals: readonly Float64Array[] | null;
  /** How many solves the LP path reported trouble on and a backup (CE LP, then Nash) was used. */
  readonly fallbacks: number;
  /**
   * Solves the stage game U[j*m + i] and writes its equilibrium into outDist[outOffset .. outOffset + J); returns the
   * certified gap of what was written: the NE / CCE deviation gain ('nash', 'cce') or the CE swap gain ('ce'),
   * max over agents (<= 1e-9 for 'cce', 'ce' and two-agent 'nash'; the homotopy's epsilon for 3+ agents).
   * @throws DrmgError ('input') when payoff or outDist is too short or holds a non-finite value.
   */
  solve(payoff: Float64Array, outDist: Float64Array, outOffset?: number): number;
}

/**
 * Builds the EQUILIBRIUM subroutine of eq. 7 for actions A: pi_h(.|s) = EQUILIBRIUM({U_i}_i) (see the file header
 * for the methods and the tie rule for constant stage games).
 * @throws DrmgError ('input') when A is not a list of positive integers or the equilibrium is not nash, cce or ce.
 * @example const st = createStageSolver([2, 2], 'cce'); st.solve(U, dist);
 */
export function createStageSolver(A: readonly number[], equilibrium: StageEquilibrium): StageSolver {
  if (equilibrium !== 'nash' && equilibrium !== 'cce' && equilibrium !== 'ce') {
    inputError('equilibrium', `expected one of nash, cce, ce, got ${JSON.stringify(equilibrium)}`);
  }
  const layout = jointActionLayout(A);
  const { m, J, actionOf } = layout;
  const marginals: Float64Array[] | null = equilibrium === 'nash' ? A.map((n) => new Float64Array(n)) : null;
  const dist = new Float64Array(J);
  let lp: CorrelatedSolver | null = null;
  if (m >= 2 && equilibrium !== 'nash') lp = equilibrium === 'cce' ? createCceSolver(A) : createCeSolver(A);
  // A CE is a CCE: the CE LP backs up the CCE LP when the latter reports trouble.
  const backupLp: CorrelatedSolver | null = lp !== null && equilibrium === 'cce' ? createCeSolver(A) : null;
  const backup = new Float64Array(J);
  const nashMarginals = A.map((n) => new Float64Array(n));
  const certifier = createCertifier(A);
  const certificate = createCertificate(m);

  const state = { fallbacks: 0 };

  /** Writes the product of `marginals` into dist. */
  function productOfMarginals(ms: readonly Float64Array[]): void {
    for (let j = 0; j < J; j++) {
      let p = 1;
      for (let i = 0; i < m; i++) p *= ms[i][actionOf[j * m + i]];
      dist[j] = p;
    }
  }

  function solveInto(payoff: Float64Array): number {
    // Constant stage game: every distribution is an equilibrium; take the uniform one.
    let constant = true;
    for (let j = 1; j < J && constant; j++) {
      for (let i = 0; i < m; i++) {
        if (payoff[j * m + i] !== payoff[i]) {
          constant = false;
          break;
        }
      }
    }
    if (constant) {
      dist.fill(1 / J);
      if (marginals !== null) for (let i = 0; i < m; i++) marginals[i].fill(1 / A[i]);
      return 0;
    }
    if (m === 1) {
      let best = 0;
      for (let j = 1; j < J; j++) if (payoff[j] > payoff[best]) best = j;
      dist.fill(0);
      dist[best] = 1;
      if (marginals !== null) {
        marginals[0].fill(0);
        marginals[0][best] = 1;
      }
      return 0;
    }
    if (lp !== null) {
      const r = lp.solve(payoff, dist);
      if (r.status === 'optimal') return r.gap;
      state.fallbacks++;
      // The fast LP path reported trouble: a CE is also a CCE, and a Nash equilibrium is both.
      let gap = r.status === 'inaccurate' ? r.gap : Infinity;
      if (gap < Infinity) backup.set(dist);
      if (backupLp !== null) {
        const r2 = backupLp.solve(payoff, dist);
        if (r2.status !== 'failed') {
          certifier.certify(payoff, dist, certificate);
          if (certificate.cceGap <= 1e-9) return certificate.cceGap;
          if (certificate.cceGap < gap) {
            gap = certificate.cceGap;
            backup.set(dist);
          }
        }
      }
      nash(payoff);
      certifier.certify(payoff, dist, certificate);
      const neGap = equilibrium === 'ce' ? certificate.ceGap : certificate.cceGap;
      if (neGap <= gap) return neGap;
      dist.set(backup);
      return gap;
    }
    return nash(payoff);
  }

  /** A Nash equilibrium into dist and marginals (`solveNash`: exact for 1-2 agents, certified epsilon for 3+); its NE gap. */
  function nash(payoff: Float64Array): number {
    const ms = marginals ?? nashMarginals;
    const eq = solveNash(createNormalFormGame(A, payoff, 'stage'));
    for (let i = 0; i < m; i++) ms[i].set(eq.marginals[i]);
    productOfMarginals(ms);
    return eq.certificate.cceGap;
  }

  return {
    equilibrium,
    layout,
    marginals,
    get fallbacks(): number {
      return state.fallbacks;
    },
    solve(payoff: Float64Array, outDist: Float64Array, outOffset = 0): number {
      if (payoff.length < J * m) inputError('payoff', `expected ${J * m} entries (J = ${J} x m = ${m}), got ${payoff.length}`);
      for (let k = 0; k < J * m; k++) {
        const v = payoff[k];
        if (!(v - v === 0)) inputError(`payoff[${Math.floor(k / m)}][${k % m}]`, `expected a finite number, got ${v}`);
      }
      if (!(outOffset >= 0) || outOffset + J > outDist.length) {
        inputError('outDist', `expected room for ${J} entries from offset ${outOffset}, got length ${outDist.length}`);
      }
      const gap = solveInto(payoff.length === J * m ? payoff : payoff.subarray(0, J * m));
      for (let j = 0; j < J; j++) outDist[outOffset + j] = dist[j];
      return gap;
    },
  };
}
