/**
 * Game construction and the JSON formats: createTabularGame from a dense kernel, buildGame from
 * functions, gameToJson + JSON.stringify, JSON.parse + parseGame, at S = 50, H = 20, A = [5, 5]
 * (25,000 kernel rows, 1.25M dense kernel entries, rows with 1..5 next states).
 */
import { buildGame, createTabularGame, gameToJson, parseGame, parsePolicy, policyToJson, randomGame, uniformPolicy } from '../packages/core/src/index.ts';
import { medianMs } from './timing.ts';

/** Prints median times (ms) of each operation. */
export async function run(): Promise<void> {
  const S = 50;
  const H = 20;
  const A = [5, 5];
  const g = randomGame(1, { S, H, A, support: 5, radius: 'state' });
  const { J, m } = g;
  const rows = H * S * J;
  const dense = new Float64Array(rows * S);
  for (let r = 0; r < rows; r++) for (let k = g.kernel.rowStart[r]; k < g.kernel.rowStart[r + 1]; k++) dense[r * S + g.kernel.next[k]] = g.kernel.prob[k];
  const parts = { S, H, A, initial: g.initial, reward: g.reward, kernel: dense, divergence: g.divergence, radius: g.radius };
  const doc = gameToJson(g);
  const text = JSON.stringify(doc);
  const line = (what: string, ms: number) => console.log(`${what.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms`);
  console.log(`game: S = ${S}, H = ${H}, A = [${A.join(', ')}], ${rows} kernel rows, ${g.kernel.prob.length} nonzeros, JSON ${(text.length / 1e6).toFixed(1)} MB`);
  line('createTabularGame (dense kernel -> CSR, all checks)', medianMs(() => void createTabularGame(parts), 15, 3));
  line('createTabularGame (CSR kernel)', medianMs(() => void createTabularGame({ ...parts, kernel: g.kernel }), 15, 3));
  line('buildGame (reward/transition functions, sparse rows)', medianMs(() => {
    buildGame({
      states: S,
      horizon: H,
      actions: A,
      initial: Array.from(g.initial),
      reward: (h, s, a, i) => g.reward[((h * S + s) * J + a[0] * 5 + a[1]) * m + i],
      transition: (h, s, a) => {
        const r = (h * S + s) * J + a[0] * 5 + a[1];
        const row: Record<number, number> = {};
        for (let k = g.kernel.rowStart[r]; k < g.kernel.rowStart[r + 1]; k++) row[g.kernel.next[k]] = g.kernel.prob[k];
        return row;
      },
      divergence: 'tv',
      radius: (i, h, s) => g.radius[(i * H + h) * S + s],
    });
  }, 10, 2));
  line('gameToJson', medianMs(() => void gameToJson(g), 10, 2));
  line('JSON.stringify(gameToJson) (for reference)', medianMs(() => void JSON.stringify(doc), 10, 2));
  line('JSON.parse (for reference)', medianMs(() => void JSON.parse(text), 10, 2));
  line('parseGame (already-parsed JSON)', medianMs(() => void parseGame(doc), 10, 2));
  const pdoc = policyToJson(uniformPolicy(g), g);
  line('parsePolicy (H*S*J = 25,000 rows of 25)', medianMs(() => void parsePolicy(pdoc, g), 20, 3));
}
