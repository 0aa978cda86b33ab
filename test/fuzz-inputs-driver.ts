/**
 * The fuzz run of `fuzz-inputs.test.ts`, in a process of its own so that the test can kill it if a case hangs.
 *
 * fast-check mutates valid inputs at random and feeds them to drmg as a user would:
 * - games (drmg-game/1) and policies (drmg-policy/1) through `drmg validate` and `drmg evaluate` (files on disk);
 * - compare configs (JSON and YAML, YAML aliases included) through readCompareConfigFile and resolveCompareConfig;
 * - command lines of train, rollout, solve, validate and compare (numbers of every notation, repeated flags).
 * Mutations: types (a node replaced by null, a string, a boolean, another container), shapes (an entry removed,
 * duplicated or added, an array made an object), numbers (0, -0, huge, tiny, NaN, Infinity, 1e400, hex, integers
 * beyond 2^53), nesting (up to 1,500 levels), keys (removed, renamed, duplicated, unknown) and the text and its
 * encoding (truncation, stray characters, NUL, invalid UTF-8, UTF-16, byte-order marks, CRLF).
 *
 * Every case must end in exit code 2 with a one-line message (or an input DrmgError), or in a valid result:
 * exit 0 and an output whose numbers are all finite (values within [0, H]). Never exit code 1, another error,
 * NaN in the output, or a case over the per-case limit. Protocol on stdout, one JSON object a line: first
 * {seed, runs}, then {case} before each case (the test's watchdog), then {done, cases, seconds, failure?}.
 *
 * Environment: DRMG_FUZZ_SEED (default: the clock), DRMG_FUZZ_RUNS (default 3000), DRMG_FUZZ_CASE_MS (default 5000).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { DrmgError, gameToJson, parseGame, policyToJson, uniformPolicy } from '@drmg/core';
import { make } from '@drmg/envs';
import { readCompareConfigFile, resolveCompareConfig } from '@drmg/compare';
import { memoryIo, runCli } from '@drmg/cli';

const root = resolve(import.meta.dirname, '..');
const seed = Number(process.env.DRMG_FUZZ_SEED ?? Date.now() % 2 ** 31);
const runs = Number(process.env.DRMG_FUZZ_RUNS ?? 3000);
const caseMs = Number(process.env.DRMG_FUZZ_CASE_MS ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'drmg-fuzz-'));
const say = (x: unknown): void => void process.stdout.write(JSON.stringify(x) + '\n');

// ---- the valid inputs that get mutated ------------------------------------------------------------------------

const readJson = (f: string): unknown => JSON.parse(readFileSync(join(root, 'examples/data', f), 'utf8'));
const baseGames: unknown[] = [
  readJson('initial-shock.game.json'),
  readJson('random-tv.game.json'),
  readJson('random-kl.game.json'),
  JSON.parse(JSON.stringify(gameToJson(make('bridge-crossing-v0', { horizon: 3 }).model))),
];
const basePolicies: [unknown, unknown][] = [
  [baseGames[0], readJson('initial-shock.policy.json')],
  [baseGames[1], readJson('random-tv.policy.json')],
  [baseGames[2], readJson('random-kl.policy.json')],
];
const baseConfigs: unknown[] = [
  {
    env: 'initial-shock-v0',
    envParams: { rho: 0.2 },
    learners: ['random', { name: 'nash-vi', label: 'nv', params: { bonusScale: 0.01 } }],
    seeds: [1, 2],
    episodes: 50,
    evalPoints: 5,
    gapKind: 'gap',
    radii: [0, 0.1],
    randomKernels: 2,
    rolloutEpisodes: 10,
    workers: 1,
  },
  { env: 'bridge-crossing-v0', learners: ['mornavi-tv', 'planner'], seeds: 3, seed: 7, episodes: 100, out: 'runs/x' },
];

// ---- JSON values with tokens JSON.stringify cannot write ------------------------------------------------------

/** A token written verbatim into the text (NaN, 0x1, 1e400, an integer beyond 2^53 ...). */
class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of a value that may hold Raw tokens (recursive: values are at most ~1,500 deep here). */
function writeJson(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k.replace(/^__dup\d+__/, ''))}:${writeJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The same in YAML, block style (flow style below 20 levels of indentation); Raw tokens as plain scalars (.nan, .inf, 0x1 ...). */
function writeYaml(v: unknown): string {
  const yamlRaw: Record<string, string> = { NaN: '.nan', Infinity: '.inf', '-Infinity': '-.inf' };
  const flow = (x: unknown): string => {
    if (x instanceof Raw) return yamlRaw[x.text] ?? x.text;
    if (Array.isArray(x)) return `[${x.map(flow).join(', ')}]`;
    if (x !== null && typeof x === 'object') return `{${Object.entries(x).map(([k, y]) => `${JSON.stringify(k.replace(/^__dup\d+__/, ''))}: ${flow(y)}`).join(', ')}}`;
    return JSON.stringify(x) ?? 'null';
  };
  const block = (x: unknown, indent: string): string => {
    const nested = (y: unknown): boolean => y !== null && typeof y === 'object' && !(y instanceof Raw) && Object.keys(y).length > 0;
    if (indent.length > 40 || !nested(x)) return ` ${flow(x)}\n`;
    if (Array.isArray(x)) return '\n' + x.map((y) => `${indent}-${block(y, indent + '  ')}`).join('');
    return '\n' + Object.entries(x as object).map(([k, y]) => `${indent}${JSON.stringify(k.replace(/^__dup\d+__/, ''))}:${block(y, indent + '  ')}`).join('');
  };
  const text = block(v, '');
  return text.startsWith('\n') ? text.slice(1) : text.trimStart();
}

const scalars: unknown[] = [
  null, true, false, '', 'x', 'drmg-game/1', 0, -0, 1, -1, 0.5, 2, 1e-300, 5e-324, 1e308, -1e308, 3.5, 1e7, 1e7 + 1,
  2 ** 31, 2 ** 53, new Raw('9007199254740993'), new Raw('NaN'), new Raw('Infinity'), new Raw('-Infinity'), new Raw('1e400'),
  new Raw('-1e400'), new Raw('0x1'), new Raw('01'), new Raw('.5'), new Raw('+1'), new Raw('1' + '0'.repeat(400)), new Raw('"\\ud800"'),
  new Raw('"\\u0000"'), 'a'.repeat(1000),
];

type Path = (string | number)[];

/** Every path into a value (containers and leaves), at most `max` of them, breadth first. */
function paths(v: unknown, max = 5000): Path[] {
  const out: Path[] = [[]];
  for (let k = 0; k < out.length && out.length < max; k++) {
    const node = get(v, out[k]);
    if (node === null || typeof node !== 'object' || node instanceof Raw) continue;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) out.push([...out[k], key]);
  }
  return out;
}
function get(v: unknown, p: Path): unknown {
  let x = v;
  for (const k of p) x = (x as Record<string | number, unknown>)[k];
  return x;
}
function set(v: unknown, p: Path, x: unknown): unknown {
  if (p.length === 0) return x;
  (get(v, p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]] = x;
  return v;
}
/** The nesting depth of a document (iterative: documents here can be 1,500 deep). */
function depthOf(x: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[x, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (v !== null && typeof v === 'object' && !(v instanceof Raw)) for (const y of Object.values(v)) stack.push([y, d + 1]);
  }
  return max;
}

