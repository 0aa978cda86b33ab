/**
 * A validated game stays the game that was validated. `createTabularGame` seals every game it returns:
 * the game object and its plain parts (kernel, layout, actions, failure states, labels) are frozen, and
 * its typed arrays, which JavaScript cannot freeze, get checksums recorded with the sizes they were
 * validated for: one per array for initial, reward, radius, kernel.rowStart and the layout tables, and one
 * per kernel row (its prob and next entries) for the kernel, the bulk of a game.
 *
 * `createGameGuard(game)` checks them. `begin()` compares the sizes (O(m)) and the per-array checksums
 * (O(size of the game without the kernel)); `rows(h, mask)` compares the checksums of the kernel rows of
 * step h that `mask` selects, each at most once between two `begin()`s. The evaluator calls `begin()` once per
 * evaluation and `rows` right before each step's robust expectations with the very mask those use, so every
 * number it reads has been checked once per evaluation (and a row is checked while it is in cache), and a
 * write into a validated game (`game.reward[0] = NaN`, a kernel entry changed) is an error that names the
 * array, never a plausible number. A policy that plays few joint actions pays for the few rows it reads.
 * `checkGameIntact(game)` checks everything at once (O(size)).
 *
 * Games assembled by hand (a TabularGame literal, `{ ...game, radius }` with a new array) carry arrays
 * without checksums: the guard validates such a game in full, as `createTabularGame` would, then records
 * its checksums, so from then on it is guarded like any other.
 *
 * Checksums are not cryptographic: they catch mistakes (a stray write, a row sorted in place), not an adversary.
 */
import { DrmgError, inputError } from './drmg-error.ts';
import { createTabularGame, gameParts } from './create-tabular-game.ts';
import { jointActionLayout } from './joint-action.ts';
import { isStateIndexArray } from './kernel-index.ts';
import type { StateIndexArray } from './kernel-index.ts';
import type { TabularGame } from './tabular-game.ts';

/** The checksum pair of a whole array, and the sizes of the game it was validated in. */
interface ArraySeal {
  readonly a: number;
  readonly b: number;
  readonly shape: string;
}

/** The per-row checksums of a kernel (keyed by its prob array), with the arrays and sizes they belong to. */
interface KernelSeal {
  readonly next: StateIndexArray;
  readonly rowStart: Int32Array;
  readonly shape: string;
  /** rows[r]: the checksum of row r's prob and next entries. */
  readonly rows: Int32Array;
}

const arraySeals = new WeakMap<object, ArraySeal>();
const kernelSeals = new WeakMap<object, KernelSeal>();

/** The arrays checked whole, by the name an error message gives them. */
function wholeArrays(game: TabularGame): readonly (readonly [string, Float64Array | Int32Array])[] {
  return [
    ['initial', game.initial],
    ['reward', game.reward],
    ['radius', game.radius],
    ['kernel.rowStart', game.kernel.rowStart],
    ['layout.actionOf', game.layout.actionOf],
    ['layout.stride', game.layout.stride],
  ];
}

/** The 32-bit words of a typed array (a view of the same memory). */
function words(arr: Float64Array | Int32Array): Int32Array {
  return arr instanceof Int32Array ? arr : new Int32Array(arr.buffer, arr.byteOffset, arr.length * 2);
}

/** Scratch of `arrayChecksum` (two numbers, no allocation per call). */
const sum = new Float64Array(2);

/**
 * sum[0] = sum_k w[k] and sum[1] = sum_k w[k] * (k mod 1024) over the array's 32-bit words w, in doubles (exact
 * below 2^22 words, deterministic always): a write to any word changes the first, a swap of two words the second.
 */
function arrayChecksum(arr: Float64Array | Int32Array): void {
  const w = words(arr);
  const n = w.length;
  let a = 0;
  let b = 0;
  for (let k = 0; k < n; k++) {
    const x = w[k];
    a += x;
    b += x * (k & 1023);
  }
  sum[0] = a;
  sum[1] = b;
}

