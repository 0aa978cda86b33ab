/**
 * `drmg train`, in process with an in-memory io: the drmg-run/1 document checked from outside
 * (the printed policy re-evaluated by a fresh evaluator gives the printed gap; the regret is the
 * running sum of gaps recomputed from the JSON-lines file), determinism, help, and located errors.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DrmgError, parsePolicy, readGameFile } from '@drmg/core';
import { make } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { listLearners } from '@drmg/learners';
import { commands, memoryIo, runCli } from '@drmg/cli';
import { trainCommand } from '../packages/cli/src/train-command.ts';
import { dataFile } from './experiments-helpers.ts';

const tmp = mkdtempSync(join(tmpdir(), 'drmg-train-'));

/** Runs `drmg train ...argv` through runCli when train is registered there, else the command itself with runCli's error mapping. */
async function train(...argv: string[]) {
  const io = memoryIo();
  let code: number;
  if (commands.some((c) => c.name === 'train')) {
    code = await runCli(['train', ...argv], io);
  } else {
    try {
      code = await trainCommand.run(argv, io);
    } catch (e) {
      if (!(e instanceof DrmgError && e.kind === 'input')) throw e;
      io.err(`drmg train: ${e.message}\n`);
      code = 2;
    }
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const shockFile = dataFile('initial-shock.game.json');
const tvFile = dataFile('random-tv.game.json');

describe('drmg train --json', () => {
  it('prints exactly a drmg-run/1 document that is consistent when checked from outside', async () => {
    const out = join(tmp, 'run.jsonl');
    const r = await train(tvFile, '--learner', 'random', '--episodes', '50', '--seed', '3', '--eval-every', '7', '--out', out, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual(['certifiedGap', 'episodes', 'format', 'gap', 'policy', 'regret']);
    expect(doc.format).toBe('drmg-run/1');
    expect(doc.episodes).toEqual([7, 14, 21, 28, 35, 42, 49, 50]);
    expect(doc.certifiedGap).toBeNull(); // the random learner certifies nothing
    // the printed policy, parsed and evaluated by a fresh evaluator, has the printed gap
    const game = readGameFile(tvFile);
    const policy = parsePolicy(doc.policy, game);
    expect(Math.abs(initialGap(game, createEvaluator(game).evaluate(policy), 'gap') - doc.gap)).toBeLessThanOrEqual(1e-12);
    // the regret is the every-7 rule over the gaps in the --out file, each recomputed from its policy... the file has no
    // policy tables without --policies, but it has each evaluated gap: regret[q] = sum 7*gap (and 1*gap for episode 50)
    const events = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const evaluated = events.filter((e) => e.type === 'policy' && e.gap !== undefined);
    expect(evaluated.map((e) => e.k + 1)).toEqual(doc.episodes);
    let sum = 0;
    let prev = 0;
    evaluated.forEach((e, q) => {
      sum += e.gap * (e.k + 1 - prev);
      prev = e.k + 1;
      expect(doc.regret[q]).toBeCloseTo(sum, 12);
    });
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect(events.some((e) => e.type === 'policy' && e.policy !== undefined)).toBe(false);
  });

  it('with --eval-every 1 the regret is the running sum of the exact gaps of every episode policy (from --policies)', async () => {
    const out = join(tmp, 'every.jsonl');
    const r = await train(shockFile, '--learner', 'random', '--episodes', '12', '--seed', '1', '--eval-every', '1', '--out', out, '--policies', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.episodes).toEqual([...Array(12).keys()].map((k) => k + 1));
    const game = readGameFile(shockFile);
    const ev = createEvaluator(game);
    const policies = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'policy');
    expect(policies).toHaveLength(12);
    let sum = 0;
    policies.forEach((e, k) => {
      // rebuild the episode policy from its table (typed arrays written as arrays) and evaluate it afresh
      const table = e.policy;
      const prob = table.kind === 'joint' ? Float64Array.from(table.prob) : null;
      const pol = prob ? { kind: 'joint' as const, H: table.H, S: table.S, J: table.J, prob } : { kind: 'product' as const, H: table.H, S: table.S, A: table.A, marginals: table.marginals.map((x: number[]) => Float64Array.from(x)) };
      sum += initialGap(game, ev.evaluate(pol), 'gap');
      expect(doc.regret[k]).toBeCloseTo(sum, 12);
    });
  });

  it('gives the same output and events for the same seed, byte for byte, and other events for another seed', async () => {
    const go = async (seed: string, name: string) => {
      const out = join(tmp, name);
      const r = await train(tvFile, '--learner', 'random', '--episodes', '40', '--eval-every', '1', '--seed', seed, '--out', out, '--steps', '--json');
      return { stdout: r.stdout, events: readFileSync(out, 'utf8') };
    };
    const a = await go('5', 'a.jsonl');
    const b = await go('5', 'b.jsonl');
    const c = await go('6', 'c.jsonl');
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(b.stdout).toBe(a.stdout);
    expect(b.events).toBe(a.events);
    expect(a.events.split('\n').filter((l) => l.includes('"type":"step"'))).toHaveLength(40 * 3);
    expect(c.events).not.toBe(a.events);
  });

  it('takes a registered environment id with --env-param', async () => {
    const r = await train('initial-shock-v0', '--env-param', 'horizon=4', '--learner', 'random', '--episodes', '10', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.policy.policy).toHaveLength(4); // H = 4 steps
    const game = make('initial-shock-v0', { horizon: 4 }).model;
    expect(Math.abs(initialGap(game, createEvaluator(game).evaluate(parsePolicy(doc.policy, game)), 'gap') - doc.gap)).toBeLessThanOrEqual(1e-12);
  });

  it('defaults --eval-every to ceil(K / 100) and always evaluates episode K', async () => {
    const r = await train(shockFile, '--learner', 'random', '--episodes', '250', '--json');
    const doc = JSON.parse(r.stdout);
    expect(doc.episodes.slice(0, 3)).toEqual([3, 6, 9]);
    expect(doc.episodes.at(-1)).toBe(250);
    expect(doc.episodes).toHaveLength(84); // 83 multiples of 3 up to 249, and 250
  });
});

describe('drmg train with the registry learners', () => {
  it('planner (given the model): the output policy and every episode policy are equilibria, so gap and regret are ~0', async () => {
    for (const eq of ['cce', 'ce'] as const) {
      const r = await train(tvFile, '--learner', 'planner', '--param', `equilibrium=${eq}`, '--episodes', '5', '--eval-every', '1', '--json');
      expect(r.stderr).toBe('');
      const doc = JSON.parse(r.stdout);
      // with equilibrium=ce the default gap kind is the CE gap
      const game = readGameFile(tvFile);
      const fresh = initialGap(game, createEvaluator(game).evaluate(parsePolicy(doc.policy, game)), eq === 'ce' ? 'ceGap' : 'gap');
      expect(Math.abs(fresh - doc.gap)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(doc.gap)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(doc.regret.at(-1))).toBeLessThanOrEqual(5e-9);
    }
  });

  it('mornavi-tv: byte-equal output for the same seed, a certified bound that is the smallest one reported, a consistent gap', async () => {
    const out = join(tmp, 'mornavi.jsonl');
    const args = [tvFile, '--learner', 'mornavi-tv', '--param', 'equilibrium=cce', '--episodes', '150', '--seed', '4', '--eval-every', '10', '--json'];
    const a = await train(...args, '--out', out);
    const b = await train(...args);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const doc = JSON.parse(a.stdout);
    const reported = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'episode-end').map((e) => e.certifiedGap);
    expect(reported).toHaveLength(150);
    expect(typeof doc.certifiedGap).toBe('number');
    expect(doc.certifiedGap).toBe(Math.min(...reported));
    const game = readGameFile(tvFile);
    expect(Math.abs(initialGap(game, createEvaluator(game).evaluate(parsePolicy(doc.policy, game)), 'gap') - doc.gap)).toBeLessThanOrEqual(1e-12);
  });

  it('hands the model to mornavi-tv with --param rewards=known', async () => {
    const r = await train(tvFile, '--learner', 'mornavi-tv', '--param', 'rewards=known', '--episodes', '20', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('rejects bad learner parameters and a learner that does not fit the game, with the parameter named', async () => {
    const bad: [string[], RegExp][] = [
      [['--learner', 'mornavi-tv', '--param', 'bonusScale=abc'], /--param bonusScale: learner mornavi-tv: expected a number >= 0, or auto, got "abc"/],
      [['--learner', 'mornavi-tv', '--param', 'bonusScale=-1'], /--param bonusScale: .*expected a number >= 0, or auto, got "-1"/],
      [['--learner', 'mornavi-tv', '--param', 'equilibrium=foo'], /--param equilibrium: learner mornavi-tv: expected one of "nash", "cce", "ce", got "foo"/],
      [['--learner', 'mornavi-kl'], /mornavi-kl.*TV/],
    ];
    for (const [argv, message] of bad) {
      const r = await train(tvFile, ...argv, '--episodes', '5');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('drmg train, readable output and help', () => {
  it('prints a summary table on stdout and progress on stderr', async () => {
    const r = await train(shockFile, '--learner', 'random', '--episodes', '30', '--seed', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/episode\s+regret\s+regret\/episode\s+gap/);
    expect(r.stdout).toMatch(/learner\s+episodes\s+regret\s+output gap\s+certified gap\s+seconds\s+episodes\/s/);
    expect(r.stdout).not.toContain('bound (not certified)'); // the random learner gives no bound of either kind
    expect(r.stdout).toMatch(/\nrandom\s+30\s/);
    expect(r.stderr).toMatch(/random 30\/30 episodes \(100%\)/);
  });

  it('--help lists every registered learner with its parameters, and explains GAME_OR_ID and the JSON', async () => {
    const r = await train('--help');
    expect(r.code).toBe(0);
    for (const def of listLearners()) {
      expect(r.stdout).toContain(`  ${def.name}`);
      for (const name of Object.keys(def.params)) expect(r.stdout).toContain(`--param ${name}=`);
    }
    expect(r.stdout).toMatch(/--env-param/);
    expect(r.stdout).toMatch(/initial-shock-v0/);
    expect(r.stdout).toMatch(/"format": "drmg-run\/1"/);
    expect(r.stdout).toMatch(/null for\s+learners that certify nothing/);
    expect(r.stdout).toMatch(/default ceil\(K \/ 100\)/);
  });
});

describe('drmg train, bad input exits 2 with a located message', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown learner', [shockFile, '--learner', 'nope', '--episodes', '5'], /nope/],
    ['missing learner', [shockFile, '--episodes', '5'], /--learner: missing/],
    ['unknown learner parameter', [shockFile, '--learner', 'random', '--param', 'zzz=1', '--episodes', '5'], /--param zzz: learner random: unknown parameter; learner random accepts no parameters/],
    ['malformed parameter', [shockFile, '--learner', 'random', '--param', 'zzz', '--episodes', '5'], /--param zzz: expected NAME=VALUE/],
    ['K = 0', [shockFile, '--learner', 'random', '--episodes', '0'], /--episodes: expected an integer in \[1, 10000000\], got 0/],
    ['K not a number', [shockFile, '--learner', 'random', '--episodes', 'many'], /--episodes: expected an integer, got "many"/],
    ['missing K', [shockFile, '--learner', 'random'], /--episodes: missing/],
    ['bad eval interval', [shockFile, '--learner', 'random', '--episodes', '5', '--eval-every', '0'], /--eval-every: expected an integer in \[1, 10000000\], got 0/],
    ['bad gap kind', [shockFile, '--learner', 'random', '--episodes', '5', '--gap-kind', 'nash'], /--gap-kind: expected one of "gap", "ceGap", got "nash"/],
    ['unknown env id', ['no-such-env-v0', '--learner', 'random', '--episodes', '5'], /unknown environment id; registered: .*initial-shock-v0/],
    ['bad env parameter', ['initial-shock-v0', '--env-param', 'horizon=-1', '--learner', 'random', '--episodes', '5'], /initial-shock-v0\.horizon: expected an integer/],
    ['env parameter on a file', [shockFile, '--env-param', 'horizon=2', '--learner', 'random', '--episodes', '5'], /--env-param: environment parameters apply to registered environment ids only/],
    ['missing file', [join(tmp, 'missing.game.json'), '--learner', 'random', '--episodes', '5'], /missing\.game\.json: neither a registered environment id/],
    ['no argument', ['--learner', 'random', '--episodes', '5'], /expected 1 argument GAME_OR_ID, got 0/],
    ['unknown option', [shockFile, '--learner', 'random', '--episodes', '5', '--frobnicate'], /frobnicate/],
    ['--steps without --out', [shockFile, '--learner', 'random', '--episodes', '5', '--steps'], /--steps: applies to the --out file only/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await train(...argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    });
  }

  it('a game file that does not parse or does not validate', async () => {
    const broken = join(tmp, 'broken.game.json');
    writeFileSync(broken, '{"format": ');
    const r = await train(broken, '--learner', 'random', '--episodes', '5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.game\.json/);
    const game = JSON.parse(readFileSync(shockFile, 'utf8'));
    game.transition[1][0][1] = [0.5, 0.43];
    const badRow = join(tmp, 'bad-row.game.json');
    writeFileSync(badRow, JSON.stringify(game));
    const r2 = await train(badRow, '--learner', 'random', '--episodes', '5');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/transition\[1\]\[0\]\[1\]: row sums to 0\.93/);
  });

  it('an --out file that cannot be written', async () => {
    const r = await train(shockFile, '--learner', 'random', '--episodes', '5', '--out', join(tmp, 'no', 'such', 'dir.jsonl'), '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dir\.jsonl: cannot write the JSON-lines file/);
  });
});
