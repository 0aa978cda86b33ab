/**
 * The upper bounds drmg puts on what it is asked to do, declared once: every entry point (command-line
 * flags, compare config files, library options) checks its numbers against these, and every help text
 * and document quotes them from here. A bound exists so that a typo (`--episodes 9007199254740991`) is an
 * error at once instead of a run that never ends or a buffer that cannot be allocated.
 */
import { constants as bufferConstants } from 'node:buffer';
import { MAX_DENSE_ENTRIES } from './input-checks.ts';

/** Episodes K of one run (`drmg train --episodes`, compare's `episodes`, `train({ episodes })`): 10,000,000. */
export const MAX_EPISODES = 10_000_000;

/** `--eval-every N`: an evaluation interval larger than MAX_EPISODES means "only the last episode", so it is the bound. */
export const MAX_EVAL_EVERY = MAX_EPISODES;

/** compare's `evalPoints` / `--eval-points`: exact gap evaluations per run, 100,000. */
export const MAX_EVAL_POINTS = 100_000;

/** Episodes of a Monte Carlo rollout (`drmg rollout --episodes`, compare's `rolloutEpisodes`): 10,000,000. */
export const MAX_ROLLOUT_EPISODES = 10_000_000;

/** compare's `seeds` as a count: 1,000 seeds. */
export const MAX_SEEDS = 1000;

/** A seed (`--seed`, compare's `seed` and `seeds[n]`): an integer in [0, 2^31 - 1]. */
export const MAX_SEED = 2 ** 31 - 1;

/** Worker threads of compare (`--workers`, `workers`): 256. */
export const MAX_WORKERS = 256;

/** compare's `randomKernels` / `--random-kernels` per radius and agent: 10,000. */
export const MAX_RANDOM_KERNELS = 10_000;

/** `--timeout MS` of an external simulator: one hour (setTimeout itself cannot wait more than 2^31 - 1 ms). */
export const MAX_TIMEOUT_MS = 3_600_000;

/**
 * How deeply a JSON or YAML document may nest arrays and objects: 1,000 levels. A drmg-game/1 file needs 5
 * (the top-level object and `transition[h][s][j][sp]`); the bound leaves room for nested metadata while
 * keeping every reader and writer (JSON.stringify included) far from the call-stack limit.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * The default size limit of a file drmg reads: 2^28 bytes = 256 MiB, derived from the largest game drmg
 * accepts. Its largest dense table has MAX_DENSE_ENTRIES = 2^27 entries (the kernel H*S*J*S), and the
 * shortest an entry can be written in JSON is 2 bytes (a digit and a separator, `0,`), so 2 * 2^27 bytes
 * holds that table at its most compact; a larger file is mostly padding, or a game whose numbers are
 * written out at length (raise the limit with `--max-file-size` or DRMG_MAX_FILE_BYTES).
 */
export const DEFAULT_MAX_FILE_BYTES = 2 * MAX_DENSE_ENTRIES;

/**
 * The largest size limit that can be set: the longest string Node can hold (2^29 - 24 characters,
 * buffer.constants.MAX_STRING_LENGTH), since a file is parsed as one string.
 */
export const MAX_FILE_BYTES_LIMIT: number = bufferConstants.MAX_STRING_LENGTH;
