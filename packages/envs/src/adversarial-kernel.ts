/**
 * The adversarial-kernel wrapper: the same environment (model, rewards, spaces, rendering) whose
 * next states come from another kernel than the nominal one, so that a policy trained in the
 * simulator can be deployed into a harsher "reality":
 * - `worst-case`: agent i's worst-case kernel against a policy (at every (h, s, j) the minimiser
 *   of sigma in the robust Bellman equation, eq. 12, so it realises V^{pi, rho_i}_i, eq. 13; from
 *   the evaluator): Monte Carlo returns of agent i match V_i.
 * - `random`: a random kernel inside the uncertainty set, per (h, s, j) (see `randomKernel`).
 * - `fixed`: a user kernel, checked against every agent's set (`report` says where it lies outside).
 * - `custom`: a function (h, s, j, nominalRow) -> row, tabulated once per row when wrapping.
 */
import { DrmgError, inputError, stateIndexArray, type Kernel, type Policy, describeValue, checkObject } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { kernelSetReport, type KernelSetReport } from './kernel-set-report.ts';
import { randomKernel } from './random-kernel.ts';
import type { TabularEnv } from './tabular-env.ts';
import { TabularWrapper } from './tabular-wrapper.ts';
import { toKernel } from './validate-kernel.ts';

/** Which kernel the wrapped environment samples. */
export type Adversary =
  | { readonly type: 'worst-case'; readonly agent: number; readonly policy: Policy }
  | { readonly type: 'random'; readonly seed?: number | string; readonly agent?: number }
  | { readonly type: 'fixed'; readonly kernel: Kernel | ArrayLike<number>; readonly strict?: boolean }
  | {
      readonly type: 'custom';
      /** Returns the row Q_h(.|s, j) (length S, a distribution); `nominalRow` is a reused dense buffer, valid during the call. */
      readonly row: (h: number, s: number, j: number, nominalRow: Float64Array) => ArrayLike<number>;
      readonly strict?: boolean;
    };

/**
 * An environment whose next states come from an adversarial kernel: a TabularWrapper of the
 * environment it was made from (same model, rewards, spaces and rendering; `env` is that
 * environment, `unwrapped` the base one).
 */
export class AdversarialKernelEnv extends TabularWrapper {
  /** The adversary that chose the kernel. */
  readonly adversary: Adversary;
  /** Where the kernel lies relative to every agent's uncertainty set. */
  readonly report: KernelSetReport;

  /**
   * Wraps `env` with `kernel` (already chosen by `adversary`; `adversarialKernel` chooses it).
   * @throws DrmgError when the kernel does not fit the model.
   */
  constructor(env: TabularEnv, adversary: Adversary, kernel: Kernel, label: string, report?: KernelSetReport, sampler?: TabularEnv) {
    super(env, env.model, { ...env.options, kernel, kernelLabel: label }, sampler);
    this.adversary = adversary;
    this.report = report ?? kernelSetReport(env.model, kernel);
  }

  /** An independent copy: the wrapped environment cloned, the same kernel (not chosen again), its own generator. */
  clone(): AdversarialKernelEnv {
    return new AdversarialKernelEnv(this.env.clone(), this.adversary, this.kernel, this.kernelLabel, this.report, this.sampler.clone());
  }
}

function rowPath(h: number, s: number, j: number): string {
  return `adversary.row(h=${h}, s=${s}, j=${j})`;
}

