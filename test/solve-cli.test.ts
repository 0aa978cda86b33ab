/**
 * `drmg solve` end to end in-process: on random TV and KL games with 1-3 agents (per-state radii,
 * sparse kernels) the printed policy, re-read from JSON and scored by the independent reference
 * evaluator (test/reference-evaluator.ts), has robust gap (nash, cce) or CE gap (ce) ~ 0, and the
 * printed values and gaps agree with the reference to 1e-9.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gameToJson, randomGame } from '@drmg/core';
import { memoryIo, runCli } from '@drmg/cli';
import { refEvaluate, tabularToDense } from './reference-evaluator.ts';

const tmp = mkdtempSync(join(tmpdir(), 'drmg-solve-'));

async function solve(path: string, equilibrium: string) {
  const io = memoryIo();
  const code = await runCli(['solve', path, '--equilibrium', equilibrium, '--json'], io);
  return { code, doc: code === 0 ? JSON.parse(io.stdout) : null, stderr: io.stderr };
}

describe('drmg solve', () => {
  const cases: { seed: number; A: number[]; divergence: 'tv' | 'kl'; eq: 'nash' | 'cce' | 'ce' }[] = [];
  let seed = 1;
  for (const divergence of ['tv', 'kl'] as const) {
    for (const A of [[3], [2, 3], [3, 3], [2, 2, 2]]) {
      for (const eq of ['nash', 'cce', 'ce'] as const) cases.push({ seed: seed++, A, divergence, eq });
    }
  }
  it.each(cases)('$divergence actions $A $eq: gap ~ 0 by the reference evaluator', async ({ seed, A, divergence, eq }) => {
    const game = randomGame(seed, { S: 4, H: 3, A, divergence, support: 3, radius: 'state', maxRadius: divergence === 'tv' ? 0.4 : 0.8 });
    const path = join(tmp, `g${seed}.json`);
    writeFileSync(path, JSON.stringify(gameToJson(game)));
    const { code, doc, stderr } = await solve(path, eq);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(doc.format).toBe('drmg-solution/1');
    const ref = refEvaluate(tabularToDense(game), doc.policy.policy);
    // The 3-player Nash solver is approximate with a certified epsilon; everything else is exact.
    const tol = eq === 'nash' && A.length >= 3 ? 1e-6 : 1e-9;
    for (let s = 0; s < game.S; s++) {
      const g = eq === 'ce' ? ref.ceGap[s] : ref.gap[s];
      expect(Math.abs(g)).toBeLessThanOrEqual(tol);
      expect(doc.gap[s]).toBeCloseTo(ref.gap[s], 9);
      expect(doc.ceGap[s]).toBeCloseTo(ref.ceGap[s], 9);
      for (let i = 0; i < game.m; i++) expect(doc.value[i][s]).toBeCloseTo(ref.value[i][s], 9);
    }
    if (eq === 'nash') {
      // A product policy: every row is the product of its marginals.
      const [h, s] = [0, 0];
      const row: number[] = doc.policy.policy[h][s];
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('rejects an unknown equilibrium and a missing game', async () => {
    const io = memoryIo();
    expect(await runCli(['solve', join(tmp, 'g1.json'), '--equilibrium', 'stackelberg'], io)).toBe(2);
    expect(io.stderr).toMatch(/--equilibrium: expected one of "nash", "cce", "ce", got "stackelberg"/);
    const io2 = memoryIo();
    expect(await runCli(['solve'], io2)).toBe(2);
    expect(io2.stderr).toMatch(/expected 1 argument GAME, got 0/);
  });
});
