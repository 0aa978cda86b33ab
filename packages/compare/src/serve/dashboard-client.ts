/**
 * The live dashboard's script (served as /assets/dashboard.js; plain browser JavaScript, no build step): it reads
 * the server-sent events of /events (a snapshot of the state, then coalesced progress and finished cells), draws
 * the curves with Vega (the charts of /assets/charts.json, points streamed into their dataset), keeps the table of
 * cells (progress, episodes/s, ETA), the per-learner table over the finished seeds, the final results and the
 * links to the run's files, and sends POST /stop with the token. Legend buttons hide a learner, a switch puts the
 * regret on log or linear axes, and a tooltip gives the exact numbers under the pointer.
 * For tests, the body carries `data-status`, `data-connected`, `data-finished` and `data-points` (points drawn).
 */

/** The script's text. */
export const DASHBOARD_CLIENT_JS = String.raw`(function () {
  'use strict';
  var PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];
  var query = new URLSearchParams(location.search);
  var token = query.get('token') || sessionStorage.getItem('drmg-token') || '';
  if (query.get('token')) {
    sessionStorage.setItem('drmg-token', token);
    history.replaceState(null, '', location.pathname);
  }
  var state = null;
  var specs = null;
  var hidden = [];
  var regretScale = 'log';
  var views = {};
  var learnerList = [];
  var drawn = 0;
  var renderQueued = false;
  // Changes waiting for the next frame: Vega keeps one pending changeset per dataset between runs (a second
  // insert before a run would replace the first), so every change of a frame goes in one changeset.
  var pendingRows = [];
  var pendingRemove = {};

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function num(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return '-';
    var d = digits === undefined ? 3 : digits;
    var a = Math.abs(x);
    if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
    return x.toFixed(a >= 100 ? 0 : d);
  }
  function duration(s) {
    if (s === null || s === undefined || !isFinite(s)) return '-';
    if (s < 60) return s.toFixed(0) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
  }
  function colour(l) { var k = learnerList.indexOf(l); return PALETTE[(k < 0 ? 0 : k) % PALETTE.length]; }
  function rowsOf(cell, points) {
    return points.map(function (p) { return { learner: cell.learner, seed: cell.seed, episode: p.episode, regret: p.regret, gap: p.gap }; });
  }
  function allRows() {
    var out = [];
    state.cells.forEach(function (c) { out = out.concat(rowsOf(c, c.points)); });
    return out;
  }

  // The tooltip: every field of the point, numbers in full (the exact figures of results.jsonl).
  function tooltip(_handler, event, _item, value) {
    var tip = $('tooltip');
    if (value === null || value === undefined || value === '') { tip.hidden = true; return; }
    tip.textContent = '';
    var fields = typeof value === 'object' ? value : { value: value };
    Object.keys(fields).forEach(function (k) {
      if (k.charAt(0) === '_' || k === 'Symbol(vega_id)') return;
      var line = el('div');
      line.appendChild(el('b', null, k + ': '));
      line.appendChild(document.createTextNode(String(fields[k])));
      tip.appendChild(line);
    });
    tip.hidden = false;
    tip.style.left = (event.clientX + 14 + window.scrollX) + 'px';
    tip.style.top = (event.clientY + 14 + window.scrollY) + 'px';
  }

  function chartSpec(name) {
    var spec = JSON.parse(JSON.stringify(specs[name]));
    // Colours by learner in the config's order, as in the report.
    (spec.scales || []).forEach(function (s) {
      if (s.name === 'color') { s.domain = learnerList.slice(); s.range = learnerList.map(function (_l, k) { return PALETTE[k % PALETTE.length]; }); }
    });
    return spec;
  }

  function makeView(key, name, container) {
    if (views[key]) views[key].finalize();
    var holder = $(container);
    holder.textContent = '';
    var view = new vega.View(vega.parse(chartSpec(name)), { renderer: 'svg', container: holder, hover: true });
    view.tooltip(tooltip);
    view.signal('hidden', hidden.slice());
    view.insert('points', allRows());
    views[key] = view;
    return view.runAsync();
  }

  function buildCharts() {
    if (!specs || !state) return Promise.resolve();
    pendingRows = [];
    pendingRemove = {};
    drawn = allRows().length;
    return Promise.all([makeView('regret', 'regret-' + regretScale, 'chart-regret'), makeView('gap', 'gap', 'chart-gap')]).then(markDrawn);
  }
  function markDrawn() { document.body.setAttribute('data-points', String(drawn)); }

  function cellKey(d) { return d.learner + '\u0000' + d.seed; }
  function replaceCell(cell) {
    var key = cellKey(cell);
    pendingRows = pendingRows.filter(function (d) { return cellKey(d) !== key; }).concat(rowsOf(cell, cell.points));
    pendingRemove[key] = true;
  }
  function addRows(rows) {
    drawn += rows.length;
    pendingRows = pendingRows.concat(rows);
  }
  function flush() {
    var keys = Object.keys(pendingRemove);
    if (pendingRows.length === 0 && keys.length === 0) return;
    Object.keys(views).forEach(function (k) {
      var change = vega.changeset().insert(pendingRows);
      if (keys.length > 0) change = change.remove(function (d) { return pendingRemove[cellKey(d)] === true; });
      views[k].change('points', change);
    });
    pendingRows = [];
    pendingRemove = {};
  }
  function redrawSoon() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(function () {
      renderQueued = false;
      flush();
      Promise.all(Object.keys(views).map(function (k) { return views[k].runAsync(); })).then(markDrawn);
      renderTables();
    });
  }

  function renderLegend() {
    var box = $('legend');
    box.textContent = '';
    learnerList.forEach(function (l) {
      var off = hidden.indexOf(l) >= 0;
      var b = el('button', { type: 'button', 'class': 'chip', 'data-learner': l, 'aria-pressed': off ? 'false' : 'true', title: off ? 'show ' + l : 'hide ' + l });
      var sw = el('span', { 'class': 'swatch' });
      sw.style.background = colour(l);
      b.appendChild(sw);
      b.appendChild(document.createTextNode(l));
      b.addEventListener('click', function () {
        var k = hidden.indexOf(l);
        if (k >= 0) hidden.splice(k, 1); else hidden.push(l);
        Object.keys(views).forEach(function (v) { views[v].signal('hidden', hidden.slice()); views[v].runAsync(); });
        renderLegend();
      });
      box.appendChild(b);
    });
  }

  function mean(xs) { return xs.reduce(function (a, b) { return a + b; }, 0) / xs.length; }
  function sd(xs) { if (xs.length < 2) return 0; var m = mean(xs); return Math.sqrt(xs.reduce(function (a, b) { return a + (b - m) * (b - m); }, 0) / (xs.length - 1)); }
  function stat(xs) { xs = xs.filter(function (x) { return x !== null && isFinite(x); }); return xs.length === 0 ? '-' : num(mean(xs)) + (xs.length > 1 ? ' ± ' + num(sd(xs)) : ''); }

  function table(id, header, rows) {
    var t = $(id);
    t.textContent = '';
    var head = el('tr');
    header.forEach(function (h) { head.appendChild(el('th', null, h)); });
    var thead = el('thead'); thead.appendChild(head); t.appendChild(thead);
    var body = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (c, k) {
        var td = el(k === 0 ? 'th' : 'td');
        if (c && typeof c === 'object' && c.node) td.appendChild(c.node); else td.textContent = c === null || c === undefined ? '' : String(c);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
  }

  function progressBar(c) {
    var frac = c.episodes > 0 ? Math.min(1, c.done / c.episodes) : 0;
    var outer = el('span', { 'class': 'bar ' + c.state, title: Math.round(100 * frac) + '%' });
    var inner = el('span');
    inner.style.width = (100 * frac).toFixed(1) + '%';
    outer.appendChild(inner);
    var wrap = el('span');
    wrap.appendChild(outer);
    wrap.appendChild(document.createTextNode(' ' + Math.round(100 * frac) + '%'));
    return { node: wrap };
  }

  function renderTables() {
    if (!state) return;
    var states = { wait: 'waiting', run: 'running', done: 'done', stop: 'stopped', missing: 'not run' };
    table('cells', ['learner', 'seed', 'state', 'progress', 'episodes', 'regret', 'gap', 'episodes/s', 'ETA', 'output gap', 'worker'], state.cells.map(function (c) {
      return [c.learner, c.seed, states[c.state] || c.state, progressBar(c), c.done + ' / ' + c.episodes, num(c.regret), num(c.gap), c.rate === null ? '-' : c.rate.toFixed(0), c.state === 'run' ? duration(c.eta) : '-', c.final ? num(c.final.outputGap) : '-', c.worker || ''];
    }));
    var finished = state.cells.filter(function (c) { return c.state === 'done' && c.final; });
    document.body.setAttribute('data-finished', String(finished.length));
    $('finished').textContent = finished.length + ' of ' + state.cells.length + ' runs finished';
    table('learners', ['learner', 'seeds done', 'regret at K', 'output gap', 'nominal gap', 'robust team value', 'train time / run'], learnerList.map(function (l) {
      var mine = finished.filter(function (c) { return c.learner === l; });
      var all = state.cells.filter(function (c) { return c.learner === l; });
      return [l, mine.length + ' / ' + all.length, stat(mine.map(function (c) { return c.regret; })), stat(mine.map(function (c) { return c.final.outputGap; })), stat(mine.map(function (c) { return c.final.nominalGap; })), stat(mine.map(function (c) { return c.final.robustValue; })), mine.length ? duration(mean(mine.map(function (c) { return c.final.trainSeconds; }))) : '-'];
    }));
  }

  function runLink(path, text) {
    var a = el('a', { href: '/run/' + path.split('/').map(encodeURIComponent).join('/'), target: '_blank', rel: 'noopener' }, text || path);
    return a;
  }

  function renderHeader() {
    document.body.setAttribute('data-status', state.status);
    $('title').textContent = state.title;
    $('scenario').textContent = state.scenario || '';
    $('where').textContent = state.where ? 'on ' + state.where : '';
    var status = $('status');
    status.textContent = state.status;
    status.className = 'status ' + state.status;
    $('message').textContent = state.message || '';
    var stop = $('stop');
    stop.disabled = !state.canStop;
    stop.hidden = state.status === 'archived';
    var files = $('files');
    files.textContent = '';
    state.files.forEach(function (f) { var li = el('li'); li.appendChild(runLink(f)); files.appendChild(li); });
    $('files-section').hidden = state.files.length === 0;
    var results = $('results');
    results.hidden = !state.results;
    var report = $('report-link');
    report.textContent = '';
    if (state.results) {
      $('summary-text').textContent = state.results.text;
      $('timing').textContent = state.results.timingLine;
      if (state.results.report) report.appendChild(runLink(state.results.report, 'Open the report (' + state.results.report + ')'));
      table('summary', ['learner', 'seeds', 'regret at K', 'slope', 'output gap', 'nominal gap', 'certified gap', 'bound (not certified)', 'nominal return'], state.results.summaries.map(function (s) {
        var m = function (x) { return x && x.n > 0 ? num(x.mean) + (x.n > 1 ? ' ± ' + num(x.sd) : '') : '-'; };
        return [s.learner, s.seeds.length, m(s.regret), m(s.slope), m(s.outputGap), m(s.nominalGap), m(s.certifiedGap), m(s.boundGap), m(s.nominalReturn)];
      }));
    }
  }

  function onState(s) {
    var names = [];
    s.cells.forEach(function (c) { if (names.indexOf(c.learner) < 0) names.push(c.learner); });
    state = s;
    learnerList = names;
    renderHeader();
    renderLegend();
    renderTables();
    buildCharts();
  }

  function onProgress(e) {
    var c = state && state.cells[e.index];
    if (!c) return;
    c.state = e.state; c.done = e.done; c.regret = e.regret; c.gap = e.gap; c.rate = e.rate; c.eta = e.eta; c.worker = e.worker;
    var last = c.points.length ? c.points[c.points.length - 1].episode : 0;
    var fresh = e.points.filter(function (p) { return p.episode > last; });
    c.points = c.points.concat(fresh);
    addRows(rowsOf(c, fresh));
    redrawSoon();
  }

  function onCell(e) {
    if (!state) return;
    var before = state.cells[e.cell.index];
    drawn += e.cell.points.length - (before ? before.points.length : 0);
    state.cells[e.cell.index] = e.cell;
    replaceCell(e.cell);
    redrawSoon();
  }

  function connect() {
    var source = new EventSource('/events' + (token ? '?token=' + encodeURIComponent(token) : ''));
    source.onopen = function () { $('connection').textContent = 'connected'; };
    source.onmessage = function (m) {
      var e = JSON.parse(m.data);
      if (e.type === 'state') { onState(e.state); document.body.setAttribute('data-connected', 'yes'); }
      else if (e.type === 'progress') onProgress(e);
      else if (e.type === 'cell') onCell(e);
    };
    source.onerror = function () {
      document.body.setAttribute('data-connected', 'no');
      $('connection').textContent = state && (state.status === 'finished' || state.status === 'interrupted' || state.status === 'archived') ? 'the server has stopped' : 'reconnecting...';
    };
  }

  $('stop').addEventListener('click', function () {
    var stop = $('stop');
    stop.disabled = true;
    fetch('/stop', { method: 'POST', headers: { 'x-drmg-token': token } }).then(function (r) {
      if (r.status === 403) $('message').textContent = 'Stopping needs the token: open the address drmg printed (with ?token=...).';
      else if (!r.ok) $('message').textContent = 'The run cannot be stopped now (' + r.status + ').';
    }).catch(function (err) { $('message').textContent = 'Stop failed: ' + err; stop.disabled = false; });
  });
  Array.prototype.forEach.call(document.querySelectorAll('input[name=regret-scale]'), function (input) {
    input.addEventListener('change', function () {
      regretScale = input.value;
      if (!specs || !state) return;
      flush();
      makeView('regret', 'regret-' + regretScale, 'chart-regret').then(markDrawn);
    });
  });

  // For tests and the console: the views and the state.
  window.drmgDashboard = { views: views, state: function () { return state; }, hidden: function () { return hidden.slice(); } };
  fetch('/assets/charts.json').then(function (r) { return r.json(); }).then(function (s) { specs = s; buildCharts(); connect(); });
})();
`;
