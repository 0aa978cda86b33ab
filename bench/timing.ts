/** Shared timing helper for benchmarks: warm up, then the median of repeated runs. */

/** Median milliseconds of `fn` over `reps` runs after `warmup` runs. */
export function medianMs(fn: () => void, reps = 30, warmup = 5): number {
  for (let k = 0; k < warmup; k++) fn();
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}
