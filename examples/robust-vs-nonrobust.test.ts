/** Smoke test of examples/robust-vs-nonrobust.ts on a short run: it trains, scores and deploys, and its two deployment methods agree. */
import { describe, expect, it } from 'vitest';
import { main } from './robust-vs-nonrobust.ts';

describe('examples/robust-vs-nonrobust.ts', () => {
  it('runs: exact deployment agrees with Monte Carlo, the planner keeps 6 at every radius', async () => {
    const out = await main({ episodes: 150, radii: [0, 0.3], quiet: true });
    expect(out.map((o) => o.learner)).toEqual(['mornavi-tv', 'nash-vi', 'planner']);
    for (const o of out) {
      expect(Math.abs(o.agent0.monteCarlo - o.agent0.exact)).toBeLessThanOrEqual(4 * o.agent0.stdErr + 1e-9);
      expect(o.worstCase[1]).toBeLessThanOrEqual(o.worstCase[0] + 1e-12); // perturbation never helps the worst case
    }
    // the robust planner sends both robots around: 3 + 3 under any kernel of the set (bridge-crossing-v0's docs)
    const planner = out[2];
    expect(planner.worstCase[0]).toBeCloseTo(6, 9);
    expect(planner.worstCase[1]).toBeCloseTo(6, 9);
    expect(planner.regret).toBeCloseTo(0, 9);
  });
});
