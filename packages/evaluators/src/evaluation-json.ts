/** The drmg-evaluation/1 document of a robust evaluation (formats.md "Evaluation result"). */
import { checkObject, inputError } from '@drmg/core';
import type { RobustEvaluation } from './robust-evaluator.ts';

/** The drmg-evaluation/1 JSON document of an evaluation. */
export interface EvaluationJson {
  format: 'drmg-evaluation/1';
  /** value[i][s] = V^{pi,rho_i}_{i,0}(s). */
  value: number[][];
  /** bestResponse[i][s]: agent i's best response against the others' joint marginal. */
  bestResponse: number[][];
  /** swapBestResponse[i][s]: agent i's best strategy modification (CE deviation). */
  swapBestResponse: number[][];
  /** gap[s] = max_i (bestResponse[i][s] - value[i][s]). */
  gap: number[];
  /** ceGap[s] = max_i (swapBestResponse[i][s] - value[i][s]). */
  ceGap: number[];
}

/**
 * The drmg-evaluation/1 document of `ev`: per-agent tables as number[m][S], gaps as number[S].
 * @example JSON.stringify(evaluationToJson(evaluatePolicy(game, policy)))
 */
export function evaluationToJson(ev: RobustEvaluation): EvaluationJson {
  checkObject(ev, 'evaluation', 'a RobustEvaluation');
  const { m, S } = ev;
  for (const key of ['value', 'bestResponse', 'swapBestResponse', 'gap', 'ceGap'] as const) {
    if (!(ev[key] instanceof Float64Array)) inputError(`evaluation.${key}`, 'expected a Float64Array (an evaluation from createEvaluator)');
  }
  const perAgent = (t: Float64Array): number[][] => {
    const rows: number[][] = [];
    for (let i = 0; i < m; i++) rows.push(Array.from(t.subarray(i * S, (i + 1) * S)));
    return rows;
  };
  return {
    format: 'drmg-evaluation/1',
    value: perAgent(ev.value),
    bestResponse: perAgent(ev.bestResponse),
    swapBestResponse: perAgent(ev.swapBestResponse),
    gap: Array.from(ev.gap),
    ceGap: Array.from(ev.ceGap),
  };
}
