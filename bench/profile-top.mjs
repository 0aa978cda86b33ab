// Prints the top entries by self time of a V8 .cpuprofile (node --cpu-prof): `node bench/profile-top.mjs FILE [N]`.
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 12);
const self = new Map();
const dt = prof.timeDeltas;
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
let total = 0;
for (let k = 0; k < prof.samples.length; k++) {
  const node = byId.get(prof.samples[k]);
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-1)[0]}:${f.lineNumber + 1}`;
  const d = dt[k] ?? 0;
  self.set(key, (self.get(key) ?? 0) + d);
  total += d;
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
for (const [key, t] of top) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${key}`);
