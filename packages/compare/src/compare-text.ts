/**
 * The terminal summary of a compare experiment: a learning table (regret, slope, gaps, simulator calls to a
 * gap <= eps, the learners' bounds under their own names, robust value, time) with its legend, a deployment table (team return
 * by perturbation radius, worst-case and random kernels), the winner at each radius, and notes
 * (slopes not shown and why, skipped learners, interruption).
 */
import type { CompareConfig } from './compare-config.ts';
import { GAP_TOLERANCE_RULE, SLOPE_TOLERANCE_RULE, type LearnerSummary, type RadiusWinner, type Stat } from './compare-summary.ts';

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

/** A long line broken at spaces into lines of at most `width` characters (continuations indented by two spaces). */
export function wrapLine(text: string, width = 120): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
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
  /** The run folder of an interrupted run: the summary says how to resume it. */
  readonly resumeDir?: string;
}

/** The line of a partial report: how many runs finished, and how to run the others. */
export function interruptedText(input: CompareTextInput): string {
  const missing = input.plannedRuns - input.finishedRuns;
  const resume = input.resumeDir !== undefined ? ` This report is partial: drmg compare --resume ${input.resumeDir} runs the other ${missing}.` : ' This report is partial.';
  return `${input.finishedRuns} of ${input.plannedRuns} runs finished; the figures use those only.${resume}`;
}

/** One line per learner trained with other uncertainty sets than the scenario's (a twin), saying so. */
export function trainedWithNotes(input: CompareTextInput): string[] {
  return input.summaries
    .filter((s) => s.trainedWith !== 'scenario sets')
    .map((s) => `${s.learner}: trained with the environment's ${s.trainedWith}, as its own uncertainty model; scored on the scenario's sets like every learner.`);
}

/** Whether any learner gives a certified bound, and whether any gives a bound that is not a certificate. */
function boundColumns(input: CompareTextInput): { certified: boolean; bound: boolean } {
  return { certified: input.summaries.some((s) => s.certifiedGap.n > 0), bound: input.summaries.some((s) => s.boundGap.n > 0) };
}

/** Column name of the simulator calls to a mean gap <= eps (`LearnerSummary.samplesToGap`). */
export const SAMPLES_TO_GAP_COLUMN = 'samples to gap <= eps';

/** A `samplesToGap` cell: the count, `>N` when the last point (N calls) is above eps, `-` when no samples were recorded. */
export function samplesToGapText(s: LearnerSummary): string {
  const c = s.samplesCurve;
  if (c.samples.length === 0) return '-';
  if (s.samplesToGap === null) return `>${Math.round(c.samples[c.samples.length - 1])}`;
  return String(Math.round(s.samplesToGap));
}

/** Column name of a certified bound (the same words in `drmg train`, the compare table and the report). */
export const CERTIFIED_GAP_COLUMN = 'certified gap';
/** Column name of a bound that is not a certificate. */
export const BOUND_GAP_COLUMN = 'bound (not certified)';

/**
 * The header of the learning table: the `certified gap` column when some learner certifies, the
 * `bound (not certified)` column when some learner gives an uncertified bound.
 */
export function learningHeader(input: CompareTextInput): string[] {
  const b = boundColumns(input);
  return [
    'learner',
    'runs',
    'regret at K',
    'slope',
    'late gap',
    SAMPLES_TO_GAP_COLUMN,
    'output gap',
    ...(b.certified ? [CERTIFIED_GAP_COLUMN] : []),
    ...(b.bound ? [BOUND_GAP_COLUMN] : []),
    'robust value',
    'nominal gap',
    's/run',
    'episodes/s',
  ];
}

/** The learning table's rows (the columns of `learningHeader`). */
export function learningRows(input: CompareTextInput): string[][] {
  const b = boundColumns(input);
  return input.summaries.map((s) => {
    const t = input.timings.find((x) => x.learner === s.learner);
    return [
      s.learner,
      String(s.seeds.length),
      meanSd(s.regret, 1),
      meanSd(s.slope, 2),
      meanSd(s.lateGap),
      samplesToGapText(s),
      meanSd(s.outputGap),
      ...(b.certified ? [meanSd(s.certifiedGap)] : []),
      ...(b.bound ? [meanSd(s.boundGap)] : []),
      meanSd(s.robustValue),
      meanSd(s.nominalGap),
      t ? t.seconds.toFixed(1) : '-',
      t ? t.episodesPerSecond.toFixed(0) : '-',
    ];
  });
}

/** The regret at K a slope needs in this experiment (every learner's is the same), NaN without learners. */
function tolerance(input: CompareTextInput): number {
  return input.summaries.length > 0 ? input.summaries[0].slopeTolerance : NaN;
}

/** eps of the samples axis in this experiment (every learner's is the same), NaN without learners. */
function gapEps(input: CompareTextInput): number {
  return input.summaries.length > 0 ? input.summaries[0].gapTolerance : NaN;
}

/**
 * The legend of the learning table, one sentence per column group (the same words in the text summary and the
 * report): regret (unclipped, Def. 2), slope (with its tolerance), late gap, output figures, and the bounds shown.
 */
export function learningLegend(input: CompareTextInput): string[] {
  const b = boundColumns(input);
  const tol = tolerance(input);
  const out = [
    `regret at K: the sum over the K episodes of the exact robust ${input.config.gapKind} of each episode policy from the initial distribution (Def. 2, unclipped: a correlated policy's negative gap lowers it).`,
    `slope: least-squares slope of log regret on log episodes from K/10 to K (1 = linear regret), shown only where the regret at K exceeds ${SLOPE_TOLERANCE_RULE} = ${Number.isFinite(tol) ? tol.toExponential(1) : '-'} here (H = horizon), below which the regret is rounding noise; '-' otherwise, with the reason below.`,
    "late gap: mean gap of the episode policies over the second half of training (the regret's late growth per episode: ~0 once a learner plays a robust equilibrium).",
    `${SAMPLES_TO_GAP_COLUMN}: simulator calls (k H transitions of the k episodes played, plus a learner's draws from the nominal kernel as a generative model: DR-NVI's H S J N, robust-q's extra draws) before the evaluated episode policy from which the gap, mean over seeds, stays <= eps = ${GAP_TOLERANCE_RULE} = ${num(gapEps(input))} here to the last evaluation (a dip below eps that does not last does not count); '>N': above eps at the last evaluation, after N calls; '-': not recorded.`,
    "output gap / robust value: the output policy's exact robust gap and robust team value (sum over agents) on the scenario; nominal gap: its gap on the nominal model (radius 0).",
  ];
  if (b.certified) out.push(`${CERTIFIED_GAP_COLUMN}: the learner's bound on its output policy's gap from provably valid confidence widths (a certificate).`);
  if (b.bound) out.push(`${BOUND_GAP_COLUMN}: the learner's upper-minus-lower bound on that gap from widths not known to hold (a heuristic bonus): not a certificate.`);
  return out;
}

/** One line per learner with seeds that have no slope, giving the reason. */
export function slopeNotes(input: CompareTextInput): string[] {
  return input.summaries.filter((s) => s.slopeNote !== null).map((s) => `slope of ${s.learner}: ${s.slopeNote}.`);
}

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
  if (input.interrupted) out.push(wrapLine(`INTERRUPTED: ${interruptedText(input)}`));
  out.push('');
  out.push('Learning (mean ± sd over seeds)');
  out.push(textTable(learningHeader(input), learningRows(input)));
  for (const line of [...learningLegend(input), ...slopeNotes(input)]) out.push(wrapLine(line));
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