function nest(x: unknown, depth: number, asObject: boolean): unknown {
  let v = x;
  for (let d = 0; d < depth; d++) v = asObject ? { a: v } : [v];
  return v;
}

/** One structural mutation: which (an index), where (an index into the paths) and a few random numbers. */
interface Mutation {
  readonly op: number;
  readonly at: number;
  readonly pick: number;
  readonly size: number;
}
const mutationArb: fc.Arbitrary<Mutation> = fc.record({ op: fc.nat(13), at: fc.nat(), pick: fc.nat(), size: fc.nat(1500) });

function mutate(doc: unknown, m: Mutation): unknown {
  const all = paths(doc);
  const p = all[m.at % all.length];
  const node = get(doc, p);
  const parent = p.length > 0 ? get(doc, p.slice(0, -1)) : undefined;
  const key = p[p.length - 1];
  switch (m.op) {
    case 0:
    case 1:
      return set(doc, p, scalars[m.pick % scalars.length]);
    case 2: // another container
      return set(doc, p, [[], {}, [1], { a: 1 }, [null], [[0.5, 0.5]]][m.pick % 6]);
    case 3: {
      // Deep nesting, up to 1,500 levels in all: the writers below recurse, so a second deep mutation inside a first
      // is shortened to keep the document at most 1,500 deep (drmg itself refuses anything over 1,000 levels).
      const room = 1500 - depthOf(doc);
      return room < 1 ? doc : set(doc, p, nest(node ?? 0, 1 + (m.size % room), m.pick % 2 === 0));
    }
    case 4: // remove an entry
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else if (parent !== undefined) delete (parent as Record<string, unknown>)[key as string];
      return doc;
    case 5: // duplicate an entry / add one
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(node));
      else if (Array.isArray(node)) node.push(structuredClone(node[0] ?? 0));
      return doc;
    case 6: // a number nudged, scaled or negated
      if (typeof node === 'number') return set(doc, p, [node * 2, node + 1e-9, -node, node - 1e-12, node * 1e6, Math.floor(node) + 0.5][m.pick % 6]);
      return set(doc, p, m.pick % 7);
    case 7: // an array as an object with numeric keys
      if (Array.isArray(node)) return set(doc, p, Object.fromEntries(node.map((x, k) => [String(k), x])));
      return doc;
    case 8: // a duplicate key (written twice in the text)
      if (node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof Raw)) {
        const keys = Object.keys(node);
        if (keys.length > 0) (node as Record<string, unknown>)[`__dup${m.pick}__${keys[m.pick % keys.length]}`] = scalars[m.size % scalars.length];
      }
      return doc;
    case 9: // an unknown key, a renamed key
      if (node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof Raw)) {
        const keys = Object.keys(node);
        if (m.pick % 2 === 0 || keys.length === 0) (node as Record<string, unknown>)[`extra${m.size}`] = nest(1, m.size % 50, false);
        else {
          const k = keys[m.size % keys.length];
          (node as Record<string, unknown>)[k + 's'] = (node as Record<string, unknown>)[k];
          delete (node as Record<string, unknown>)[k];
        }
      }
      return doc;
    case 10: // a long array
      return set(doc, p, Array.from({ length: 1 + m.size * 7 }, (_, k) => (k % 3) / 2));
    case 11: // sizes claimed larger than the data (states, horizon, actions)
      if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
        const d = doc as Record<string, unknown>;
        const field = ['states', 'horizon', 'actions', 'episodes', 'seeds'][m.pick % 5];
        d[field] = field === 'actions' ? [1 + (m.size % 50000), 1 + (m.pick % 50000)] : [1e6, 2 ** 31 - 1, 1e7, 46341, m.size][m.size % 5];
      }
      return doc;
    default: // swap two siblings
      if (Array.isArray(parent) && parent.length > 1) {
        const j = (m.pick % (parent.length - 1)) + 1;
        [parent[0], parent[j]] = [parent[j], parent[0]];
      }
      return doc;
  }
}

