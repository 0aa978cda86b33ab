/**
 * A profiling driver (not a bench): one default `drmg compare` learner on bridge-crossing-v0 for K episodes, as
 * compare.bench.ts times it. `node --cpu-prof --import tsx bench/profile-compare-learner.ts mornavi-kl 3000`.
 */
import { make } from '../packages/envs/src/index.ts';
import { TrainingRun, type EventSink } from '../packages/experiments/src/index.ts';
import { createLearner, learnerContext } from '../packages/learners/src/index.ts';
import { resolveCompareConfig } from '../packages/compare/src/index.ts';

const name = process.argv[2] ?? 'mornavi-kl';
const K = Number(process.argv[3] ?? 3000);
const config = resolveCompareConfig({});
const params = config.learners.find((l) => l.name === name)?.params ?? {};
const env = make('bridge-crossing-v0', name === 'mornavi-kl' ? { divergence: 'kl' } : {});
const model = name === 'mornavi-kl' ? make('bridge-crossing-v0', { divergence: 'kl' }).model : env.model;
const learner = createLearner(name, learnerContext(model, K, name === 'planner'), params);
const run = new TrainingRun({ env: make('bridge-crossing-v0'), learner, episodes: K, seed: 1, steps: false, policies: false });
const sink: EventSink = { next() {}, closed: false };
const t0 = performance.now();
for (let k = 0; k < K; k++) run.episode(k, sink);
console.log(`${name}: ${((performance.now() - t0) / K).toFixed(3)} ms per episode over K = ${K}`);
