import { DrmgError } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { defineParams, describeParams, formatParamHelp, paramsJsonSchema, parseParamArgs, parseParamText, resolveParams, schemaDefaults, type ParamSchema, type ParamValues } from './param-schema.ts';

const schema = {
  agents: { type: 'integer', default: 2, min: 1, max: 4, doc: 'agents' },
  actions: { type: 'integer', default: 2, min: 1, max: 5, doc: 'actions' },
  rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'radius' },
  secret: { type: 'integer', default: (p) => (p.actions as number) ** (p.agents as number) - 1, min: 0, max: (p) => (p.actions as number) ** (p.agents as number) - 1, rangeDoc: 'J - 1', doc: 'secret' },
  divergence: { type: 'enum', values: ['tv', 'kl'], default: 'tv', doc: 'divergence' },
  failure: { type: 'boolean', default: false, doc: 'failure' },
} as const satisfies ParamSchema;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    expect((e as DrmgError).kind).toBe('input');
    return (e as Error).message;
  }
  throw new Error('expected a DrmgError');
}

describe('resolveParams', () => {
  it('fills defaults, including defaults that depend on earlier parameters', () => {
    expect(resolveParams('g-v0', schema)).toEqual({ agents: 2, actions: 2, rho: 0.2, secret: 3, divergence: 'tv', failure: false });
    expect(resolveParams('g-v0', schema, { agents: 3, actions: 3 }).secret).toBe(26);
    expect(resolveParams('g-v0', schema, { divergence: 'kl', failure: true, rho: 1 })).toMatchObject({ divergence: 'kl', failure: true, rho: 1 });
  });
  it('names the env id, the parameter and the allowed range', () => {
    expect(message(() => resolveParams('g-v0', schema, { agents: 7 }))).toBe('g-v0.agents: expected an integer in [1, 4], got 7');
    expect(message(() => resolveParams('g-v0', schema, { agents: 1.5 }))).toBe('g-v0.agents: expected an integer in [1, 4], got 1.5');
    expect(message(() => resolveParams('g-v0', schema, { rho: -0.1 }))).toBe('g-v0.rho: expected a number in [0, 1], got -0.1');
    expect(message(() => resolveParams('g-v0', schema, { rho: '0.1' }))).toBe('g-v0.rho: expected a number in [0, 1], got "0.1"');
    expect(message(() => resolveParams('g-v0', schema, { secret: 4 }))).toBe('g-v0.secret: expected an integer in [0, 3] (J - 1), got 4');
    expect(message(() => resolveParams('g-v0', schema, { divergence: 'chi2' }))).toBe('g-v0.divergence: expected one of "tv", "kl", got "chi2"');
    expect(message(() => resolveParams('g-v0', schema, { failure: 1 }))).toBe('g-v0.failure: expected true or false, got 1');
    expect(message(() => resolveParams('g-v0', schema, { rhoo: 1 }))).toBe('g-v0.rhoo: unknown parameter; g-v0 accepts agents, actions, rho, secret, divergence, failure');
    // A key with a line break (a mutated file) is quoted: every message stays on one line.
    expect(message(() => resolveParams('g-v0', schema, { 'r\nho': 1 }))).toBe('g-v0."r\\nho": unknown parameter; g-v0 accepts agents, actions, rho, secret, divergence, failure');
  });
});

describe('parseParamArgs', () => {
  it('types command-line NAME=VALUE pairs by the schema', () => {
    expect(parseParamArgs('g-v0', schema, ['agents=3', 'rho=0.25', 'divergence=kl', 'failure=true'])).toEqual({ agents: 3, rho: 0.25, divergence: 'kl', failure: true });
  });
  it('rejects malformed pairs, unknown names and unparsable values', () => {
    expect(message(() => parseParamArgs('g-v0', schema, ['agents']))).toBe('g-v0 --param agents: expected NAME=VALUE');
    expect(message(() => parseParamArgs('g-v0', schema, ['agents=two']))).toBe('g-v0.agents: expected an integer, got "two"');
    expect(message(() => parseParamArgs('g-v0', schema, ['rho=']))).toBe('g-v0.rho: expected a number, got ""');
    expect(message(() => parseParamArgs('g-v0', schema, ['failure=yes']))).toBe('g-v0.failure: expected true or false, got "yes"');
    expect(message(() => parseParamArgs('g-v0', schema, ['x=1']))).toMatch(/^g-v0\.x: unknown parameter/);
  });
});

describe('describeParams', () => {
  it('lists types, defaults and ranges evaluated at the defaults', () => {
    const d = describeParams(schema);
    expect(d.map((p) => p.name)).toEqual(['agents', 'actions', 'rho', 'secret', 'divergence', 'failure']);
    expect(d[3]).toEqual({ name: 'secret', type: 'integer', typeDoc: 'INTEGER', default: 3, min: 0, max: 3, rangeDoc: 'J - 1', doc: 'secret' });
    expect(d[4]).toEqual({ name: 'divergence', type: 'enum', typeDoc: 'tv|kl', default: 'tv', values: ['tv', 'kl'], doc: 'divergence' });
  });
});

