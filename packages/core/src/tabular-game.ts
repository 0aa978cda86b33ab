/**
 * The tabular distributionally robust Markov game (DRMG) held in typed arrays.
 *
 * Layouts (row-major, written once here; every hot loop in drmg uses them):
 * - joint action j: agent 0 most significant (see `joint-action.ts`).
 * - reward:  R[((h*S + s)*J + j)*m + i]            agent i's reward at step h, state s, joint action j
 * - kernel row index r = (h*S + s)*J + j; the nominal kernel P*_h(.|s,j) is stored in CSR form:
 *            entries k in [rowStart[r], rowStart[r+1]) with next state next[k] and probability prob[k];
 *            only positive entries are stored, next states strictly increasing inside a row,
 *            and every row sums to 1 exactly (renormalised on input).
 * - radius:  rho[(i*H + h)*S + s]                  agent i's radius at step h, state s (same for all j)
 * - initial: mu[s]
 * Steps h = 0..H-1 (the paper's h = 1..H).
 */
import type { JointActionLayout } from './joint-action.ts';
import type { StateIndexArray } from './kernel-index.ts';

/** Divergence of the uncertainty set: total variation (0.5*||P - P*||_1 <= rho) or KL(P || P*) <= rho. */
export type Divergence = 'tv' | 'kl';

/** A transition kernel in compressed sparse rows, row r = (h*S + s)*J + j (see the file header). */
export interface Kernel {
  /** Length H*S*J + 1; row r occupies entries [rowStart[r], rowStart[r+1]). */
  readonly rowStart: Int32Array;
  /**
   * Next state of each stored entry, strictly increasing within a row: a Uint16Array when S <= 65,536 (as every
   * builder allocates it, `stateIndexArray` in `kernel-index.ts`), else an Int32Array.
   */
  readonly next: StateIndexArray;
  /** Probability of each stored entry, > 0, each row summing to 1. */
  readonly prob: Float64Array;
}

/** Optional human-readable names for states and actions. */
export interface GameLabels {
  /** states[s]: name of state s. */
  readonly states?: readonly string[];
  /** actions[i][a]: name of agent i's action a. */
  readonly actions?: readonly (readonly string[])[];
}

/**
 * A finite-horizon tabular DRMG (paper Sec. 2): m agents, S states, horizon H, actions A[i],
 * deterministic rewards in [0, 1], nominal kernel P*, and each agent's (s,a)-rectangular
 * uncertainty set of radius rho_i(h, s) under one divergence.
 */
export interface TabularGame {
  /** A name for reports (the `name` field of drmg-game/1). */
  readonly name: string;
  /** Number of agents. */
  readonly m: number;
  /** Number of states. */
  readonly S: number;
  /** Horizon (number of steps). */
  readonly H: number;
  /** Actions per agent. */
  readonly A: readonly number[];
  /** Number of joint actions, prod A[i]. */
  readonly J: number;
  /** Joint-action encode/decode tables. */
  readonly layout: JointActionLayout;
  /** Initial distribution mu[s], sums to 1. */
  readonly initial: Float64Array;
  /** R[((h*S + s)*J + j)*m + i] in [0, 1]. */
  readonly reward: Float64Array;
  /** Nominal kernel P*, CSR rows r = (h*S + s)*J + j. */
  readonly kernel: Kernel;
  /** Divergence of every agent's uncertainty set. */
  readonly divergence: Divergence;
  /** rho[(i*H + h)*S + s] >= 0. */
  readonly radius: Float64Array;
  /** failureStates[i]: agent i's failure states (Assumption 1), if the game claims them. */
  readonly failureStates?: readonly (readonly number[])[];
  /** Optional labels for states and actions. */
  readonly labels?: GameLabels;
  /** Unknown top-level fields of the source file, kept so that writing preserves them. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * A joint, possibly correlated, Markov policy: pi[(h*S + s)*J + j] = pi_h(j | s), rows summing to 1.
 * A product policy is also representable here (the product of its marginals).
 */
export interface JointPolicy {
  readonly kind: 'joint';
  /** Horizon, states and joint actions of the game it belongs to. */
  readonly H: number;
  readonly S: number;
  readonly J: number;
  /** pi[(h*S + s)*J + j]. */
  readonly prob: Float64Array;
}

/**
 * A product policy given per agent: marginals[i][(h*S + s)*A[i] + a] = pi_{i,h}(a | s).
 */
export interface ProductPolicy {
  readonly kind: 'product';
  readonly H: number;
  readonly S: number;
  /** Actions per agent. */
  readonly A: readonly number[];
  /** One flat table per agent, rows summing to 1. */
  readonly marginals: readonly Float64Array[];
}

/** Either policy representation. */
export type Policy = JointPolicy | ProductPolicy;
