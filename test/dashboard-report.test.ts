/**
 * The interactive report (compare-report.ts, compare-plots.ts), one self-contained offline file:
 *  - in the file: Vega inlined (no external resource), a link to every raw file of the run (each exists), the
 *    environment's description and parameters, each learner's description and parameters;
 *  - in headless Chromium (file://, nothing fetched): every plot becomes a live view; the tooltip of a regret
 *    point shows the exact mean regret over seeds at that episode, as results.jsonl gives it, and that of a
 *    gap-vs-samples point the simulator calls and mean gap of results.jsonl's runs; a legend click
 *    hides a learner's line and points and a second click shows them again; the linear switch shows the
 *    planner's regret of about 0, which the log axes leave out; a screenshot is not blank;
 *  - radii: without `radii`, a run deploys at 0 to twice the environment's own radius (bridge-crossing: rho 0.2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { compare, radiiAround } from '@drmg/compare';
import { make } from '@drmg/envs';
import { smallConfig, tempDir } from './compare-helpers.ts';
import { chromium, haveChromium, launchChromium, skipBrowser, warnIfSkipped } from './dashboard-browser.ts';
import { decodePng, inkAndColour } from './png-pixels.ts';

warnIfSkipped('dashboard-report.test');

const out = join(tempDir('drmg-dashboard-report-'), 'run');
const WAIT = { timeout: 60_000, polling: 50 } as const;

/** A page expression: the number of elements `selector` matches, compared by `test` (e.g. `> 0`). */
function count(selector: string, test: string): string {
  return `document.querySelectorAll(${JSON.stringify(selector)}).length ${test}`;
}
// smallConfig's learners in order, and their colours (compare-plots.ts).
const colours: Record<string, string> = { 'mornavi-tv': '#4c78a8', 'nash-vi': '#f58518', planner: '#54a24b' };

interface RunLine {
  readonly type: string;
  readonly learner: string;
  readonly episodes: number[];
  readonly regret: number[];
  readonly gap: number[];
  readonly samples: number[];
}

/** The run lines of the run's results.jsonl. */
function runLines(): RunLine[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunLine).filter((l) => l.type === 'run');
}

beforeAll(async () => {
  await compare({ ...smallConfig }, { out, workers: 1 });
});

describe('the report file', () => {
  it('is self-contained and links every raw file of the run', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain('<script type="application/json" id="drmg-plots">');
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
    for (const f of ['config.json', 'cells.jsonl', 'results.jsonl', 'results.csv', 'timing.json', 'summary.txt', 'regret.svg', 'regret.png', 'return-vs-radius.svg', 'nominal-vs-worst.png', 'gap-vs-samples.svg', 'gap-vs-samples.png', 'policies/nash-vi-seed1.policy.json']) {
      expect(hrefs, f).toContain(f);
    }
    // every link points at a file of the run folder, written beside the report
    for (const h of hrefs) expect(existsSync(join(out, h)), h).toBe(true);
    expect(hrefs.filter((h) => h.startsWith('policies/')).length).toBe(6);
  });

  it('describes the environment and each learner with their parameters', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<b>bridge-crossing-v0</b>: two robots');
    expect(html).toMatch(/<dt>rho = 0\.2<\/dt><dd>[^<]*slippery/);
    expect(html).toMatch(/<dt>horizon = 6<\/dt><dd>horizon H<\/dd>/);
    for (const l of ['mornavi-tv', 'nash-vi', 'planner']) expect(html).toContain(`<h3>${l}</h3>`);
    // the planner's description, from the learner registry
    expect(html).toMatch(/<h3>planner<\/h3>\n<p>[^<]*known/i);
  });
});