describe('the rest of the schema: keywords, text, lists, custom settings, cross-field checks, JSON Schema', () => {
  const settings = defineParams({
    scale: { type: 'number', default: 'auto', keyword: 'auto', min: 0, doc: 'a multiplier, or auto' },
    count: { type: 'integer', default: 3, min: 1, max: 10, doc: 'a count', check: (v: number, p) => (v > (p.limit as number) ? `expected at most limit = ${String(p.limit)}, got ${v}` : undefined) },
    limit: { type: 'integer', default: 5, min: 1, doc: 'an upper bound for count' },
    radii: { type: 'list', items: 'number', default: [0, 0.5], min: 0, max: 1, minItems: 1, increasing: true, doc: 'radii' },
    label: { type: 'string', default: null, pattern: /^[a-z]+$/, patternDoc: 'lower-case letters', doc: 'a label' },
    pair: {
      type: 'custom',
      typeDoc: 'A:B',
      default: '1:2',
      doc: 'two integers',
      jsonSchema: () => ({ type: 'string', pattern: '^\\d+:\\d+$' }),
      resolve: (v: unknown, path: string) => {
        if (typeof v !== 'string' || !/^\d+:\d+$/.test(v)) throw new DrmgError('input', path, `expected A:B, got ${JSON.stringify(v)}`);
        return v.split(':').map(Number) as [number, number];
      },
    },
  });

  it('fills defaults (a keyword, a list, none, a resolved custom default) and types them (ParamValues)', () => {
    const v: ParamValues<typeof settings> = resolveParams('s', settings, {});
    expect(v).toEqual({ scale: 'auto', count: 3, limit: 5, radii: [0, 0.5], label: null, pair: [1, 2] });
    expect(schemaDefaults(settings)).toEqual(v);
    expect(resolveParams('s', settings, { scale: 2, radii: [0.1, 0.2, 0.9], label: 'ab', pair: '3:4' })).toMatchObject({ scale: 2, radii: [0.1, 0.2, 0.9], label: 'ab', pair: [3, 4] });
  });

  it('reads command-line text only when asked, and then only plain decimal', () => {
    expect(message(() => resolveParams('s', settings, { count: '4' }))).toBe('s.count: expected an integer in [1, 10], got "4"');
    expect(resolveParams('s', settings, { count: '4', scale: '0.5' }, { text: true })).toMatchObject({ count: 4, scale: 0.5 });
    expect(message(() => resolveParams('s', settings, { scale: '0x1' }, { text: true }))).toBe('s.scale: expected a number in plain decimal notation, got "0x1"');
    expect(message(() => resolveParams('s', settings, { scale: 'lots' }, { text: true }))).toBe('s.scale: expected a number >= 0, or auto, got "lots"');
    expect(parseParamText('s.radii', settings.radii, '0, 0.25,1')).toEqual([0, 0.25, 1]);
    expect(message(() => parseParamText('s.radii', settings.radii, '0,0x1'))).toBe('s.radii: expected comma-separated numbers in plain decimal, got "0x1" in "0,0x1"');
  });

  it('locates list items, patterns, custom errors and cross-field checks', () => {
    expect(message(() => resolveParams('s', settings, { radii: [0.5, 0.2] }))).toBe('s.radii[1]: expected values in increasing order, got 0.2 after 0.5');
    expect(message(() => resolveParams('s', settings, { radii: [] }))).toBe('s.radii: expected a non-empty list of numbers in [0, 1], in increasing order, got 0 items');
    expect(message(() => resolveParams('s', settings, { radii: [0, 2] }))).toBe('s.radii[1]: expected a number in [0, 1], got 2');
    expect(message(() => resolveParams('s', settings, { label: 'A' }))).toBe('s.label: expected lower-case letters, got "A"');
    expect(message(() => resolveParams('s', settings, { pair: '1-2' }))).toBe('s.pair: expected A:B, got "1-2"');
    expect(message(() => resolveParams('s', settings, { count: 7 }))).toBe('s.count: expected at most limit = 5, got 7');
    expect(resolveParams('s', settings, { count: 7, limit: 8 }).count).toBe(7);
  });

  it('writes the JSON Schema of each setting: types, static bounds, the keyword, defaults and docs', () => {
    const js = paramsJsonSchema(settings) as { properties: Record<string, Record<string, unknown>>; additionalProperties: boolean };
    expect(js.additionalProperties).toBe(false);
    expect(js.properties.scale).toEqual({ description: 'a multiplier, or auto', default: 'auto', anyOf: [{ type: 'number', minimum: 0 }, { const: 'auto' }] });
    expect(js.properties.count).toEqual({ type: 'integer', minimum: 1, maximum: 10, description: 'a count', default: 3 });
    expect(js.properties.radii).toMatchObject({ type: 'array', items: { type: 'number', minimum: 0, maximum: 1 }, minItems: 1, default: [0, 0.5] });
    expect(js.properties.label).toEqual({ type: ['string', 'null'], description: 'a label', pattern: '^[a-z]+$' });
    expect(js.properties.pair).toEqual({ type: 'string', pattern: '^\\d+:\\d+$', description: 'two integers', default: '1:2' });
    // A dependent bound is not JSON Schema's to state: it goes into the description.
    expect((paramsJsonSchema(schema) as typeof js).properties.secret).toEqual({ type: 'integer', minimum: 0, description: 'secret (range J - 1)', default: 3 });
  });

  it('help lines: NAME=TYPE (default; range) and the doc, wrapped', () => {
    const text = formatParamHelp(describeParams(settings), { prefix: '--param ', indent: 2, width: 60 });
    expect(text.split('\n').slice(0, 4)).toEqual(['  --param scale=NUMBER|auto  (default auto; >= 0)', '      a multiplier, or auto', '  --param count=INTEGER  (default 3; in [1, 10])', '      a count']);
    expect(text).toContain('  --param radii=[NUMBER, ...]  (default 0,0.5; in [0, 1])');
    expect(text).toContain('  --param pair=A:B  (default 1:2)');
  });
});
