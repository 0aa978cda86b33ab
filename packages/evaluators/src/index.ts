export * from './robust-evaluator.ts';
export * from './evaluate-policy.ts';
export * from './evaluation-json.ts';
export * from './initial-gap.ts';
export * from './joint-policy-table.ts';