/** A change of the text or its bytes. */
interface TextChange {
  readonly op: number;
  readonly at: number;
  readonly len: number;
}
const textChangeArb: fc.Arbitrary<TextChange> = fc.record({ op: fc.nat(11), at: fc.nat(), len: fc.nat(64) });

function changeBytes(buf: Buffer, c: TextChange): Buffer {
  const at = buf.length === 0 ? 0 : c.at % (buf.length + 1);
  const cut = (ins: Buffer | string, del = 0): Buffer => Buffer.concat([buf.subarray(0, at), Buffer.from(ins), buf.subarray(Math.min(buf.length, at + del))]);
  switch (c.op) {
    case 0:
      return buf.subarray(0, at); // truncated
    case 1:
      return cut(['{', '}', '[', ']', ',', ':', '"', '\\', ' ', 'x', '-', '.', 'e', '\n'][c.len % 14]);
    case 2:
      return cut('', 1 + (c.len % 4));
    case 3:
      return cut(Buffer.from([[0x00], [0xff], [0xc3, 0x28], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]][c.len % 8]));
    case 4:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]);
    case 5:
      return Buffer.from(buf.toString('utf8'), 'utf16le');
    case 6:
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(buf.toString('utf8'), 'utf16le')]);
    case 7:
      return Buffer.from(buf.toString('utf8').replace(/\n/g, '\r\n'));
    case 8:
      return cut(' '.repeat(c.len * 100));
    case 9:
      return Buffer.concat([buf, buf.subarray(at, at + c.len)]);
    default:
      return cut(Buffer.from(`"${'\\u00'}${(c.len % 32).toString(16).padStart(2, '0')}"`));
  }
}

