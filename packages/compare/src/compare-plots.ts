/**
 * The plots of a compare experiment as Vega-Lite specs, rendered in Node to SVG (Vega, no browser) and
 * to PNG (resvg, with the DejaVu Sans font shipped as a dependency so that text renders the same on any
 * machine):
 *  - `regret`: cumulative robust regret against episodes, log-log, mean over seeds with a min-max band;
 *  - `gap-vs-samples`: the exact gap of the episode policies against the simulator calls made before each (k H
 *    transitions plus a learner's generative-model draws, `CompareRunResult.samples`), log x axis, mean over seeds
 *    with a min-max band, a rule at eps = 0.05 H and a ring where each learner's mean gap gets <= eps for good: how
 *    many samples each approach (online learners, DR-NVI with a generative model) needs for gap <= eps;
 *  - `return-vs-radius`: one panel per learner, team return against the perturbation radius r, under each
 *    agent's worst-case kernel (exact) and under random kernels inside the set (Monte Carlo, error bars +-2
 *    standard errors), mean over seeds with a min-max band (panels, because equal curves would hide each other);
 *  - `nominal-vs-worst`: bars of the team return under the nominal kernel, random kernels and worst-case
 *    kernels at the largest radius, mean over seeds with min-max whiskers.
 * Vega and resvg are loaded on first use, so importing drmg's experiments does not load them.
 *
 * Each plot also has interactive variants for the report (`PlotSpec.interactive`, compiled to Vega specs in
 * `RenderedPlot.vega`, run in the page by Vega's browser build): the same data with a tooltip giving the exact
 * numbers of each point, the parameter `hidden` (learners the page's legend toggles hide), and for the regret a
 * linear variant beside the log-log one (with every learner: the planner's regret of about 0 shows there).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GAP_TOLERANCE_RULE, type LearnerSummary } from './compare-summary.ts';

/** A named plot: its Vega-Lite spec, file stem and caption. */
export interface PlotSpec {
  readonly name: 'regret' | 'gap-vs-samples' | 'return-vs-radius' | 'nominal-vs-worst';
  readonly title: string;
  readonly caption: string;
  readonly spec: Record<string, unknown>;
  /** Interactive variants by name (`log`, `linear` for the regret; `default` otherwise), Vega-Lite (see the file header). */
  readonly interactive: Readonly<Record<string, Record<string, unknown>>>;
}

/** A rendered plot. */
export interface RenderedPlot extends PlotSpec {
  readonly svg: string;
  readonly png: Uint8Array;
  /** The interactive variants compiled to Vega specs, by name. */
  readonly vega: Readonly<Record<string, Record<string, unknown>>>;
}

/** The parameter of the interactive variants: the learners hidden by the page's legend. */
const HIDDEN_PARAM = { name: 'hidden', value: [] as string[] };
const NOT_HIDDEN = { filter: 'indexof(hidden, datum.learner) < 0' };
/** The tooltip fields of a mean's band or whiskers: the min and max over seeds, to 12 significant digits. */
const SEED_RANGE_TOOLTIP = [
  { field: 'lo', type: 'quantitative', title: 'min over seeds', format: '.12~g' },
  { field: 'hi', type: 'quantitative', title: 'max over seeds', format: '.12~g' },
];

/** An interactive variant of `spec`: the parameter `hidden` and its filter (before any facet), other changes merged. */
function interactiveOf(spec: Record<string, unknown>, change: Record<string, unknown> = {}): Record<string, unknown> {
  const transform = [NOT_HIDDEN, ...((spec.transform as unknown[] | undefined) ?? [])];
  return { ...spec, params: [HIDDEN_PARAM], transform, ...change };
}

const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
// Tableau-10: distinguishable, colour-blind friendlier than the default order for up to 10 learners.
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];

function baseConfig(): Record<string, unknown> {
  return {
    font: FONT,
    background: 'white',
    view: { stroke: '#ddd' },
    axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
    title: { fontSize: 14, anchor: 'start' },
  };
}

// Legend symbols drawn as solid strokes (the legend is shared with faint band layers, whose symbol would be pale otherwise).
const LINE_LEGEND = { symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 3, symbolSize: 250 };

function colour(learners: readonly string[]): Record<string, unknown> {
  return { field: 'learner', type: 'nominal', title: 'learner', scale: { domain: [...learners], range: learners.map((_, k) => PALETTE[k % PALETTE.length]) }, legend: LINE_LEGEND };
}

