export * from './drmg-error.ts';
export * from './joint-action.ts';
export * from './tabular-game.ts';
export * from './rng.ts';
