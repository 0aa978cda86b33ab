/**
 * Bad input never hurts (issue 13): one test per way a malformed file, flag or call used to hurt. Each would
 * fail on the code before the fix (a hang, exit code 1, a silent default run, a value accepted or a plausible
 * number from a corrupted game); each now ends at once with exit code 2 (or an input DrmgError) and a message
 * that says where the problem is.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_FILE_BYTES,
  DrmgError,
  MAX_EPISODES,
  createSigmaWorkspace,
  createTabularGame,
  readGameFile,
  readPolicyFile,
  uniformPolicy,
  type TabularGame,
} from '@drmg/core';
import { createTabularEnv, make } from '@drmg/envs';
import { createEvaluator, evaluatePolicy } from '@drmg/evaluators';
import { readCompareConfigFile, resolveCompareConfig } from '@drmg/compare';
import * as core from '@drmg/core';
import * as evaluators from '@drmg/evaluators';
import * as envs from '@drmg/envs';
import * as experiments from '@drmg/experiments';
import { memoryIo, runCli } from '@drmg/cli';

const root = resolve(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');
const data = (f: string) => join(root, 'examples/data', f);
const dir = mkdtempSync(join(tmpdir(), 'drmg-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
/** An input error: exit 2, nothing on stdout, one line on stderr that contains `text`, no internal error. */
async function expectExit2(argv: string[], text: string | RegExp) {
  const r = await run(...argv);
  expect(r.stderr).not.toContain('internal error');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  if (typeof text === 'string') expect(r.stderr).toContain(text);
  else expect(r.stderr).toMatch(text);
  return r;
}
function errorOf(f: () => unknown): DrmgError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    return e as DrmgError;
  }
  throw new Error('expected a DrmgError');
}
const shock = readFileSync(data('initial-shock.game.json'), 'utf8');
const shockPolicy = readFileSync(data('initial-shock.policy.json'), 'utf8');
/** Flags that make an accidental compare run small (so that the old behaviour fails fast instead of running for minutes). */
const small = ['--learners', 'random', '--seeds', '1', '--episodes', '2', '--eval-points', '1', '--radii', '0', '--random-kernels', '0', '--workers', '1', '--no-report'];

