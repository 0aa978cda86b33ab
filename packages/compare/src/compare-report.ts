/**
 * The HTML report of a compare experiment: one self-contained page (the plots as inline SVG, the
 * tables, the config and the versions; no script, style sheet or font is fetched, so it opens offline).
 *
 * Interactive, still offline: Vega's browser build is inlined (from the installed `vega` package) with each
 * plot's interactive variants (compare-plots.ts); once the page loads, each static SVG is replaced by a live
 * view with a tooltip giving the exact numbers under the pointer, legend buttons that hide or show a learner in
 * every plot (clicks on a plot's own legend do the same), and a log / linear switch for the regret. Without
 * scripts the static SVGs stay. The page links every raw file of the run folder (relative links: they work
 * beside the report), and describes the environment and each learner with their parameters, from the
 * registries (`envSpec`, `getLearner` and `describeParams`).
 * A few lines of inline script annotate each figure with what the browser drew (`data-rendered-paths`: SVG
 * paths with a non-empty box, of the static SVG), so that a headless browser can check that every plot
 * rendered; `data-interactive="ready"` marks a figure whose live view is drawn.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describeParams, type ParamSchema } from '@drmg/core';
import { envSpec, hasEnv } from '@drmg/envs';
import { getLearner } from '@drmg/learners';
import type { CompareConfig } from './compare-config.ts';
import { fileStem } from './compare-files.ts';
import { vegaBrowserBuild, type RenderedPlot } from './compare-plots.ts';

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
.controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin: 0.6rem 0; font-size: 0.9rem; }
.chip { display: inline-flex; align-items: center; gap: 0.35rem; border: 1px solid #ccc; background: white; border-radius: 1rem; padding: 0.15rem 0.7rem; cursor: pointer; font: inherit; }
.chip[aria-pressed="false"] { opacity: 0.45; text-decoration: line-through; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 2px; }
figure.interactive > .static-plot { display: none; } .vega-view svg { max-width: 100%; height: auto; }
#tooltip { position: absolute; z-index: 10; background: rgba(255,255,255,0.97); border: 1px solid #999; border-radius: 4px; padding: 0.35rem 0.6rem; font-size: 0.8rem; pointer-events: none; box-shadow: 0 2px 6px rgba(0,0,0,0.15); }
ul.files { columns: 3; font-size: 0.9rem; } dl.params { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; font-size: 0.88rem; } dl.params dt { font-family: monospace; } dl.params dd { margin: 0; }
`;

// Learners' colours, as in compare-plots.ts (Tableau-10).
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];

// The interactive plots (see the file header): plain browser JavaScript run after the render check.
const interactiveScript = `
(function () {
  if (typeof vega === 'undefined') return;
  var data = JSON.parse(document.getElementById('drmg-plots').textContent);
  var hidden = [];
  var views = {};
  var variant = { regret: 'log' };
  var tip = document.getElementById('tooltip');
  function tooltip(_handler, event, _item, value) {
    if (value === null || value === undefined || value === '') { tip.hidden = true; return; }
    tip.textContent = '';
    var fields = typeof value === 'object' ? value : { value: value };
    Object.keys(fields).forEach(function (k) {
      var line = document.createElement('div');
      var b = document.createElement('b'); b.textContent = k + ': ';
      line.appendChild(b); line.appendChild(document.createTextNode(String(fields[k])));
      tip.appendChild(line);
    });
    tip.hidden = false;
    tip.style.left = (event.clientX + 14 + window.scrollX) + 'px';
    tip.style.top = (event.clientY + 14 + window.scrollY) + 'px';
  }
  function toggle(learner) {
    if (data.learners.indexOf(learner) < 0) return;
    var k = hidden.indexOf(learner);
    if (k >= 0) hidden.splice(k, 1); else hidden.push(learner);
    document.querySelectorAll('button.chip[data-learner]').forEach(function (b) {
      var off = hidden.indexOf(b.getAttribute('data-learner')) >= 0;
      b.setAttribute('aria-pressed', off ? 'false' : 'true');
    });
    Object.keys(views).forEach(function (name) { views[name].signal('hidden', hidden.slice()).runAsync(); });
  }
  function render(name) {
    var figure = document.querySelector('figure[data-plot="' + name + '"]');
    var specs = data.plots[name];
    if (!figure || !specs) return Promise.resolve();
    var holder = figure.querySelector('.vega-view');
    if (views[name]) views[name].finalize();
    holder.textContent = '';
    var view = new vega.View(vega.parse(specs[variant[name] || 'default']), { renderer: 'svg', container: holder, hover: true });
    view.tooltip(tooltip);
    view.signal('hidden', hidden.slice());
    // A click on the plot's own legend hides or shows that learner too.
    view.addEventListener('click', function (_event, item) {
      var d = item && item.datum;
      if (d && item.mark && /legend/.test(item.mark.role || '') && typeof d.value === 'string') toggle(d.value);
    });
    views[name] = view;
    return view.runAsync().then(function () {
      figure.classList.add('interactive');
      figure.setAttribute('data-interactive', 'ready');
    });
  }
  document.querySelectorAll('button.chip[data-learner]').forEach(function (b) {
    b.addEventListener('click', function () { toggle(b.getAttribute('data-learner')); });
  });
  document.querySelectorAll('input[name=regret-scale]').forEach(function (input) {
    input.addEventListener('change', function () { variant.regret = input.value; render('regret'); });
  });
  window.drmgReport = { views: views, hidden: function () { return hidden.slice(); } };
  Promise.all(Object.keys(data.plots).map(render)).then(function () {
    document.documentElement.setAttribute('data-interactive', 'ready');
  });
})();
`;

/** Text inside a <script> element: no closing tag can end it early. */
function scriptText(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON inside a <script type="application/json">: `<` escaped, so no tag can end it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A parameter value as the report prints it. */
function paramText(v: unknown): string {
  return v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Name, value in effect (`given`: it differs from the default), and doc of each parameter of a registry's schema, or [] when it cannot be read. */
function paramRows(schema: unknown, given: Readonly<Record<string, unknown>>): { name: string; value: string; given: boolean; doc: string }[] {
  let infos: { name: string; default: unknown; doc: string }[] = [];
  try {
    infos = Array.isArray(schema)
      ? (schema as { name: string; default: unknown; description?: string; doc?: string }[]).map((p) => ({ name: p.name, default: p.default, doc: p.doc ?? p.description ?? '' }))
      : describeParams(schema as ParamSchema);
  } catch {
    infos = [];
  }
  return infos.map((p) => {
    const value = paramText(Object.hasOwn(given, p.name) ? given[p.name] : p.default);
    return { name: p.name, value, given: value !== paramText(p.default), doc: p.doc };
  });
}

function paramList(rows: ReturnType<typeof paramRows>, note: string): string {
  if (rows.length === 0) return '<p class="meta">No parameters.</p>';
  return `<dl class="params">\n${rows.map((r) => `<dt>${escapeHtml(r.name)} = ${r.given ? `<b>${escapeHtml(r.value)}</b>` : escapeHtml(r.value)}</dt><dd>${escapeHtml(r.doc)}</dd>`).join('\n')}\n</dl>\n<p class="meta">${escapeHtml(note)}</p>`;
}

/** The environment's section: its registry summary and every parameter in effect. */
function environmentSection(c: CompareConfig, scenario: string): string {
  const envParams = (c.envParams ?? {}) as Readonly<Record<string, unknown>>;
  if (c.envCmd !== null && c.envCmd !== undefined) return `<p>A simulator in another process: <code>${escapeHtml(String(c.envCmd))}</code>; policies scored exactly on the model it serves.</p>`;
  const id = String(c.env);
  if (!hasEnv(id)) return `<p>The game file <code>${escapeHtml(basename(id))}</code> (drmg-game/1): ${escapeHtml(scenario)}.</p>`;
  const spec = envSpec(id);
  return `<p><b>${escapeHtml(id)}</b>: ${escapeHtml(spec.summary)}.</p>\n${paramList(paramRows(spec.params, envParams), 'Parameters in effect; values in bold differ from the defaults (drmg env list describes them; config.json records every value).')}`;
}

/** Each learner's section: its registry description and every parameter in effect (those not at their default in bold). */
function learnersSection(c: CompareConfig): string {
  return c.learners
    .map((l) => {
      let description = '';
      let rows: ReturnType<typeof paramRows> = [];
      try {
        const def = getLearner(l.name);
        description = def.description;
        rows = paramRows(def.params, l.params as Readonly<Record<string, unknown>>);
      } catch {
        description = '(not a registered learner in this process)';
      }
      const label = l.label !== l.name ? `${escapeHtml(l.label)} (${escapeHtml(l.name)})` : escapeHtml(l.name);
      return `<h3>${label}</h3>\n<p>${escapeHtml(description)}</p>\n${paramList(rows, 'Parameters in effect; values in bold differ from the learner\'s defaults.')}`;
    })
    .join('\n');
}

/** Links to every file of the run folder the report knows of (relative: they work beside report.html). */
function filesSection(input: CompareReportInput): string {
  const plots = input.plots.flatMap((p) => [`${p.name}.svg`, `${p.name}.png`]);
  const policies = input.summaries.flatMap((s) => s.seeds.map((seed) => `policies/${fileStem(s.learner)}-seed${seed}.policy.json`));
  const described: [string, string][] = [
    ['config.json', 'the resolved config and provenance: reruns this run exactly'],
    ['cells.jsonl', 'the journal: one line per finished run (results, policy, timing)'],
    ['results.jsonl', 'every run, each learner\'s summary and the winners, as JSON lines'],
    ['results.csv', 'every figure, one row each'],
    ['timing.json', 'wall-clock times'],
    ['summary.txt', 'the terminal summary'],
  ];
  const li = (f: string, what = '') => `<li><a href="${escapeHtml(f.split('/').map(encodeURIComponent).join('/'))}">${escapeHtml(f)}</a>${what ? ` <span class="meta">${escapeHtml(what)}</span>` : ''}</li>`;
  return `<ul>\n${described.map(([f, what]) => li(f, what)).join('\n')}\n</ul>\n<p>Plots:</p>\n<ul class="files">\n${plots.map((f) => li(f)).join('\n')}\n</ul>\n<p>Output policies (drmg-policy/1):</p>\n<ul class="files">\n${policies.map((f) => li(f)).join('\n')}\n</ul>`;
}

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
        (p.name === 'regret'
          ? '<div class="controls"><span>Regret axes:</span><label><input type="radio" name="regret-scale" value="log" checked> log-log</label><label><input type="radio" name="regret-scale" value="linear"> linear</label></div>\n'
          : '') +
        `<figure data-plot="${p.name}" id="plot-${p.name}">\n<div class="static-plot">${inlineSvg(p.svg)}</div><div class="vega-view"></div>\n<figcaption><b>${escapeHtml(p.title)}.</b> ${escapeHtml(p.caption)} ` +
        `(also <a href="${p.name}.svg"><code>${p.name}.svg</code></a>, <a href="${p.name}.png"><code>${p.name}.png</code></a>)</figcaption>\n</figure>`,
    )
    .join('\n');
  const learnerNames = input.summaries.map((x) => x.learner);
  const legend = `<div class="controls"><span>Learners (click to hide or show in every plot):</span>${learnerNames
    .map((l, k) => `<button type="button" class="chip" data-learner="${escapeHtml(l)}" aria-pressed="true"><span class="swatch" style="background:${PALETTE[k % PALETTE.length]}"></span>${escapeHtml(l)}</button>`)
    .join('')}</div>`;
  const plotData = { learners: learnerNames, plots: Object.fromEntries(input.plots.filter((p) => p.vega !== undefined && Object.keys(p.vega).length > 0).map((p) => [p.name, p.vega])) };
  const interactive = Object.keys(plotData.plots).length > 0;
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
${interactive ? `<p class="meta">Point at a mark for its exact numbers; the buttons hide or show a learner.</p>\n${legend}` : ''}
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
<h2>Environment</h2>
${environmentSection(c, input.scenario)}
<h2>Learners</h2>
${learnersSection(c)}
<h2>Files</h2>
<p class="meta">Every raw file of this run, beside this report in its folder.</p>
${filesSection(input)}
<h2>Config</h2>
<p class="meta">Rerun exactly with <code>drmg compare --config config.json</code> from this folder's <code>config.json</code>.</p>
<pre>${escapeHtml(JSON.stringify(input.configJson, null, 2))}</pre>
<script>${renderCheck}</script>
${interactive ? `<div id="tooltip" hidden></div>\n<script type="application/json" id="drmg-plots">${scriptJson(plotData)}</script>\n<script>${scriptText(readFileSync(vegaBrowserBuild(), 'utf8'))}</script>\n<script>${interactiveScript}</script>` : ''}
</body>
</html>
`;
}