// ---- the cases ------------------------------------------------------------------------------------------------

const numberTexts = ['0', '1', '2', '3', '5', '-1', '1.5', '0x1', '0b1', '1e1', '1e400', 'NaN', 'Infinity', '', ' 3', '9007199254740991', '10000001', '2147483648', '99999999999', '007', '+2', '1_000'];
const flagArb = fc.record({
  command: fc.constantFrom('train', 'rollout', 'solve', 'validate', 'compare'),
  flags: fc.array(fc.tuple(fc.constantFrom('--episodes', '--seed', '--eval-every', '--workers', '--seeds', '--eval-points', '--radii', '--random-kernels', '--rollout-episodes', '--timeout', '--max-file-size', '--param', '--env-param', '--json', '--gap-kind', '--kernel', '--equilibrium', '--frobnicate'), fc.nat(numberTexts.length - 1)), { maxLength: 5 }),
});

type Case =
  | { kind: 'game'; base: number; mutations: Mutation[]; text: TextChange[]; evaluate: boolean }
  | { kind: 'policy'; base: number; mutations: Mutation[]; text: TextChange[] }
  | { kind: 'config'; base: number; yaml: boolean; mutations: Mutation[]; text: TextChange[] }
  | { kind: 'alias'; levels: number; width: number }
  | { kind: 'flags'; command: string; flags: [string, number][] };

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('game' as const), base: fc.nat(baseGames.length - 1), mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }), text: fc.array(textChangeArb, { maxLength: 2 }), evaluate: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('policy' as const), base: fc.nat(basePolicies.length - 1), mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }), text: fc.array(textChangeArb, { maxLength: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('config' as const), base: fc.nat(baseConfigs.length - 1), yaml: fc.boolean(), mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }), text: fc.array(textChangeArb, { maxLength: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('alias' as const), levels: fc.integer({ min: 1, max: 12 }), width: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 2, arbitrary: flagArb.map((f) => ({ kind: 'flags' as const, command: f.command, flags: f.flags })) },
);

let fileCount = 0;
function writeCase(name: string, content: Buffer | string): string {
  const f = join(dir, `${fileCount++ % 64}-${name}`);
  writeFileSync(f, content);
  return f;
}

/** Throws unless `x` holds only finite numbers (and the strings, booleans and nulls of `allowNull` fields). */
function checkFinite(x: unknown, where: string, allowNull: ReadonlySet<string> = new Set()): void {
  const stack: [unknown, string][] = [[x, where]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`${at}: ${v} in the output`);
    if (v === null && !allowNull.has(at.replace(/^.*\./, ''))) throw new Error(`${at}: null in the output (NaN or Infinity?)`);
    if (v !== null && typeof v === 'object') for (const [k, y] of Object.entries(v)) stack.push([y, `${at}.${k}`]);
  }
}

