// Worker entry of `drmg compare`'s thread pool (piscina): registers tsx's ESM loader in this thread,
// so that the TypeScript sources load here as they do on the main thread, then hands the task to
// compare-worker.ts. (A loader registered on the main thread is not inherited by worker threads in
// every Node version, and vitest's transform never is; registering here works in all cases.)
import { register } from 'tsx/esm/api';

register();
const { default: run } = await import('./compare-worker.ts');

export default run;
