/**
 * An environment that lives in another process: a simulator in any language, spoken to in line-delimited JSON over
 * its stdin / stdout (docs/external-envs.md is the protocol). drmg writes one request per line,
 *   {"id": 7, "method": "spaces" | "reset" | "step" | "model" | "close", "params": {...}}
 * and the simulator answers each with one line, in order,
 *   {"id": 7, "result": {...}}   or   {"id": 7, "error": {"message": "..."}}.
 * `spaces` declares the tabular problem (agents, actions, states, horizon, divergence, radius), `reset` starts an
 * episode from a seed and returns the start state, `step` takes one action per agent and returns the next state and
 * every agent's reward, `model` (optional) returns the nominal model as a drmg-game/1 document, so that gaps can be
 * exact; a simulator without one answers it with an error and training reports Monte Carlo returns only.
 *
 * Failure is loud and located: a simulator that cannot start, exits, answers a line that is not JSON or not the
 * expected shape, or stays silent longer than `timeoutMs` makes the pending call reject with a DrmgError naming the
 * command, the request and what was wrong (with the end of the simulator's stderr); the process is then killed, and
 * every simulator still running when node exits is killed too (no orphans).
 *
 * Layouts: radius[(i*H + h)*S + s] as in `tabular-game.ts`; states are integers in [0, S) and are every agent's
 * observation (as in the tabular games); actions[i] in [0, A[i]).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { DrmgError, jointActionLayout, parseGame, type TabularGame, inputError } from '@drmg/core';
import { Discrete } from './spaces/discrete.ts';
import type { AgentId, AgentRecord, AsyncParallelEnv, EnvMetadata, ResetArgs, ResetResult, StepResult } from './parallel-env.ts';
import type { Space } from './spaces/space.ts';

/** The tabular problem an external simulator declares (its answer to `spaces`). */
export interface ExternalEnvSpec extends Pick<TabularGame, 'm' | 'S' | 'H' | 'A' | 'J' | 'layout' | 'divergence' | 'radius'> {
  /** A name for reports (default: the command). */
  readonly name: string;
}

/** Options of `startExternalEnv`. */
export interface ExternalEnvOptions {
  /** Milliseconds a simulator may take to answer one request before it is killed (default 10,000). */
  readonly timeoutMs?: number;
  /** Working directory of the process (default: this process's). */
  readonly cwd?: string;
  /** Ask for the nominal model (`model`) at start (default true); a simulator may decline. */
  readonly askModel?: boolean;
}

/** One step's outcome: the next state and every agent's reward (a buffer reused by the next step). */
export interface ExternalStep {
  readonly state: number;
  readonly rewards: Float64Array;
}

