/**
 * The live dashboard in a real browser (headless Chromium through puppeteer-core, see dashboard-browser.ts), on a
 * real compare run served by the real server on a free port:
 *  - the page connects (server-sent events) and its regret curves gain points while the run goes;
 *  - a cell finishes (the cheap planner) while the other (MORNAVI-TV) still trains; the stop button stops the run
 *    as Ctrl-C does: the run ends interrupted, exactly the finished cells are in cells.jsonl, the page says so and
 *    links the partial report, which the server serves;
 *  - `drmg dashboard RUN_DIR` (serveRunFolder) shows that folder: the finished cell's whole curve, the other one
 *    not run, no stop button;
 *  - screenshots of both are not blank and show the learners' colours.
 * Every wait is for an event on the page (no timed assertion).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { serveCompare, serveRunFolder, type ServedCompare } from '@drmg/compare';
import { tempDir } from './compare-helpers.ts';
import { haveChromium, chromium, launchChromium, skipBrowser, warnIfSkipped } from './dashboard-browser.ts';
import { decodePng, inkAndColour } from './png-pixels.ts';

warnIfSkipped('dashboard-live.test');

const out = join(tempDir('drmg-dashboard-live-'), 'run');
// MORNAVI-TV trains far longer than the planner: the planner finishes while MORNAVI-TV still runs, and the stop
// button cuts MORNAVI-TV short (it would take many seconds to finish).
const config = { env: 'bridge-crossing-v0', learners: ['mornavi-tv', 'planner'], seeds: 1, episodes: 30_000, evalPoints: 40, radii: [0, 0.2], randomKernels: 0 };
const WAIT = { timeout: 90_000, polling: 50 } as const;

/** The cells of the page's state (window.drmgDashboard.state().cells). */
type Cells = { learner: string; state: string; points: unknown[] }[];

