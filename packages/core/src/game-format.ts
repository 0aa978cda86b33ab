/**
 * The drmg-game/1 JSON format (shared/spec/formats.md) <-> TabularGame.
 *
 * File layout: reward[h][s][j][i], transition[h][s][j][sp], uncertainty.radius[i] (a number or
 * number[H][S]); flattened row-major they are exactly the TabularGame layouts
 * R[((h*S + s)*J + j)*m + i], P[((h*S + s)*J + j)*S + sp] and rho[(i*H + h)*S + s].
 */
import { DrmgError, inputError } from './drmg-error.ts';
import { createTabularGame } from './create-tabular-game.ts';
import { checkGameIntact } from './game-seal.ts';
import { jointActionLayout } from './joint-action.ts';
import { checkActionCounts, checkDenseSize, checkPositiveInteger, describeValue, formatNumber } from './input-checks.ts';
import { readJsonFile } from './json-file.ts';
import type { ReadTextFileOptions } from './read-text-file.ts';
import { checkNestedShape, flattenNested, nestArray } from './nested-arrays.ts';
import type { GameLabels, TabularGame } from './tabular-game.ts';

/** The format tag of a game file. */
export const GAME_FORMAT = 'drmg-game/1';

const KNOWN_FIELDS = new Set(['format', 'name', 'states', 'horizon', 'actions', 'initial', 'reward', 'transition', 'uncertainty', 'failureStates', 'labels']);

/** Re-raises a DrmgError with `source` (a file name) in front of its path. */
export function withSource(e: unknown, source: string | undefined): unknown {
  if (source === undefined || !(e instanceof DrmgError)) return e;
  return new DrmgError(e.kind, e.path ? `${source}: ${e.path}` : source, e.detail);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads uncertainty.radius: one entry per agent, each a number or number[H][S]; into rho[(i*H + h)*S + s]. */
function parseRadius(radius: unknown, m: number, H: number, S: number): Float64Array {
  const path = 'uncertainty.radius';
  if (radius === undefined) inputError(path, `missing, expected an array of ${m} radii (one per agent, each a number or number[H][S])`);
  if (!Array.isArray(radius)) inputError(path, `expected an array of ${m} entries (one per agent, each a number or number[H][S]), got ${describeValue(radius)}`);
  if (radius.length !== m) inputError(path, `expected ${m} entries (one per agent), got ${radius.length}`);
  const HS = H * S;
  const rho = new Float64Array(m * HS);
  const block = new Float64Array(HS);
  for (let i = 0; i < m; i++) {
    const r = radius[i] as unknown;
    if (typeof r === 'number') {
      if (!Number.isFinite(r)) inputError(`${path}[${i}]`, `expected a finite number, got ${describeValue(r)}`);
      if (r < 0) inputError(`${path}[${i}]`, `expected a radius >= 0, got ${formatNumber(r)}`);
      rho.fill(r, i * HS, (i + 1) * HS);
    } else if (Array.isArray(r)) {
      flattenNested(r, [H, S], ['H', 'S'], `${path}[${i}]`, block);
      for (let k = 0; k < HS; k++) {
        if (block[k] < 0) inputError(`${path}[${i}][${Math.floor(k / S)}][${k % S}]`, `expected a radius >= 0, got ${formatNumber(block[k])}`);
      }
      rho.set(block, i * HS);
    } else {
      inputError(`${path}[${i}]`, `expected a number or an array number[H][S] = [${H}][${S}], got ${describeValue(r)}`);
    }
  }
  return rho;
}

function parseGameObject(json: unknown): TabularGame {
  if (!isPlainObject(json)) inputError('', `expected a ${GAME_FORMAT} JSON object, got ${describeValue(json)}`);
  const format = json.format;
  if (format === undefined) inputError('format', `missing, expected "${GAME_FORMAT}"`);
  if (format !== GAME_FORMAT) inputError('format', `expected "${GAME_FORMAT}", got ${describeValue(format)}`);
  const name = json.name;
  if (name !== undefined && typeof name !== 'string') inputError('name', `expected a string, got ${describeValue(name)}`);
  if (json.states === undefined) inputError('states', 'missing, expected a positive integer (the number of states)');
  if (json.horizon === undefined) inputError('horizon', 'missing, expected a positive integer (the number of steps)');
  if (json.actions === undefined) inputError('actions', 'missing, expected an array of positive integers (actions per agent)');
  const S = checkPositiveInteger(json.states, 'states');
  const H = checkPositiveInteger(json.horizon, 'horizon');
  const Jf = checkActionCounts(json.actions, 'actions');
  checkDenseSize(H * S * Jf * (json.actions as number[]).length, 'H*S*J*m', 'reward');
  checkDenseSize(H * S * Jf * S, 'H*S*J*S', 'transition');

  if (json.initial === undefined) inputError('initial', `missing, expected a distribution over the ${S} states`);
  // Shapes first: the sizes above are only claims until the arrays are seen to hold that many entries, so
  // nothing of their size (the joint-action tables included) is allocated before.
  const mClaimed = (json.actions as number[]).length;
  checkNestedShape(json.initial, [S], ['S'], 'initial');
  checkNestedShape(json.reward, [H, S, Jf, mClaimed], ['H', 'S', 'J', 'm'], 'reward');
  checkNestedShape(json.transition, [H, S, Jf, S], ['H', 'S', 'J', 'S'], 'transition');
  const { m, J, A } = jointActionLayout(json.actions as number[], 'actions');
  const rows = H * S * J;
  const initial = new Float64Array(S);
  flattenNested(json.initial, [S], ['S'], 'initial', initial);
  const reward = new Float64Array(rows * m);
  flattenNested(json.reward, [H, S, J, m], ['H', 'S', 'J', 'm'], 'reward', reward);
  const transition = new Float64Array(rows * S);
  flattenNested(json.transition, [H, S, J, S], ['H', 'S', 'J', 'S'], 'transition', transition);

  const unc = json.uncertainty;
  if (unc === undefined) inputError('uncertainty', 'missing, expected {"divergence": "tv" | "kl", "radius": [one per agent]}');
  if (!isPlainObject(unc)) inputError('uncertainty', `expected an object {"divergence", "radius"}, got ${describeValue(unc)}`);
  const divergence = unc.divergence;
  if (divergence !== 'tv' && divergence !== 'kl') {
    inputError('uncertainty.divergence', `expected "tv" or "kl", got ${divergence === undefined ? 'nothing (missing)' : JSON.stringify(divergence)}`);
  }
  const radius = parseRadius(unc.radius, m, H, S);

  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(json)) {
    if (KNOWN_FIELDS.has(key)) continue;
    extra ??= {};
    extra[key] = json[key];
  }
  return createTabularGame({
    name: name ?? 'unnamed',
    S,
    H,
    A,
    initial,
    reward,
    kernel: transition,
    divergence,
    radius,
    failureStates: json.failureStates as number[][] | undefined,
    labels: json.labels as GameLabels | undefined,
    extra,
  });
}

