/**
 * The terminal summary of a compare experiment: a learning table (regret, slope, gaps, robust value,
 * time), a deployment table (team return by perturbation radius, worst-case and random kernels), the
 * winner at each radius, and notes (skipped learners, interruption).
 */
import type { CompareConfig } from './compare-config.ts';
import type { LearnerSummary, RadiusWinner, Stat } from './compare-summary.ts';

/** Per-learner timing over seeds (from the runs' clocks). */
export interface LearnerTiming {
  readonly learner: string;
  /** Mean training seconds per run and mean episodes per second. */
  readonly seconds: number;
  readonly episodesPerSecond: number;
}

/** Renders rows under a header: first column left-aligned, the others right-aligned, two spaces apart. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((x, c) => (c === 0 ? x.padEnd(width[c]) : x.padStart(width[c]))).join('  ').trimEnd();
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/** A number with `digits` decimals ('-' for NaN, no '-0'). */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '-';
  const v = Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x;
  return v.toFixed(digits);
}

/** `mean ± sd` of a Stat (just the mean for one run). */
export function meanSd(s: Stat, digits = 3): string {
  if (s.n === 0) return '-';
  return s.n === 1 ? num(s.mean, digits) : `${num(s.mean, digits)} ± ${num(s.sd, digits)}`;
}

/** The seeds as text: `0-4` for a run of consecutive seeds, else a list. */
export function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, k) => k === 0 || s === seeds[k - 1] + 1);
  return consecutive && seeds.length > 2 ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join(', ');
}

/** What the text summary needs. */
export interface CompareTextInput {
  readonly config: CompareConfig;
  /** A one-line description of the scenario. */
  readonly scenario: string;
  readonly summaries: readonly LearnerSummary[];
  readonly winners: readonly RadiusWinner[];
  readonly timings: readonly LearnerTiming[];
  readonly skipped: readonly { readonly learner: string; readonly reason: string }[];
  readonly interrupted: boolean;
  readonly finishedRuns: number;
  readonly plannedRuns: number;
}

/** One line per learner trained with other uncertainty sets than the scenario's (a twin), saying so. */
export function trainedWithNotes(input: CompareTextInput): string[] {
  return input.summaries
    .filter((s) => s.trainedWith !== 'scenario sets')
    .map((s) => `${s.learner}: trained with the environment's ${s.trainedWith}, as its own uncertainty model; scored on the scenario's sets like every learner.`);
}

/** The learning table's rows. */
export function learningRows(input: CompareTextInput): string[][] {
  return input.summaries.map((s) => {
    const t = input.timings.find((x) => x.learner === s.learner);
    return [
      s.learner,
      String(s.seeds.length),
      meanSd(s.regret, 1),
      meanSd(s.slope, 2),
      meanSd(s.lateGap),
      meanSd(s.outputGap),
      meanSd(s.robustValue),
      meanSd(s.nominalGap),
      t ? t.seconds.toFixed(1) : '-',
      t ? t.episodesPerSecond.toFixed(0) : '-',
    ];
  });
}

/** The header of the learning table. */
export const learningHeader = ['learner', 'runs', 'regret at K', 'slope', 'late gap', 'output gap', 'robust value', 'nominal gap', 's/run', 'episodes/s'];

/** The deployment table (worst-case rows, then random-kernel rows): header and rows. */
export function deploymentTable(input: CompareTextInput): { header: string[]; worst: string[][]; random: string[][] } {
  const radii = input.config.radii;
  const header = ['learner', 'nominal', ...radii.map((r) => `r=${r}`)];
  const worst = input.summaries.map((s) => [s.learner, num(s.nominalReturn.mean), ...radii.map((_, q) => num(s.worstCase[q].mean))]);
  const random = input.summaries.map((s) => [s.learner, num(s.nominalReturn.mean), ...radii.map((_, q) => (Number.isFinite(s.random[q].mean) ? `${num(s.random[q].mean)}±${num(s.randomStdErr[q], 3)}` : '-'))]);
  return { header, worst, random };
}

/** The whole terminal summary (see the file header). */
export function compareSummaryText(input: CompareTextInput): string {
  const { config } = input;
  const out: string[] = [];
  out.push(`${input.scenario}`);
  out.push(`K = ${config.episodes} episodes x ${config.seeds.length} seeds (${seedsText(config.seeds)}), exact ${config.gapKind} every ${Math.max(1, Math.ceil(config.episodes / config.evalPoints))} episodes`);
  if (input.interrupted) out.push(`INTERRUPTED: ${input.finishedRuns} of ${input.plannedRuns} runs finished; the figures below use those only.`);
  out.push('');
  out.push('Learning (mean ± sd over seeds)');
  out.push(textTable(learningHeader, learningRows(input)));
  out.push('regret at K: cumulative exact robust gap of the episode policies; slope: log-log slope of the regret from K/10 to K');
  out.push('(1 = linear); late gap: mean gap of the episode policies over the second half (the regret\'s late growth per episode:');
  out.push('~0 once a learner plays a robust equilibrium); output gap / robust value: the output policy\'s exact robust gap and robust');
  out.push('team value (sum over agents) on the scenario; nominal gap: its gap on the nominal model (radius 0).');
  for (const note of trainedWithNotes(input)) out.push(note);
  out.push('');
  const d = deploymentTable(input);
  out.push("Deployment: team return of the output policy (mean over seeds) under every agent's worst-case kernel of radius r (exact)");
  out.push(textTable(d.header, d.worst));
  if (config.randomKernels > 0) {
    out.push(`... and under random kernels inside each agent's radius-r set (Monte Carlo: ${config.randomKernels} kernels per agent x ${config.rolloutEpisodes} episodes per radius; ± standard error)`);
    out.push(textTable(d.header, d.random));
  }
  out.push('Best worst-case team return by radius (the known-model planner is the reference, not a contestant):');
  for (const w of input.winners) {
    const tie = w.tied.length > 0 ? ` (tied with ${w.tied.join(', ')})` : '';
    out.push(`  r = ${String(w.radius).padEnd(5)} ${w.learner === null ? '-' : `${w.learner} ${num(w.value)}${tie}`}${w.reference !== null ? `   (planner ${num(w.reference)})` : ''}`);
  }
  for (const s of input.skipped) out.push(`skipped ${s.learner}: ${s.reason}`);
  return out.join('\n') + '\n';
}