/** Runs drmg; exit 2 must come with a one-line message, exit 0 with output whose numbers are finite. Returns the code. */
async function cli(argv: string[], check?: (stdout: string) => void): Promise<number> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  if (code === 2) {
    if (io.stdout !== '' && argv[0] !== 'train') throw new Error(`exit 2 with output on stdout: ${io.stdout.slice(0, 200)}`);
    const lines = io.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('compare: importing') && !l.startsWith('  '));
    if (lines.length !== 1 || lines[0].includes('internal error')) throw new Error(`exit 2 without a one-line message: ${io.stderr.slice(0, 500)}`);
    return 2;
  }
  if (code !== 0) throw new Error(`exit ${code}: ${io.stderr.slice(0, 1000)}`);
  check?.(io.stdout);
  return 0;
}

function checkEvaluation(stdout: string, H: number): void {
  const doc = JSON.parse(stdout) as { value: number[][]; bestResponse: number[][]; swapBestResponse: number[][]; gap: number[]; ceGap: number[] };
  checkFinite(doc, 'evaluation');
  for (const t of [doc.value, doc.bestResponse, doc.swapBestResponse]) for (const row of t) for (const v of row) if (!(v >= -1e-9 && v <= H + 1e-9)) throw new Error(`a value ${v} outside [0, ${H}]`);
}

