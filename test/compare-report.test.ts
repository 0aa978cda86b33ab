/**
 * The compare report in a real browser: headless Chromium (Debian's `chromium`) opens report.html from
 * disk with networking disabled, and
 *  - the DOM it dumps after load shows every plot laid out: each <figure> carries the number of SVG
 *    paths the browser measured with a non-empty box (the report's render check) and a real size, and
 *    every plot's marks are paths with data;
 *  - a screenshot is not blank and shows the learners' colours (the plots were painted).
 * Also: the PNG files rendered in Node (resvg) are not blank either.
 * Without /usr/bin/chromium the test is skipped with a message, except in CI (CI set), where it must run:
 * .ci/install-chromium.sh installs it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '@drmg/compare';
import { smallConfig, tempDir } from './compare-helpers.ts';
import { decodePng, inkAndColour } from './png-pixels.ts';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(chromium);
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const skipBrowser = !haveChromium && !inCi;
if (skipBrowser) {
  console.warn(`compare-report.test: SKIPPING the browser test: ${chromium} not found and CI is not set (install it with .ci/install-chromium.sh)`);
}

const dir = tempDir('drmg-compare-report-');
const out = join(dir, 'run');
const plotNames = ['regret', 'gap-vs-samples', 'return-vs-radius', 'nominal-vs-worst'];
// Colours the plots must show (compare-plots.ts): the first two learners' regret and gap lines (mornavi-tv, nash-vi;
// the planner's regret is 0, off the log axes) and the worst-case red of the other two plots.
const plotColours = ['#4c78a8', '#f58518', '#e45756'];

function chromiumArgs(profile: string): string[] {
  return ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`];
}

beforeAll(async () => {
  await compare({ ...smallConfig }, { out, workers: 1 });
});

describe('the compare report and its PNGs', () => {
  it('is one self-contained page: inline SVGs, no external resources', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)?.length).toBe(4);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    expect(html).toContain('Rerun exactly with');
  });

  it('renders non-blank PNGs of every plot in Node', () => {
    for (const name of plotNames) {
      const px = decodePng(readFileSync(join(out, `${name}.png`)));
      expect(px.width).toBeGreaterThan(400);
      const { ink, matches } = inkAndColour(px, name === 'regret' || name === 'gap-vs-samples' ? plotColours[0] : plotColours[2]);
      expect(ink, name).toBeGreaterThan(0.02);
      expect(matches, name).toBeGreaterThan(50);
    }
  });
});

describe.skipIf(skipBrowser)('the compare report in headless Chromium', () => {
  it('requires chromium in CI', () => {
    expect(haveChromium, `${chromium} is missing: run .ci/install-chromium.sh`).toBe(true);
  });

  it('lays out every plot (DOM after load)', () => {
    const r = spawnSync(chromium, [...chromiumArgs(tempDir('drmg-chromium-')), '--dump-dom', pathToFileURL(join(out, 'report.html')).href], { encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    const dom = r.stdout;
    expect(dom).toContain('data-render-check="done"');
    for (const name of plotNames) {
      const tag = new RegExp(`<figure data-plot="${name}"[^>]*data-rendered-paths="(\\d+)"[^>]*data-rendered-size="(\\d+)x(\\d+)"`).exec(dom);
      expect(tag, `figure ${name}`).not.toBeNull();
      const [paths, width, height] = [Number(tag![1]), Number(tag![2]), Number(tag![3])];
      expect(paths, name).toBeGreaterThanOrEqual(10);
      expect(width, name).toBeGreaterThan(300);
      expect(height, name).toBeGreaterThan(150);
      // the marks (lines, areas, bars, rules) are paths with drawing commands
      const start = dom.indexOf(`<figure data-plot="${name}"`);
      const figure = dom.slice(start, dom.indexOf('</figure>', start));
      const marks = figure.match(/<g class="mark-(line|area|rect|rule)[^"]*role-mark[^"]*"[^>]*>(.*?)<\/g>/g) ?? [];
      expect(marks.length, name).toBeGreaterThan(0);
      expect(marks.some((m) => /<path[^>]* d="M[-\d.e]+,[-\d.e]+[A-Za-z]/.test(m)), name).toBe(true);
    }
  });

  it('paints the plots (a screenshot shows their colours)', () => {
    const shot = join(dir, 'report.png');
    const r = spawnSync(chromium, [...chromiumArgs(tempDir('drmg-chromium-')), '--hide-scrollbars', '--window-size=1200,3200', `--screenshot=${shot}`, pathToFileURL(join(out, 'report.html')).href], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const px = decodePng(readFileSync(shot));
    const { ink } = inkAndColour(px, '#000000');
    expect(ink).toBeGreaterThan(0.03);
    for (const c of plotColours) expect(inkAndColour(px, c).matches, c).toBeGreaterThan(100);
  });
});
