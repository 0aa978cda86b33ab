/**
 * An environment backed by a tabular game: observations are `{ state, step }`, rewards are read
 * from the model, and the next state is drawn from a CSR kernel (the nominal one, or an adversarial
 * one installed by `adversarialKernel`) with the environment's seeded generator.
 *
 * Layouts (those of `@drmg/core`'s `tabular-game.ts`): kernel row r = (h*S + s)*J + j; rewards
 * R[r*m + i]. Next states are drawn with Walker's alias method (see `alias-table.ts`): one uniform
 * draw and one access to the interleaved table T[3k .. 3k+2] per step.
 *
 * Episodes always last H steps: failure states are absorbing through the model (zero reward,
 * no escape under the nominal kernel) but do not terminate the episode, so Monte Carlo returns
 * under any kernel, nominal or adversarial (which may move mass out of a failure state), are
 * exactly what the robust Bellman recursion evaluates. `terminations` are therefore always
 * false, and `truncations` become true at step H; `infos[agent].failure` says whether the agent
 * sits in one of its failure states.
 */
import { checkGameIntact, createRng, describeValue, inputError, sampleIndex, type Kernel, type Rng, type TabularGame, checkObject } from '@drmg/core';
import type { AgentId, AgentRecord, EnvMetadata, ParallelEnv, ResetArgs, ResetResult, StepResult } from './parallel-env.ts';
import { DictSpace } from './spaces/dict-space.ts';
import { Discrete } from './spaces/discrete.ts';
import type { Space } from './spaces/space.ts';
import { buildAliasTable } from './alias-table.ts';
import { validateKernel } from './validate-kernel.ts';

/** A tabular observation: the state index and the step (0..H; H once the episode is over). */
export interface TabularObservation {
  readonly state: number;
  readonly step: number;
}

/** Per-agent info (precomputed per state and frozen, so it may be shared). */
export interface TabularInfo {
  /** The state's label (`labels.states[s]`, or the index). */
  readonly label: string;
  /** Whether the state is one of this agent's failure states. */
  readonly failure: boolean;
  /** The structured view of the state, when the environment has one (immutable). */
  readonly view?: unknown;
}

/** What a custom renderer sees. */
export interface RenderContext {
  readonly model: TabularGame;
  /** Current state and step. */
  readonly s: number;
  readonly h: number;
  /** The structured view of state s, if any. */
  readonly view: unknown;
  /** Per-agent actions of the last step, or null right after reset. */
  readonly lastActions: readonly number[] | null;
  /** Whether to use ANSI colours. */
  readonly ansi: boolean;
}

/** Options of `createTabularEnv`. */
export interface TabularEnvOptions {
  /** The registered id, reported in `metadata.id`. */
  readonly id?: string;
  /** The kernel next states are drawn from (default: the model's nominal kernel). */
  readonly kernel?: Kernel;
  /** A name for that kernel (`nominal`, `worst-case:0`, `random`, ...), shown by `render`. */
  readonly kernelLabel?: string;
  /** `text` (default) or `ansi` (colours, for grid environments). */
  readonly renderMode?: 'text' | 'ansi';
  /** views[s]: an immutable structured description of state s (e.g. robot positions, made with immer). */
  readonly stateViews?: readonly unknown[];
  /** Draws the current state; the default prints the step, the state label and the last actions. */
  readonly renderState?: (ctx: RenderContext) => string;
  /** Agent names (default `agent_0`, `agent_1`, ...). */
  readonly agentNames?: readonly string[];
}

const noAgents: readonly AgentId[] = Object.freeze([]);

/**
 * A tabular game as a PettingZoo-style parallel environment, with a lean index API
 * (`resetState`, `stepIndex`) for hot loops: the contract that `createTabularEnv` environments and
 * the tabular wrappers (`AdversarialKernelEnv`, `FailureStateEnv`, any `TabularWrapper`) fulfil, so
 * that a wrapped environment goes wherever an environment goes (`rolloutReturns`, `train`, ...).
 */