describe.skipIf(skipBrowser)('the live dashboard of drmg compare --serve', () => {
  let browser: Browser;
  let page: Page;
  let run: ServedCompare;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1500 });
    run = await serveCompare(config, { out, workers: 2 });
  });

  afterAll(async () => {
    await run?.report.catch(() => null);
    await run?.close();
    await browser?.close();
  });

  it('requires chromium in CI', () => {
    expect(haveChromium, `${chromium} is missing: run .ci/install-chromium.sh`).toBe(true);
  });

  it('binds 127.0.0.1 and prints its address with the token', () => {
    expect(run.server.host).toBe('127.0.0.1');
    expect(run.server.tokenRequired).toBe(false);
    expect(run.server.url).toBe(`http://127.0.0.1:${run.server.port}/?token=${run.server.token}`);
    expect(run.server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('connects, and its curves gain points while the run goes', async () => {
    await page.goto(run.server.url);
    await page.waitForFunction("document.body.dataset.connected === 'yes'", WAIT);
    // Points drawn: the symbols of the gap chart (every exact evaluation; the regret chart's log axes leave out the planner's ~0).
    const symbols = '#chart-gap g.mark-symbol path';
    await page.waitForFunction(`document.querySelectorAll('${symbols}').length >= 2`, WAIT);
    const first = await page.$$eval(symbols, (x) => x.length);
    await page.waitForFunction(`document.querySelectorAll('${symbols}').length > ${first}`, WAIT);
    const later = await page.$$eval(symbols, (x) => x.length);
    expect(later).toBeGreaterThan(first);
    // None lost on the way: each cell's points in the chart are its exact evaluations so far, every K / 40 = 750 episodes.
    const series = (await page.evaluate(
      "(function () { var d = window.drmgDashboard; var rows = d.views.gap.data('points'); return d.state().cells.map(function (c) { return rows.filter(function (r) { return r.learner === c.learner && r.seed === c.seed; }).map(function (r) { return r.episode; }).sort(function (a, b) { return a - b; }); }); })()",
    )) as number[][];
    // Read after the symbols were counted, while the run goes on: the data holds at least what was drawn then.
    expect(series.flat().length).toBeGreaterThanOrEqual(later);
    for (const episodes of series) expect(episodes).toEqual(episodes.map((_, q) => (q + 1) * 750));
    // The page counts the points it was sent, at least those drawn.
    expect(Number(await page.evaluate('document.body.dataset.points'))).toBeGreaterThanOrEqual(later);
    expect(await page.$eval('#status', (e) => e.textContent)).toBe('running');
    // The token went into session storage and out of the address bar.
    expect(page.url()).not.toContain('token=');
  });

  it('stops the run with the stop button, its finished cells on disk', async () => {
    // The planner finishes first; MORNAVI-TV is still training then.
    await page.waitForFunction('Number(document.body.dataset.finished) >= 1', WAIT);
    const cells = ((await page.evaluate('window.drmgDashboard.state().cells')) as Cells).map((c) => ({ learner: c.learner, state: c.state }));
    expect(cells).toEqual([
      { learner: 'mornavi-tv', state: expect.stringMatching(/^(run|wait)$/) },
      { learner: 'planner', state: 'done' },
    ]);
    await page.click('#stop');
    const report = await run.report;
    expect(report.interrupted).toBe(true);
    expect(run.stoppedFromPage()).toBe(true);
    const journal = readFileSync(join(out, 'cells.jsonl'), 'utf8').trim().split('\n');
    expect(journal.length).toBe(1);
    expect(JSON.parse(journal[0]).result.learner).toBe('planner');
    expect(report.outcome.runs.map((r) => r?.result.learner ?? null)).toEqual([null, 'planner']);
    // The page follows: interrupted, a link to the partial report, the run's files.
    await page.waitForFunction("document.body.dataset.status === 'interrupted'", WAIT);
    await page.waitForFunction("document.querySelector('#report-link a') !== null", WAIT);
    const href = await page.$eval('#report-link a', (a) => a.getAttribute('href'));
    expect(href).toBe('/run/report.html');
    expect(await page.$eval('#stop', (b) => b.hasAttribute('disabled'))).toBe(true);
    const files = await page.$$eval('#files a', (as) => as.map((a) => a.textContent));
    expect(files).toEqual(expect.arrayContaining(['cells.jsonl', 'config.json', 'report.html', 'results.csv', 'results.jsonl', 'policies/planner-seed0.policy.json']));
    const res = await fetch(`${run.server.origin}${href}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Interrupted');
    // A second stop: nothing left to stop.
    expect((await fetch(`${run.server.origin}/stop`, { method: 'POST', headers: { 'x-drmg-token': run.server.token } })).status).toBe(409);
  });

  it('is not blank (a screenshot shows the learners\' colours)', async () => {
    const px = decodePng(await page.screenshot({ fullPage: true }));
    expect(inkAndColour(px, '#000000').ink).toBeGreaterThan(0.02);
    expect(inkAndColour(px, '#4c78a8').matches).toBeGreaterThan(50); // mornavi-tv
    expect(inkAndColour(px, '#f58518').matches).toBeGreaterThan(50); // planner
  });

  it('serves the stopped run folder again (drmg dashboard RUN_DIR)', async () => {
    const served = await serveRunFolder(out);
    try {
      const p = await browser.newPage();
      await p.setViewport({ width: 1280, height: 1500 });
      await p.goto(served.server.url);
      await p.waitForFunction("document.body.dataset.status === 'archived' && Number(document.body.dataset.points) > 0", WAIT);
      // The planner's whole curve: one point per exact evaluation (40), MORNAVI-TV not run.
      expect(Number(await p.evaluate('document.body.dataset.points'))).toBe(40);
      const cells = ((await p.evaluate('window.drmgDashboard.state().cells')) as Cells).map((c) => [c.learner, c.state, c.points.length]);
      expect(cells).toEqual([
        ['mornavi-tv', 'missing', 0],
        ['planner', 'done', 40],
      ]);
      expect(await p.$eval('#stop', (b) => b.hasAttribute('hidden'))).toBe(true);
      expect(await p.$eval('#message', (e) => e.textContent)).toContain('1 of 2 runs finished');
      const px = decodePng(await p.screenshot({ fullPage: true }));
      expect(inkAndColour(px, '#000000').ink).toBeGreaterThan(0.02);
      await p.close();
    } finally {
      await served.close();
    }
  });
});