interface Pending {
  readonly id: number;
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

const live = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

/** Kills every simulator still running when node exits (normally or through an uncaught error). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** A located error about the simulator `command`. */
function simulatorError(command: string, what: string, detail: string): DrmgError {
  return new DrmgError('input', `simulator ${JSON.stringify(command)}${what === '' ? '' : `, ${what}`}`, detail);
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function checkInteger(command: string, where: string, x: unknown, lo: number, hi: number): number {
  if (!(typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi)) {
    throw simulatorError(command, where, `expected an integer in [${lo}, ${hi}], got ${JSON.stringify(x)}`);
  }
  return x;
}

/**
 * The answer to `spaces` checked and turned into a spec: {agents, actions, states, horizon, divergence, radius, name?},
 * radius a number (every agent, step and state), one number per agent, or nested [m][H][S].
 */
function parseSpec(command: string, r: unknown): ExternalEnvSpec {
  const where = 'answer to "spaces"';
  if (typeof r !== 'object' || r === null) throw simulatorError(command, where, `expected an object, got ${JSON.stringify(r)}`);
  const o = r as Record<string, unknown>;
  const m = checkInteger(command, `${where}: agents`, o.agents, 1, 64);
  if (!Array.isArray(o.actions) || o.actions.length !== m) throw simulatorError(command, `${where}: actions`, `expected ${m} action counts (one per agent), got ${JSON.stringify(o.actions)}`);
  const A = o.actions.map((a, i) => checkInteger(command, `${where}: actions[${i}]`, a, 1, 1_000_000));
  const S = checkInteger(command, `${where}: states`, o.states, 1, 10_000_000);
  const H = checkInteger(command, `${where}: horizon`, o.horizon, 1, 100_000);
  if (o.divergence !== 'tv' && o.divergence !== 'kl') throw simulatorError(command, `${where}: divergence`, `expected "tv" or "kl", got ${JSON.stringify(o.divergence)}`);
  const layout = jointActionLayout(A, `${where}: actions`);
  const radius = new Float64Array(m * H * S);
  const rho = o.radius;
  const checkRho = (x: unknown, at: string): number => {
    if (!(isFiniteNumber(x) && x >= 0)) throw simulatorError(command, `${where}: ${at}`, `expected a radius >= 0, got ${JSON.stringify(x)}`);
    return x;
  };
  if (isFiniteNumber(rho) || typeof rho !== 'object') {
    radius.fill(checkRho(rho, 'radius'));
  } else if (Array.isArray(rho) && rho.length === m && rho.every((x) => typeof x === 'number')) {
    rho.forEach((x, i) => radius.fill(checkRho(x, `radius[${i}]`), i * H * S, (i + 1) * H * S));
  } else if (Array.isArray(rho) && rho.length === m) {
    for (let i = 0; i < m; i++) {
      const ri = rho[i] as unknown;
      if (!Array.isArray(ri) || ri.length !== H) throw simulatorError(command, `${where}: radius[${i}]`, `expected ${H} rows (one per step), got ${JSON.stringify(ri)}`);
      for (let h = 0; h < H; h++) {
        const rh = ri[h] as unknown;
        if (!Array.isArray(rh) || rh.length !== S) throw simulatorError(command, `${where}: radius[${i}][${h}]`, `expected ${S} radii (one per state)`);
        for (let s = 0; s < S; s++) radius[(i * H + h) * S + s] = checkRho(rh[s], `radius[${i}][${h}][${s}]`);
      }
    }
  } else {
    throw simulatorError(command, `${where}: radius`, `expected a number, ${m} numbers (one per agent) or nested [${m}][${H}][${S}], got ${JSON.stringify(rho)}`);
  }
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : command;
  return { name, m, S, H, A, J: layout.J, layout, divergence: o.divergence, radius };
}

/**
 * A running external simulator (see the file header): the lean tabular API (`resetState`, `stepJoint`) that the
 * training loop uses, and PettingZoo's asynchronous parallel API (`reset`, `step`) over it.
 */
export class ExternalEnv implements AsyncParallelEnv<number, number, Record<string, never>> {
  /** The command line the simulator was started with. */
  readonly command: string;
  readonly spec: ExternalEnvSpec;
  /** The nominal model, when the simulator answers `model`; null otherwise (no exact gaps). */
  readonly model: TabularGame | null;
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  readonly horizon: number;
  private agentsNow: readonly AgentId[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly io: ExternalIo;
  private readonly rewards: Float64Array;
  private readonly actionBuf: number[];
  private state = -1;
  private h = 0;
  private readonly obsSpace: Discrete;
  private readonly actSpaces: Discrete[];

  /** Use `startExternalEnv`. */
  constructor(command: string, child: ChildProcessWithoutNullStreams, io: ExternalIo, spec: ExternalEnvSpec, model: TabularGame | null) {
    this.command = command;
    this.child = child;
    this.io = io;
    this.spec = spec;
    this.model = model;
    this.metadata = { id: spec.name, renderModes: ['text'] };
    this.possibleAgents = Array.from({ length: spec.m }, (_, i) => `agent_${i}`);
    this.horizon = spec.H;
    this.rewards = new Float64Array(spec.m);
    this.actionBuf = new Array<number>(spec.m).fill(0);
    this.obsSpace = new Discrete(spec.S);
    this.actSpaces = spec.A.map((n) => new Discrete(n));
  }

  get agents(): readonly AgentId[] {
    return this.agentsNow;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.io.alive;
  }

  /** The simulator's process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts an episode from `seed` (an integer the simulator seeds its generator with); returns the start state. */
  async resetState(seed: number): Promise<number> {
    const r = await this.io.request('reset', { seed });
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    this.state = checkInteger(this.command, 'answer to "reset": state', o.state, 0, this.spec.S - 1);
    this.h = 0;
    return this.state;
  }

  /** One step with joint action j (decoded into one action per agent); the result's buffers are reused. */
  async stepJoint(j: number): Promise<ExternalStep> {
    const { m, layout, S, H } = this.spec;
    if (this.state < 0) throw simulatorError(this.command, 'step', 'no episode is running: expected resetState(seed) first');
    if (this.h >= H) throw simulatorError(this.command, 'step', `the episode has ended (horizon ${H}): expected resetState(seed) first`);
    for (let i = 0; i < m; i++) this.actionBuf[i] = layout.actionOf[j * m + i];
    const r = await this.io.request('step', { actions: this.actionBuf });
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const next = checkInteger(this.command, `answer to "step" ${this.h}: state`, o.state, 0, S - 1);
    const rw = o.rewards;
    if (!Array.isArray(rw) || rw.length !== m) throw simulatorError(this.command, `answer to "step" ${this.h}: rewards`, `expected ${m} rewards (one per agent), got ${JSON.stringify(rw)}`);
    for (let i = 0; i < m; i++) {
      const x = rw[i] as unknown;
      if (!isFiniteNumber(x)) throw simulatorError(this.command, `answer to "step" ${this.h}: rewards[${i}]`, `expected a finite number, got ${JSON.stringify(x)}`);
      this.rewards[i] = x;
    }
    this.state = next;
    this.h++;
    return { state: next, rewards: this.rewards };
  }

  observationSpace(_agent: AgentId): Space<number> {
    return this.obsSpace as Space<number>;
  }

  actionSpace(agent: AgentId): Space<number> {
    const i = this.possibleAgents.indexOf(agent);
    if (i < 0) throw simulatorError(this.command, 'actionSpace', `expected one of ${this.possibleAgents.join(', ')}, got ${JSON.stringify(agent)}`);
    return this.actSpaces[i] as Space<number>;
  }

  async reset(args: ResetArgs = {}): Promise<ResetResult<number, Record<string, never>>> {
    const seed = typeof args.seed === 'number' ? args.seed : 0;
    const s = await this.resetState(seed);
    this.agentsNow = this.possibleAgents;
    return { observations: this.record(() => s), infos: this.record(() => ({})) };
  }

  async step(actions: AgentRecord<number>): Promise<StepResult<number, Record<string, never>>> {
    const { m, layout } = this.spec;
    let j = 0;
    for (let i = 0; i < m; i++) {
      const a = actions[this.possibleAgents[i]];
      if (!(Number.isInteger(a) && a >= 0 && a < this.spec.A[i])) {
        throw simulatorError(this.command, `step: actions.${this.possibleAgents[i]}`, `expected an action in [0, ${this.spec.A[i] - 1}], got ${JSON.stringify(a)}`);
      }
      j += a * layout.stride[i];
    }
    const out = await this.stepJoint(j);
    const done = this.h >= this.spec.H;
    const rewards = this.record((i) => out.rewards[i]);
    if (done) this.agentsNow = [];
    return {
      observations: this.record(() => out.state),
      rewards,
      terminations: this.record(() => false),
      truncations: this.record(() => done),
      infos: this.record(() => ({})),
    };
  }

  render(): string {
    return `${this.spec.name}: step ${this.h}/${this.spec.H}, state ${this.state}`;
  }

  /** Asks the simulator to close, waits up to a second for it to exit, then kills it. Safe to call twice. */
  async close(): Promise<void> {
    await this.io.close();
  }

  private record<T>(f: (i: number) => T): AgentRecord<T> {
    const out: Record<AgentId, T> = {};
    this.possibleAgents.forEach((a, i) => {
      out[a] = f(i);
    });
    return out;
  }
}

/** The request / answer channel to one simulator process (internal to this file and its tests). */
class ExternalIo {
  alive = true;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  private stderrTail = '';
  private failure: DrmgError | null = null;
  private readonly exited: Promise<void>;

  constructor(
    private readonly command: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly timeoutMs: number,
  ) {
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onData(chunk));
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    child.stdin.on('error', () => {
      // EPIPE when the process died: reported through 'exit'.
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.alive = false;
        live.delete(child);
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        this.fail(simulatorError(this.command, '', `the process ${how}${this.pendingWhat()}${this.stderrNote()}`));
        resolve();
      });
    });
    child.on('error', (e) => {
      this.alive = false;
      live.delete(child);
      this.fail(simulatorError(this.command, '', `could not be started: ${e.message}`));
    });
  }