export interface TabularEnv extends ParallelEnv<TabularObservation, number, TabularInfo> {
  /** The tabular model (what exact evaluation uses). */
  readonly model: TabularGame;
  /** The kernel next states are drawn from (nominal unless an adversary installed another). */
  readonly kernel: Kernel;
  /** Name of that kernel (`nominal`, `worst-case:0`, `random`, ...). */
  readonly kernelLabel: string;
  /** Options that, with `model`, make an environment like this one (`kernel` and `kernelLabel` included for wrappers). */
  readonly options: TabularEnvOptions;
  /** The innermost environment: itself for an environment made by `createTabularEnv`, the base one for a wrapper. */
  readonly unwrapped: TabularEnv;
  /** The current state index. */
  readonly s: number;
  /** The current step: 0 after reset, H when the episode is over. */
  readonly h: number;
  /** The structured view of the current state, if this environment has views. */
  readonly stateView: unknown;
  /** Dict(state: Discrete(S), step: Discrete(H + 1)) for every agent. @throws DrmgError for an unknown agent. */
  observationSpace(agent: AgentId): Space<TabularObservation>;
  /** Discrete(A[i]) for agent i. @throws DrmgError for an unknown agent. */
  actionSpace(agent: AgentId): Discrete;
  /** The index i of agent `agent`. @throws DrmgError for an unknown agent. */
  indexOf(agent: AgentId, path?: string): number;
  /**
   * Starts an episode in s_1 ~ initial (or in `initialState`) and returns it; `seed` reseeds the generator
   * (without one, the first reset seeds with 0 and later resets continue the stream).
   * @throws DrmgError when `initialState` is not a state index.
   */
  resetState(seed?: number | string, initialState?: number): number;
  /**
   * Plays joint action j (agent 0 most significant) at the current (h, s): writes r_i(h, s, j) into
   * `rewardsOut[0..m)` when given, draws s' ~ kernel_h(.|s, j) and returns it; no allocation.
   * @throws DrmgError when j is not a joint action index or no episode is running.
   */
  stepIndex(j: number, rewardsOut?: Float64Array): number;
  /** Applies one action per agent (a record by agent name, or an array in agent order). */
  step(actions: AgentRecord<number> | readonly number[]): StepResult<TabularObservation, TabularInfo>;
  /** The picture of the current state. */
  render(): string;
  /** A plain environment over this one's model and options whose next states come from `kernel`. */
  withKernel(kernel: Kernel, kernelLabel: string): TabularEnv;
  /**
   * An independent copy: the same model, kernel, options (and wrappers), with its own generator and
   * episode state, as if just made (`train` gives every subscription one).
   */
  clone(): TabularEnv;
}

/** What `new TabularEnv(model, options)` is: the constructor of the base tabular environment. */
export interface TabularEnvConstructor {
  /** @throws DrmgError when the kernel does not fit the model or agent names are wrong. */
  new (model: TabularGame, options?: TabularEnvOptions): TabularEnv;
}

/** Immutable tables an environment may share with its clones. */
interface SharedTables {
  readonly alias: Float64Array;
  readonly infoTable: readonly TabularInfo[];
}

/**
 * The base tabular environment. The object API allocates only the returned result objects;
 * observations are fresh objects on every call (never aliased to internal buffers), infos are
 * shared frozen objects.
 */
class BaseTabularEnv implements TabularEnv {
  /** The tabular model (what exact evaluation uses). */
  readonly model: TabularGame;
  /** The kernel next states are drawn from (nominal unless an adversary installed another). */
  readonly kernel: Kernel;
  /** Name of that kernel. */
  readonly kernelLabel: string;
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  readonly horizon: number;
  /** The options this environment was made with (used by wrappers to make siblings). */
  readonly options: TabularEnvOptions;
  private readonly shared: SharedTables;
  private readonly S: number;
  private readonly J: number;
  private readonly m: number;
  private readonly reward: Float64Array;
  private readonly rowStart: Int32Array;
  private readonly alias: Float64Array;
  private readonly stride: Int32Array;
  private readonly actionSpaces: readonly Discrete[];
  private readonly observationSpaceAll: DictSpace<{ state: Discrete; step: Discrete }>;
  private readonly infoTable: readonly TabularInfo[];
  private readonly agentIndex: ReadonlyMap<AgentId, number>;
  private rng: Rng | undefined;
  private _s = 0;
  private _h = 0;
  private _lastJ = -1;
  private started = false;

