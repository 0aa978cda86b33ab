/**
 * Smoke test of examples/custom-agent.ts: the custom agent is registered as a learner and compared on
 * worker threads (which learn about it by importing the example, `modules`), with a short run.
 */
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getLearner } from '@drmg/learners';
import { main } from './custom-agent.ts';

describe('examples/custom-agent.ts', () => {
  it('registers rect-q and compares it on two worker threads', async () => {
    expect(getLearner('rect-q').name).toBe('rect-q');
    const out = mkdtempSync(join(tmpdir(), 'drmg-custom-agent-test-'));
    const report = await main({ episodes: 80, seeds: 2, workers: 2, out, quiet: true });
    expect(report.interrupted).toBe(false);
    expect(report.outcome.workers).toBe(2);
    expect(report.summaries.map((s) => s.learner)).toEqual(['rect-q', 'independent-q', 'planner']);
    expect(report.summaries[0].seeds).toEqual([0, 1]);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'policies/rect-q-seed1.policy.json'))).toBe(true);
  });
});
