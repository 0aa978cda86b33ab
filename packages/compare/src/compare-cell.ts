/**
 * The cells of a compare run. A run is a set of cells, one (learner, seed) each, and a cell's result is a pure
 * function of what it is made of: the scenario (a registered environment id and its parameters, the bytes of a
 * game file, or a simulator command and the model it serves), the learner (name, label, parameters, and the
 * uncertainty sets it trains with), the seed, the episodes and the evaluation settings (evalPoints, gapKind,
 * radii, randomKernels, rolloutEpisodes), the modules that register custom environments and learners (their
 * bytes), and the drmg version. The cell's hash is the SHA-256 of exactly that, written as canonical JSON (keys
 * sorted): it names the cell in the journal of a run folder (`cells.jsonl`), in a resumed run and in a queue.
 *
 * The label is part of it because it seeds the Monte Carlo deployment (`<seed>/<label>/deploy`). The number of
 * seeds, the other learners and the run folder are not: a cell means the same in any run that contains it.
 *
 * A cell's output travels as text (a journal line, a queue job's return value) through `encodeCellOutput` /
 * `decodeCellOutput`: JSON in which NaN, +-Infinity and -0 survive (as `{"$number": "NaN"}` ...), so that a result
 * read back is the result computed, bit for bit, and the files written from it are the same.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gameToJson, inputError } from '@drmg/core';
import { hasEnv } from '@drmg/envs';
import type { CompareConfig } from './compare-config.ts';
import { drmgVersions } from './compare-files.ts';
import { makeScenarioEnv, type LearnerPlan } from './compare-scenario.ts';
import type { CompareRunOutput, CompareTask } from './compare-task.ts';

/** Format tag of a cell's identity (the hashed document) and of a journal line. */
export const CELL_FORMAT = 'drmg-cell/1';

/** One run to do: its place in the run order, its content hash, and the task that computes it. */
export interface CompareCell {
  /** Index in the run order (learner-major, seed-minor over the learners that run). */
  readonly index: number;
  /** SHA-256 (hex) of everything that determines the result (see the file header). */
  readonly hash: string;
  readonly task: CompareTask;
  /** The learner's label, and the seed. */
  readonly learner: string;
  readonly seed: number;
}

/** What a cell's hash covers besides the learner and the seed: computed once per run (`scenarioIdentity`). */
export interface ScenarioIdentity {
  /** Versions of the drmg packages (a result may change between versions). */
  readonly drmg: Readonly<Record<string, string>>;
  /** `{ id, params }` of a registered environment, `{ game: sha256 }` of a game file, `{ envCmd, model: sha256 }` of a simulator. */
  readonly scenario: Readonly<Record<string, unknown>>;
  /** SHA-256 of each module's bytes, in the config's order (the URL itself when it is not a file). */
  readonly modules: readonly string[];
}

/** JSON with object keys sorted at every level: the same value gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** SHA-256 of text or bytes, as hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function fileSha256(path: string, what: string): string {
  try {
    return sha256(readFileSync(path));
  } catch (e) {
    inputError(what, `cannot read ${path} to identify the run's cells: ${(e as Error).message}`);
  }
}

/**
 * The identity of a config's scenario, modules and drmg version (see ScenarioIdentity); for a simulator (envCmd),
 * its model must be loaded (`loadScenarioModel`).
 * @throws DrmgError ('input') when a game file or a module cannot be read.
 */
export function scenarioIdentity(config: CompareConfig): ScenarioIdentity {
  let scenario: Record<string, unknown>;
  if (config.envCmd !== null) scenario = { envCmd: config.envCmd, model: sha256(canonicalJson(gameToJson(makeScenarioEnv(config).model))) };
  else if (hasEnv(config.env)) scenario = { id: config.env, params: config.envParams };
  else scenario = { game: fileSha256(config.env, 'config: env') };
  const modules = config.modules.map((m, n) => (m.startsWith('file:') ? fileSha256(fileURLToPath(m), `config: modules[${n}]`) : m));
  return { drmg: drmgVersions(), scenario, modules };
}

/** The document a cell's hash is taken of (see the file header). */
export function cellIdentity(config: CompareConfig, identity: ScenarioIdentity, learner: number, plan: LearnerPlan, seed: number): Record<string, unknown> {
  const spec = config.learners[learner];
  return {
    format: CELL_FORMAT,
    drmg: identity.drmg,
    scenario: identity.scenario,
    modules: identity.modules,
    learner: { name: spec.name, label: spec.label, params: spec.params, plan },
    seed,
    episodes: config.episodes,
    evalPoints: config.evalPoints,
    gapKind: config.gapKind,
    radii: config.radii,
    randomKernels: config.randomKernels,
    rolloutEpisodes: config.rolloutEpisodes,
  };
}

/** The hash of the cell (learner, seed) of a config: SHA-256 of its canonical identity. */
export function cellHash(config: CompareConfig, identity: ScenarioIdentity, learner: number, plan: LearnerPlan, seed: number): string {
  return sha256(canonicalJson(cellIdentity(config, identity, learner, plan, seed)));
}

const MARK = '$number';

/** A cell's output as one line of JSON (no newline) that decodes to the same numbers, NaN, Infinity and -0 included. */
export function encodeCellOutput(hash: string, output: CompareRunOutput): string {
  return JSON.stringify({ format: CELL_FORMAT, hash, ...output }, (_key, v: unknown) => {
    if (typeof v !== 'number') return v;
    if (Number.isNaN(v)) return { [MARK]: 'NaN' };
    if (v === Infinity) return { [MARK]: 'Infinity' };
    if (v === -Infinity) return { [MARK]: '-Infinity' };
    if (Object.is(v, -0)) return { [MARK]: '-0' };
    return v;
  });
}

/** What a journal line or a job's answer holds. */
export interface DecodedCell {
  readonly hash: string;
  readonly output: CompareRunOutput;
}

/**
 * Reads a line written by `encodeCellOutput`.
 * @throws DrmgError ('input') at `where` when the text is not such a line.
 */
export function decodeCellOutput(text: string, where: string): DecodedCell {
  let doc: unknown;
  try {
    doc = JSON.parse(text, (_key, v: unknown) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && keys[0] === MARK) {
          const s = (v as Record<string, unknown>)[MARK];
          if (s === 'NaN') return NaN;
          if (s === 'Infinity') return Infinity;
          if (s === '-Infinity') return -Infinity;
          if (s === '-0') return -0;
        }
      }
      return v;
    });
  } catch (e) {
    inputError(where, `not a cell record: ${(e as Error).message}`);
  }
  const d = doc as { format?: unknown; hash?: unknown; result?: unknown; policy?: unknown; timing?: unknown };
  if (d === null || typeof d !== 'object' || d.format !== CELL_FORMAT || typeof d.hash !== 'string' || typeof d.result !== 'object' || d.result === null || typeof d.policy !== 'object' || typeof d.timing !== 'object') {
    inputError(where, `not a cell record (expected a ${CELL_FORMAT} object with hash, result, policy and timing)`);
  }
  const { result, policy, timing } = d as unknown as CompareRunOutput;
  return { hash: d.hash, output: { result, policy, timing } };
}
