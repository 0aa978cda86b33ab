#!/usr/bin/env node
// The relay simulator of relay_sim.py, in Node (no dependencies): the same game, the same protocol
// (docs/external-envs.md), its own random generator (so its episodes differ from Python's for the same seed).
//   drmg train --env-cmd "node examples/external/relay-sim.mjs" --learner mornavi-tv --episodes 500
// Flags: --no-model (decline "model": Monte Carlo returns only).
import { createInterface } from 'node:readline';

const S = 5, H = 6, DELIVERED = 3, LOST = 4;
const serveModel = !process.argv.includes('--no-model');

/** The simulator's nominal P(. | s, a). */
function nextDistribution(s, a0, a1) {
  const p = new Array(S).fill(0);
  if (s === DELIVERED || s === LOST) {
    p[s] = 1;
    return p;
  }
  const q = 0.5 + 0.2 * (a0 + a1);
  p[s + 1] += q;
  p[LOST] += (1 - q) * 0.3;
  p[s] += (1 - q) * 0.7;
  return p;
}

function reward(s, a, i) {
  if (s === DELIVERED) return 1;
  if (s === LOST) return 0;
  return a[i] === 0 ? 0.1 : 0;
}

/** mulberry32: a small seeded generator (the simulator's own). */
function generator(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let x = Math.imul(t ^ (t >>> 15), 1 | t);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function model() {
  const joint = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const steps = Array.from({ length: H });
  return {
    format: 'drmg-game/1',
    name: 'relay (node)',
    states: S,
    horizon: H,
    actions: [2, 2],
    initial: [1, 0, 0, 0, 0],
    reward: steps.map(() => Array.from({ length: S }, (_, s) => joint.map((a) => [0, 1].map((i) => reward(s, a, i))))),
    transition: steps.map(() => Array.from({ length: S }, (_, s) => joint.map(([a0, a1]) => nextDistribution(s, a0, a1)))),
    uncertainty: { divergence: 'tv', radius: [0.1, 0.1] },
    failureStates: [[LOST], [LOST]],
  };
}

let rng = generator(0);
let state = 0;
const out = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const { id, method, params = {} } = JSON.parse(line);
  if (method === 'spaces') out({ id, result: { name: 'relay (node)', agents: 2, actions: [2, 2], states: S, horizon: H, divergence: 'tv', radius: 0.1 } });
  else if (method === 'model') out(serveModel ? { id, result: model() } : { id, error: { message: 'this simulator has no model' } });
  else if (method === 'reset') {
    rng = generator(params.seed ?? 0);
    state = 0;
    out({ id, result: { state } });
  } else if (method === 'step') {
    const [a0, a1] = params.actions;
    const rewards = [0, 1].map((i) => reward(state, [a0, a1], i));
    const p = nextDistribution(state, a0, a1);
    let u = rng();
    let next = S - 1;
    for (let sp = 0; sp < S; sp++) {
      u -= p[sp];
      if (u < 0) {
        next = sp;
        break;
      }
    }
    state = next;
    out({ id, result: { state, rewards } });
  } else if (method === 'close') break;
  else out({ id, error: { message: `unknown method ${JSON.stringify(method)}` } });
}
