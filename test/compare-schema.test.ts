/**
 * The JSON Schema of a compare config (`drmg compare --print-schema`, docs/compare.schema.json) against drmg's own
 * checks: the committed file is the generated one, every config under docs/ validates and resolves, and the
 * mistakes a user makes (an unknown key, a negative episode count, a learner parameter of the wrong type, an
 * environment parameter out of range) are refused by both the schema (ajv, draft 2020-12) and resolveCompareConfig.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compareConfigJsonSchema, readCompareConfigFile, resolveCompareConfig } from '@drmg/compare';
import { describeParams } from '@drmg/core';
import { envSpec, listEnvs } from '@drmg/envs';
import { listLearners } from '@drmg/learners';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const schemaFile = join(root, 'docs/compare.schema.json');

/** Every .yaml / .yml config under docs/, and every config.json there. */
function docConfigs(dir = join(root, 'docs')): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...(name === 'api' ? [] : docConfigs(path)));
    else if (/\.ya?ml$/.test(name) || name === 'config.json') out.push(path);
  }
  return out;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));

describe('docs/compare.schema.json', () => {
  it('is what drmg compare --print-schema generates (regenerate: pnpm --silent drmg compare --print-schema > docs/compare.schema.json)', () => {
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(compareConfigJsonSchema());
  });

  const files = docConfigs();
  it('finds the configs under docs/ (the three of docs/compare at least)', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files.map((f) => [f.slice(root.length + 1), f]))('%s validates, and drmg resolves it', (_, file) => {
    const { input, source, baseDir } = readCompareConfigFile(file);
    const ok = validate(input);
    expect(ok ? [] : validate.errors).toEqual([]);
    expect(() => resolveCompareConfig(input, { source, baseDir })).not.toThrow();
    // YAML examples name the schema, so editors complete and check them.
    if (/\.ya?ml$/.test(file)) expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+compare\.schema\.json$/);
    expect(dirname(file)).toBeTruthy();
  });

  const rejects: [string, Record<string, unknown>, string][] = [
    ['an unknown key', { episodez: 100 }, 'config: episodez: unknown setting'],
    ['a negative episode count', { episodes: -5 }, 'config: episodes: expected an integer in [1, 10000000], got -5'],
    ['a learner parameter of the wrong type', { learners: [{ name: 'mornavi-tv', params: { delta: 'small' } }] }, 'learners[0].params: --param delta: learner mornavi-tv: expected a number in [1e-300, 1], got "small"'],
    ['an environment parameter out of range', { env: 'bridge-crossing-v0', envParams: { slip: 1.5 } }, 'config: envParams: bridge-crossing-v0.slip: expected a number in [0, 1]'],
    ['an environment parameter out of range (default env)', { envParams: { slip: -0.1 } }, 'bridge-crossing-v0.slip: expected a number in [0, 1]'],
    ['a learner name that is not registered', { learners: ['mornavi-xx'] }, 'config: learners[0].name: --learner: unknown learner "mornavi-xx"'],
    ['an enum value that is not allowed', { learners: [{ name: 'nash-vi', params: { equilibrium: 'pareto' } }] }, 'expected one of "nash", "cce", "ce", got "pareto"'],
    ['a parameter of another learner', { learners: [{ name: 'planner', params: { delta: 0.1 } }] }, 'learner planner: unknown parameter'],
    ['radii out of [0, 1]', { radii: [0, 2] }, 'config: radii[1]: expected a number in [0, 1], got 2'],
    ['a seed list with a repeat', { seeds: [1, 1] }, 'config: seeds: expected distinct seeds'],
  ];
  it.each(rejects)('the schema and drmg both refuse %s', (_, config, message) => {
    expect(validate(config)).toBe(false);
    expect(() => resolveCompareConfig(config)).toThrow(message);
  });

  it('accepts what drmg accepts: a learner by name, an entry with params, a keyword value, seeds as a list', () => {
    const config = { env: 'bridge-crossing-v0', envParams: { slip: 0.2 }, learners: ['planner', { name: 'nash-vi', label: 'nash C=2', params: { bonusScale: 'auto', c: 2 } }], seeds: [3, 7], episodes: 10 };
    expect(validate(config) ? [] : validate.errors).toEqual([]);
    expect(resolveCompareConfig(config).learners[1].params).toMatchObject({ bonusScale: 'auto', c: 2 });
  });

  /** Values a user might write for a setting: in and out of its range, of its type and of others. */
  const anyValue = fc.oneof(
    fc.integer({ min: -5, max: 20 }),
    fc.double({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, 1, 1e-300, 0.5, 2, 1e9, 2147483647, 2147483648, -1),
    fc.boolean(),
    fc.constantFrom('auto', 'cce', 'ce', 'nash', 'valid', 'paper', 'scaled', 'tv', 'kl', 'learned', 'known', 'average', 'last', '', '0.5', 'x'),
  );
  const accepted = (config: Record<string, unknown>): boolean => {
    try {
      resolveCompareConfig(config);
      return true;
    } catch {
      return false;
    }
  };

  it('agrees with drmg on every learner parameter: the schema accepts a value exactly when drmg does (fast-check)', () => {
    const params = listLearners().flatMap((d) => describeParams(d.params).map((p) => [d.name, p.name] as const));
    fc.assert(
      fc.property(fc.constantFrom(...params), anyValue, ([name, param], value) => {
        const config = { learners: [{ name, params: { [param]: value } }] };
        expect(validate(config)).toBe(accepted(config));
      }),
      { numRuns: 3000, seed: 16 },
    );
  });

  it('agrees with drmg on environment parameters, except the ranges that depend on other parameters (which only drmg can check)', () => {
    const params = listEnvs().flatMap((e) => describeParams(envSpec(e.id).params).map((p) => [e.id, p.name, p.rangeDoc !== undefined] as const));
    fc.assert(
      fc.property(fc.constantFrom(...params), anyValue, ([env, param, dependent], value) => {
        const config = { env, envParams: { [param]: value } };
        const ours = accepted(config);
        const schema = validate(config);
        // What drmg accepts, the schema accepts; the converse holds where the range is static and no cross-field check applies.
        if (ours) expect(schema).toBe(true);
        else if (!dependent && envSpec(env).check === undefined) expect(schema).toBe(false);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });
});
