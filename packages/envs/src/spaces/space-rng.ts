/**
 * The generator behind `space.sample()` without an argument: each space owns one, seeded with
 * `DEFAULT_SPACE_SEED` on first use unless `space.seed(n)` chose another seed (Gymnasium's
 * `space.seed` / `space.np_random`, except that the default is a documented constant, so an
 * unseeded space still samples the same values in every run).
 */
import { createRng, inputError, type Rng } from '@drmg/core';

/** The seed of a space's own generator until `space.seed(n)` is called: 0. */
export const DEFAULT_SPACE_SEED = 0;

/** A space's own seeded generator, created lazily; `pick` chooses between it and a caller's generator. */
export class SpaceRng {
  private rng: Rng | undefined;

  /**
   * Reseeds the space's own generator with createRng(seed).
   * @throws DrmgError when `seed` is neither a finite number nor a string.
   */
  seed(seed: number | string, where: string): void {
    if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
      inputError(`${where}.seed(seed)`, `expected a finite number or a string, got ${typeof seed === 'number' ? String(seed) : JSON.stringify(seed)}`);
    }
    this.rng = createRng(seed);
  }

  /**
   * The caller's generator when one is given, else the space's own (seeded with DEFAULT_SPACE_SEED if never seeded).
   * @throws DrmgError when `rng` is given but is not a generator function.
   */
  pick(rng: unknown, where: string): Rng {
    if (rng === undefined) return (this.rng ??= createRng(DEFAULT_SPACE_SEED));
    if (typeof rng !== 'function') {
      inputError(
        `${where}.sample(rng)`,
        `expected a generator () => number in [0, 1) such as createRng(seed) from @drmg/core, or no argument (the space's own generator: space.seed(n), default seed ${DEFAULT_SPACE_SEED}), got ${rng === null ? 'null' : typeof rng}`,
      );
    }
    return rng as Rng;
  }
}
