/**
 * @drmg/equilibria: Nash, correlated (CE) and coarse correlated (CCE) equilibria of normal-form games, each returned
 * with an exact certificate (the EQUILIBRIUM subroutine of the paper's eq. 7).
 * - CCE / CE: `createCceSolver`, `createCeSolver` (reusable, allocation-free dense simplex), `solveCce`, `solveCe`;
 *   `createHighsCorrelatedSolver` (HiGHS reference / fallback).
 * - Nash: `solveNash` (picks a method), `lemkeHowson`, `lemkeHowsonAll`, `supportEnumeration`, `extremeEquilibria`,
 *   `solveZeroSum`, `pureNashEquilibria`, `approximateNash` (m >= 3, certified epsilon).
 * - Certificates: `certify`, `createCertifier`.
 */
export { bimatrixGame, createNormalFormGame, normalFormGameFromFunction, type NormalFormGame } from './normal-form-game.ts';
export { certify, checkDistribution, createCertificate, createCertifier, type Certificate, type Certifier } from './certify.ts';
export { productDistribution } from './product-distribution.ts';
export { incentiveRows, type CorrelatedKind, type IncentiveRows } from './incentive-rows.ts';
export { type EquilibriumResult, type EquilibriumSelection, type EquilibriumStatus } from './equilibrium-result.ts';
export { assertOptimal, createCorrelatedSolver, type CorrelatedSolver, type CorrelatedSolverOptions } from './correlated-equilibrium.ts';
export { createCceSolver, solveCce } from './cce-solver.ts';
export { createCeSolver, solveCe } from './ce-solver.ts';
export { createHighsCorrelatedSolver, type HighsCorrelatedSolver } from './highs-correlated-solver.ts';
export { createZeroSumSolver, solveZeroSum, type ZeroSumSolution, type ZeroSumSolver } from './zero-sum.ts';
export { sameEquilibrium, type BimatrixEquilibrium } from './bimatrix.ts';
export { lemkeHowson, lemkeHowsonAll, type LemkeHowsonResult } from './lemke-howson.ts';
export { supportEnumeration } from './support-enumeration.ts';
export { extremeEquilibria } from './extreme-equilibria.ts';
export { pureNashEquilibria } from './pure-nash.ts';
export { approximateNash, type ApproximateNashOptions, type ApproximateNashResult } from './logit-homotopy.ts';
export { solveNash, type NashMethod, type NashOptions, type NashResult } from './solve-nash.ts';
export { pivot } from './dense-tableau.ts';
