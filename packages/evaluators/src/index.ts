export { createEvaluator, type EvaluateOptions, type Evaluator, type RobustEvaluation } from './robust-evaluator.ts';
export { evaluatePolicy } from './evaluate-policy.ts';
export { evaluationToJson, type EvaluationJson } from './evaluation-json.ts';
export { initialGap } from './initial-gap.ts';
export { jointPolicyTable } from './joint-policy-table.ts';
