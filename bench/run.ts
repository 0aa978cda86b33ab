/**
 * `pnpm bench [filter]`: runs every bench/*.bench.ts (or those whose name contains `filter`) and
 * prints their figures. Not a test: nothing is asserted, speed is reported.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
console.log(`drmg bench — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`);
for (const f of files) {
  console.log(`\n## ${f}`);
  const mod = (await import(join(here, f))) as { run(): Promise<void> | void };
  await mod.run();
}