  /**
   * @throws DrmgError when the kernel does not fit the model or agent names are wrong.
   */
  constructor(model: TabularGame, options: TabularEnvOptions = {}, shared?: SharedTables) {
    checkObject(options, 'createTabularEnv(options)', 'an options object');
    // A game changed after validation (or assembled by hand and invalid) is refused before its tables are built.
    if (shared === undefined) checkGameIntact(model, 'createTabularEnv(model)');
    const { S, H, J, m } = model;
    const kernel = options.kernel ?? model.kernel;
    if (options.kernel !== undefined && shared === undefined) validateKernel(kernel, H, S, J, 'createTabularEnv(options.kernel)');
    const names = options.agentNames ?? Array.from({ length: m }, (_, i) => `agent_${i}`);
    if (names.length !== m || new Set(names).size !== m) {
      inputError('createTabularEnv(options.agentNames)', `expected ${m} distinct names, got ${JSON.stringify(names)}`);
    }
    if (options.stateViews !== undefined && options.stateViews.length !== S) {
      inputError('createTabularEnv(options.stateViews)', `expected one view per state (${S}), got ${options.stateViews.length}`);
    }
    this.model = model;
    this.kernel = kernel;
    this.kernelLabel = options.kernelLabel ?? 'nominal';
    this.options = options;
    this.metadata = Object.freeze({ id: options.id, renderModes: Object.freeze(['text', 'ansi']) });
    this.possibleAgents = Object.freeze([...names]);
    this.agentIndex = new Map(names.map((n, i) => [n, i]));
    this.horizon = H;
    this.S = S;
    this.J = J;
    this.m = m;
    this.reward = model.reward;
    this.rowStart = kernel.rowStart;
    this.stride = model.layout.stride;
    this.actionSpaces = model.A.map((n) => new Discrete(n));
    this.observationSpaceAll = new DictSpace({ state: new Discrete(S), step: new Discrete(H + 1) });
    this.shared = shared ?? { alias: buildAliasTable(kernel), infoTable: infoTable(model, options.stateViews) };
    this.alias = this.shared.alias;
    this.infoTable = this.shared.infoTable;
    this._h = H;
  }

  /** Itself: this is the innermost environment. */
  get unwrapped(): TabularEnv {
    return this;
  }

  /** The current state index. */
  get s(): number {
    return this._s;
  }

  /** The current step: 0 after reset, H when the episode is over. */
  get h(): number {
    return this._h;
  }

  /** The structured view of the current state, if this environment has views. */
  get stateView(): unknown {
    return this.options.stateViews?.[this._s];
  }

  /** The acting agents: every agent during an episode, none before reset or after step H. */
  get agents(): readonly AgentId[] {
    return this.started && this._h < this.horizon ? this.possibleAgents : noAgents;
  }

  /**
   * Dict(state: Discrete(S), step: Discrete(H + 1)) for every agent (the game is fully observed).
   * @throws DrmgError for an unknown agent.
   */
  observationSpace(agent: AgentId): Space<TabularObservation> {
    this.indexOf(agent, 'observationSpace(agent)');
    return this.observationSpaceAll;
  }

  /**
   * Discrete(A[i]) for agent i.
   * @throws DrmgError for an unknown agent.
   */
  actionSpace(agent: AgentId): Discrete {
    return this.actionSpaces[this.indexOf(agent, 'actionSpace(agent)')];
  }

  /** The index i of agent `agent`. @throws DrmgError for an unknown agent. */
  indexOf(agent: AgentId, path = 'agent'): number {
    const i = this.agentIndex.get(agent);
    if (i === undefined) inputError(path, `unknown agent ${JSON.stringify(agent)}, expected one of ${this.possibleAgents.join(', ')}`);
    return i;
  }

