/**
 * Every parameter is declared once (a schema) and shown everywhere from there: this test enumerates every
 * registered learner and environment and checks that each parameter appears, with its default and its doc, in
 * `drmg train --help` / `drmg env --help`, in the JSON Schema of a compare config, and in the typedoc site (the
 * generated page docs/reference/parameters.md), and that the defaults agree across the three.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeParams, formatDefault, type ParamInfo } from '@drmg/core';
import { compareConfigJsonSchema } from '@drmg/compare';
import { memoryIo, parameterReference, runCli } from '@drmg/cli';
import { envSpec, listEnvs } from '@drmg/envs';
import { listLearners } from '@drmg/learners';

const root = join(import.meta.dirname, '..');

/** Whitespace runs as one space (help texts and HTML wrap lines). */
const squash = (text: string) => text.replace(/\s+/g, ' ');

/** The text of an HTML page: tags dropped, the entities typedoc writes decoded. */
function htmlText(html: string): string {
  return squash(
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

async function help(...argv: string[]): Promise<string> {
  const io = memoryIo();
  expect(await runCli(argv, io)).toBe(0);
  return io.stdout;
}

type Owner = { kind: 'learner' | 'env'; name: string; params: ParamInfo[]; schemaProps: Record<string, { default?: unknown; description?: string; anyOf?: unknown }> };

function owners(): Owner[] {
  const schema = compareConfigJsonSchema() as { properties: { learners: { items: { anyOf: { properties?: { name: { const: string }; params: { properties: Owner['schemaProps'] } } }[] } } }; allOf: { if: { properties?: { env?: { const?: string } } }; then: { properties: { envParams: { properties?: Owner['schemaProps'] } } } }[] };
  const learnerProps = new Map(schema.properties.learners.items.anyOf.filter((x) => x.properties !== undefined).map((x) => [x.properties!.name.const, x.properties!.params.properties]));
  const envProps = new Map(schema.allOf.filter((x) => x.if.properties?.env?.const !== undefined).map((x) => [x.if.properties!.env!.const!, x.then.properties.envParams.properties ?? {}]));
  return [
    ...listLearners().map((d): Owner => ({ kind: 'learner', name: d.name, params: describeParams(d.params), schemaProps: learnerProps.get(d.name)! })),
    ...listEnvs().map((e): Owner => ({ kind: 'env', name: e.id, params: describeParams(envSpec(e.id).params), schemaProps: envProps.get(e.id)! })),
  ];
}

describe('each parameter is shown from its one declaration', () => {
  let trainHelp = '';
  let envHelp = '';
  let typedocPage = '';
  let typedocDir = '';

  beforeAll(async () => {
    trainHelp = squash(await help('train', '--help'));
    envHelp = squash(await help('env', '--help'));
    // The typedoc site, built as `pnpm docs` builds it (typedoc.json), into a temporary folder.
    typedocDir = mkdtempSync(join(tmpdir(), 'drmg-typedoc-'));
    execFileSync(join(root, 'node_modules/.bin/typedoc'), ['--out', typedocDir, '--logLevel', 'Error'], { cwd: root, stdio: 'pipe' });
    typedocPage = htmlText(readFileSync(join(typedocDir, 'documents/parameters.html'), 'utf8'));
  }, 120_000);
  afterAll(() => {
    if (typedocDir) rmSync(typedocDir, { recursive: true, force: true });
  });

  it('docs/reference/parameters.md is generated from the schemas (regenerate: pnpm docs:params)', () => {
    expect(readFileSync(join(root, 'docs/reference/parameters.md'), 'utf8')).toBe(parameterReference());
  });

  const all = owners();
  it('enumerates every registered learner and environment (and every one has parameters somewhere)', () => {
    expect(all.filter((o) => o.kind === 'learner').length).toBe(listLearners().length);
    expect(all.filter((o) => o.kind === 'env').length).toBe(listEnvs().length);
    expect(all.reduce((n, o) => n + o.params.length, 0)).toBeGreaterThan(40);
  });

  it.each(all.map((o) => [`${o.kind} ${o.name}`, o]))('%s: in --help, the JSON Schema and typedoc, with one default and one doc', (_, o) => {
    const helpText = o.kind === 'learner' ? trainHelp : envHelp;
    const section = typedocPage.slice(typedocPage.indexOf(` ${o.name} `));
    expect(section.length).toBeLessThan(typedocPage.length);
    expect(o.schemaProps).toBeDefined();
    for (const p of o.params) {
      const dflt = formatDefault(p.default);
      // --help: `NAME=TYPE  (default D...` then the doc.
      expect(helpText).toContain(`${o.kind === 'learner' ? '--param ' : ''}${p.name}=${p.typeDoc} (default ${dflt}`);
      expect(helpText).toContain(squash(p.doc));
      // JSON Schema: the property with the same default and the doc as its description.
      const prop = o.schemaProps[p.name];
      expect(prop, `${o.name}.${p.name} in the JSON Schema`).toBeDefined();
      expect(prop.default).toEqual(p.default);
      expect(prop.description?.startsWith(p.doc)).toBe(true);
      // typedoc: the row of the parameter in this owner's table: name, type, default, doc.
      expect(section).toContain(`${p.name} ${p.typeDoc} ${dflt}`);
      expect(section).toContain(squash(p.doc));
    }
    // Nothing in the schema that the declaration lacks.
    expect(Object.keys(o.schemaProps).sort()).toEqual(o.params.map((p) => p.name).sort());
  });
});