describe('radii around the environment\'s own radius', () => {
  it('deploys at 0 to 2 rho in steps of rho / 4 when none are given', async () => {
    const report = await compare({ env: 'bridge-crossing-v0', learners: ['planner'], seeds: 1, episodes: 4, evalPoints: 1, randomKernels: 0 }, { out: join(tempDir('drmg-radii-'), 'run'), workers: 1, render: false });
    expect(report.config.radii).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    expect(JSON.parse(readFileSync(join(report.dir, 'config.json'), 'utf8')).radii).toEqual(report.config.radii);
    expect(radiiAround(make('bridge-crossing-v0', { rho: 0.1 }).model)).toEqual([0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2]);
    expect(radiiAround(make('bridge-crossing-v0', { rho: 0.8 }).model)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(radiiAround(make('bridge-crossing-v0', { rho: 0 }).model)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });
});

describe.skipIf(skipBrowser)('the report in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  /** Hovers `point` and reads its tooltip: the value of a field by its label. */
  async function tooltipOf(point: ElementHandle): Promise<(name: string) => string | undefined> {
    const box = (await point.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction("!document.getElementById('tooltip').hidden", WAIT);
    const lines = await page.$$eval('#tooltip > div', (ds) => ds.map((d) => d.textContent ?? ''));
    return (name) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
  }

  /** Moves the pointer off the plots and waits for the tooltip to hide. */
  async function leaveTooltip(): Promise<void> {
    await page.mouse.move(2, 2);
    await page.waitForFunction("document.getElementById('tooltip').hidden", WAIT);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1200, height: 1000 });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForFunction("document.documentElement.dataset.interactive === 'ready'", WAIT);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('requires chromium in CI', () => {
    expect(haveChromium, `${chromium} is missing: run .ci/install-chromium.sh`).toBe(true);
  });

  it('loads nothing from outside and makes every plot live', async () => {
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    const ready = await page.$$eval('figure[data-plot]', (fs) => fs.map((f) => [f.getAttribute('data-plot'), f.getAttribute('data-interactive'), f.querySelectorAll('.vega-view svg').length]));
    expect(ready).toEqual([
      ['regret', 'ready', 1],
      ['gap-vs-samples', 'ready', 1],
      ['return-vs-radius', 'ready', 1],
      ['nominal-vs-worst', 'ready', 1],
    ]);
  });

  it('shows the exact number under the pointer', async () => {
    const runs = runLines();
    const points = await page.$$('figure[data-plot="regret"] .vega-view g.mark-symbol.role-mark path');
    expect(points.length).toBeGreaterThan(10);
    const checked = new Set<string>();
    for (const k of [3, Math.floor(points.length / 2), points.length - 1]) {
      const field = await tooltipOf(points[k]);
      const learner = field('learner')!;
      const episode = Number(field('episodes'));
      const shown = Number(field('regret, mean over seeds'));
      const mine = runs.filter((r) => r.learner === learner);
      expect(mine.length, learner).toBe(2);
      const expected = mine.reduce((a, r) => a + r.regret[r.episodes.indexOf(episode)], 0) / mine.length;
      expect(Number.isFinite(shown)).toBe(true);
      expect(Math.abs(shown - expected) / Math.abs(expected)).toBeLessThan(1e-10);
      checked.add(`${learner}@${episode}`);
      await leaveTooltip();
    }
    expect(checked.size).toBe(3);
  });

  it('shows the simulator calls and the mean gap under the pointer on gap-vs-samples', async () => {
    const runs = runLines();
    // below the first screen: scrolled into view, so that the pointer reaches it
    await page.$eval('figure[data-plot="gap-vs-samples"]', (f) => f.scrollIntoView({ block: 'center' }));
    const points = await page.$$('figure[data-plot="gap-vs-samples"] .vega-view g.mark-symbol.role-mark path');
    // every scored policy (3 learners x 30, samples > 0 from the first: every = 4), and the rings where a mean gap stays <= eps
    expect(points.length).toBeGreaterThanOrEqual(90);
    const checked = new Set<string>();
    for (const k of [0, Math.floor(points.length / 2), points.length - 1]) {
      const field = await tooltipOf(points[k]);
      const learner = field('learner')!;
      const episode = Number(field('episodes'));
      const mine = runs.filter((r) => r.learner === learner);
      expect(mine.length, learner).toBe(2);
      const q = mine[0].episodes.indexOf(episode);
      // smallConfig's learners make no generative draws (the planner reads the model): samples = (episode - 1) H, H = 6
      expect(Number(field('simulator calls, mean over seeds'))).toBe((episode - 1) * 6);
      expect(mine.map((r) => r.samples[q])).toEqual([(episode - 1) * 6, (episode - 1) * 6]);
      const gap = (mine[0].gap[q] + mine[1].gap[q]) / 2;
      // d3-format writes a negative number (the planner's gap of about -1e-15) with the minus sign U+2212
      expect(Math.abs(Number(field('gap, mean over seeds')!.replace('\u2212', '-')) - gap)).toBeLessThan(1e-10 * Math.max(1, Math.abs(gap)));
      checked.add(`${learner}@${episode}`);
      await leaveTooltip();
    }
    expect(checked.size).toBe(3);
    await page.evaluate('window.scrollTo(0, 0)');
  });

  it('hides a learner on a legend click, and shows it again', async () => {
    const marks = (colour: string) => page.$$eval(`figure[data-plot="regret"] .vega-view g.mark-line.role-mark path[stroke="${colour}"], figure[data-plot="regret"] .vega-view g.mark-symbol.role-mark path[fill="${colour}"]`, (x) => x.length);
    const before = await marks(colours['nash-vi']);
    expect(before).toBeGreaterThan(10);
    await page.click('button.chip[data-learner="nash-vi"]');
    await page.waitForFunction(count(`figure[data-plot="regret"] .vega-view g.mark-symbol.role-mark path[fill="${colours['nash-vi']}"]`, '=== 0'), WAIT);
    expect(await marks(colours['nash-vi'])).toBe(0);
    expect(await page.$eval('button.chip[data-learner="nash-vi"]', (b) => b.getAttribute('aria-pressed'))).toBe('false');
    // the others stay; the return-vs-radius panel of nash-vi goes too
    expect(await marks(colours['mornavi-tv'])).toBeGreaterThan(10);
    const panels = () => page.$$eval('figure[data-plot="return-vs-radius"] .vega-view g.role-column-title text, figure[data-plot="return-vs-radius"] .vega-view g.role-column-header text', (ts) => ts.map((t) => t.textContent));
    await page.waitForFunction("!Array.from(document.querySelectorAll('figure[data-plot=\"return-vs-radius\"] .vega-view text')).some((t) => t.textContent === 'nash-vi')", WAIT);
    expect(await panels()).not.toContain('nash-vi');
    // and its points of gap-vs-samples, where the planner's stay
    const samplePoints = (colour: string) => `figure[data-plot="gap-vs-samples"] .vega-view g.mark-symbol.role-mark path[fill="${colour}"]`;
    await page.waitForFunction(count(samplePoints(colours['nash-vi']), '=== 0'), WAIT);
    expect(await page.$$eval(samplePoints(colours.planner), (x) => x.length)).toBeGreaterThan(20);
    await page.click('button.chip[data-learner="nash-vi"]');
    await page.waitForFunction(count(`figure[data-plot="regret"] .vega-view g.mark-line.role-mark path[stroke="${colours['nash-vi']}"], figure[data-plot="regret"] .vega-view g.mark-symbol.role-mark path[fill="${colours['nash-vi']}"]`, `>= ${before}`), WAIT);
    expect(await marks(colours['nash-vi'])).toBe(before);
    await page.waitForFunction(count(samplePoints(colours['nash-vi']), '> 20'), WAIT);
  });

  it('switches the regret to linear axes, where the planner\'s regret of about 0 shows', async () => {
    const planner = `figure[data-plot="regret"] .vega-view g.mark-symbol.role-mark path[fill="${colours.planner}"]`;
    expect(await page.$$eval(planner, (x) => x.length)).toBe(0);
    await page.click('input[name=regret-scale][value=linear]');
    await page.waitForFunction(count(planner, '> 0'), WAIT);
    expect(await page.$$eval(planner, (x) => x.length)).toBe(30);
  });

  it('is not blank (a screenshot shows the learners\' colours)', async () => {
    const px = decodePng(await page.screenshot({ fullPage: true }));
    expect(inkAndColour(px, '#000000').ink).toBeGreaterThan(0.02);
    for (const c of Object.values(colours)) expect(inkAndColour(px, c).matches, c).toBeGreaterThan(50);
  });
});
