/**
 * @drmg/equilibria: Nash, correlated (CE) and coarse correlated (CCE) equilibria of normal-form games, each returned
 * with an exact certificate (the EQUILIBRIUM subroutine of the paper's eq. 7).
 * - CCE / CE: `createCceSolver`, `createCeSolver` (reusable, allocation-free dense simplex), `solveCce`, `solveCe`;
 *   `createHighsCorrelatedSolver` (HiGHS reference / fallback).
 * - Nash: `solveNash` (picks a method), `lemkeHowson`, `lemkeHowsonAll`, `supportEnumeration`, `extremeEquilibria`,
 *   `solveZeroSum`, `pureNashEquilibria`, `approximateNash` (m >= 3, certified epsilon).
 * - Certificates: `certify`, `createCertifier`.
 */
export * from './normal-form-game.ts';
export * from './certify.ts';
export * from './product-distribution.ts';
export * from './incentive-rows.ts';
export * from './equilibrium-result.ts';
export * from './correlated-equilibrium.ts';
export * from './cce-solver.ts';
export * from './ce-solver.ts';
export * from './highs-correlated-solver.ts';
export * from './zero-sum.ts';
export * from './bimatrix.ts';
export * from './lemke-howson.ts';
export * from './support-enumeration.ts';
export * from './extreme-equilibria.ts';
export * from './pure-nash.ts';
export * from './logit-homotopy.ts';
export * from './solve-nash.ts';
export * from './dense-tableau.ts';
export * from './linear-solve.ts';