/**
 * The checksum of kernel entries [start, end) (pw: prob's 32-bit words, two per entry; next read by value, so a
 * Uint16Array and an Int32Array of the same states agree), mod 2^32, Fletcher's way:
 * a sums the words of each entry, b sums the running a, so any single changed word changes a and a reordering of
 * entries changes b.
 */
function rowChecksum(pw: Int32Array, next: StateIndexArray, start: number, end: number): number {
  let a = 0;
  let b = 0;
  for (let k = start; k < end; k++) {
    a = (a + pw[2 * k] + pw[2 * k + 1] + next[k]) | 0;
    b = (b + a) | 0;
  }
  return (a ^ Math.imul(b, 0x9e3779b1)) | 0;
}

/** The sizes the arrays are validated for. */
function shapeOf(game: TabularGame): string {
  return `${game.H}|${game.S}|${game.A.join(',')}`;
}

/** The sizes and lengths a game must agree on (O(m)); the first disagreement as [path, detail], or null. */
function shapeProblem(game: TabularGame): [string, string] | null {
  const { m, S, H, J, A } = game;
  const posInt = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
  if (!posInt(S) || !posInt(H) || !posInt(m) || !posInt(J)) return ['', `expected positive integer sizes, got m = ${String(m)}, S = ${String(S)}, H = ${String(H)}, J = ${String(J)}`];
  if (!Array.isArray(A) || A.length !== m) return ['A', `expected ${m} action counts (m), got ${Array.isArray(A) ? A.length : typeof A}`];
  let prod = 1;
  for (const a of A) prod *= a;
  if (prod !== J) return ['J', `expected prod A = ${prod}, got ${J}`];
  const { layout, kernel } = game;
  if (layout === null || typeof layout !== 'object' || layout.m !== m || layout.J !== J) return ['layout', `expected the layout of actions [${A.join(', ')}]`];
  if (kernel === null || typeof kernel !== 'object') return ['kernel', 'expected a CSR kernel {rowStart, next, prob}'];
  const arrays: [string, unknown, number, 'f' | 'i'][] = [
    ['initial', game.initial, S, 'f'],
    ['reward', game.reward, H * S * J * m, 'f'],
    ['radius', game.radius, m * H * S, 'f'],
    ['kernel.rowStart', kernel.rowStart, H * S * J + 1, 'i'],
    ['layout.actionOf', layout.actionOf, J * m, 'i'],
    ['layout.stride', layout.stride, m, 'i'],
  ];
  for (const [name, arr, len, type] of arrays) {
    const ok = type === 'f' ? arr instanceof Float64Array : arr instanceof Int32Array;
    if (!ok || (arr as ArrayLike<number>).length !== len) {
      return [name, `expected ${type === 'f' ? 'a Float64Array' : 'an Int32Array'} of ${len} entries, got ${ok ? `${(arr as ArrayLike<number>).length} entries` : typeof arr}`];
    }
  }
  const nnz = kernel.rowStart[H * S * J];
  if (!isStateIndexArray(kernel.next) || kernel.next.length !== nnz) return ['kernel.next', `expected a Uint16Array or an Int32Array (of next states) of rowStart[H*S*J] = ${nnz} entries`];
  if (!(kernel.prob instanceof Float64Array) || kernel.prob.length !== nnz) return ['kernel.prob', `expected a Float64Array of rowStart[H*S*J] = ${nnz} entries`];
  if (game.divergence !== 'tv' && game.divergence !== 'kl') return ['divergence', `expected "tv" or "kl", got ${JSON.stringify(game.divergence)}`];
  return null;
}

function freezeDeep(x: unknown): void {
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x) || Object.isFrozen(x)) return;
  Object.freeze(x);
  for (const v of Object.values(x)) if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) freezeDeep(v);
}

/** Records the checksums of a game that has just been validated. */
function recordSeals(game: TabularGame): void {
  const shape = shapeOf(game);
  for (const [, arr] of wholeArrays(game)) {
    arrayChecksum(arr);
    arraySeals.set(arr, { a: sum[0], b: sum[1], shape });
  }
  const { rowStart, next, prob } = game.kernel;
  const nRows = rowStart.length - 1;
  const rows = new Int32Array(nRows);
  const pw = words(prob);
  for (let r = 0; r < nRows; r++) rows[r] = rowChecksum(pw, next, rowStart[r], rowStart[r + 1]);
  kernelSeals.set(prob, { next, rowStart, shape, rows });
}

