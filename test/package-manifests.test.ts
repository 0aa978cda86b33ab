/**
 * Every workspace package declares what its sources import (nothing works only by hoisting), and every library
 * package is publishable: not private, a version, a license, `files`, `sideEffects`, engines, and a `publishConfig`
 * whose exports and types point at dist/ (pnpm applies it when packing; see test/package-consumer.test.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Manifest {
  name: string;
  private?: boolean;
  version?: string;
  license?: string;
  files?: string[];
  sideEffects?: boolean;
  engines?: { node?: string };
  exports?: Record<string, unknown>;
  publishConfig?: { exports?: Record<string, unknown>; types?: string; bin?: Record<string, string> };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'data') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** The bare package names a file imports (static, dynamic, and type-only), without node: builtins. */
function importedPackages(file: string): Set<string> {
  const text = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^'.][^']*)'/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]);
  }
  return names;
}

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

const libraries = readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p));
const workspaces: [string, string[]][] = [
  ...libraries.map((dir): [string, string[]] => [dir, [join(dir, 'src')]]),
  [join(root, 'test'), [join(root, 'test')]],
  [join(root, 'examples'), [join(root, 'examples')]],
  [root, [join(root, 'bench')]],
];

describe('package manifests', () => {
  it('every workspace package declares each package its sources import', () => {
    const missing: string[] = [];
    for (const [dir, srcDirs] of workspaces) {
      const m = manifest(dir);
      const declared = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.devDependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
      for (const src of srcDirs) {
        for (const file of sourceFiles(src)) {
          for (const name of importedPackages(file)) {
            if (name !== m.name && !declared.has(name)) missing.push(`${file.slice(root.length + 1)} imports ${name}, not declared in ${m.name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('runtime code imports only runtime dependencies (devDependencies only from tests and the dev worker entry)', () => {
    const wrong: string[] = [];
    for (const dir of libraries) {
      const m = manifest(dir);
      const runtime = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.peerDependencies ?? {})]);
      for (const file of sourceFiles(join(dir, 'src'))) {
        if (/\.test\.ts$/.test(file) || /-dev\.mjs$/.test(file)) continue;
        for (const name of importedPackages(file)) if (name !== m.name && !runtime.has(name)) wrong.push(`${file.slice(root.length + 1)}: ${name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('every library package is publishable, built JS and types for users, sources inside the repository', () => {
    expect(libraries.length).toBe(8);
    for (const dir of libraries) {
      const m = manifest(dir);
      expect(m.private, m.name).toBeUndefined();
      expect(m.version, m.name).toMatch(/^\d+\.\d+\.\d+$/);
      expect(m.license, m.name).toBe('MIT');
      expect(m.files, m.name).toContain('dist');
      expect(m.sideEffects, m.name).toBe(false);
      expect(m.engines?.node, m.name).toBe('>=20');
      expect(m.exports?.['.'], m.name).toBe('./src/index.ts');
      expect(m.publishConfig?.exports?.['.'], m.name).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
      expect(m.publishConfig?.types, m.name).toBe('./dist/index.d.ts');
      for (const [dep, range] of Object.entries(m.dependencies ?? {})) {
        if (dep.startsWith('@drmg/')) expect(range, `${m.name} -> ${dep}`).toBe('workspace:*');
      }
    }
    expect(manifest(join(root, 'packages/cli')).publishConfig?.bin).toEqual({ drmg: './dist/main.js' });
    // Plotting is paid for only by users of compare.
    for (const p of ['core', 'equilibria', 'evaluators', 'envs', 'learners', 'experiments']) {
      const deps = Object.keys(manifest(join(root, 'packages', p)).dependencies ?? {});
      expect(deps.filter((d) => /vega|resvg|dejavu|piscina/.test(d)), p).toEqual([]);
    }
  });
});
