/**
 * The checker of the paper's Assumption 1 (failure states, TV analysis): for each agent i, a
 * non-empty set S_i^f with r_i(h, s, j) = 0 and P*_h(S_i^f | s, j) = 1 for all h, j and s in S_i^f.
 */
import type { TabularGame } from '@drmg/core';

/** One violation of the failure-state conditions. */
export interface FailureStateViolation {
  readonly agent: number;
  readonly h: number;
  readonly s: number;
  readonly j: number;
  /** What fails: a non-zero reward, or mass leaving the set. */
  readonly kind: 'reward' | 'leaves';
  /** The reward, or the mass kept inside the set. */
  readonly value: number;
}

/** Per-agent findings. */
export interface AgentFailureStates {
  readonly agent: number;
  /** The claimed failure states (argument or game.failureStates), or null when none are claimed. */
  readonly claimed: readonly number[] | null;
  /** Violations of the claim (first `maxViolations`), empty when it holds. */
  readonly violations: readonly FailureStateViolation[];
  /** The largest set that satisfies the conditions (zero reward, closed under P*); may be empty. */
  readonly maximal: readonly number[];
}

/** The report of `checkFailureStateAssumption`. */
export interface FailureStateReport {
  /** True iff every agent has a non-empty valid failure set (its claim if given, else the maximal set). */
  readonly holds: boolean;
  readonly agents: readonly AgentFailureStates[];
  /** One line per problem, naming agent, h, s, j. */
  readonly messages: readonly string[];
}

const tol = 1e-9;

function violationsOf(game: TabularGame, i: number, inSet: Uint8Array, maxViolations: number): FailureStateViolation[] {
  const { S, H, J, m, reward } = game;
  const { rowStart, next, prob } = game.kernel;
  const out: FailureStateViolation[] = [];
  for (let h = 0; h < H && out.length < maxViolations; h++) {
    for (let s = 0; s < S && out.length < maxViolations; s++) {
      if (!inSet[s]) continue;
      for (let j = 0; j < J && out.length < maxViolations; j++) {
        const r = (h * S + s) * J + j;
        const rew = reward[r * m + i];
        if (rew !== 0) out.push({ agent: i, h, s, j, kind: 'reward', value: rew });
        let mass = 0;
        for (let k = rowStart[r]; k < rowStart[r + 1]; k++) if (inSet[next[k]]) mass += prob[k];
        if (mass < 1 - tol && out.length < maxViolations) out.push({ agent: i, h, s, j, kind: 'leaves', value: mass });
      }
    }
  }
  return out;
}

/**
 * Reports where Assumption 1 fails: checks each agent's claimed failure states (`failureStates`,
 * default the game's claim) and computes the maximal valid set (start from the states where agent
 * i's reward is 0 at every h, j; repeatedly drop states from which some (h, j) leaks mass out).
 */
export function checkFailureStateAssumption(
  game: TabularGame,
  failureStates: readonly (readonly number[])[] | undefined = game.failureStates,
  maxViolations = 10,
): FailureStateReport {
  const { S, H, J, m, reward } = game;
  const { rowStart, next, prob } = game.kernel;
  const agents: AgentFailureStates[] = [];
  const messages: string[] = [];
  let holds = true;
  for (let i = 0; i < m; i++) {
    const claimed = failureStates?.[i] ?? null;
    let violations: FailureStateViolation[] = [];
    if (claimed !== null) {
      const inSet = new Uint8Array(S);
      for (const s of claimed) if (Number.isInteger(s) && s >= 0 && s < S) inSet[s] = 1;
      violations = violationsOf(game, i, inSet, maxViolations);
      for (const v of violations) {
        messages.push(
          v.kind === 'reward'
            ? `agent ${i}: reward ${v.value} at h ${v.h}, s ${v.s}, j ${v.j}, expected 0 in a failure state`
            : `agent ${i}: at h ${v.h}, s ${v.s}, j ${v.j} only ${v.value} of the mass stays in {${claimed.join(', ')}}, expected 1 (absorbing)`,
        );
      }
      if (claimed.length === 0) messages.push(`agent ${i}: the claimed failure set is empty`);
    }
    // Maximal set: zero-reward states, then prune until closed under every (h, j).
    const inMax = new Uint8Array(S);
    for (let s = 0; s < S; s++) {
      let zero = true;
      for (let h = 0; h < H && zero; h++) for (let j = 0; j < J && zero; j++) if (reward[((h * S + s) * J + j) * m + i] !== 0) zero = false;
      inMax[s] = zero ? 1 : 0;
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (let s = 0; s < S; s++) {
        if (!inMax[s]) continue;
        let closed = true;
        for (let h = 0; h < H && closed; h++) {
          for (let j = 0; j < J && closed; j++) {
            const r = (h * S + s) * J + j;
            let mass = 0;
            for (let k = rowStart[r]; k < rowStart[r + 1]; k++) if (inMax[next[k]]) mass += prob[k];
            if (mass < 1 - tol) closed = false;
          }
        }
        if (!closed) {
          inMax[s] = 0;
          changed = true;
        }
      }
    }
    const maximal: number[] = [];
    for (let s = 0; s < S; s++) if (inMax[s]) maximal.push(s);
    if (claimed === null && maximal.length === 0) messages.push(`agent ${i}: no state has zero reward and is absorbing; Assumption 1 cannot hold`);
    const ok = claimed !== null ? claimed.length > 0 && violations.length === 0 : maximal.length > 0;
    holds &&= ok;
    agents.push({ agent: i, claimed: claimed === null ? null : [...claimed], violations, maximal });
  }
  return { holds, agents, messages };
}
