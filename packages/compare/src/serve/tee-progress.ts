/** `teeProgress`: one progress sink that hands every call to several (the terminal's and the live dashboard's). */
import type { CompareProgressSink } from '../run-compare.ts';

/**
 * A sink calling each of `sinks` in turn (undefined ones are left out).
 * @example compare(config, { progress: teeProgress(compareProgress(process.stderr), live.sink) })
 */
export function teeProgress(...sinks: readonly (CompareProgressSink | undefined)[]): CompareProgressSink {
  const all = sinks.filter((s): s is CompareProgressSink => s !== undefined);
  return {
    start: (runs, workers, info) => all.forEach((s) => s.start(runs, workers, info)),
    update: (index, progress) => all.forEach((s) => s.update(index, progress)),
    finish: (index, output) => all.forEach((s) => s.finish(index, output)),
    end: (interrupted) => all.forEach((s) => s.end(interrupted)),
  };
}