  /**
   * Starts an episode in s_0 ~ initial (or in `options.initialState`) and returns its state index;
   * `seed` reseeds the generator (without one, the first reset seeds with 0 and later resets continue the stream).
   * @throws DrmgError when `seed` is neither a finite number nor a string, or `initialState` is not a state index.
   */
  resetState(seed?: number | string, initialState?: number): number {
    if (seed !== undefined && !(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
      inputError('reset(options.seed)', `expected a finite number or a string, got ${describeValue(seed)}`);
    }
    if (seed !== undefined) this.rng = createRng(seed);
    else if (this.rng === undefined) this.rng = createRng(0);
    if (initialState !== undefined) {
      if (!Number.isInteger(initialState) || initialState < 0 || initialState >= this.S) {
        inputError('reset(options.initialState)', `expected a state index in [0, ${this.S - 1}], got ${describeValue(initialState)}`);
      }
      this._s = initialState;
    } else {
      this._s = sampleIndex(this.rng, this.model.initial, 0, this.S);
    }
    this._h = 0;
    this._lastJ = -1;
    this.started = true;
    return this._s;
  }

  /**
   * Plays joint action j (agent 0 most significant) at the current (h, s): writes the rewards
   * R[((h*S + s)*J + j)*m + i] into `rewardsOut[0..m)` when given, draws s' ~ kernel_h(.|s, j) and
   * returns it. The hot path: no allocation.
   * @throws DrmgError when j is not a joint action index or no episode is running.
   */
  stepIndex(j: number, rewardsOut?: Float64Array): number {
    const h = this._h;
    if (h >= this.horizon || !(j >= 0 && j < this.J) || (j | 0) !== j) this.badStep(j);
    const r = (h * this.S + this._s) * this.J + j;
    if (rewardsOut !== undefined) {
      const base = r * this.m;
      for (let i = 0; i < this.m; i++) rewardsOut[i] = this.reward[base + i];
    }
    const a = this.rowStart[r];
    const n = this.rowStart[r + 1] - a;
    const x = (this.rng as Rng)() * n;
    let k = Math.floor(x);
    if (k >= n) k = n - 1; // only if u * n rounds up to n
    const b = 3 * (a + k);
    const T = this.alias;
    const sp = x - k < T[b] ? T[b + 1] : T[b + 2];
    this._s = sp;
    this._h = h + 1;
    this._lastJ = j;
    return sp;
  }

  /** Starts an episode; `options.initialState` starts it in a given state. */
  reset(args: ResetArgs = {}): ResetResult<TabularObservation, TabularInfo> {
    checkObject(args, 'reset(args)', 'reset arguments {seed?, options?}');
    const init = args.options?.initialState;
    if (init !== undefined && typeof init !== 'number') inputError('reset(options.initialState)', `expected a state index, got ${describeValue(init)}`);
    const s = this.resetState(args.seed, init);
    const observations: Record<AgentId, TabularObservation> = {};
    const infos: Record<AgentId, TabularInfo> = {};
    for (let i = 0; i < this.m; i++) {
      const name = this.possibleAgents[i];
      observations[name] = { state: s, step: 0 };
      infos[name] = this.infoTable[i * this.S + s];
    }
    return { observations, infos };
  }

  /**
   * Applies one action per agent (a record keyed by agent name, or an array in agent order).
   * @throws DrmgError naming the agent when an action is missing, unknown or out of its Discrete range,
   * or when no episode is running.
   */
  step(actions: AgentRecord<number> | readonly number[]): StepResult<TabularObservation, TabularInfo> {
    const m = this.m;
    let j = 0;
    if (this._h >= this.horizon) this.badStep(0);
    checkObject(actions, 'step(actions)', `one action per agent (a record keyed by agent name, or an array of ${m})`);
    if (Array.isArray(actions)) {
      if (actions.length !== m) inputError('step(actions)', `expected ${m} actions (one per agent), got ${actions.length}`);
      for (let i = 0; i < m; i++) j += this.checkedAction(actions[i], i) * this.stride[i];
    } else {
      const rec = actions as AgentRecord<number>;
      let count = 0;
      for (const key in rec) {
        count++;
        if (!this.agentIndex.has(key)) inputError(`step(actions).${key}`, `unknown agent, expected one of ${this.possibleAgents.join(', ')}`);
      }
      if (count !== m) {
        const missing = this.possibleAgents.filter((n) => !(n in rec));
        inputError(`step(actions).${missing[0]}`, `missing action; expected one action for each of ${this.possibleAgents.join(', ')}`);
      }
      for (let i = 0; i < m; i++) j += this.checkedAction(rec[this.possibleAgents[i]], i) * this.stride[i];
    }
    const base = ((this._h * this.S + this._s) * this.J + j) * m;
    const sp = this.stepIndex(j);
    const h = this._h;
    const truncated = h >= this.horizon;
    const observations: Record<AgentId, TabularObservation> = {};
    const rewards: Record<AgentId, number> = {};
    const terminations: Record<AgentId, boolean> = {};
    const truncations: Record<AgentId, boolean> = {};
    const infos: Record<AgentId, TabularInfo> = {};
    for (let i = 0; i < m; i++) {
      const name = this.possibleAgents[i];
      observations[name] = { state: sp, step: h };
      rewards[name] = this.reward[base + i];
      terminations[name] = false;
      truncations[name] = truncated;
      infos[name] = this.infoTable[i * this.S + sp];
    }
    return { observations, rewards, terminations, truncations, infos };
  }

  /** The picture of the current state: the custom renderer's, or `step h/H  state <label>  [kernel]` and the last actions. */
  render(): string {
    const ansi = this.options.renderMode === 'ansi';
    const lastActions = this._lastJ < 0 ? null : Array.from({ length: this.m }, (_, i) => this.model.layout.actionOf[this._lastJ * this.m + i]);
    if (this.options.renderState !== undefined) {
      return this.options.renderState({ model: this.model, s: this._s, h: this._h, view: this.stateView, lastActions, ansi });
    }
    const label = this.model.labels?.states?.[this._s] ?? String(this._s);
    const actionName = (i: number, a: number) => this.model.labels?.actions?.[i]?.[a] ?? String(a);
    const last = lastActions === null ? '' : `  last actions (${lastActions.map((a, i) => actionName(i, a)).join(', ')})`;
    const state = ansi ? `\x1b[1m${label}\x1b[0m` : label;
    return `${this.model.name} step ${this._h}/${this.horizon}  state ${state}  [${this.kernelLabel} kernel]${last}\n`;
  }

  /** Nothing to release: the environment holds only memory. */
  close(): void {
    this.started = false;
    this._h = this.horizon;
  }

  /** A sibling environment over the same model and options whose next states come from `kernel`. */
  withKernel(kernel: Kernel, kernelLabel: string): TabularEnv {
    return new BaseTabularEnv(this.model, { ...this.options, kernel, kernelLabel });
  }

  /** An independent copy (same model, kernel and options; its own generator and state, as just made), sharing the immutable tables. */
  clone(): TabularEnv {
    return new BaseTabularEnv(this.model, this.options, this.shared);
  }

  private checkedAction(a: unknown, i: number): number {
    const n = this.model.A[i];
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= n) {
      inputError(`step(actions).${this.possibleAgents[i]}`, `expected an integer action in [0, ${n - 1}] (Discrete(${n})), got ${describeValue(a)}`);
    }
    return a;
  }