/** The four plots' Vega-Lite specs (see the file header). */
export function comparePlotSpecs(summaries: readonly LearnerSummary[], radii: readonly number[], seedsLabel: string): PlotSpec[] {
  const learners = summaries.map((s) => s.learner);
  const color = colour(learners);

  // Regret: only positive values can go on log axes (the planner's regret is ~0 and drops out).
  const regretRows: Record<string, unknown>[] = [];
  const allRegretRows: Record<string, unknown>[] = [];
  const hidden: string[] = [];
  for (const s of summaries) {
    let shown = 0;
    s.curve.episodes.forEach((k, q) => {
      const mean = s.curve.mean[q];
      allRegretRows.push({ learner: s.learner, episode: k, mean, lo: s.curve.min[q], hi: s.curve.max[q] });
      if (!(mean > 1e-9)) return;
      const lo = s.curve.min[q] > 1e-9 ? s.curve.min[q] : mean;
      regretRows.push({ learner: s.learner, episode: k, mean, lo, hi: s.curve.max[q] });
      shown++;
    });
    if (shown === 0) hidden.push(s.learner);
  }
  const regret: PlotSpec = {
    name: 'regret',
    title: 'Cumulative robust regret',
    caption:
      `Exact cumulative robust regret sum_k gap(pi^k) against episodes, log-log; line: mean over ${seedsLabel}, band: min-max over seeds. ` +
      'Slope 1 means linear regret (the learner does not converge to a robust equilibrium), a flattening curve means it does.' +
      (hidden.length > 0 ? ` Not shown (regret <= 0 at every point, so not on log axes): ${hidden.join(', ')}.` : ''),
    spec: {
      $schema: SCHEMA,
      config: baseConfig(),
      title: hidden.length > 0 ? { text: 'Cumulative robust regret (log-log)', subtitle: `not shown (regret <= 0, off the log axes): ${hidden.join(', ')}` } : 'Cumulative robust regret (log-log)',
      width: 520,
      height: 320,
      data: { values: regretRows },
      encoding: {
        x: { field: 'episode', type: 'quantitative', title: 'episodes', scale: { type: 'log', nice: false } },
      },
      layer: [
        {
          mark: { type: 'area', opacity: 0.18 },
          encoding: { y: { field: 'lo', type: 'quantitative', scale: { type: 'log' }, title: 'cumulative robust regret' }, y2: { field: 'hi' }, color },
        },
        { mark: { type: 'line', strokeWidth: 2 }, encoding: { y: { field: 'mean', type: 'quantitative', scale: { type: 'log' } }, color } },
      ],
    },
    interactive: {},
  };
  const regretTooltip = [
    { field: 'learner', type: 'nominal' },
    { field: 'episode', type: 'quantitative', title: 'episodes' },
    { field: 'mean', type: 'quantitative', title: 'regret, mean over seeds', format: '.12~g' },
    ...SEED_RANGE_TOOLTIP,
  ];
  const regretPoints = (scale: 'log' | 'linear') => ({
    mark: { type: 'point', filled: true, size: 36, opacity: 0.85 },
    encoding: { y: { field: 'mean', type: 'quantitative', scale: { type: scale } }, color, tooltip: regretTooltip },
  });
  const regretLayers = regret.spec.layer as Record<string, unknown>[];
  const linearOf = (layer: Record<string, unknown>): Record<string, unknown> => {
    const enc = { ...(layer.encoding as Record<string, Record<string, unknown>>) };
    enc.y = { ...enc.y, scale: { type: 'linear' } };
    return { ...layer, encoding: enc };
  };
  const regretInteractive = {
    log: interactiveOf(regret.spec, { layer: [...regretLayers, regretPoints('log')] }),
    linear: interactiveOf(regret.spec, {
      title: 'Cumulative robust regret (linear axes)',
      data: { values: allRegretRows },
      encoding: { x: { field: 'episode', type: 'quantitative', title: 'episodes' } },
      layer: [...regretLayers.map(linearOf), regretPoints('linear')],
    }),
  };

  const gapVsSamples = gapVsSamplesPlot(summaries, color, seedsLabel);

  const kernelKinds = ['worst-case kernel (exact)', 'random kernels (Monte Carlo)'];
  const radiusRows: Record<string, unknown>[] = [];
  for (const s of summaries) {
    radii.forEach((r, q) => {
      const w = s.worstCase[q];
      if (Number.isFinite(w.mean)) radiusRows.push({ learner: s.learner, radius: r, kernel: kernelKinds[0], mean: w.mean, lo: w.min, hi: w.max, seLo: w.mean, seHi: w.mean });
      const rand = s.random[q];
      const se = s.randomStdErr[q];
      if (Number.isFinite(rand.mean)) radiusRows.push({ learner: s.learner, radius: r, kernel: kernelKinds[1], mean: rand.mean, lo: rand.min, hi: rand.max, seLo: rand.mean - 2 * se, seHi: rand.mean + 2 * se });
    });
  }
  const kernelColour = { field: 'kernel', type: 'nominal', title: 'kernel', sort: kernelKinds, scale: { domain: kernelKinds, range: ['#e45756', '#4c78a8'] }, legend: { ...LINE_LEGEND, orient: 'top', direction: 'horizontal' } };
  const returnVsRadius: PlotSpec = {
    interactive: {},
    name: 'return-vs-radius',
    title: 'Return against perturbation radius, per learner',
    caption:
      `Team return (sum over agents) of each learner's output policy when reality differs from the simulator by radius r (r rescales the scenario's ` +
      `uncertainty profile; r = 0 is the nominal model): red, every agent's worst-case kernel (exact robust value); blue, for each agent random kernels inside its own set ` +
      `(dashed, Monte Carlo; error bars +-2 standard errors). Line: mean over ${seedsLabel}; band: min-max over seeds. One panel per learner, same scale.`,
    spec: {
      $schema: SCHEMA,
      config: baseConfig(),
      title: 'Team return against perturbation radius',
      data: { values: radiusRows },
      columns: Math.min(3, Math.max(1, learners.length)),
      facet: { field: 'learner', type: 'nominal', title: null, sort: learners, header: { labelFontSize: 13, labelFontWeight: 'bold' } },
      spec: {
        width: 230,
        height: 190,
        encoding: { x: { field: 'radius', type: 'quantitative', title: 'perturbation radius r' } },
        layer: [
          { mark: { type: 'area', opacity: 0.15 }, encoding: { y: { field: 'lo', type: 'quantitative', title: 'team return', scale: { zero: false } }, y2: { field: 'hi' }, color: kernelColour } },
          { mark: { type: 'rule' }, encoding: { y: { field: 'seLo', type: 'quantitative' }, y2: { field: 'seHi' }, color: kernelColour } },
          // Random first and dashed, the worst case on top: equal curves (a robust policy) stay visible.
          {
            transform: [{ filter: { field: 'kernel', equal: kernelKinds[1] } }],
            mark: { type: 'line', strokeWidth: 2, strokeDash: [5, 3], point: true },
            encoding: { y: { field: 'mean', type: 'quantitative' }, color: kernelColour },
          },
          {
            transform: [{ filter: { field: 'kernel', equal: kernelKinds[0] } }],
            mark: { type: 'line', strokeWidth: 2, point: true },
            encoding: { y: { field: 'mean', type: 'quantitative' }, color: kernelColour },
          },
        ],
      },
      resolve: { scale: { y: 'shared' } },
    },
  };

  const rq = radii.length - 1;
  const rMax = radii[rq];
  const kinds = ['nominal', `random, r = ${rMax}`, `worst case, r = ${rMax}`];
  const barRows: Record<string, unknown>[] = [];
  for (const s of summaries) {
    const add = (kind: string, st: { mean: number; min: number; max: number }) => {
      if (Number.isFinite(st.mean)) barRows.push({ learner: s.learner, kind, mean: st.mean, lo: st.min, hi: st.max });
    };
    add(kinds[0], s.nominalReturn);
    add(kinds[1], s.random[rq]);
    add(kinds[2], s.worstCase[rq]);
  }
  const bars: PlotSpec = {
    interactive: {},
    name: 'nominal-vs-worst',
    title: 'Nominal against worst-case return',
    caption:
      `Team return of each learner's output policy under the nominal kernel, under random kernels and under every agent's worst-case kernel at the largest radius r = ${rMax}. ` +
      `Bar: mean over ${seedsLabel}; whiskers: min-max over seeds.`,
    spec: {
      $schema: SCHEMA,
      config: baseConfig(),
      title: `Team return: nominal vs perturbed (r = ${rMax})`,
      width: { step: 22 },
      height: 300,
      data: { values: barRows },
      encoding: {
        x: { field: 'learner', type: 'nominal', title: null, sort: learners, axis: { labelAngle: -20 } },
        xOffset: { field: 'kind', type: 'nominal', sort: kinds },
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'mean', type: 'quantitative', title: 'team return' },
            color: { field: 'kind', type: 'nominal', title: 'kernel', sort: kinds, scale: { domain: kinds, range: ['#9d9d9d', '#4c78a8', '#e45756'] } },
          },
        },
        { mark: { type: 'rule', color: '#333' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    },
  };
  const radiusTooltip = [
    { field: 'learner', type: 'nominal' },
    { field: 'kernel', type: 'nominal' },
    { field: 'radius', type: 'quantitative', title: 'radius r' },
    { field: 'mean', type: 'quantitative', title: 'team return, mean over seeds', format: '.12~g' },
    ...SEED_RANGE_TOOLTIP,
  ];
  const inner = returnVsRadius.spec.spec as Record<string, unknown>;
  const radiusInteractive = interactiveOf(returnVsRadius.spec, {
    spec: {
      ...inner,
      layer: [
        ...(inner.layer as Record<string, unknown>[]),
        { mark: { type: 'point', filled: true, size: 40, opacity: 0.01 }, encoding: { y: { field: 'mean', type: 'quantitative' }, color: kernelColour, tooltip: radiusTooltip } },
      ],
    },
  });
  const barLayers = bars.spec.layer as Record<string, unknown>[];
  const barTooltip = [
    { field: 'learner', type: 'nominal' },
    { field: 'kind', type: 'nominal', title: 'kernel' },
    { field: 'mean', type: 'quantitative', title: 'team return, mean over seeds', format: '.12~g' },
    ...SEED_RANGE_TOOLTIP,
  ];
  const barsInteractive = interactiveOf(bars.spec, {
    layer: [{ ...barLayers[0], encoding: { ...(barLayers[0].encoding as Record<string, unknown>), tooltip: barTooltip } }, ...barLayers.slice(1)],
  });
  return [
    { ...regret, interactive: regretInteractive },
    gapVsSamples,
    { ...returnVsRadius, interactive: { default: radiusInteractive } },
    { ...bars, interactive: { default: barsInteractive } },
  ];
}

