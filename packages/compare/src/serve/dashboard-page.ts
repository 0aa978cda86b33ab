/**
 * `dashboardPageHtml`: the live dashboard's page (served at /): a header with the run's status and the stop
 * button, the live charts (regret and exact gap against episodes, per learner and seed), the table of cells
 * (progress, episodes/s, ETA), the per-learner table over finished seeds, and once the run ends its summary,
 * a link to the report and links to every file of the run folder. Everything it loads comes from the server
 * itself (/assets/...): no CDN, it works offline. The script is dashboard-client.ts.
 */

/** The page's style sheet (served as /assets/dashboard.css). */
export const DASHBOARD_CSS = `
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 1.5rem auto; max-width: 1250px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 0.2rem; } h2 { font-size: 1.15rem; margin-top: 1.6rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; font-size: 0.9rem; }
header { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
header .grow { flex: 1; }
.status { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 1rem; background: #eee; font-weight: bold; font-size: 0.9rem; }
.status.running { background: #d8ecff; color: #104a80; } .status.stopping { background: #fff3cd; color: #7a5a00; }
.status.finished { background: #dff3df; color: #1d5e1d; } .status.interrupted, .status.failed { background: #fde2e2; color: #8a1c1c; }
.status.archived { background: #eee; color: #333; }
button#stop { font-size: 1rem; padding: 0.35rem 1rem; background: #c0392b; color: white; border: 0; border-radius: 4px; cursor: pointer; }
button#stop:disabled { background: #bbb; cursor: default; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
.chart { min-height: 320px; min-width: 560px; margin: 0; }
.controls { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; margin: 0.6rem 0; font-size: 0.9rem; }
.chip { display: inline-flex; align-items: center; gap: 0.35rem; border: 1px solid #ccc; background: white; border-radius: 1rem; padding: 0.15rem 0.7rem; cursor: pointer; font: inherit; }
.chip[aria-pressed="false"] { opacity: 0.45; text-decoration: line-through; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 2px; }
table { border-collapse: collapse; font-size: 0.86rem; margin: 0.6rem 0; } th, td { padding: 0.2rem 0.55rem; border-bottom: 1px solid #e5e5e5; }
td { text-align: right; font-variant-numeric: tabular-nums; } th { text-align: left; } thead th { border-bottom: 2px solid #bbb; }
.bar { display: inline-block; width: 90px; height: 0.7rem; background: #eee; border-radius: 3px; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #4c78a8; } .bar.done > span { background: #54a24b; } .bar.stop > span { background: #e45756; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.8rem; }
#tooltip { position: absolute; z-index: 10; background: rgba(255,255,255,0.97); border: 1px solid #999; border-radius: 4px; padding: 0.35rem 0.6rem; font-size: 0.8rem; pointer-events: none; box-shadow: 0 2px 6px rgba(0,0,0,0.15); }
ul.files { columns: 3; font-size: 0.88rem; }
`;

/** The page (see the file header). */
export function dashboardPageHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>drmg compare: live</title>
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body data-status="connecting" data-connected="no" data-points="0" data-finished="0">
<header>
<div class="grow">
<h1 id="title">drmg compare</h1>
<div class="meta"><span id="scenario"></span> <span id="where"></span></div>
</div>
<span id="status" class="status">connecting</span>
<span id="connection" class="meta"></span>
<button id="stop" type="button" disabled title="Stop the run as Ctrl-C does: the runs that finished are kept and a partial report is written">Stop</button>
</header>
<p id="message" class="meta" role="status"></p>
<section id="results" hidden>
<h2>Results</h2>
<p id="report-link"></p>
<p id="timing" class="meta"></p>
<table id="summary"></table>
<details><summary>Summary as printed</summary><pre id="summary-text"></pre></details>
</section>
<h2>Learning, live</h2>
<div class="controls"><span>Learners (click to hide or show):</span><span id="legend"></span></div>
<div class="controls"><span>Regret axes:</span>
<label><input type="radio" name="regret-scale" value="log" checked> log-log</label>
<label><input type="radio" name="regret-scale" value="linear"> linear</label></div>
<div class="charts">
<figure class="chart"><div id="chart-regret"></div><figcaption class="meta">Cumulative exact robust regret per learner and seed, a point per exact evaluation.</figcaption></figure>
<figure class="chart"><div id="chart-gap"></div><figcaption class="meta">Exact robust gap of the episode policy.</figcaption></figure>
</div>
<h2>Runs</h2>
<p id="finished" class="meta"></p>
<table id="cells"></table>
<h2>By learner (finished seeds)</h2>
<table id="learners"></table>
<section id="files-section" hidden>
<h2>Files of the run</h2>
<ul id="files" class="files"></ul>
</section>
<div id="tooltip" hidden></div>
<script src="/assets/vega.min.js"></script>
<script src="/assets/dashboard.js"></script>
</body>
</html>
`;
}
