/**
 * The drmg-policy/1 JSON format (shared/spec/formats.md) <-> JointPolicy.
 * File layout policy[h][s][j]; flattened row-major it is the JointPolicy layout pi[(h*S + s)*J + j].
 */
import { inputError } from './drmg-error.ts';
import { withSource } from './game-format.ts';
import { checkDenseSize, checkObject, checkPolicySizes, describeValue } from './input-checks.ts';
import { readJsonFile } from './json-file.ts';
import type { ReadTextFileOptions } from './read-text-file.ts';
import { flattenNested, nestArray } from './nested-arrays.ts';
import { checkJointPolicy, productToJoint, type PolicySizes } from './policies.ts';
import type { JointPolicy, Policy, TabularGame } from './tabular-game.ts';

/** The format tag of a policy file. */
export const POLICY_FORMAT = 'drmg-policy/1';

function parsePolicyObject(json: unknown, game: PolicySizes): JointPolicy {
  checkPolicySizes(game, 'game');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) inputError('', `expected a ${POLICY_FORMAT} JSON object, got ${describeValue(json)}`);
  const doc = json as Record<string, unknown>;
  if (doc.format === undefined) inputError('format', `missing, expected "${POLICY_FORMAT}"`);
  if (doc.format !== POLICY_FORMAT) inputError('format', `expected "${POLICY_FORMAT}", got ${describeValue(doc.format)}`);
  const { H, S, J } = game;
  checkDenseSize(H * S * J, 'H*S*J', 'policy');
  const flat = new Float64Array(H * S * J);
  flattenNested(doc.policy, [H, S, J], ['H', 'S', 'J'], 'policy', flat);
  return checkJointPolicy(flat, game);
}

/**
 * Parses a drmg-policy/1 document (already JSON-decoded) for `game`: policy[h][s] must be a
 * distribution over the game's J joint actions (entries >= 0, summing to 1 within 1e-9); rows are
 * renormalised to sum to exactly 1. Unknown fields are ignored.
 * @param source a file name to put in front of error paths.
 * @throws DrmgError('input', path, detail), e.g. `policy[1][0]: row sums to 0.9, expected 1`.
 */
export function parsePolicy(json: unknown, game: PolicySizes, source?: string): JointPolicy {
  try {
    return parsePolicyObject(json, game);
  } catch (e) {
    throw withSource(e, source);
  }
}

/**
 * Reads a drmg-policy/1 file for `game`, bounded and strict as `readGameFile`.
 * @throws DrmgError('input', ...) naming the file: missing, too large, not UTF-8, bad JSON (line and column), or any parsePolicy error.
 */
export function readPolicyFile(path: string, game: PolicySizes, options: ReadTextFileOptions = {}): JointPolicy {
  return parsePolicy(readJsonFile(path, options), game, path);
}

/**
 * The drmg-policy/1 document of a policy on `game`; a product policy is written as the product of its marginals.
 * @throws DrmgError('input', ...) when the policy's sizes do not match the game.
 */
export function policyToJson(policy: Policy, game: TabularGame): { format: 'drmg-policy/1'; policy: number[][][] } {
  checkPolicySizes(game, 'game');
  checkObject(policy, 'policy', 'a joint or product policy');
  const joint = policy.kind === 'product' ? productToJoint(policy, game) : policy;
  const { H, S, J } = game;
  if (joint.H !== H || joint.S !== S || joint.J !== J || !(joint.prob instanceof Float64Array) || joint.prob.length !== H * S * J) {
    inputError('policy', `expected H = ${H}, S = ${S}, J = ${J} (the game's), got H = ${describeValue(joint.H)}, S = ${describeValue(joint.S)}, J = ${describeValue(joint.J)} with ${describeValue(joint.prob)}`);
  }
  return { format: POLICY_FORMAT, policy: nestArray(joint.prob, [H, S, J]) as number[][][] };
}