/**
 * Seals a game that has just been validated (see the file header): freezes the object and its plain parts
 * and records its checksums. Returns the same object. Used by `createTabularGame`.
 */
export function sealGame<G extends TabularGame>(game: G): G {
  recordSeals(game);
  Object.freeze(game.kernel);
  Object.freeze(game.layout);
  freezeDeep(game.A);
  if (game.failureStates) freezeDeep(game.failureStates);
  if (game.labels) freezeDeep(game.labels);
  if (game.extra) Object.freeze(game.extra);
  Object.freeze(game);
  return game;
}

/** Validates a game that carries arrays without checksums, as createTabularGame would, then records them. */
function validateAndSeal(game: TabularGame, path: string): void {
  try {
    // The validation of createTabularGame (its copy is dropped): located errors, failure-state claims included.
    createTabularGame({
      ...gameParts(game),
      name: typeof game.name === 'string' ? game.name : 'unnamed',
      ...(game.failureStates !== undefined ? { failureStates: game.failureStates } : {}),
    });
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input') inputError(e.path ? `${path}: ${e.path}` : path, e.detail);
    throw e;
  }
  // What createTabularGame builds itself and so does not check in the caller's game: the layout tables, and
  // a kernel that stores positive entries only.
  const ref = jointActionLayout(game.A);
  const { actionOf, stride } = game.layout;
  for (let k = 0; k < ref.actionOf.length; k++) if (actionOf[k] !== ref.actionOf[k]) inputError(`${path}.layout.actionOf[${k}]`, `expected ${ref.actionOf[k]} (the layout of actions [${game.A.join(', ')}]), got ${actionOf[k]}`);
  for (let i = 0; i < ref.stride.length; i++) if (stride[i] !== ref.stride[i]) inputError(`${path}.layout.stride[${i}]`, `expected ${ref.stride[i]} (the layout of actions [${game.A.join(', ')}]), got ${stride[i]}`);
  const prob = game.kernel.prob;
  for (let k = 0; k < prob.length; k++) if (!(prob[k] > 0)) inputError(`${path}.kernel.prob[${k}]`, `expected a positive probability (a CSR kernel stores positive entries only), got ${prob[k]}`);
  recordSeals(game);
}

function changed(path: string, name: string, where = ''): never {
  return inputError(
    `${path}.${name}`,
    `${where}was changed after the game was validated (its checksum differs): a game's arrays are read-only once validated; ` +
      'build a new game with createTabularGame or buildGame (e.g. from copies of the arrays) instead of writing into one',
  );
}

/** Checks of one game's checksums, kernel rows one step at a time (see the file header). */
export interface GameGuard {
  /** Checks the sizes and every array but the kernel's prob and next (O(size without the kernel)); forgets which rows were checked. */
  begin(): void;
  /**
   * Checks the kernel rows (h, s, j) of step h with mask[s*J + j] !== 0 (every row of the step when mask is null)
   * that were not checked since the last `begin()`.
   */
  rows(h: number, mask: ArrayLike<number> | null): void;
  /** begin() and every row: the whole game (O(size)). */
  all(): void;
}

/**
 * A guard for `game` (see the file header). A game with arrays never validated is validated in full here.
 * @param path the name of the argument in messages (default `game`).
 * @throws DrmgError('input', `${path}...`) when the game is not valid; the guard's checks throw
 *   DrmgError('input', `${path}.reward` ...) naming an array that changed after validation.
 */
