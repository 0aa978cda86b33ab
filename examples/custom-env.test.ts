/** Smoke test of examples/custom-env.ts: it registers, makes, checks and evaluates its environment. */
import { make } from '@drmg/envs';
import { describe, expect, it, vi } from 'vitest';
import { main } from './custom-env.ts';

describe('examples/custom-env.ts', () => {
  it('runs: checkEnv passes, and the shortcut is worth less robustly than nominally', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { ok, robust, nominal } = main();
    log.mockRestore();
    expect(ok).toBe(true);
    // Nominal, both on the shortcut: down with 0.2 per step, reward 1 while flying:
    // V = sum_{h<4} 0.8^h = 1 + 0.8 + 0.64 + 0.512 = 2.952 for each drone.
    expect(nominal[0]).toBeCloseTo(2.952, 12);
    expect(nominal[1]).toBeCloseTo(2.952, 12);
    expect(robust[0]).toBeLessThan(nominal[0] - 0.1);
    expect(make('windy-shortcut-v0').metadata.id).toBe('windy-shortcut-v0');
  });
});
