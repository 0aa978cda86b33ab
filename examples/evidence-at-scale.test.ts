/** Smoke test of examples/evidence-at-scale.ts on a short run (K = 500, one seed, G1 and initial-shock, 2 worker processes) into a temp dir. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, parseOptions } from './evidence-at-scale.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

describe('examples/evidence-at-scale.ts', () => {
  const out = mkdtempSync(join(tmpdir(), 'drmg-evidence-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('trains on worker processes, scores, and writes the page and its plots', async () => {
    const { data, cells, page } = await main(['--episodes', '500', '--seeds', '1', '--games', 'G1,shock', '--out', out, '--quiet']);
    expect(data.results).toHaveLength(10);
    expect(data.results.filter((r) => r.error !== undefined)).toEqual([]);
    const g1 = cells.get('G1') ?? [];
    expect(g1.map((c) => c.name)).toEqual(['mornavi-tv', 'nash-vi', 'independent-q', 'random', 'planner']);
    const planner = g1[4];
    expect(Math.abs(planner.checkpoints[planner.checkpoints.length - 1].mean)).toBeLessThan(1e-9); // the zero-regret reference
    expect(planner.slope).toBeNull();
    expect(planner.certifiedGap?.mean).toBeLessThan(1e-9);
    expect(g1[3].slope).toBeCloseTo(1, 6); // the random learner's policy never changes: linear regret
    expect(g1[0].certifiedGap).not.toBeNull(); // MORNAVI (bonus=valid) certifies; Nash-VI's bound is not a certificate
    expect(g1[1].certifiedGap).toBeNull();
    expect(g1[1].boundGap).not.toBeNull();
    for (const c of g1) {
      expect(c.teamValue).toHaveLength(5);
      for (let q = 1; q < 5; q++) expect(c.teamValue[q].mean).toBeLessThanOrEqual(c.teamValue[q - 1].mean + 1e-12); // a larger set never helps the worst case
    }
    const text = readFileSync(page, 'utf8');
    expect(text).toContain('| G1 | mornavi-tv | yes |');
    expect(text).toContain('initial-shock');
    for (const f of ['G1-regret', 'G1-radius', 'shock-regret', 'shock-radius']) {
      expect(existsSync(join(out, 'evidence', `${f}.svg`))).toBe(true);
      expect([...readFileSync(join(out, 'evidence', `${f}.png`)).subarray(0, 4)]).toEqual(PNG_SIGNATURE);
      expect(text).toContain(`evidence/${f}.png`);
    }
  });

  it('re-renders from results.json without training, to the same page', async () => {
    const before = readFileSync(join(out, 'evidence.md'), 'utf8');
    await main(['--out', out, '--report-only', '--quiet']);
    expect(readFileSync(join(out, 'evidence.md'), 'utf8')).toBe(before);
  });

  it('rejects unknown games and learners, naming what is allowed', () => {
    expect(() => parseOptions(['--games', 'G9'])).toThrow(/--games: unknown "G9", expected among G1, G2, G3, G4, G5, G6, shock/);
    expect(() => parseOptions(['--learners', 'q'])).toThrow(/--learners: unknown "q"/);
    expect(() => parseOptions(['--episodes', '0'])).toThrow(/--episodes: expected an integer >= 1/);
  });
});
