/** Writes docs/reference/parameters.md from the schemas (`pnpm docs:params`); test/parameter-docs.test.ts keeps it current. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parameterReference } from '@drmg/cli';

const file = join(import.meta.dirname, '..', 'docs', 'reference', 'parameters.md');
writeFileSync(file, parameterReference());
console.log(`wrote ${file}`);