export function createGameGuard(game: TabularGame, path = 'game'): GameGuard {
  if (game === null || typeof game !== 'object') inputError(path, `expected a TabularGame (from createTabularGame, readGameFile or make), got ${game === null ? 'null' : typeof game}`);
  const sizes = (): void => {
    const bad = shapeProblem(game);
    if (bad !== null) inputError(bad[0] ? `${path}.${bad[0]}` : path, bad[1]);
  };
  sizes();
  const shape = shapeOf(game);
  const sealed = (): boolean => {
    for (const [, arr] of wholeArrays(game)) {
      const seal = arraySeals.get(arr);
      if (seal === undefined || seal.shape !== shape) return false;
    }
    const k = kernelSeals.get(game.kernel.prob);
    return k !== undefined && k.shape === shape && k.next === game.kernel.next && k.rowStart === game.kernel.rowStart;
  };
  // Checksums that exist are compared before a validation would overwrite them: a changed array is reported as changed.
  const checkWhole = (arrays: readonly (readonly [string, Float64Array | Int32Array])[]): void => {
    for (const [name, arr] of arrays) {
      const seal = arraySeals.get(arr);
      if (seal === undefined || seal.shape !== shape) continue;
      arrayChecksum(arr);
      if (sum[0] !== seal.a || sum[1] !== seal.b) changed(path, name);
    }
  };
  if (!sealed()) {
    checkWhole(wholeArrays(game));
    validateAndSeal(game, path);
  }
  // A game from createTabularGame is frozen with its kernel, layout and action counts: its sizes and arrays cannot be
  // reassigned, so begin() skips those checks (and allocates nothing) and compares the checksums of the arrays listed here.
  const frozen = Object.isFrozen(game) && Object.isFrozen(game.kernel) && Object.isFrozen(game.layout) && Object.isFrozen(game.A);
  const wholes = wholeArrays(game);
  const { rowStart, next, prob } = game.kernel;
  const seal = kernelSeals.get(prob)!;
  const pw = words(prob);
  const SJ = game.S * game.J;
  const H = game.H;
  const checked = new Uint8Array(H * SJ);
  const J = game.J;
  const S = game.S;
  const checkRow = (r: number): void => {
    checked[r] = 1;
    if (rowChecksum(pw, next, rowStart[r], rowStart[r + 1]) !== seal.rows[r]) {
      const j = r % J;
      const s = ((r - j) / J) % S;
      changed(path, 'kernel', `row ${r} (transition[${Math.floor(r / SJ)}][${s}][${j}]: its prob or next entries) `);
    }
  };
  const guard: GameGuard = {
    begin() {
      if (!frozen) {
        sizes();
        // The sizes and objects must be those the guard was made for (a hand-made game's fields can be reassigned).
        if (shapeOf(game) !== shape) inputError(path, `its sizes changed after it was validated (${shape.replace(/\|/g, ', ')} became ${shapeOf(game).replace(/\|/g, ', ')})`);
        if (game.kernel.prob !== prob || game.kernel.next !== next || game.kernel.rowStart !== rowStart) inputError(`${path}.kernel`, 'was replaced after the evaluator was made for the game');
        for (const [name, arr] of wholeArrays(game)) {
          const own = arraySeals.get(arr);
          if (own === undefined || own.shape !== shape) changed(path, name);
        }
      }
      checkWhole(frozen ? wholes : wholeArrays(game));
      checked.fill(0);
    },
    rows(h, mask) {
      const base = h * SJ;
      if (mask === null) {
        for (let k = 0; k < SJ; k++) if (checked[base + k] === 0) checkRow(base + k);
        return;
      }
      for (let k = 0; k < SJ; k++) if (mask[k] !== 0 && checked[base + k] === 0) checkRow(base + k);
    },
    all() {
      guard.begin();
      for (let h = 0; h < H; h++) guard.rows(h, null);
    },
  };
  return guard;
}

/**
 * Throws unless `game` is a valid game whose arrays are unchanged since they were validated: the sizes agree
 * with every array's length (O(m)), and every checksum is the one recorded (O(size)). A game with an array
 * never validated (assembled by hand) is validated in full once, then guarded.
 * @param path the name of the argument in messages (default `game`).
 * @throws DrmgError('input', `${path}.reward` ...) naming the array that changed after validation (for the kernel,
 *   `${path}.kernel` and the row), or the first problem of a game that does not validate.
 */
export function checkGameIntact(game: TabularGame, path = 'game'): void {
  createGameGuard(game, path).all();
}
