/**
 * The HTML report of a compare experiment: one self-contained page (the plots as inline SVG, the
 * tables, the config and the versions; no script, style sheet or font is fetched, so it opens offline).
 * A few lines of inline script only annotate each figure with what the browser drew
 * (`data-rendered-paths`: SVG paths with a non-empty box), so that a headless browser can check that
 * every plot rendered.
 */
import type { CompareConfig } from './compare-config.ts';
import type { RenderedPlot } from './compare-plots.ts';
import { SLOPE_TOLERANCE_RULE } from './compare-summary.ts';
import { deploymentTable, interruptedText, learningHeader, learningLegend, learningRows, num, slopeNotes, trainedWithNotes, type CompareTextInput } from './compare-text.ts';

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, k) => (k === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Everything the report shows. */
export interface CompareReportInput extends CompareTextInput {
  readonly plots: readonly RenderedPlot[];
  /** The config as written to config.json (with provenance). */
  readonly configJson: unknown;
  /** The timing line, e.g. `25 runs in 71.3 s on 2 worker threads`. */
  readonly timingLine: string;
}

const style = `
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: 0.92rem; } .warn { background: #fff3cd; border: 1px solid #e0c060; padding: 0.6rem 1rem; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; } figcaption { color: #444; font-size: 0.9rem; max-width: 900px; }
table { border-collapse: collapse; font-size: 0.88rem; margin: 0.8rem 0; } th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #e5e5e5; }
td { text-align: right; font-variant-numeric: tabular-nums; } th { text-align: left; } thead th { border-bottom: 2px solid #bbb; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; } ul { padding-left: 1.2rem; }
`;

// Annotates every figure with the number of SVG paths the browser laid out with a non-empty box.
const renderCheck = `
document.querySelectorAll('figure[data-plot]').forEach(function (f) {
  var svg = f.querySelector('svg'); var n = 0;
  if (svg) svg.querySelectorAll('path').forEach(function (p) { var b = p.getBBox(); if (b.width > 0 || b.height > 0) n++; });
  var r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  f.setAttribute('data-rendered-paths', String(n));
  f.setAttribute('data-rendered-size', Math.round(r.width) + 'x' + Math.round(r.height));
});
document.documentElement.setAttribute('data-render-check', 'done');
`;

/** Strips the XML prolog of an SVG so that it can be inlined. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

/** The report page (see the file header). */
export function compareReportHtml(input: CompareReportInput): string {
  const c: CompareConfig = input.config;
  const d = deploymentTable(input);
  const findings = input.winners
    .map(
      (w) =>
        `<li>r = ${w.radius}: <b>${escapeHtml(w.learner ?? '-')}</b> ${num(w.value)}${w.tied.length > 0 ? ` (tied with ${escapeHtml(w.tied.join(', '))})` : ''}` +
        `${w.reference !== null ? ` <span class="meta">(planner ${num(w.reference)})</span>` : ''}</li>`,
    )
    .join('\n');
  const slopes = input.summaries.map((s) => `${escapeHtml(s.learner)} ${s.slope.n > 0 ? `${num(s.slope.mean, 2)} ± ${num(s.slope.sd, 2)}` : '- (no slope: the reason is under the learning table)'}`).join('; ');
  const tolerance = input.summaries.length > 0 ? input.summaries[0].slopeTolerance : NaN;
  const late = input.summaries.map((s) => `${escapeHtml(s.learner)} ${num(s.lateGap.mean)}`).join('; ');
  const figures = input.plots
    .map(
      (p) =>
        `<figure data-plot="${p.name}" id="plot-${p.name}">\n${inlineSvg(p.svg)}\n<figcaption><b>${escapeHtml(p.title)}.</b> ${escapeHtml(p.caption)} ` +
        `(also <code>${p.name}.svg</code>, <code>${p.name}.png</code>)</figcaption>\n</figure>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drmg compare: ${escapeHtml(input.scenario)}</title>
<style>${style}</style>
</head>
<body>
<h1>drmg compare</h1>
<p class="meta">${escapeHtml(input.scenario)}<br>K = ${c.episodes} episodes &times; ${c.seeds.length} seeds (${escapeHtml(c.seeds.join(', '))}); ${escapeHtml(input.timingLine)}</p>
${input.interrupted ? `<p class="warn">Interrupted: ${escapeHtml(interruptedText(input))}</p>` : ''}
<h2>Findings</h2>
<p>Best worst-case team return by perturbation radius (mean over seeds; the known-model robust planner is the reference):</p>
<ul>
${findings}
</ul>
<p>Log-log regret slopes (mean ± sd over seeds, K/10 to K; only where the regret at K exceeds ${SLOPE_TOLERANCE_RULE} = ${Number.isFinite(tolerance) ? tolerance.toExponential(1) : '-'}, H the horizon): ${slopes}.</p>
<p>Late gap (the regret's growth per episode over the second half of training; about 0 once a learner plays a robust equilibrium): ${late}.</p>
${input.skipped.map((s) => `<p class="meta">Skipped ${escapeHtml(s.learner)}: ${escapeHtml(s.reason)}.</p>`).join('\n')}
<h2>Plots</h2>
${figures}
<h2>Learning</h2>
${table(learningHeader(input), learningRows(input))}
${trainedWithNotes(input).map((n) => `<p>${escapeHtml(n)}</p>`).join('\n')}
<p class="meta">Mean ± sd over seeds; the episode policies were scored every ${Math.max(1, Math.ceil(c.episodes / c.evalPoints))} episodes, each score standing for the episodes since the previous one. ${learningLegend(input).map((x) => escapeHtml(x.charAt(0).toUpperCase() + x.slice(1))).join(' ')} Time: training with the exact scores along the way, per run.</p>
${slopeNotes(input).map((n) => `<p class="meta">${escapeHtml(n.charAt(0).toUpperCase() + n.slice(1))}</p>`).join('\n')}
<h2>Deployment</h2>
<p>Team return (sum over agents, from the initial distribution) of the output policy under every agent's worst-case kernel of radius r (exact; r rescales the scenario's uncertainty profile, r = 0 is the nominal model):</p>
${table(d.header, d.worst)}
${c.randomKernels > 0 ? `<p>Under random kernels inside each agent's radius-r set (Monte Carlo, ${c.randomKernels} kernels per agent &times; ${c.rolloutEpisodes} episodes per radius and seed; mean over seeds ± standard error):</p>\n${table(d.header, d.random)}` : ''}
<h2>Config</h2>
<p class="meta">Rerun exactly with <code>drmg compare --config config.json</code> from this folder's <code>config.json</code>.</p>
<pre>${escapeHtml(JSON.stringify(input.configJson, null, 2))}</pre>
<script>${renderCheck}</script>
</body>
</html>
`;
}