describe('bounded reading: every file is read with a size limit, by stat and while streaming', () => {
  it('`drmg validate /dev/zero` ends at once with exit 2 (it used to read forever: 4.4 GB after 60 s)', () => {
    const r = spawnSync(tsx, ['packages/cli/src/main.ts', 'validate', '/dev/zero'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/dev/zero: not a UTF-8 text file: a NUL byte at offset 0 (line 1, column 1)');
  });

  it('a regular file over the limit is refused by its size, before it is read, with the limit in the message', async () => {
    const big = join(dir, 'sparse.game.json');
    const fd = openSync(big, 'w');
    closeSync(fd);
    // A 3 GiB sparse file: no disk used; the old reader took 76 s and 4.3 GB before ERR_STRING_TOO_LONG.
    spawnSync('truncate', ['-s', '3G', big]);
    const t0 = performance.now();
    await expectExit2(['validate', big], `too large: 3221225472 bytes (3 GiB), more than the size limit of ${DEFAULT_MAX_FILE_BYTES} bytes (256 MiB)`);
    expect(performance.now() - t0).toBeLessThan(10_000);
    rmSync(big);
  });

  it('an endless pipe stops at the limit (read while streaming), and --max-file-size raises or lowers it', async () => {
    const fifo = join(dir, 'endless.fifo');
    spawnSync('mkfifo', [fifo]);
    // A writer that never ends: the game's opening, then spaces forever.
    const writer = spawn('sh', ['-c', `exec yes ' ' > '${fifo}'`], { stdio: 'ignore' });
    try {
      await expectExit2(['validate', fifo, '--max-file-size', '1M'], 'more than 1048576 bytes (1 MiB) read (not a regular file, so its size was unknown)');
    } finally {
      writer.kill();
    }
    await expectExit2(['validate', file('g.json', shock), '--max-file-size', '100'], 'more than the size limit of 100 bytes');
    await expectExit2(['validate', file('g.json', shock), '--max-file-size', '0x10'], 'drmg validate --max-file-size: expected a size in bytes');
    const bytes = Buffer.byteLength(shock);
    expect((await run('validate', file('g.json', shock), '--max-file-size', String(bytes - 1))).code).toBe(2);
    expect((await run('validate', file('g.json', shock), '--max-file-size', String(bytes))).code).toBe(0);
    expect((await run('validate', file('g.json', shock), '--max-file-size', '1M')).code).toBe(0);
    // The limit holds for that command only.
    expect(process.env.DRMG_MAX_FILE_BYTES).toBeUndefined();
  });
});

describe('every malformed input exits 2 with its location, whatever its depth or encoding', () => {
  const deepInvalid = '['.repeat(100_000);
  it('invalid JSON nested 100,000 deep: game, policy and compare config (was exit 1, "Maximum call stack size exceeded")', async () => {
    await expectExit2(['validate', file('deep.game.json', deepInvalid)], 'deep.game.json: JSON refused at line 1, column 1001 (offset 1000): nested deeper than 1000 levels');
    await expectExit2(['evaluate', data('initial-shock.game.json'), file('deep.policy.json', `{"format": "drmg-policy/1", "policy": ${deepInvalid}`)], 'deep.policy.json: JSON refused at line 1');
    await expectExit2(['compare', '--config', file('deep.json', `{"seeds": ${deepInvalid}`), ...small], /deep\.json:1:\d+: JSON refused: nested deeper than 1000 levels/);
    // Deep but valid JSON is refused the same way (its metadata used to be kept and written back).
    const deepValid = `{"format": "drmg-game/1", "meta": ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    await expectExit2(['validate', file('deep-valid.game.json', deepValid)], 'nested deeper than 1000 levels');
  });

  it('a YAML config with an alias bomb or deep nesting (was exit 1, "Excessive alias count")', async () => {
    const lol = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [k, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) lol.push(`${k}: &${k} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    await expectExit2(['compare', '--config', file('bomb.yaml', lol.join('\n') + '\n'), ...small], /bomb\.yaml:2:\d+: invalid YAML: its aliases expand to too many nodes/);
    await expectExit2(['compare', '--config', file('deep.yaml', `seeds: ${'['.repeat(100_000)}`), ...small], /deep\.yaml:1:\d+: invalid YAML: nested too deeply/);
  });

  it('encodings: UTF-16, invalid UTF-8 and NUL bytes are located; a UTF-8 byte-order mark is fine', async () => {
    await expectExit2(['validate', file('u16.game.json', Buffer.from('\ufeff' + shock, 'utf16le'))], 'encoded as UTF-16');
    await expectExit2(['validate', file('u16-nobom.game.json', Buffer.from(shock, 'utf16le'))], 'a NUL byte at offset 1 (line 1, column 2)');
    const bad = Buffer.concat([Buffer.from('{"format": "drmg-game/1",\n"name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    await expectExit2(['validate', file('latin.game.json', bad)], 'not valid UTF-8 at offset 35 (line 2, column 10): byte 0xc3');
    expect((await run('validate', file('bom.game.json', '\ufeff' + shock))).code).toBe(0);
    await expectExit2(['compare', '--config', file('u16.yaml', Buffer.from('\ufeffepisodes: 5\n', 'utf16le')), ...small], 'encoded as UTF-16');
  });

  it('duplicate keys are refused in a game, a policy and a JSON config, as in a YAML config (the last one used to win)', async () => {
    const dup = shock.replace('"format": "drmg-game/1"', '"format": "junk", "format": "drmg-game/1"');
    expect(dup).not.toBe(shock);
    await expectExit2(['validate', file('dup.game.json', dup)], /dup\.game\.json: invalid JSON at line \d+, column \d+ \(offset \d+\): duplicate key "format" \(first at line \d+, column \d+\)/);
    const dupEscaped = shock.replace('"format": "drmg-game/1"', '"format": "drmg-game/1", "\\u0066ormat": "x"');
    await expectExit2(['validate', file('dup2.game.json', dupEscaped)], 'duplicate key "format"');
    await expectExit2(['evaluate', data('initial-shock.game.json'), file('dup.policy.json', shockPolicy.replace('{', '{"policy": 1, '))], 'duplicate key "policy"');
    await expectExit2(['compare', '--config', file('dup.json', '{"episodes": 5, "episodes": 6}'), ...small], /dup\.json:1:\d+: invalid JSON: duplicate key "episodes"/);
    await expectExit2(['compare', '--config', file('dup.yaml', 'episodes: 5\nepisodes: 6\n'), ...small], 'Map keys must be unique');
  });

  it('a null JSON config, an empty or null YAML config are refused (they used to run the full default experiment)', async () => {
    const out = join(dir, 'never');
    await expectExit2(['compare', '--config', file('null.json', 'null'), '--out', out, ...small], 'null.json: the config is null; expected a mapping of settings');
    await expectExit2(['compare', '--config', file('empty.yaml', '# nothing yet\n'), '--out', out, ...small], 'empty.yaml: the config is empty');
    await expectExit2(['compare', '--config', file('tilde.yaml', '~\n'), '--out', out, ...small], 'tilde.yaml: the config is null');
    await expectExit2(['compare', '--config', file('empty.json', ''), '--out', out, ...small], 'invalid JSON');
    expect(errorOf(() => resolveCompareConfig(null)).message).toContain('expected an object of settings');
    expect(readCompareConfigFile(file('defaults.json', '{}')).input).toEqual({});
  });
});

describe('a shared config is code: the modules it runs are printed, and the help says so', () => {
  it('prints every module before importing it, and --help warns about modules, env and out', async () => {
    const mod = file('hello-module.mjs', 'globalThis.__drmgHelloModule = (globalThis.__drmgHelloModule ?? 0) + 1;\n');
    const config = file('with-module.json', JSON.stringify({ modules: ['hello-module.mjs'] }));
    // --episodes 0 stops the run after the modules (the module did run: that is what a module is for).
    const r = await expectExit2(['compare', '--config', config, '--episodes', '0'], 'drmg compare --episodes: expected an integer in [1, 10000000], got 0');
    expect(r.stderr).toContain(`compare: importing 1 module (code that runs in this process and every worker thread):\n  ${mod} (from ${config})\n`);
    expect((globalThis as { __drmgHelloModule?: number }).__drmgHelloModule).toBe(1);
    const help = (await run('compare', '--help')).stdout;
    expect(help.replace(/\s+/g, ' ')).toContain('A config is code: its modules are imported (executed) in this process and every worker thread');
    expect(help.replace(/\s+/g, ' ')).toMatch(/env and out may name any path/);
  });
});

describe('numbers have documented upper bounds in every entry point, and a flag is given once', () => {
  const game = () => file('shock.game.json', shock);
  it('train --episodes 9007199254740991 is refused (compare and configs cap episodes at 1e7, and now train too)', async () => {
    await expectExit2(['train', game(), '--learner', 'random', '--episodes', '9007199254740991'], `drmg train --episodes: expected an integer in [1, ${MAX_EPISODES}], got 9007199254740991`);
    await expectExit2(['train', game(), '--learner', 'random', '--episodes', '5', '--eval-every', '99999999999'], 'drmg train --eval-every: expected an integer in [1, 10000000]');
    await expectExit2(['train', game(), '--learner', 'random', '--episodes', '5', '--seed', '4294967296'], 'drmg train --seed: expected an integer in [0, 2147483647]');
    await expectExit2(['rollout', game(), '--episodes', '100000000000'], 'drmg rollout --episodes: expected an integer in [2, 10000000]');
    await expectExit2(['compare', '--workers', '100000', ...small.filter((x, k, a) => x !== '--workers' && a[k - 1] !== '--workers')], 'drmg compare --workers: expected an integer in [0, 256]');
    await expectExit2(['compare', '--episodes', '10000001'], 'drmg compare --episodes: expected an integer in [1, 10000000]');
    await expectExit2(['compare', '--config', file('many.json', JSON.stringify({ episodes: 1e7 + 1 }))], 'many.json: episodes: expected an integer in [1, 10000000]');
    await expectExit2(['compare', '--config', file('workers.yaml', 'workers: 257\n')], 'workers.yaml: workers: expected an integer in [0, 256]');
    expect(() => resolveCompareConfig({ seeds: Array.from({ length: 1001 }, (_, k) => k) })).toThrow('config: seeds: expected at most 1000 seeds, got 1001');
  });

  it('a repeated flag is an error (--episodes 10 --episodes 20 used to keep 20), unless it is a list flag', async () => {
    await expectExit2(['train', game(), '--learner', 'random', '--episodes', '10', '--episodes', '20'], 'drmg train --episodes: given 2 times (--episodes 10, --episodes 20); give it once');
    await expectExit2(['validate', game(), '--json', '--json'], 'drmg validate --json: given 2 times');
    await expectExit2(['compare', '--seeds', '1', '--seeds', '2'], 'drmg compare --seeds: given 2 times');
    // List flags repeat; the same parameter twice in them does not.
    await expectExit2(['train', 'initial-shock-v0', '--learner', 'random', '--episodes', '2', '--env-param', 'horizon=3', '--env-param', 'horizon=4'], 'initial-shock-v0.horizon: given twice');
    await expectExit2(['train', game(), '--learner', 'nash-vi', '--episodes', '2', '--param', 'bonusScale=1', '--param', 'bonusScale=2'], 'drmg train --param bonusScale: given twice');
    await expectExit2(['compare', '--param', 'nash-vi.bonusScale=1', '--param', 'nash-vi.bonusScale=2'], 'drmg compare --param nash-vi.bonusScale: given twice');
    expect((await run('train', 'initial-shock-v0', '--learner', 'nash-vi', '--episodes', '2', '--env-param', 'horizon=3', '--param', 'bonusScale=1', '--param', 'equilibrium=cce', '--json')).code).toBe(0);
  });

  it('--radii 0x1 (read as 1) and other numbers not in plain decimal are refused', async () => {
    await expectExit2(['compare', '--radii', '0,0x1'], 'drmg compare --radii: expected comma-separated numbers in plain decimal, got "0x1" in "0,0x1"');
    await expectExit2(['compare', '--radii', '0b1'], 'got "0b1"');
    await expectExit2(['train', 'initial-shock-v0', '--learner', 'random', '--episodes', '2', '--env-param', 'rho=0x1'], 'initial-shock-v0.rho: expected a number in plain decimal notation, got "0x1"');
    await expectExit2(['train', game(), '--learner', 'nash-vi', '--episodes', '2', '--param', 'bonusScale=0x1'], 'drmg train --param bonusScale: learner nash-vi: expected a number in plain decimal notation, got "0x1"');
    await expectExit2(['compare', '--param', 'nash-vi.bonusScale=0x10'], '--param nash-vi.bonusScale: expected a number in plain decimal notation, got "0x10"');
    expect((await run('compare', '--radii', '0,1e-1,.2', '--env', 'no-such-env-v0')).stderr).not.toContain('--radii');
  });
});

describe('a validated game cannot change without drmg noticing', () => {
  it('game.reward[0] = NaN after validation is an error of evaluate (it returned value NaN and a plausible gap)', () => {
    const game = readGameFile(data('initial-shock.game.json'));
    const policy = readPolicyFile(data('initial-shock.policy.json'), game);
    const evaluator = createEvaluator(game);
    expect(Number.isFinite(evaluator.evaluate(policy).gap[0])).toBe(true);
    (game.reward as Float64Array)[0] = Number.NaN;
    const e = errorOf(() => evaluator.evaluate(policy));
    expect(e.kind).toBe('input');
    expect(e.path).toBe('game.reward');
    expect(e.message).toContain('was changed after the game was validated');
    expect(errorOf(() => evaluatePolicy(game, policy)).path).toBe('game.reward');
    expect(errorOf(() => createTabularEnv(game)).path).toBe('createTabularEnv(model).reward');
  });

  it('a kernel entry written after validation is an error (it gave values above H)', () => {
    const game = make('bridge-crossing-v0').model;
    const ok = createEvaluator(game).evaluate(uniformPolicy(game));
    expect(Math.max(...ok.value)).toBeLessThanOrEqual(game.H);
    (game.kernel.prob as Float64Array)[0] = 5;
    const e = errorOf(() => createEvaluator(game).evaluate(uniformPolicy(game)));
    expect(e.path).toBe('game.kernel');
    expect(e.detail).toMatch(/^row 0 \(transition\[0\]\[0\]\[0\]: its prob or next entries\) was changed after the game was validated/);
    expect(errorOf(() => createTabularEnv(game)).path).toBe('createTabularEnv(model).kernel');
    const swapped = make('bridge-crossing-v0').model;
    const next = swapped.kernel.next;
    let k = 0;
    while (next[k] === next[k + 1]) k++;
    [next[k], next[k + 1]] = [next[k + 1], next[k]];
    expect(errorOf(() => evaluatePolicy(swapped, uniformPolicy(swapped))).path).toBe('game.kernel');
  });

  it('an evaluation checks exactly the kernel rows it reads: a change elsewhere cannot alter its numbers, a change there is an error', () => {
    const game = make('bridge-crossing-v0').model;
    const pure = core.deterministicPolicy(game, () => 0);
    const evaluator = createEvaluator(game);
    const before = evaluator.evaluate(pure, { bestResponse: false, swap: false }).value;
    // Row (h = 0, s = 0, j = 1) is never played by the policy (it plays j = 0), so the value pass never reads it;
    // agent 1's best response (deviating to its action 1 while agent 0 plays 0) does.
    const r = 1;
    const prob = game.kernel.prob as Float64Array;
    const k = game.kernel.rowStart[r];
    const saved = prob[k];
    prob[k] = Number.NaN;
    expect(evaluator.evaluate(pure, { bestResponse: false, swap: false }).value).toEqual(before);
    // The best response reads it: an error, as for every other reader of the whole game.
    expect(errorOf(() => evaluator.evaluate(pure)).detail).toContain(`row ${r} (transition[0][0][${r}]`);
    expect(() => core.checkGameIntact(game)).toThrow('game.kernel: row');
    prob[k] = saved;
    expect(evaluator.evaluate(pure).value.every(Number.isFinite)).toBe(true);
  });

  it('the game object and its plain parts are frozen; a hand-assembled game is validated before use', () => {
    const game = make('initial-shock-v0').model;
    expect(Object.isFrozen(game)).toBe(true);
    expect(Object.isFrozen(game.kernel)).toBe(true);
    expect(Object.isFrozen(game.A)).toBe(true);
    expect(() => {
      (game as { H: number }).H = 99;
    }).toThrow(TypeError);
    // A copy with a new array is a new game: validated in full on first use, then guarded like any other.
    const bad: TabularGame = { ...game, radius: new Float64Array(game.radius.length).fill(-1) };
    expect(errorOf(() => createEvaluator(bad)).message).toBe('game: uncertainty.radius[0][0][0]: expected a radius >= 0, got -1');
    const good: TabularGame = { ...game, radius: new Float64Array(game.radius.length) };
    expect(createEvaluator(good).evaluate(uniformPolicy(good)).value.every(Number.isFinite)).toBe(true);
    (good.radius as Float64Array)[0] = 0.5;
    expect(errorOf(() => createEvaluator(good).evaluate(uniformPolicy(good))).path).toBe('game.radius');
    const resized: TabularGame = { ...game, S: game.S + 1 };
    expect(errorOf(() => createEvaluator(resized)).path).toBe('game.initial');
    expect(Object.isFrozen(createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: 0 }))).toBe(true);
  });
});

describe('every error the library throws for bad arguments is a DrmgError naming the argument', () => {
  it('createSigmaWorkspace(1e10) (a plain RangeError), reset({ seed: {} }) (accepted), NaN in messages ("got null")', () => {
    const ws = errorOf(() => createSigmaWorkspace(1e10));
    expect(ws.path).toBe('S');
    expect(ws.message).toBe('S: expected a positive integer number of states, at most 16777216, got 10000000000');
    const env = make('initial-shock-v0');
    const seed = errorOf(() => env.reset({ seed: {} as unknown as number }));
    expect(seed.message).toBe('reset(options.seed): expected a finite number or a string, got an object');
    expect(errorOf(() => env.reset({ seed: Number.NaN })).message).toContain('got NaN');
    expect(errorOf(() => resolveCompareConfig({ episodes: Number.NaN })).message).toBe('config: episodes: expected an integer in [1, 10000000], got NaN');
    expect(errorOf(() => resolveCompareConfig({ radii: [Number.POSITIVE_INFINITY] })).message).toBe('config: radii[0]: expected a number in [0, 1], got Infinity');
    expect(errorOf(() => resolveCompareConfig(readCompareConfigFile(file('nan.yaml', 'episodes: .nan\n')).input, { source: 'nan.yaml' })).message).toBe('nan.yaml: episodes: expected an integer in [1, 10000000], got NaN');
  });

  it('a table of public functions called with bad arguments: each throws an input DrmgError that names the argument', () => {
    const game = envs.make('initial-shock-v0').model;
    const pol = core.uniformPolicy(game);
    const bad: unknown[] = [undefined, null, 0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e10, 2.5, '', 'x', {}, [], [1, 2], { length: 1e12 }, () => 0, Symbol('s'), 10n];
    const calls: Record<string, (x: unknown) => unknown> = {
      createTabularGame: (x) => core.createTabularGame(x as never),
      'createTabularGame.S': (x) => core.createTabularGame({ S: x, H: 1, A: [1], initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: 0 } as never),
      'createTabularGame.A': (x) => core.createTabularGame({ S: 1, H: 1, A: x, initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: 0 } as never),
      'createTabularGame.kernel': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: [0], kernel: x, divergence: 'tv', radius: 0 } as never),
      'createTabularGame.radius': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: x } as never),
      'createTabularGame.initial': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: x, reward: [0], kernel: [1], divergence: 'tv', radius: 0 } as never),
      'createTabularGame.reward': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: x, kernel: [1], divergence: 'tv', radius: 0 } as never),
      'createTabularGame.labels': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: 0, labels: x } as never),
      'createTabularGame.failureStates': (x) => core.createTabularGame({ S: 1, H: 1, A: [1], initial: [1], reward: [0], kernel: [1], divergence: 'tv', radius: 0, failureStates: x } as never),
      buildGame: (x) => core.buildGame(x as never),
      parseGame: (x) => core.parseGame(x),
      parsePolicy: (x) => core.parsePolicy(x, game),
      'parsePolicy.game': (x) => core.parsePolicy({ format: 'drmg-policy/1', policy: [] }, x as never),
      gameToJson: (x) => core.gameToJson(x as never),
      policyToJson: (x) => core.policyToJson(x as never, game),
      uniformPolicy: (x) => core.uniformPolicy(x as never),
      deterministicPolicy: (x) => core.deterministicPolicy(game, x as never),
      createProductPolicy: (x) => core.createProductPolicy(game, x as never),
      checkJointPolicy: (x) => core.checkJointPolicy(x as never, game),
      productToJoint: (x) => core.productToJoint(x as never, game),
      jointActionLayout: (x) => core.jointActionLayout(x as never),
      encodeJointAction: (x) => core.encodeJointAction(game.layout, x as never),
      decodeJointAction: (x) => core.decodeJointAction(game.layout, x as never),
      randomGame: (x) => core.randomGame(x as never, undefined as never),
      'randomGame.opts': (x) => core.randomGame(1, x as never),
      createRng: (x) => core.createRng(x as never),
      createSigmaWorkspace: (x) => core.createSigmaWorkspace(x as never),
      loadValues: (x) => core.loadValues(core.createSigmaWorkspace(2), x as never),
      sigmaTv: (x) => core.sigmaTv(x as never, [1, 2], 0.1),
      'sigmaTv.rho': (x) => core.sigmaTv([0.5, 0.5], [1, 2], x as never),
      sigmaKl: (x) => core.sigmaKl([0.5, 0.5], x as never, 0.1),
      robustExpectationStep: (x) => core.robustExpectationStep(game, core.createSigmaWorkspace(game.S), 0, 0, x as never, 0, new Float64Array(game.S * game.J)),
      readGameFile: (x) => core.readGameFile(x as never),
      readTextFile: (x) => core.readTextFile('/etc/hostname', { maxBytes: x as never }),
      parseJsonText: (x) => core.parseJsonText(x as never),
      checkGameIntact: (x) => core.checkGameIntact(x as never),
      createEvaluator: (x) => evaluators.createEvaluator(x as never),
      evaluate: (x) => evaluators.createEvaluator(game).evaluate(x as never),
      'evaluate.options': (x) => evaluators.createEvaluator(game).evaluate(pol, x as never),
      valueTable: (x) => evaluators.createEvaluator(game).valueTable(pol, x as never),
      initialGap: (x) => evaluators.initialGap(game, x as never),
      evaluationToJson: (x) => evaluators.evaluationToJson(x as never),
      make: (x) => envs.make(x as never),
      'make.params': (x) => envs.make('initial-shock-v0', x as never),
      createTabularEnv: (x) => envs.createTabularEnv(x as never),
      'createTabularEnv.options': (x) => envs.createTabularEnv(game, x as never),
      reset: (x) => envs.make('initial-shock-v0').reset(x as never),
      step: (x) => { const e = envs.make('initial-shock-v0'); e.reset(); return e.step(x as never); },
      rolloutReturns: (x) => envs.rolloutReturns(envs.make('initial-shock-v0'), pol, x as never),
      'rolloutReturns.policy': (x) => envs.rolloutReturns(envs.make('initial-shock-v0'), x as never, { episodes: 2 }),
      adversarialKernel: (x) => envs.adversarialKernel(envs.make('initial-shock-v0'), x as never),
      gameWithKernel: (x) => envs.gameWithKernel(game, x as never),
      withFailureStates: (x) => envs.withFailureStates(game, x as never),
      envSpec: (x) => envs.envSpec(x as never),
      register: (x) => envs.register(x as never),
      train: (x) => experiments.train(x as never),
      'train.episodes': (x) => experiments.train({ env: envs.make('initial-shock-v0'), learner: { name: 'random' }, episodes: x, seed: 1 } as never),
      'train.learner': (x) => experiments.train({ env: envs.make('initial-shock-v0'), learner: x, episodes: 2, seed: 1 } as never),
      withRobustGap: (x) => experiments.withRobustGap(game, x as never),
      'withRobustGap.game': (x) => experiments.withRobustGap(x as never),
      runToJson: (x) => experiments.runToJson(x as never),
      episodeSeed: (x) => experiments.episodeSeed(1, x as never),
    };
    const wrong: string[] = [];
    for (const [name, f] of Object.entries(calls)) {
      for (const x of bad) {
        try {
          f(x);
        } catch (e) {
          // A document's own errors (parseGame(0)) are at its root, the empty path; every other names its argument.
          const named = e instanceof DrmgError && (e.path !== '' || name === 'parseGame' || name === 'parsePolicy');
          if (e instanceof DrmgError && e.kind === 'input' && named && !e.message.includes('\n')) continue;
          wrong.push(`${name}(${typeof x === 'symbol' || typeof x === 'bigint' || typeof x === 'function' ? typeof x : JSON.stringify(x)}): ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
