// Worker entry of the two-thread evaluation when drmg runs from its TypeScript sources (tests, `pnpm drmg`,
// examples): registers tsx's ESM loader in this thread, so that the sources load here as on the main thread, then
// runs evaluation-worker.ts. The published package runs dist/evaluation-worker.js with plain node instead
// (see parallel-evaluation.ts); tsx is a devDependency only.
import { register } from 'tsx/esm/api';

register();
await import('./evaluation-worker.ts');
