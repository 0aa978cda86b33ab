/**
 * The learner registry: built-ins listed with their parameter schemas, `--param` values checked by the schema
 * (text from a command line parsed, located errors naming the learner), custom learners registered and refused.
 */
import { DrmgError, createRng, randomGame } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { learnerContext } from './learner-context.ts';
import { createLearner, getLearner, listLearners, registerLearner } from './learner-registry.ts';
import { createRandomLearner } from './random-learner.ts';

describe('learner registry', () => {
  const game = randomGame(2, { S: 2, H: 2, A: [2, 2], divergence: 'tv' });
  const ctx = learnerContext(game, 100);

  it('lists the built-in learners with their parameters', () => {
    const names = listLearners().map((d) => d.name);
    for (const n of ['mornavi-tv', 'mornavi-kl', 'nash-vi', 'independent-q', 'random', 'planner']) expect(names).toContain(n);
    const eq = getLearner('mornavi-tv').params.equilibrium;
    expect(eq?.type === 'enum' && eq.values).toEqual(['nash', 'cce', 'ce']);
    expect(getLearner('planner').needsModel).toBe(true);
  });

  it('parses command-line strings and fills defaults', () => {
    const learner = createLearner('mornavi-tv', ctx, { equilibrium: 'ce', bonusScale: '0.001', K: '500', rhoScale: 0 });
    const cfg = (learner as unknown as { config: Record<string, unknown> }).config;
    expect(cfg.equilibrium).toBe('ce');
    expect(cfg.bonusScale).toBe(0.001);
    expect(cfg.K).toBe(500);
    expect(cfg.rhoScale).toBe(0);
    expect(cfg.delta).toBe(0.1);
  });

  const bad: [string, Record<string, string | number | boolean>, RegExp][] = [
    ['mornavi-tv', { nope: 1 }, /--param nope: learner mornavi-tv: unknown parameter; learner mornavi-tv accepts equilibrium, bonus/],
    ['mornavi-tv', { bonusScale: 'abc' }, /--param bonusScale: learner mornavi-tv: expected a number >= 0, or auto, got "abc"/],
    ['mornavi-tv', { delta: 2 }, /--param delta: learner mornavi-tv: expected a number in \[1e-300, 1\], got 2/],
    ['mornavi-tv', { K: '1.5' }, /--param K: learner mornavi-tv: expected an integer in \[0, 10000000\], got "1.5"/],
    ['mornavi-kl', { equilibrium: 'foo' }, /--param equilibrium: learner mornavi-kl: expected one of "nash", "cce", "ce", got "foo"/],
    ['nash-vi', { equilibrium: 3 }, /--param equilibrium: learner nash-vi: expected one of "nash", "cce", "ce", got 3/],
    ['random', { c: 1 }, /learner random: unknown parameter; learner random accepts no parameters/],
    ['independent-q', { c: -1 }, /--param c: learner independent-q: expected a number >= 0, got -1/],
  ];
  for (const [name, params, message] of bad) {
    it(`rejects ${name} ${JSON.stringify(params)}`, () => {
      const kl = randomGame(2, { S: 2, H: 2, A: [2, 2], divergence: 'kl' });
      const c = name === 'mornavi-kl' ? learnerContext(kl, 100) : ctx;
      let err: unknown;
      try {
        createLearner(name, c, params);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DrmgError);
      expect((err as DrmgError).kind).toBe('input');
      expect((err as DrmgError).message).toMatch(message);
    });
  }

  it('rejects unknown learners, a model-less planner and a TV learner on a KL game', () => {
    expect(() => createLearner('dqn', ctx)).toThrow(/--learner: unknown learner "dqn", expected one of: mornavi-tv, mornavi-kl, nash-vi/);
    expect(() => createLearner('planner', ctx)).toThrow(/needs the model/);
    expect(() => createLearner('planner', learnerContext(game, 10, true))).not.toThrow();
    const kl = randomGame(2, { S: 2, H: 2, A: [2, 2], divergence: 'kl' });
    expect(() => createLearner('mornavi-tv', learnerContext(kl, 10))).toThrow(/use mornavi-kl/);
  });

  it('registers custom learners, refuses duplicates and malformed names', () => {
    registerLearner({
      name: 'always-zero',
      description: 'plays joint action 0',
      params: { flag: { type: 'boolean', default: false, doc: 'unused' } },
      create: (context, params) => {
        expect(params.flag).toBe(true);
        return { ...createRandomLearner(context), name: 'always-zero', act: () => 0 };
      },
    });
    expect(createLearner('always-zero', ctx, { flag: 'true' }).act(0, 0, createRng(1))).toBe(0);
    expect(() => createLearner('always-zero', ctx, { flag: 'yes' })).toThrow(/expected true or false, got "yes"/);
    expect(() => registerLearner(getLearner('always-zero'))).toThrow(/already registered/);
    expect(() => registerLearner({ ...getLearner('random'), name: 'Bad Name' })).toThrow(/lower-case letters/);
    registerLearner({ ...getLearner('always-zero'), description: 'v2' }, { replace: true });
    expect(getLearner('always-zero').description).toBe('v2');
  });
});
