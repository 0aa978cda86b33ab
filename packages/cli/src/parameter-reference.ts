/**
 * The reference of every setting drmg has, as Markdown, written from the schemas themselves: each registered
 * learner's parameters, each registered environment's parameters and the settings of a compare config. It is
 * docs/reference/parameters.md (a test keeps the file current) and a page of the typedoc site.
 */
import { describeParams, formatDefault, rangePhrase, type ParamInfo, type ParamSchema } from '@drmg/core';
import { compareConfigSchema } from '@drmg/compare';
import { envSpec, listEnvs } from '@drmg/envs';
import { listLearners } from '@drmg/learners';

/** A Markdown table cell: Markdown's own characters and HTML's escaped, line breaks as spaces. */
function cell(text: string): string {
  return text
    .replace(/[\\`*_|[\]]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
}

/** The range column: [min, max], >= min, the enum values, or '-'. */
function range(p: ParamInfo): string {
  if (p.values !== undefined) return p.values.map((v) => `\`${v}\``).join(', ');
  const r = rangePhrase(p.min, p.max, p.rangeDoc).replace(/^ in /, '').trim();
  return r === '' ? '-' : r;
}

/** One table of a schema's settings: name, type, default, range, doc. */
export function parameterTable(schema: ParamSchema): string {
  const rows = describeParams(schema).map((p) => `| \`${p.name}\` | ${cell(p.typeDoc)} | \`${formatDefault(p.default).replace(/\|/g, '\\|')}\` | ${range(p).replace(/\|/g, '\\|').replace(/>/g, '&gt;')} | ${cell(p.doc)} |`);
  if (rows.length === 0) return '(no parameters)\n';
  return ['| name | type | default | range | what it does |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/**
 * The Markdown reference of every registered learner's and environment's parameters and of the compare config.
 * @example writeFileSync('docs/reference/parameters.md', parameterReference())
 */
export function parameterReference(): string {
  const parts = [
    '# Parameters',
    '',
    'Every setting drmg has, written from the schemas that declare them (`defineParams` in @drmg/core) by',
    '`pnpm docs:params`; a test keeps this page equal to its generated form. The same schemas make `drmg train --help`,',
    '`drmg env --help`, `drmg compare --help`, the JSON Schema of a compare config (docs/compare.schema.json) and the',
    'checks of `--param NAME=VALUE`.',
    '',
    '## Learners',
    '',
    'Set with `drmg train --learner NAME --param NAME=VALUE`, or `params` of a compare config entry.',
    '',
  ];
  for (const def of listLearners()) {
    parts.push(`### ${def.name}`, '', cell(`${def.description}${def.needsModel ? ' (is given the model)' : ''}`), '', parameterTable(def.params));
  }
  parts.push('## Environments', '', 'Set with `--env-param NAME=VALUE` (train), `--param NAME=VALUE` (env export, rollout), or `envParams` of a compare config.', '');
  for (const e of listEnvs()) parts.push(`### ${e.id}`, '', cell(e.summary), '', parameterTable(envSpec(e.id).params));
  parts.push('## Compare config', '', 'The settings of a `drmg compare --config FILE` (YAML or JSON); every one has a default.', '', parameterTable(compareConfigSchema));
  return parts.join('\n');
}
