/**
 * `dashboardChartSpecs`: the live dashboard's charts as Vega-Lite specs (compiled to Vega in Node and run by
 * Vega's browser build in the page): cumulative robust regret (log-log or linear) and the exact robust gap
 * against episodes, one line per learner and seed, coloured by learner, a point per exact evaluation (its
 * tooltip gives the numbers). The page streams the points into the dataset `points`
 * (`{ learner, seed, episode, regret, gap }`) and hides learners through the parameter `hidden`.
 */

const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

function lineChart(field: 'regret' | 'gap', title: string, scale: 'log' | 'linear'): Record<string, unknown> {
  const transform: Record<string, unknown>[] = [{ filter: 'indexof(hidden, datum.learner) < 0' }];
  // Only positive values go on log axes.
  if (scale === 'log') transform.push({ filter: `datum.${field} > 0 && datum.episode > 0` });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: FONT, view: { stroke: '#ddd' }, axis: { gridColor: '#eee' }, legend: { disable: true } },
    width: 520,
    height: 280,
    // The axes' labels grow as points arrive: the layout is redone on every update.
    autosize: { type: 'pad', resize: true },
    params: [{ name: 'hidden', value: [] }],
    data: { name: 'points' },
    transform,
    encoding: {
      x: { field: 'episode', type: 'quantitative', title: 'episodes', scale: scale === 'log' ? { type: 'log', nice: false } : { type: 'linear', zero: false } },
      y: { field, type: 'quantitative', title, scale: { type: scale } },
      color: { field: 'learner', type: 'nominal', title: 'learner' },
      detail: { field: 'seed', type: 'nominal' },
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 1.6, clip: true } },
      { mark: { type: 'point', filled: true, size: 22, opacity: 0.9, clip: true, tooltip: { content: 'data' } } },
    ],
  };
}

/** The live charts (see the file header), by name: regret-log, regret-linear, gap. */
export function dashboardChartSpecs(): Record<string, Record<string, unknown>> {
  return {
    'regret-log': lineChart('regret', 'cumulative robust regret', 'log'),
    'regret-linear': lineChart('regret', 'cumulative robust regret', 'linear'),
    gap: lineChart('gap', 'exact robust gap of the episode policy', 'linear'),
  };
}
