/**
 * Every robust and non-robust learner on the built-ins and on the many-agent microgrid, scored by the same exact
 * robust gaps: the output policy's robust CCE gap after 1/8, 1/4, 1/2 and all of K episodes (gap against samples),
 * the team's worst-case return (sum over agents of the robust value) when reality is perturbed by radius r (against
 * radius), training time and retained memory. A learner that refuses a game (joint-action learners past
 * MAX_JOINT_ACTIONS) is listed with its message. Writes docs/learners/comparison/results.json and prints the tables
 * of docs/learners/comparison.md.
 *
 * Run: node --expose-gc --import tsx examples/many-agent-comparison.ts
 *   (DRMG_EXAMPLE_EPISODES = K, default 2000; DRMG_EXAMPLE_SEEDS = number of seeds, default 5; about 10 minutes
 *   on one core at the defaults). The many-agent env alone, with plots and a report: `pnpm --silent drmg compare
 *   --config docs/learners/comparison/microgrid.yaml`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { initialValues, withRadiusProfile } from '@drmg/compare';
import { make } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { createLearner, learnerContext, runEpisode } from '@drmg/learners';

/** One scenario: a registered env with parameters. */
interface Scenario {
  readonly label: string;
  readonly id: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** What one learner did on one scenario, over the seeds (means, and the per-seed final gaps). */
export interface ComparisonRow {
  readonly scenario: string;
  readonly learner: string;
  /** Why the learner refused the game, if it did. */
  readonly refused?: string;
  /** Mean exact robust CCE gap of the output policy at each checkpoint (episodes in `checkpoints`). */
  readonly gap?: number[];
  readonly finalGaps?: number[];
  /** Mean team worst-case return at each radius in `radii`. */
  readonly worstCase?: number[];
  /** Mean training time (ms, evaluations excluded) and retained memory (MB) per run. */
  readonly ms?: number;
  readonly mb?: number;
}

const SCENARIOS: readonly Scenario[] = [
  { label: 'bridge-crossing (TV)', id: 'bridge-crossing-v0', params: {} },
  { label: 'bridge-crossing (KL)', id: 'bridge-crossing-v0', params: { divergence: 'kl' } },
  { label: 'microgrid m=4 A=3 (J=81)', id: 'microgrid-v0', params: { agents: 4, actions: 3 } },
  { label: 'microgrid m=6 A=5 (J=15,625)', id: 'microgrid-v0', params: {} },
];

const LEARNERS = ['planner', 'mornavi', 'nash-vi', 'dr-nvi', 'robust-v-learning', 'v-learning', 'robust-q', 'independent-q', 'random'];
const RADII = [0, 0.1, 0.2, 0.3];

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const u = process.memoryUsage();
  return (u.heapUsed + u.arrayBuffers) / 2 ** 20;
}

/** Runs the comparison; `log` receives progress lines. */
export function runComparison(K: number, seeds: number, log: (line: string) => void = () => {}): { checkpoints: number[]; radii: number[]; rows: ComparisonRow[] } {
  const checkpoints = [K / 8, K / 4, K / 2, K].map(Math.round);
  const rows: ComparisonRow[] = [];
  for (const sc of SCENARIOS) {
    const game: TabularGame = make(sc.id, sc.params).model;
    const ev = createEvaluator(game);
    const radiusGames = RADII.map((r) => withRadiusProfile(game, r));
    const radiusEvs = radiusGames.map((g) => createEvaluator(g));
    for (const base of LEARNERS) {
      const name = base === 'mornavi' ? `mornavi-${game.divergence}` : base;
      const gaps = checkpoints.map(() => 0);
      const finalGaps: number[] = [];
      const worst = RADII.map(() => 0);
      let ms = 0, mb = 0;
      let refused: string | undefined;
      for (let seed = 0; seed < seeds && refused === undefined; seed++) {
        const before = heapMb();
        let learner;
        const t0 = performance.now();
        try {
          learner = createLearner(name, learnerContext(game, K, true), {});
        } catch (e) {
          refused = (e as Error).message;
          break;
        }
        const rng = createRng(seed);
        let trainMs = performance.now() - t0;
        let c = 0;
        for (let k = 0; k < K; k++) {
          const t = performance.now();
          runEpisode(game, learner, k, rng);
          trainMs += performance.now() - t;
          if (k + 1 === checkpoints[c]) {
            const g = initialGap(game, ev.evaluate(learner.outputPolicy(), { swap: false }));
            gaps[c] += g / seeds;
            if (c === checkpoints.length - 1) finalGaps.push(g);
            c++;
          }
        }
        mb += (heapMb() - before) / seeds;
        ms += trainMs / seeds;
        const out = learner.outputPolicy();
        RADII.forEach((_, r) => {
          const values = initialValues(radiusGames[r], radiusEvs[r].evaluate(out, { bestResponse: false, swap: false }).value);
          worst[r] += values.reduce((a, b) => a + b, 0) / seeds;
        });
      }
      const row: ComparisonRow = refused !== undefined ? { scenario: sc.label, learner: name, refused } : { scenario: sc.label, learner: name, gap: gaps, finalGaps, worstCase: worst, ms, mb };
      rows.push(row);
      log(refused !== undefined ? `${sc.label} ${name}: refused` : `${sc.label} ${name}: gap ${gaps.map((g) => g.toFixed(3)).join(' ')}, ${ms.toFixed(0)} ms`);
    }
  }
  return { checkpoints, radii: RADII, rows };
}

/** The markdown tables of a comparison (one per scenario). */
export function comparisonTables(result: ReturnType<typeof runComparison>): string {
  const { checkpoints, radii, rows } = result;
  const lines: string[] = [];
  for (const sc of SCENARIOS) {
    lines.push(`### ${sc.label}`, '');
    lines.push(`| learner | ${checkpoints.map((k) => `gap @${k}`).join(' | ')} | ${radii.map((r) => `worst-case return r=${r}`).join(' | ')} | train ms | MB |`);
    lines.push(`|---|${checkpoints.map(() => '---:').join('|')}|${radii.map(() => '---:').join('|')}|---:|---:|`);
    for (const row of rows.filter((x) => x.scenario === sc.label)) {
      if (row.refused !== undefined) {
        lines.push(`| ${row.learner} | refused: J too large for a joint-action learner | ${[...checkpoints.slice(1), ...radii, 0, 0].map(() => '').join(' | ')} |`);
        continue;
      }
      lines.push(`| ${row.learner} | ${row.gap!.map((g) => g.toFixed(3)).join(' | ')} | ${row.worstCase!.map((w) => w.toFixed(2)).join(' | ')} | ${row.ms!.toFixed(0)} | ${row.mb!.toFixed(1)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const K = Number(process.env.DRMG_EXAMPLE_EPISODES ?? 2000);
  const seeds = Number(process.env.DRMG_EXAMPLE_SEEDS ?? 5);
  const t = performance.now();
  const result = runComparison(K, seeds, (line) => console.error(line));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'learners', 'comparison', 'results.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ episodes: K, seeds, ...result }, null, 1) + '\n');
  console.log(comparisonTables(result));
  console.error(`done in ${((performance.now() - t) / 1000).toFixed(0)} s; wrote ${out}`);
}
