/**
 * Cells: a stable content hash of everything that determines a cell's result and nothing else, and an output
 * codec that gives back the numbers computed, NaN, Infinity and -0 included.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, CELL_FORMAT, cellIdentity, decodeCellOutput, encodeCellOutput } from './compare-cell.ts';
import { resolveCompareConfig } from './resolve-compare-config.ts';
import { planCompare } from './run-compare.ts';
import type { CompareRunOutput } from './compare-task.ts';

const base = { env: 'bridge-crossing-v0', learners: ['mornavi-tv', 'nash-vi'], seeds: 2, episodes: 100, radii: [0, 0.3], randomKernels: 0 };
const hashes = (input: Record<string, unknown>) => new Map(planCompare(resolveCompareConfig(input)).cells.map((c) => [`${c.learner}/${c.seed}`, c.hash]));

describe('cell hashes', () => {
  it('are stable: the same config gives the same hashes, 64 hex digits each, all different', () => {
    const a = hashes(base);
    const b = hashes({ ...base });
    expect([...a.entries()]).toEqual([...b.entries()]);
    for (const h of a.values()) expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(a.values()).size).toBe(4);
  });

  it('change with what determines the result: episodes, seed, parameters, label, radii, environment parameters', () => {
    const a = hashes(base);
    const changed = [
      hashes({ ...base, episodes: 101 }),
      hashes({ ...base, radii: [0, 0.2] }),
      hashes({ ...base, envParams: { slip: 0.2 } }),
      hashes({ ...base, evalPoints: 7 }),
      hashes({ ...base, learners: [{ name: 'mornavi-tv', params: { bonusScale: 0.5 } }, 'nash-vi'] }),
      hashes({ ...base, learners: [{ name: 'mornavi-tv', label: 'tv' }, 'nash-vi'] }),
    ];
    for (const c of changed) expect(c.get('mornavi-tv/0') ?? c.get('tv/0')).not.toBe(a.get('mornavi-tv/0'));
    expect(hashes({ ...base, seeds: [1] }).get('mornavi-tv/1')).toBe(a.get('mornavi-tv/1'));
  });

  it('do not change with the rest of the run: more seeds, other learners, their order', () => {
    const a = hashes(base);
    const b = hashes({ ...base, seeds: 5, learners: ['planner', 'nash-vi', 'mornavi-tv'] });
    for (const key of a.keys()) expect(b.get(key)).toBe(a.get(key));
  });

  it('cover the drmg version, the scenario and the learner plan (a twin trains with its own sets)', () => {
    const config = resolveCompareConfig({ ...base, learners: ['mornavi-kl'] });
    const plan = planCompare(config);
    const id = cellIdentity(config, { drmg: { '@drmg/compare': '0.2.0' }, scenario: { id: config.env, params: config.envParams }, modules: [] }, 0, plan.learners[0].plan, 0);
    expect(id.format).toBe(CELL_FORMAT);
    expect((id.learner as { plan: { kind: string } }).plan.kind).toBe('twin');
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
  });
});

describe('the cell output codec', () => {
  it('gives back NaN, Infinity, -Infinity and -0, and refuses what is not a cell line', () => {
    const output = {
      result: { learner: 'x', name: 'x', seed: 3, episodes: [1], regret: [-0], gap: [NaN], certifiedGap: null, boundGap: Infinity, outputGap: -Infinity, robustValue: [1.1, 2.000000000000001] },
      policy: { format: 'drmg-policy/1' },
      timing: { learner: 'x', seed: 3, trainMs: 1, deployMs: 2, episodesPerSecond: 3 },
    } as unknown as CompareRunOutput;
    const line = encodeCellOutput('ab'.repeat(32), output);
    expect(line).not.toContain('\n');
    const back = decodeCellOutput(line, 'here');
    expect(back.hash).toBe('ab'.repeat(32));
    const r = back.output.result as unknown as Record<string, unknown>;
    expect(Object.is((r.regret as number[])[0], -0)).toBe(true);
    expect(Number.isNaN((r.gap as number[])[0])).toBe(true);
    expect(r.boundGap).toBe(Infinity);
    expect(r.outputGap).toBe(-Infinity);
    expect(r.robustValue).toEqual([1.1, 2.000000000000001]);
    expect(() => decodeCellOutput('{"format":"other"}', 'cells.jsonl:3')).toThrow('cells.jsonl:3: not a cell record');
    expect(() => decodeCellOutput('{"format":"drmg-cell/1","hash"', 'cells.jsonl:4')).toThrow('cells.jsonl:4: not a cell record');
  });
});