  private badStep(j: number): never {
    if (!this.started) inputError('step', 'no episode is running: call reset() first');
    if (this._h >= this.horizon) inputError('step', `the episode is over (step ${this._h} = H); call reset() to start another`);
    return inputError('stepIndex(j)', `expected a joint action index in [0, ${this.J - 1}], got ${j}`);
  }
}

/** infos[i*S + s]: agent i's frozen info in state s. */
function infoTable(model: TabularGame, stateViews: readonly unknown[] | undefined): readonly TabularInfo[] {
  const { S, m } = model;
  const failing = (i: number, s: number) => model.failureStates?.[i]?.includes(s) ?? false;
  const infos: TabularInfo[] = [];
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < S; s++) {
      const info: { label: string; failure: boolean; view?: unknown } = { label: model.labels?.states?.[s] ?? String(s), failure: failing(i, s) };
      if (stateViews !== undefined) info.view = stateViews[s];
      infos.push(Object.freeze(info));
    }
  }
  return infos;
}

/**
 * The base tabular environment's constructor: `new TabularEnv(model, options)` equals
 * `createTabularEnv(model, options)`, and `env instanceof TabularEnv` holds for those environments
 * only (wrappers fulfil the `TabularEnv` interface without being instances: use `isTabularEnv`).
 */
export const TabularEnv: TabularEnvConstructor = BaseTabularEnv;

/**
 * Whether `env` fulfils the TabularEnv interface (a base environment or a tabular wrapper): it has a
 * model and the lean index API.
 */
export function isTabularEnv(env: unknown): env is TabularEnv {
  if (env === null || typeof env !== 'object') return false;
  const e = env as Partial<Record<'model' | 'resetState' | 'stepIndex' | 'clone', unknown>>;
  return typeof e.model === 'object' && e.model !== null && typeof e.resetState === 'function' && typeof e.stepIndex === 'function' && typeof e.clone === 'function';
}

/**
 * Makes the environment of a tabular game (nominal kernel unless `options.kernel` is given).
 * @throws DrmgError when the options do not fit the game.
 * @example const env = createTabularEnv(game); env.reset({ seed: 1 }); env.step([0, 1]);
 */
export function createTabularEnv(model: TabularGame, options: TabularEnvOptions = {}): TabularEnv {
  return new BaseTabularEnv(model, options);
}