/**
 * Parses a drmg-game/1 document (already JSON-decoded) into a validated TabularGame; unknown
 * top-level fields are kept in `extra`. Kernel rows are renormalised to sum to exactly 1.
 * @param source a file name to put in front of error paths.
 * @throws DrmgError('input', path, detail) naming the field and index, e.g.
 *   `transition[2][0]: row sums to 0.93, expected 1` or `reward[1][0]: expected 4 entries (J), got 3`.
 */
export function parseGame(json: unknown, source?: string): TabularGame {
  try {
    return parseGameObject(json);
  } catch (e) {
    throw withSource(e, source);
  }
}

/**
 * Reads a drmg-game/1 file: bounded by `options.maxBytes` (default `maxFileBytes()`, 256 MiB), UTF-8, strict JSON
 * (no duplicate keys, at most MAX_NESTING_DEPTH levels; see `readJsonFile`).
 * @throws DrmgError('input', ...) naming the file: missing, too large, not UTF-8, bad JSON (line and column), or any parseGame error.
 */
export function readGameFile(path: string, options: ReadTextFileOptions = {}): TabularGame {
  return parseGame(readJsonFile(path, options), path);
}

/**
 * The drmg-game/1 document of a game: dense nested arrays (transition[h][s][j][sp] with the zeros
 * written out), radius one number per agent when uniform over (h, s) else number[H][S], optional
 * failureStates and labels, and the game's extra fields (never overriding a format field).
 */
export function gameToJson(game: TabularGame): Record<string, unknown> {
  checkGameIntact(game);
  const { S, H, J, m } = game;
  const rows = H * S * J;
  const dense = new Float64Array(rows * S);
  const { rowStart, next, prob } = game.kernel;
  for (let r = 0; r < rows; r++) for (let k = rowStart[r]; k < rowStart[r + 1]; k++) dense[r * S + next[k]] = prob[k];
  const HS = H * S;
  const radius: unknown[] = [];
  for (let i = 0; i < m; i++) {
    const first = game.radius[i * HS];
    let uniform = true;
    for (let k = 1; k < HS && uniform; k++) uniform = game.radius[i * HS + k] === first;
    radius.push(uniform ? first : nestArray(game.radius.subarray(i * HS, (i + 1) * HS), [H, S]));
  }
  const out: Record<string, unknown> = {
    format: GAME_FORMAT,
    name: game.name,
    states: S,
    horizon: H,
    actions: [...game.A],
    initial: Array.from(game.initial),
    reward: nestArray(game.reward, [H, S, J, m]),
    transition: nestArray(dense, [H, S, J, S]),
    uncertainty: { divergence: game.divergence, radius },
  };
  if (game.failureStates) out.failureStates = game.failureStates.map((l) => [...l]);
  if (game.labels) {
    const labels: { states?: string[]; actions?: string[][] } = {};
    if (game.labels.states) labels.states = [...game.labels.states];
    if (game.labels.actions) labels.actions = game.labels.actions.map((l) => [...l]);
    out.labels = labels;
  }
  if (game.extra) for (const key of Object.keys(game.extra)) if (!(key in out) && !KNOWN_FIELDS.has(key)) out[key] = game.extra[key];
  return out;
}
