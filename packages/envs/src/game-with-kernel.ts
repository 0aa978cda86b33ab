/** A copy of a game with another nominal kernel and/or radius: to evaluate exactly what an adversarial environment samples. */
import { checkFailureStates, createTabularGame, gameParts, type Kernel, type TabularGame } from '@drmg/core';

/** Options of `gameWithKernel`. */
export interface GameWithKernelOptions {
  /** A new radius for every agent and (h, s) (default: keep the game's radii). */
  readonly radius?: number;
}

/**
 * The game with nominal kernel `kernel` (and radius `options.radius` if given): with radius 0 its
 * exact values are the expected returns of an environment that samples from `kernel`.
 * Failure-state claims are kept only where they still hold under the new kernel.
 * @throws DrmgError when `kernel` does not fit the game.
 */
export function gameWithKernel(game: TabularGame, kernel: Kernel, options: GameWithKernelOptions = {}): TabularGame {
  const out = createTabularGame({
    ...gameParts(game),
    kernel,
    radius: options.radius ?? game.radius,
    ...(game.labels ? { labels: game.labels } : {}),
    ...(game.extra ? { extra: { ...game.extra } } : {}),
  });
  if (game.failureStates === undefined || checkFailureStates(out, game.failureStates) !== null) return out;
  return { ...out, failureStates: game.failureStates };
}