/**
 * `gap-vs-samples` (see the file header): rows of the points with samples > 0 (a log axis has no 0: a learner's
 * first policy before any simulator call drops out), `first` on the point from which a learner's mean gap stays <= eps (`samplesToGap`).
 */
function gapVsSamplesPlot(summaries: readonly LearnerSummary[], color: Record<string, unknown>, seedsLabel: string): PlotSpec {
  const eps = summaries.length > 0 ? summaries[0].gapTolerance : NaN;
  const rows: Record<string, unknown>[] = [];
  const unrecorded: string[] = [];
  for (const s of summaries) {
    const c = s.samplesCurve;
    if (c.samples.length === 0) unrecorded.push(s.learner);
    c.samples.forEach((n, q) => {
      if (!(n > 0)) return;
      rows.push({ learner: s.learner, samples: n, episode: s.curve.episodes[q], mean: c.mean[q], lo: c.min[q], hi: c.max[q], first: s.samplesToGap !== null && n === s.samplesToGap && c.mean[q] <= eps });
    });
  }
  const reached = summaries.map((s) => `${s.learner} ${s.samplesToGap === null ? (s.samplesCurve.samples.length === 0 ? '-' : 'not reached') : Math.round(s.samplesToGap)}`).join('; ');
  const epsText = Number.isFinite(eps) ? String(Number(eps.toPrecision(6))) : '-';
  const x = { field: 'samples', type: 'quantitative', title: 'simulator calls (k H transitions + generative-model draws)', scale: { type: 'log', nice: false, padding: 12 } };
  // Gaps of about -1e-15 (rounding of a zero gap) would stretch the axis to -0.5: the axis starts at 0 unless a gap is really negative.
  const lowest = rows.reduce((a, r) => Math.min(a, r.lo as number), 0);
  const y = { field: 'mean', type: 'quantitative', title: 'exact robust gap of the episode policy', ...(lowest > -1e-9 ? { scale: { domainMin: 0 } } : {}) };
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color } },
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
    { transform: [{ filter: 'datum.first' }], mark: { type: 'point', size: 140, strokeWidth: 2.5, filled: false, opacity: 1 }, encoding: { x, y, color } },
  ];
  if (Number.isFinite(eps)) {
    layer.push(
      { data: { values: [{ eps }] }, mark: { type: 'rule', color: '#555', strokeDash: [6, 4] }, encoding: { y: { field: 'eps', type: 'quantitative' } } },
      { data: { values: [{ eps }] }, mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, x: 'width', color: '#555', fontSize: 11 }, encoding: { y: { field: 'eps', type: 'quantitative' }, text: { value: `eps = 0.05 H = ${epsText}` } } },
    );
  }
  const spec: Record<string, unknown> = {
    $schema: SCHEMA,
    config: baseConfig(),
    title: unrecorded.length > 0 ? { text: 'Exact gap against simulator calls', subtitle: `not shown (no samples recorded: runs of an older journal): ${unrecorded.join(', ')}` } : 'Exact gap against simulator calls',
    width: 520,
    height: 320,
    data: { values: rows },
    layer,
  };
  const tooltip = [
    { field: 'learner', type: 'nominal' },
    { field: 'samples', type: 'quantitative', title: 'simulator calls, mean over seeds', format: '.12~g' },
    { field: 'episode', type: 'quantitative', title: 'episodes' },
    { field: 'mean', type: 'quantitative', title: 'gap, mean over seeds', format: '.12~g' },
    ...SEED_RANGE_TOOLTIP,
  ];
  // The tooltip's points come right after the curves' layers and the rings (which get the tooltip too), under the rule and its label.
  const points = { mark: { type: 'point', filled: true, size: 36, opacity: 0.85 }, encoding: { x, y, color, tooltip } };
  const ring = layer[2] as { encoding: Record<string, unknown> };
  return {
    name: 'gap-vs-samples',
    title: 'Exact gap against simulator calls',
    caption:
      `Exact robust gap of the episode policies against the simulator calls made before each: k H transitions of the k episodes played, plus a learner's ` +
      `draws from the nominal kernel as a generative model (DR-NVI: H S J N up front; robust-q: n - 1 per transition), log x axis; line: mean over ${seedsLabel}, ` +
      `band: min-max over seeds; dashed rule: eps = ${GAP_TOLERANCE_RULE} = ${epsText}; ring: the point from which the mean gap stays <= eps to the end. Simulator calls to gap <= eps (for good): ${reached}. ` +
      'A point at 0 calls (a first policy played before any simulator call) is off the log axis.' +
      (unrecorded.length > 0 ? ` Not shown (no samples recorded: runs of an older journal): ${unrecorded.join(', ')}.` : ''),
    spec,
    interactive: { default: interactiveOf(spec, { layer: [...layer.slice(0, 2), { ...ring, encoding: { ...ring.encoding, tooltip } }, points, ...layer.slice(3)] }) },
  };
}

