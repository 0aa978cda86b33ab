/**
 * A TV game's kernel with every row stored dense, for the evaluator's own reading. A row of a CSR kernel that is
 * neither dense nor very sparse (from S/8 to S entries on average) costs an evaluation a scatter into a zeroed block and a clear
 * after (`robustExpectationSteps`), once per agent and step: on a random game of S = 50 with supports of 1..50 states
 * that was a third of the evaluation. Written out once when the evaluator is made (for rows of S/4 entries or more on
 * average, so at most 4 x the kernel's memory), rows are read in place instead.
 *
 * Only for TV: the TV ball allows support shift (the worst case moves mass onto the argmin of V over every state),
 * so a zero stored in a dense row changes no robust expectation, and the scatter made exactly these dense rows,
 * so the numbers are the block path's, bit for bit. KL's ball keeps the support of P, and a dense row is read as
 * "every state in the support": a KL game keeps its CSR kernel.
 *
 * The view is the evaluator's own (no one else can write into it); the game's guard still checks, at every
 * evaluation, the checksums of the game's rows that the view's rows copy.
 */
import { stateIndexArray } from '@drmg/core';
import type { TabularGame } from '@drmg/core';

/** Most entries of a dense view (8 bytes of probability and 2 of next state each: 40 MB). */
export const DENSE_VIEW_MAX_ENTRIES = 4_194_304;

/**
 * Whether the dense view pays for `game`: TV, not dense already, rows averaging at least S/4 entries (so the view
 * costs at most 4 x the memory of the kernel; rows of S/8 to S/4 entries stay with the block, sparser rows are taken
 * one by one), and at most DENSE_VIEW_MAX_ENTRIES entries once dense.
 */
export function wantsDenseTvView(game: TabularGame): boolean {
  const rows = game.H * game.S * game.J;
  const dense = rows * game.S;
  const nnz = game.kernel.prob.length;
  return game.divergence === 'tv' && nnz < dense && 4 * nnz >= dense && dense <= DENSE_VIEW_MAX_ENTRIES;
}

/**
 * The game with its kernel written out dense: row r at entries [r*S, (r + 1)*S), entry r*S + sp the probability of
 * next state sp (0 off the row's support). Every other field is the game's own.
 * @throws DrmgError ('input', 'S') through stateIndexArray when the game's S is not a positive integer.
 */
export function denseTvView(game: TabularGame): TabularGame {
  const { S, H, J } = game;
  const { rowStart, next, prob } = game.kernel;
  const rows = H * S * J;
  const dProb = new Float64Array(rows * S);
  const dNext = stateIndexArray(S, rows * S);
  const dStart = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) {
    const base = r * S;
    dStart[r] = base;
    for (let sp = 0; sp < S; sp++) dNext[base + sp] = sp;
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) dProb[base + next[e]] = prob[e];
  }
  dStart[rows] = rows * S;
  return { ...game, kernel: { rowStart: dStart, next: dNext, prob: dProb } };
}
