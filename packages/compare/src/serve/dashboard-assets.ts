/**
 * `dashboardAsset`: the files the dashboard page loads, all from this package: its script and style
 * (dashboard-client.ts, dashboard-page.ts), Vega's browser build read from the installed `vega` package (a
 * dependency: nothing is fetched from a CDN, the page works offline) and the charts compiled to Vega specs.
 * `loadDashboardAssets` prepares them once (Vega-Lite compiles the charts); `dashboardAsset` then looks one up.
 */
import { readFileSync } from 'node:fs';
import { vegaBrowserBuild } from '../compare-plots.ts';
import { DASHBOARD_CLIENT_JS } from './dashboard-client.ts';
import { dashboardChartSpecs } from './dashboard-charts.ts';
import { DASHBOARD_CSS } from './dashboard-page.ts';

/** An asset: its content type and bytes. */
export interface DashboardAsset {
  readonly type: string;
  readonly body: Buffer;
}

let assets: Map<string, DashboardAsset> | null = null;

/** Compiles Vega-Lite specs to Vega specs (the browser then needs Vega only). */
export async function compileVegaLiteSpecs(specs: Record<string, Record<string, unknown>>): Promise<Record<string, unknown>> {
  const vl = await import('vega-lite');
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = vl.compile(spec as never).spec;
  return out;
}

/**
 * Prepares the assets (once per process).
 * @throws Error when Vega's browser build is missing from the installed vega package.
 */
export async function loadDashboardAssets(): Promise<void> {
  if (assets !== null) return;
  const js = 'text/javascript; charset=utf-8';
  const map = new Map<string, DashboardAsset>();
  map.set('dashboard.js', { type: js, body: Buffer.from(DASHBOARD_CLIENT_JS) });
  map.set('dashboard.css', { type: 'text/css; charset=utf-8', body: Buffer.from(DASHBOARD_CSS) });
  map.set('vega.min.js', { type: js, body: readFileSync(vegaBrowserBuild()) });
  map.set('charts.json', { type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(await compileVegaLiteSpecs(dashboardChartSpecs()))) });
  assets = map;
}

/** The asset `name` (after /assets/), or null when there is none (or `loadDashboardAssets` has not run). */
export function dashboardAsset(name: string): DashboardAsset | null {
  return assets?.get(name) ?? null;
}
