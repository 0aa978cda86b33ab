/** Smoke test of examples/compare-custom-env.ts: the custom environment of custom-env.ts is compared like a built-in one. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './compare-custom-env.ts';

describe('examples/compare-custom-env.ts', () => {
  it('compares on windy-shortcut-v0 (KL): MORNAVI-KL runs, MORNAVI-TV is skipped with its reason', async () => {
    const out = mkdtempSync(join(tmpdir(), 'drmg-custom-env-test-'));
    const report = await main({ episodes: 60, seeds: 2, workers: 1, out, quiet: true });
    expect(report.config.env).toBe('windy-shortcut-v0');
    expect(report.summaries.map((s) => s.learner)).toEqual(['mornavi-kl', 'nash-vi', 'planner']);
    expect(report.text).toContain('skipped mornavi-tv: mornavi-tv needs TV uncertainty sets');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Skipped mornavi-tv');
    // the planner's policy is the robust equilibrium: its output gap is 0
    expect(report.summaries[2].outputGap.mean).toBeCloseTo(0, 9);
  });
});
