/**
 * A real headless Chromium for the dashboard tests, driven through the DevTools protocol by puppeteer-core (which
 * downloads no browser): Debian's /usr/bin/chromium (CHROMIUM overrides it), installed in CI by
 * .ci/install-chromium.sh. Without it the browser tests are skipped with a printed reason, except in CI (CI set),
 * where they fail.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { tempDir } from './compare-helpers.ts';
import { inCi } from './redis-server.ts';

/** The Chromium binary. */
export const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** True when it is there. */
export const haveChromium = existsSync(chromium);
/** Skip the browser tests: no Chromium, and not in CI. */
export const skipBrowser = !haveChromium && !inCi;

/** Prints why `file`'s browser tests are skipped (once, when they are). */
export function warnIfSkipped(file: string): void {
  if (skipBrowser) console.warn(`${file}: SKIPPING the browser tests: ${chromium} not found and CI is not set (install it with .ci/install-chromium.sh)`);
}

/** Starts headless Chromium with a fresh profile (close it in afterAll). */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: tempDir('drmg-chromium-'),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
