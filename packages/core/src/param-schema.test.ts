import { DrmgError } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { describeParams, parseParamArgs, resolveParams, type ParamSchema } from './param-schema.ts';

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