function customKernel(env: TabularEnv, row: (h: number, s: number, j: number, nominalRow: Float64Array) => ArrayLike<number>): Kernel {
  const { S, H, J } = env.model;
  const { rowStart, next, prob } = env.model.kernel;
  const rows = H * S * J;
  const outStart = new Int32Array(rows + 1);
  let outNext = stateIndexArray(S, Math.max(16, next.length));
  let outProb = new Float64Array(outNext.length);
  const nominal = new Float64Array(S);
  let c = 0;
  for (let r = 0; r < rows; r++) {
    const j = r % J;
    const s = Math.floor(r / J) % S;
    const h = Math.floor(r / (J * S));
    nominal.fill(0);
    for (let k = rowStart[r]; k < rowStart[r + 1]; k++) nominal[next[k]] = prob[k];
    const q = row(h, s, j, nominal);
    if (q === null || typeof q !== 'object' || q.length !== S) inputError(rowPath(h, s, j), `expected a row of ${S} probabilities (S), got ${q && typeof q === 'object' ? `${q.length} entries` : JSON.stringify(q)}`);
    if (c + S > outNext.length) {
      const n2 = stateIndexArray(S, Math.max(2 * outNext.length, c + S));
      n2.set(outNext);
      outNext = n2;
      const p2 = new Float64Array(n2.length);
      p2.set(outProb);
      outProb = p2;
    }
    outStart[r] = c;
    let sum = 0;
    for (let sp = 0; sp < S; sp++) {
      const x = q[sp];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) inputError(`${rowPath(h, s, j)}[${sp}]`, `expected a probability >= 0, got ${describeValue(x)}`);
      if (x > 0) {
        outNext[c] = sp;
        outProb[c++] = x;
        sum += x;
      }
    }
    if (Math.abs(sum - 1) > 1e-9) inputError(rowPath(h, s, j), `row sums to ${sum}, expected 1`);
    for (let k = outStart[r]; k < c; k++) outProb[k] /= sum;
  }
  outStart[rows] = c;
  return { rowStart: outStart, next: outNext.slice(0, c), prob: outProb.slice(0, c) };
}

/**
 * Wraps `env` so that next states are drawn from the adversary's kernel (see the file header);
 * `report` tells whether that kernel lies in every agent's uncertainty set. An adversarial-kernel
 * environment given as `env` is replaced, not stacked: the new adversary wraps what it wrapped.
 * @throws DrmgError for a bad agent index or policy, a malformed fixed/custom kernel, or (with
 * `strict: true`) a fixed/custom kernel outside some agent's set, naming the worst row.
 * @example const real = adversarialKernel(make('bridge-crossing-v0'), { type: 'worst-case', agent: 0, policy });
 */
export function adversarialKernel(env: TabularEnv, adversary: Adversary): AdversarialKernelEnv {
  checkObject(env, 'env', 'a TabularEnv');
  checkObject(adversary, 'adversary', 'an adversary {type: "worst-case" | "random" | "fixed" | "custom", ...}');
  const base = env instanceof AdversarialKernelEnv ? env.env : env;
  const { S, H, J, m } = base.model;
  switch (adversary.type) {
    case 'worst-case': {
      const i = adversary.agent;
      if (!Number.isInteger(i) || i < 0 || i >= m) inputError('adversary.agent', `expected an agent index in [0, ${m - 1}], got ${describeValue(i)}`);
      const kernel = createEvaluator(base.model).worstCaseKernel(adversary.policy, i);
      return new AdversarialKernelEnv(base, adversary, kernel, `worst-case:${i}`);
    }
    case 'random': {
      const kernel = randomKernel(base.model, { seed: adversary.seed ?? 0, agent: adversary.agent });
      return new AdversarialKernelEnv(base, adversary, kernel, adversary.agent === undefined ? 'random' : `random:${adversary.agent}`);
    }
    case 'fixed':
    case 'custom': {
      const kernel = adversary.type === 'fixed' ? toKernel(adversary.kernel, H, S, J, 'adversary.kernel') : customKernel(base, adversary.row);
      const wrapped = new AdversarialKernelEnv(base, adversary, kernel, adversary.type);
      if (adversary.strict && !wrapped.report.inside) {
        const bad = wrapped.report.agents.find((a) => !a.inside);
        const w = bad?.worst;
        throw new DrmgError(
          'input',
          `adversary.kernel[${w?.h}][${w?.s}][${w?.j}]`,
          `outside agent ${bad?.agent}'s ${base.model.divergence.toUpperCase()} set: divergence ${w?.distance} > radius ${w?.radius} (${bad?.rowsOutside} rows outside)`,
        );
      }
      return wrapped;
    }
    default:
      return inputError('adversary.type', `expected "worst-case", "random", "fixed" or "custom", got ${describeValue((adversary as { type: unknown }).type)}`);
  }
}
