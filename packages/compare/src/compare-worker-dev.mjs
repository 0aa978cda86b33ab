// Worker entry of `drmg compare`'s thread pool (piscina) when drmg runs from its TypeScript sources (inside the
// repository: tests, `pnpm drmg`, examples): registers tsx's ESM loader in this thread, so that the sources load here
// as on the main thread, then hands the task to compare-worker.ts. (A loader registered on the main thread is not
// inherited by worker threads in every Node version, and vitest's transform never is.) The published package runs
// dist/compare-worker.js with plain node instead (see run-compare.ts); tsx is a devDependency only.
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./compare-worker.ts');

export default run;