/** Input errors of the library count as exit 2; anything else thrown is a failure. Returns 0 or 2. */
function libraryCall(f: () => unknown): number {
  try {
    f();
    return 0;
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input') {
      if (/\n/.test(e.message)) throw new Error(`a message of several lines: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** Outcomes by kind of case: how many were refused (exit 2) and how many gave a valid result (exit 0). */
const outcomes: Record<string, { valid: number; refused: number }> = {};
function count(kind: string, code: number): void {
  const o = (outcomes[kind] ??= { valid: 0, refused: 0 });
  if (code === 0) o.valid++;
  else o.refused++;
}

async function runCase(c: Case): Promise<void> {
  switch (c.kind) {
    case 'game': {
      let doc: unknown = structuredClone(baseGames[c.base]);
      for (const m of c.mutations) doc = mutate(doc, m);
      let bytes: Buffer = Buffer.from(writeJson(doc));
      for (const t of c.text) bytes = changeBytes(bytes, t);
      const f = writeCase('game.json', bytes);
      const code = await cli(['validate', f, '--json'], (out) => checkFinite(JSON.parse(out), 'validate'));
      count('game', code);
      if (code === 0 && c.evaluate) {
        const game = parseGame(JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, '')));
        const p = writeCase('uniform.policy.json', JSON.stringify(policyToJson(uniformPolicy(game), game)));
        const ev = await cli(['evaluate', f, p, '--json'], (out) => checkEvaluation(out, game.H));
        if (ev !== 0) throw new Error('a game that validates could not be evaluated with the uniform policy');
        await cli(['solve', f, '--json', '--equilibrium', ['nash', 'cce', 'ce'][c.mutations.length % 3]], (out) => checkFinite(JSON.parse(out), 'solve'));
      }
      return;
    }
    case 'policy': {
      const [game, policy] = basePolicies[c.base];
      let doc: unknown = structuredClone(policy);
      for (const m of c.mutations) doc = mutate(doc, m);
      let bytes: Buffer = Buffer.from(writeJson(doc));
      for (const t of c.text) bytes = changeBytes(bytes, t);
      const g = writeCase('base.game.json', JSON.stringify(game));
      const p = writeCase('policy.json', bytes);
      count('policy', await cli(['evaluate', g, p, '--json'], (out) => checkEvaluation(out, (game as { horizon: number }).horizon)));
      return;
    }
    case 'config': {
      let doc: unknown = structuredClone(baseConfigs[c.base]);
      for (const m of c.mutations) doc = mutate(doc, m);
      let bytes: Buffer = Buffer.from(c.yaml ? writeYaml(doc) : writeJson(doc));
      for (const t of c.text) bytes = changeBytes(bytes, t);
      const f = writeCase(c.yaml ? 'config.yaml' : 'config.json', bytes);
      const code = libraryCall(() => {
        const file = readCompareConfigFile(f);
        const config = resolveCompareConfig(file.input, { source: file.source, baseDir: file.baseDir });
        checkFinite(config, 'config', new Set(['envCmd']));
      });
      count(c.yaml ? 'config (YAML)' : 'config (JSON)', code);
      return;
    }
    case 'alias': {
      // Under provenance (metadata that a config may carry), so that a small expansion is a valid config.
      const lines = ['provenance:', `  a0: &a0 [${Array(c.width).fill('lol').join(', ')}]`];
      for (let l = 1; l <= c.levels; l++) lines.push(`  a${l}: &a${l} [${Array(c.width).fill(`*a${l - 1}`).join(', ')}]`);
      const f = writeCase('alias.yaml', lines.join('\n') + '\nepisodes: 5\n');
      count('YAML aliases', libraryCall(() => resolveCompareConfig(readCompareConfigFile(f).input)));
      return;
    }
    case 'flags': {
      const argv: string[] = [c.command];
      if (c.command === 'train') argv.push('initial-shock-v0', '--learner', 'random');
      if (c.command === 'rollout') argv.push('initial-shock-v0');
      if (c.command === 'solve' || c.command === 'validate') argv.push(join(root, 'examples/data/initial-shock.game.json'));
      for (const [flag, n] of c.flags) {
        argv.push(flag);
        if (flag === '--json') continue;
        const t = numberTexts[n];
        if (flag === '--param') argv.push(`bonusScale=${t}`);
        else if (flag === '--env-param') argv.push(`rho=${t}`);
        else if (flag === '--radii') argv.push(`0,${t}`);
        // Valid runs stay small: a number that would train for long is replaced by a small one.
        else if ((flag === '--episodes' || flag === '--seeds' || flag === '--rollout-episodes' || flag === '--random-kernels') && /^\d+$/.test(t) && Number(t) > 50 && Number(t) <= 10_000_000) argv.push('3');
        else argv.push(t);
      }
      if (c.command === 'train' && !c.flags.some(([f]) => f === '--episodes')) argv.push('--episodes', '3');
      // compare stops before running: an unknown environment is refused once every flag is checked.
      if (c.command === 'compare') argv.push('--env', 'no-such-env-v0', '--out', join(dir, 'never'));
      const code = await cli(argv, (out) => {
        if (out.trim().startsWith('{')) checkFinite(JSON.parse(out), c.command, new Set(['certifiedGap', 'boundGap']));
      });
      count(`flags (${c.command})`, code);
      return;
    }
  }
}

const t0 = performance.now();
say({ seed, runs, caseMs });
let n = 0;
let slowest = 0;
const result = await fc.check(
  fc.asyncProperty(caseArb, async (c) => {
    say({ case: n++, kind: c.kind });
    const t = performance.now();
    await runCase(c);
    const ms = performance.now() - t;
    if (ms > slowest) slowest = ms;
    if (ms > caseMs) throw new Error(`case took ${ms.toFixed(0)} ms, over the per-case limit of ${caseMs} ms`);
  }),
  { seed, numRuns: runs },
);
rmSync(dir, { recursive: true, force: true });
say({
  done: true,
  cases: n,
  runs: result.numRuns,
  seconds: (performance.now() - t0) / 1000,
  slowestCaseMs: Math.round(slowest),
  seed,
  outcomes,
  ...(result.failed ? { failure: `${fc.defaultReportMessage(result) ?? ''}\n${result.errorInstance instanceof Error ? (result.errorInstance.stack ?? result.errorInstance.message) : String(result.errorInstance)}` } : {}),
});