let fontFile: string | undefined;

/** DejaVu Sans from the dejavu-fonts-ttf package (a dependency: no system fonts needed). */
function dejaVuSans(): string {
  if (fontFile === undefined) {
    const require = createRequire(import.meta.url);
    fontFile = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
  }
  return fontFile;
}

/** The path of Vega's self-contained browser build (build/vega.min.js of the `vega` package, a dependency). */
export function vegaBrowserBuild(): string {
  const require = createRequire(import.meta.url);
  // The package's exports name only its module build; the browser build sits beside it.
  return join(dirname(require.resolve('vega')), 'vega.min.js');
}

/** Renders a Vega-Lite spec to SVG (Vega's SVG renderer in Node: no browser, no canvas). */
export async function vegaLiteToSvg(spec: Record<string, unknown>): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders an SVG to PNG at `zoom` times its size, with DejaVu Sans as the only font. */
export async function svgToPng(svg: string, zoom = 2): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: zoom },
    font: { fontFiles: [dejaVuSans()], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Compiles a Vega-Lite spec to a Vega spec (what Vega's browser build runs), without its schema address. */
export async function vegaLiteToVega(spec: Record<string, unknown>): Promise<Record<string, unknown>> {
  const vl = await import('vega-lite');
  const out = vl.compile(spec as never).spec as Record<string, unknown>;
  delete out.$schema;
  return out;
}

/** Renders every plot to SVG and PNG, and compiles its interactive variants. */
export async function renderComparePlots(plots: readonly PlotSpec[]): Promise<RenderedPlot[]> {
  const out: RenderedPlot[] = [];
  for (const p of plots) {
    const svg = await vegaLiteToSvg(p.spec);
    const vega: Record<string, Record<string, unknown>> = {};
    for (const [name, spec] of Object.entries(p.interactive)) vega[name] = await vegaLiteToVega(spec);
    out.push({ ...p, svg, png: await svgToPng(svg), vega });
  }
  return out;
}