  private pendingWhat(): string {
    const p = [...this.pending.values()][0];
    return p === undefined ? '' : ` while drmg waited for its answer to "${p.method}"`;
  }

  private stderrNote(): string {
    const tail = this.stderrTail.trim();
    return tail === '' ? '' : `; its stderr ended with: ${tail.split('\n').slice(-5).join(' | ')}`;
  }

  /** Rejects every pending request with `e` (the first failure wins) and kills the process. */
  private fail(e: DrmgError): void {
    if (this.failure === null) this.failure = e;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.failure);
    }
    this.pending.clear();
    if (this.alive) this.child.kill('SIGKILL');
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line !== '') this.onLine(line);
      nl = this.buffer.indexOf('\n');
    }
    if (this.buffer.length > 64 * 1024 * 1024) this.fail(simulatorError(this.command, '', 'wrote more than 64 MiB without a newline: expected one JSON answer per line'));
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.fail(simulatorError(this.command, '', `answered a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}${this.pendingWhat()}; expected one JSON object per line`));
      return;
    }
    const o = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
    const p = typeof o.id === 'number' ? this.pending.get(o.id) : undefined;
    if (p === undefined) {
      this.fail(simulatorError(this.command, '', `answered ${JSON.stringify(line.slice(0, 200))}, which matches no request: expected {"id": <the request's id>, "result": ...}`));
      return;
    }
    this.pending.delete(p.id);
    clearTimeout(p.timer);
    if (o.error !== undefined) {
      const m = typeof o.error === 'object' && o.error !== null ? (o.error as Record<string, unknown>).message : o.error;
      p.reject(simulatorError(this.command, `answer to "${p.method}"`, `the simulator reported an error: ${typeof m === 'string' ? m : JSON.stringify(m)}`));
      return;
    }
    if (!('result' in o)) {
      this.fail(simulatorError(this.command, `answer to "${p.method}"`, `expected {"id": ${p.id}, "result": ...} or {"id": ${p.id}, "error": {"message": ...}}, got ${JSON.stringify(line.slice(0, 200))}`));
      p.reject(this.failure!);
      return;
    }
    p.resolve(o.result);
  }

  request(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (!this.alive) return Promise.reject(simulatorError(this.command, method, 'the process is not running'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(simulatorError(this.command, `request "${method}"`, `no answer within ${this.timeoutMs} ms (the process was killed); expected one JSON line per request`));
      }, this.timeoutMs);
      timer.unref?.();
      this.pending.set(id, { id, method, resolve, reject, timer });
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const id = this.nextId++;
    this.child.stdin.write(`${JSON.stringify({ id, method: 'close', params: {} })}\n`);
    this.child.stdin.end();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref?.());
    await Promise.race([this.exited, grace]);
    if (this.alive) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/**
 * Starts the simulator `command` (run by /bin/sh, so it may carry arguments), asks for its spaces and, unless
 * `askModel` is false, its nominal model.
 * @throws DrmgError ('input') naming the command when it cannot start, exits, answers malformed lines or times out.
 * @example const env = await startExternalEnv('python3 examples/external/relay_sim.py'); await env.resetState(1);
 */
