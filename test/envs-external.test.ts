/**
 * External environments (docs/external-envs.md): real child processes speaking line-delimited JSON. The Python and
 * Node relay simulators of examples/external agree with their own drmg-game/1 model (Monte Carlo within 4 standard
 * errors); simulators that crash mid-episode, answer a line that is not JSON, answer the wrong shape or hang get a
 * located error naming the command, the request and the simulator's stderr, and leave no process behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DrmgError } from '@drmg/core';
import { startExternalEnv, type ExternalEnv } from '@drmg/envs';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'drmg-external-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Node simulator that serves a 1-state, 2-agent game and misbehaves as `onStep` says. */
function simulator(name: string, onStep: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { createInterface } from 'node:readline';
let steps = 0;
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
for await (const line of createInterface({ input: process.stdin })) {
  const { id, method } = JSON.parse(line);
  if (method === 'spaces') out({ id, result: { agents: 2, actions: [2, 2], states: 1, horizon: 3, divergence: 'tv', radius: 0.1 } });
  else if (method === 'model') out({ id, error: { message: 'no model' } });
  else if (method === 'reset') out({ id, result: { state: 0 } });
  else if (method === 'step') { steps++; ${onStep} }
  else if (method === 'close') break;
}
`,
  );
  return `node ${file}`;
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function failure(env: ExternalEnv, steps: number): Promise<DrmgError> {
  await env.resetState(1);
  try {
    for (let h = 0; h < steps; h++) await env.stepJoint(0);
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    return e as DrmgError;
  }
  throw new Error('expected the simulator to fail');
}

describe('external environments over stdin / stdout', () => {
  for (const command of ['python3 examples/external/relay_sim.py', 'node examples/external/relay-sim.mjs']) {
    it(`${command}: spaces and model agree, and its episodes follow its model (Monte Carlo, 4 standard errors)`, async () => {
      const env = await startExternalEnv(command, { cwd: root });
      try {
        expect(env.spec).toMatchObject({ m: 2, S: 5, H: 6, A: [2, 2], divergence: 'tv' });
        const model = env.model!;
        expect(model.S).toBe(5);
        // Frequency of "delivered" (state 3) after the last step, both stations on high power (j = 3),
        // against the model's exact probability.
        const n = 3000;
        let hits = 0;
        for (let k = 0; k < n; k++) {
          await env.resetState(k);
          let s = 0;
          for (let h = 0; h < 6; h++) s = (await env.stepJoint(3)).state;
          if (s === 3) hits++;
        }
        let dist = Float64Array.from(model.initial);
        for (let h = 0; h < 6; h++) {
          const next = new Float64Array(5);
          for (let s = 0; s < 5; s++) {
            const r = (h * 5 + s) * 4 + 3;
            for (let t = model.kernel.rowStart[r]; t < model.kernel.rowStart[r + 1]; t++) next[model.kernel.next[t]] += dist[s] * model.kernel.prob[t];
          }
          dist = next;
        }
        const p = dist[3];
        expect(Math.abs(hits / n - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / n));
        // The same seed gives the same episode.
        const replay = async (): Promise<number[]> => {
          await env.resetState(42);
          const states: number[] = [];
          for (let h = 0; h < 6; h++) states.push((await env.stepJoint(h % 4)).state);
          return states;
        };
        expect(await replay()).toEqual(await replay());
      } finally {
        await env.close();
      }
      expect(env.running).toBe(false);
    });
  }

  it('--no-model: the simulator declines "model", and the env has none (no exact gaps)', async () => {
    const env = await startExternalEnv('node examples/external/relay-sim.mjs --no-model', { cwd: root });
    expect(env.model).toBeNull();
    await env.close();
  });

  it('a simulator that crashes mid-episode: the error names the command, the request and its stderr', async () => {
    const cmd = simulator('crash', "if (steps === 2) { console.error('boom: division by zero'); process.exit(3); } out({ id, result: { state: 0, rewards: [1, 0] } });");
    const env = await startExternalEnv(cmd);
    const e = await failure(env, 3);
    expect(e.message).toContain(`simulator ${JSON.stringify(cmd)}`);
    expect(e.message).toContain('exited with code 3 while drmg waited for its answer to "step"');
    expect(e.message).toContain('boom: division by zero');
    expect(e.kind).toBe('input');
    expect(alive(env.pid)).toBe(false);
    // Later calls fail the same way at once, no hang.
    await expect(env.stepJoint(0)).rejects.toThrow(/exited with code 3/);
  });

  it('a simulator that answers a line that is not JSON', async () => {
    const cmd = simulator('garbage', "process.stdout.write('hello\\n');");
    const env = await startExternalEnv(cmd);
    const e = await failure(env, 1);
    expect(e.message).toContain('answered a line that is not JSON: "hello" while drmg waited for its answer to "step"');
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(env.pid)).toBe(false);
  });

  it('a simulator that answers the wrong shape', async () => {
    const cmd = simulator('shape', 'out({ id, result: { state: 0, rewards: [1] } });');
    const env = await startExternalEnv(cmd);
    const e = await failure(env, 1);
    expect(e.message).toContain('answer to "step" 0: rewards: expected 2 rewards (one per agent), got [1]');
    await env.close();
    expect(alive(env.pid)).toBe(false);
  });

  it('a simulator that hangs: killed after the timeout, with an error that says so', async () => {
    const cmd = simulator('hang', "if (steps < 2) out({ id, result: { state: 0, rewards: [0, 0] } }); /* then silence */");
    const env = await startExternalEnv(cmd, { timeoutMs: 300 });
    const e = await failure(env, 3);
    expect(e.message).toContain('request "step": no answer within 300 ms (the process was killed)');
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(env.pid)).toBe(false);
  });

  it('a command that cannot start, and bad spaces, are refused at start', async () => {
    await expect(startExternalEnv('drmg-no-such-simulator --x')).rejects.toThrow(/simulator "drmg-no-such-simulator --x": the process exited with code 127/);
    const bad = join(dir, 'bad-spaces.mjs');
    writeFileSync(bad, "process.stdin.once('data', (d) => { const { id } = JSON.parse(String(d)); process.stdout.write(JSON.stringify({ id, result: { agents: 2, actions: [2], states: 3, horizon: 2, divergence: 'tv', radius: 0 } }) + '\\n'); });");
    await expect(startExternalEnv(`node ${bad}`)).rejects.toThrow(/answer to "spaces": actions: expected 2 action counts \(one per agent\), got \[2\]/);
    await expect(startExternalEnv('  ')).rejects.toThrow(/env-cmd: expected a command line/);
  });
});
