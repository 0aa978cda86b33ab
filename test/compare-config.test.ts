/**
 * The compare config: defaults, overrides, files (JSON and YAML), and located validation errors,
 * both from the library (DrmgError with `source: field`) and from `drmg compare` (exit code 2, the
 * message on stderr, nothing on stdout).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DrmgError } from '@drmg/core';
import { resolveParams } from '@drmg/core';
import { envSpec, make } from '@drmg/envs';
import { getLearner, resolveLearnerParams } from '@drmg/learners';
import {
  compareEvalEvery,
  defaultCompareInput,
  overrideCompareInput,
  planLearner,
  readCompareConfigFile,
  resolveCompareConfig,
} from '@drmg/compare';
import { runCompareCli, tempDir } from './compare-helpers.ts';

const dir = tempDir('drmg-compare-config-');

function errorOf(f: () => unknown): DrmgError {
  try {
    f();
  } catch (e) {
    if (e instanceof DrmgError) return e;
    throw e;
  }
  throw new Error('expected a DrmgError');
}

describe('resolveCompareConfig', () => {
  it('fills every default explicitly (the default scenario: bridge-crossing, 5 learners, 5 seeds)', () => {
    const c = resolveCompareConfig({});
    expect(c.env).toBe('bridge-crossing-v0');
    expect(c.envParams).toEqual({ horizon: 6, slip: 0.1, crowding: 0.25, rho: 0.2, divergence: 'tv' });
    expect(c.learners.map((l) => l.label)).toEqual(['mornavi-tv', 'mornavi-kl', 'nash-vi', 'independent-q', 'planner']);
    // every learner with its own registry defaults (no constants tuned on bridge-crossing), filled in explicitly
    for (const l of c.learners) expect(l.params, l.name).toEqual(resolveLearnerParams(getLearner(l.name), {}));
    expect(c.learners[0].params.equilibrium).toBe('cce');
    expect(c.seeds).toEqual([0, 1, 2, 3, 4]);
    expect(c.episodes).toBe(defaultCompareInput.episodes);
    expect(c.radii[0]).toBe(0);
    expect(compareEvalEvery(c)).toBe(Math.ceil(c.episodes / c.evalPoints));
    // resolving a resolved config is the identity (config.json reruns the same experiment)
    expect(resolveCompareConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('takes seeds as a count from `seed` or as a list, and learners as names or objects with labels', () => {
    const c = resolveCompareConfig({ seeds: 3, seed: 10, learners: ['random', { name: 'random', label: 'random 2' }] });
    expect(c.seeds).toEqual([10, 11, 12]);
    expect(c.learners.map((l) => [l.name, l.label])).toEqual([
      ['random', 'random'],
      ['random', 'random 2'],
    ]);
    expect(resolveCompareConfig({ seeds: [7, 3] }).seeds).toEqual([7, 3]);
  });

  it.each([
    [{ bogus: 1 }, 'config: bogus', 'unknown setting'],
    // null is 'none' only where the default is none (envCmd, out); env has a default, so null is refused (fuzz case).
    [{ env: null }, 'config: env', 'expected a registered environment id or a game file, got null'],
    [{ env: 'no-such-env-v0' }, 'config: env', 'unknown environment id'],
    [{ env: 'bridge-crossing-v7' }, 'config: env', 'unknown version'],
    [{ envParams: { rho: 2 } }, 'config: envParams', 'bridge-crossing-v0.rho: expected a number in [0, 1], got 2'],
    [{ envParams: { wind: 1 } }, 'config: envParams', 'unknown parameter'],
    [{ learners: [] }, 'config: learners', 'non-empty list'],
    [{ learners: ['mornavi-tv', 'nope'] }, 'config: learners[1].name', 'unknown learner "nope"'],
    [{ learners: [{ name: 'nash-vi', params: { bonusScale: 'lots' } }] }, 'config: learners[0].params', 'expected a number'],
    [{ learners: [{ name: 'nash-vi', params: { temperature: 1 } }] }, 'config: learners[0].params', 'unknown parameter; learner nash-vi accepts'],
    [{ learners: ['random', 'random'] }, 'config: learners[1].label', 'duplicate label'],
    [{ learners: [{ name: 'random', colour: 'red' }] }, 'config: learners[0].colour', 'unknown setting'],
    [{ seeds: 0 }, 'config: seeds', 'expected an integer in [1, 1000]'],
    [{ seeds: [1, 1] }, 'config: seeds', 'distinct'],
    [{ seeds: [1, 2], seed: 3 }, 'config: seed', 'applies only when seeds is a count'],
    [{ episodes: 2.5 }, 'config: episodes', 'expected an integer'],
    [{ gapKind: 'nash' }, 'config: gapKind', 'expected one of "gap", "ceGap"'],
    [{ radii: [0, 0.2, 0.1] }, 'config: radii[2]', 'increasing order'],
    [{ radii: [0, 1.5] }, 'config: radii[1]', 'expected a number in [0, 1]'],
    [{ randomKernels: 1 }, 'config: randomKernels', 'at least 2'],
    [{ rolloutEpisodes: 1 }, 'config: rolloutEpisodes', 'expected an integer in [2,'],
    [{ workers: -1 }, 'config: workers', 'expected an integer in [0, 256]'],
  ])('rejects %j at %s', (input, path, detail) => {
    const e = errorOf(() => resolveCompareConfig(input));
    expect(e.kind).toBe('input');
    expect(e.path).toBe(path);
    expect(e.message).toContain(detail);
  });

  it('names the file in the error path of a config read from a file', () => {
    const file = join(dir, 'bad-learner.json');
    writeFileSync(file, JSON.stringify({ learners: ['mornavi-tv', { name: 'nash-vi', params: { bonusScale: -1 } }] }));
    const { input, source, baseDir } = readCompareConfigFile(file);
    const e = errorOf(() => resolveCompareConfig(input, { source, baseDir }));
    expect(e.path).toBe(`${file}: learners[1].params`);
    expect(e.message).toContain('bonusScale');
  });
});

describe('readCompareConfigFile', () => {
  it('reads YAML and JSON to the same config', () => {
    const yamlFile = join(dir, 'c.yaml');
    writeFileSync(yamlFile, 'env: initial-shock-v0\nseeds: [1, 2]\nepisodes: 50\nlearners:\n  - random\n  - { name: nash-vi, label: nv, params: { bonusScale: 0.01 } }\n');
    const jsonFile = join(dir, 'c.json');
    writeFileSync(jsonFile, JSON.stringify({ env: 'initial-shock-v0', seeds: [1, 2], episodes: 50, learners: ['random', { name: 'nash-vi', label: 'nv', params: { bonusScale: 0.01 } }] }));
    const a = resolveCompareConfig(readCompareConfigFile(yamlFile).input);
    const b = resolveCompareConfig(readCompareConfigFile(jsonFile).input);
    expect(a).toEqual(b);
    expect(a.learners[1]).toMatchObject({ name: 'nash-vi', label: 'nv' });
  });

  it('locates syntax errors by line and column, and rejects other extensions and missing files', () => {
    const yamlFile = join(dir, 'broken.yaml');
    writeFileSync(yamlFile, 'env: bridge-crossing-v0\nlearners: [a, b\nseeds: 2\n');
    const y = errorOf(() => readCompareConfigFile(yamlFile));
    expect(y.path).toBe(`${yamlFile}:3:1`);
    expect(y.message).toContain('invalid YAML: Flow sequence');
    const jsonFile = join(dir, 'broken.json');
    writeFileSync(jsonFile, '{\n  "episodes": 10,\n  "seeds": [1 2]\n}');
    const j = errorOf(() => readCompareConfigFile(jsonFile));
    expect(j.path).toBe(`${jsonFile}:3:15`);
    expect(j.message).toContain('invalid JSON');
    expect(errorOf(() => readCompareConfigFile(join(dir, 'c.toml'))).message).toContain('expected a .json, .yaml or .yml');
    expect(errorOf(() => readCompareConfigFile(join(dir, 'missing.json'))).message).toContain('no such file');
  });
});

describe('overrideCompareInput', () => {
  it('keeps the parameters of config entries named on the command line, gives other learners their defaults, and applies --param', () => {
    const base = { learners: [{ name: 'nash-vi', label: 'nv', params: { bonusScale: 0.01 } }, 'planner'] };
    const input = overrideCompareInput(base, { learners: ['nv', 'random', 'mornavi-tv'], learnerParams: { random: {}, nv: { equilibrium: 'ce' } }, episodes: 10 });
    const c = resolveCompareConfig(input);
    expect(c.learners.map((l) => l.label)).toEqual(['nv', 'random', 'mornavi-tv']);
    expect(c.learners[0].params).toMatchObject({ bonusScale: 0.01, equilibrium: 'ce' });
    expect(c.learners[2].params).toEqual(resolveLearnerParams(getLearner('mornavi-tv'), {}));
    expect(c.episodes).toBe(10);
    // without a config file, learners named on the command line take their registry defaults
    const plain = resolveCompareConfig(overrideCompareInput({}, { learners: ['nash-vi'], learnerParams: { 'nash-vi': { equilibrium: 'ce' } } }));
    expect(plain.learners[0].params).toEqual(resolveLearnerParams(getLearner('nash-vi'), { equilibrium: 'ce' }));
  });

  it('--env of another environment carries no bridge-crossing constant: learner defaults, that environment\'s parameters', async () => {
    const bridge = resolveCompareConfig({});
    const bridgeConstants = { bonusScale: [0.000001, 0.00001, 0.000003], c: [0.0003] };
    for (const env of ['intersection-v0', 'initial-shock-v0', 'random-v0']) {
      // as drmg compare --env ID builds it, with and without a bridge-crossing config file underneath
      for (const base of [{}, { env: 'bridge-crossing-v0', envParams: { slip: 0.2, rho: 0.3 } }]) {
        const c = resolveCompareConfig(overrideCompareInput(base, { env }));
        expect(c.env).toBe(env);
        expect(c.envParams).toEqual(resolveParams(env, envSpec(env).params, {}));
        expect(c.learners.map((l) => l.name)).toEqual(bridge.learners.map((l) => l.name));
        for (const l of c.learners) {
          expect(l.params, `${env}: ${l.name}`).toEqual(resolveLearnerParams(getLearner(l.name), {}));
          for (const [k, values] of Object.entries(bridgeConstants)) expect(values, `${env}: ${l.name}.${k}`).not.toContain(l.params[k]);
        }
      }
    }
    // and the command line resolves the same config (config.json of a tiny run)
    const out = join(dir, 'other-env');
    const r = await runCompareCli('--env', 'intersection-v0', '--seeds', '1', '--episodes', '3', '--eval-points', '1', '--radii', '0', '--random-kernels', '0', '--workers', '1', '--out', out, '--no-report', '--json');
    expect(r.code, r.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    expect(written.envParams).toEqual(resolveParams('intersection-v0', envSpec('intersection-v0').params, {}));
    for (const l of written.learners) expect(l.params, l.name).toEqual(resolveLearnerParams(getLearner(l.name), {}));
  });

  it('drops the environment parameters of another environment, and rejects parameters of an absent learner', () => {
    const input = overrideCompareInput({ env: 'bridge-crossing-v0', envParams: { slip: 0.2 } }, { env: 'intersection-v0' });
    expect(resolveCompareConfig(input).envParams.slip).toBe(0.05);
    const e = errorOf(() => overrideCompareInput({}, { learners: ['random'], learnerParams: { planner: { equilibrium: 'ce' } } }));
    expect(e.message).toContain('no learner labelled or named "planner"');
  });
});

describe('the config files of docs/compare', () => {
  it('resolve, and give MORNAVI bonus=scaled wherever they set its bonusScale (else the constant would be ignored)', () => {
    const docs = join(import.meta.dirname, '..', 'docs', 'compare');
    for (const f of ['earlier-defaults.yaml', 'sweep-robust.yaml', 'sweep-nominal.yaml']) {
      const { input, source, baseDir } = readCompareConfigFile(join(docs, f));
      const c = resolveCompareConfig(input, { source, baseDir });
      expect(c.env).toBe('bridge-crossing-v0');
      const given = (input.learners ?? []).map((e) => (typeof e === 'string' ? { name: e, params: {} } : { params: {}, ...e }));
      given.forEach((e, n) => {
        if (e.name.startsWith('mornavi-') && 'bonusScale' in e.params) expect(c.learners[n].params.bonus, `${f}: ${e.name}`).toBe('scaled');
      });
    }
  });
});

describe('planLearner', () => {
  it('trains MORNAVI-KL with the KL twin on a TV environment, and skips it where there is no twin', () => {
    const c = resolveCompareConfig({});
    const game = make(c.env, c.envParams).model;
    expect(planLearner(c, game, 'mornavi-tv')).toEqual({ kind: 'scenario' });
    expect(planLearner(c, game, 'nash-vi')).toEqual({ kind: 'scenario' });
    const kl = planLearner(c, game, 'mornavi-kl');
    expect(kl).toMatchObject({ kind: 'twin', divergence: 'kl', envParams: { divergence: 'kl', rho: 0.2 } });
    // initial-shock-v0 has no divergence parameter: no twin
    const shock = resolveCompareConfig({ env: 'initial-shock-v0' });
    const skip = planLearner(shock, make('initial-shock-v0').model, 'mornavi-kl');
    expect(skip.kind).toBe('skip');
    expect((skip as { reason: string }).reason).toContain('no divergence=kl parameter');
  });
});

describe('drmg compare: bad input exits with code 2 and a located message', () => {
  it.each([
    [['--episodes', '0'], 'drmg compare --episodes: expected an integer in [1, 10000000], got 0'],
    [['--radii', '0,x'], 'drmg compare --radii: expected comma-separated numbers'],
    [['--radii', '0.3,0.1'], 'drmg compare --radii[1]: expected values in increasing order, got 0.1 after 0.3'],
    [['--learners', 'mornavi-tv,bogus'], 'config: learners[1].name'],
    [['--env-param', 'rho=3'], 'bridge-crossing-v0.rho: expected a number in [0, 1], got 3'],
    [['--env-param', 'gravity=3'], 'bridge-crossing-v0.gravity: unknown parameter'],
    [['--param', 'nash-vi.bonusScale=oops'], '--param nash-vi.bonusScale: expected a number or auto, got "oops"'],
    [['--param', 'nash-vi'], 'expected LEARNER.NAME=VALUE'],
    [['--seeds', '0'], 'drmg compare --seeds: expected an integer in [1, 1000], got 0'],
    [['--frobnicate'], "Unknown option '--frobnicate'"],
    [['extra'], 'takes no arguments'],
    [['--module', 'no-such-module.ts'], 'drmg compare --module no-such-module.ts: cannot import it'],
  ])('%j', async (argv, message) => {
    const r = await runCompareCli(...argv, '--out', join(dir, 'never'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('names the config file and the field for errors inside a --config file', async () => {
    const file = join(dir, 'typo.yaml');
    writeFileSync(file, 'episodes: 100\nlearnrs: [random]\n');
    const r = await runCompareCli('--config', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: learnrs: unknown setting`);
  });

  it('prints its help with every option and the default scenario', async () => {
    const r = await runCompareCli('--help');
    expect(r.code).toBe(0);
    for (const flag of ['--config', '--env', '--env-param', '--learners', '--param', '--seeds', '--episodes', '--radii', '--out', '--workers', '--json', '--module']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toContain('bridge-crossing-v0');
  });

  it('resolves module paths of a config file relative to the file', () => {
    const sub = join(dir, 'sub');
    const { input, baseDir } = readCompareConfigFile((() => {
      const f = join(dir, 'mods.json');
      writeFileSync(f, JSON.stringify({ modules: ['sub/plugin.ts'] }));
      return f;
    })());
    expect(resolveCompareConfig(input, { baseDir }).modules).toEqual([pathToFileURL(join(sub, 'plugin.ts')).href]);
  });
});
