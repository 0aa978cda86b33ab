/** `runFolderFiles`: the files of a run folder the dashboard links to (relative paths, hidden and temporary files left out). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every regular file under `dir` (recursively, sorted; names starting with a dot and temporary files left out), as paths relative to `dir`; [] when it cannot be read. */
export function runFolderFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || /\.tmp-\d+$/.test(e.name)) continue;
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (e.isFile()) out.push(path);
    }
  };
  walk('');
  return out.sort((a, b) => (a.includes('/') === b.includes('/') ? a.localeCompare(b) : a.includes('/') ? 1 : -1));
}