export async function startExternalEnv(command: string, options: ExternalEnvOptions = {}): Promise<ExternalEnv> {
  if (typeof command !== 'string' || command.trim() === '') inputError('env-cmd', `expected a command line, got ${JSON.stringify(command)}`);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) inputError('timeoutMs', `expected a number of milliseconds > 0, got ${timeoutMs}`);
  installExitHook();
  const child = spawn('/bin/sh', ['-c', `exec ${command}`], { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const io = new ExternalIo(command, child, timeoutMs);
  try {
    const spec = parseSpec(command, await io.request('spaces'));
    let model: TabularGame | null = null;
    if (options.askModel ?? true) {
      let doc: unknown = null;
      try {
        doc = await io.request('model');
      } catch (e) {
        // A simulator without a model answers "model" with an error: no exact gaps. Anything else is a failure.
        if (!(e instanceof DrmgError && e.detail.startsWith('the simulator reported an error')) || !io.alive) throw e;
      }
      if (doc !== null && doc !== undefined) {
        try {
          model = parseGame(doc, `simulator ${JSON.stringify(command)}, answer to "model"`);
        } catch (e) {
          throw e instanceof DrmgError ? e : simulatorError(command, 'answer to "model"', String(e));
        }
        const same = model.m === spec.m && model.S === spec.S && model.H === spec.H && model.A.every((n, i) => n === spec.A[i]) && model.divergence === spec.divergence;
        if (!same) throw simulatorError(command, 'answer to "model"', `its sizes (m ${model.m}, S ${model.S}, H ${model.H}, actions [${model.A.join(', ')}], ${model.divergence}) differ from its "spaces" (m ${spec.m}, S ${spec.S}, H ${spec.H}, actions [${spec.A.join(', ')}], ${spec.divergence})`);
      }
    }
    return new ExternalEnv(command, child, io, spec, model);
  } catch (e) {
    await io.close();
    throw e;
  }
}
