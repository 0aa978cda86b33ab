/**
 * Reading a compare config file (JSON or YAML) into a plain object, bounded and with located errors; what the
 * settings mean and how they are checked is `compare-config.ts` (the schema) and `resolve-compare-config.ts`.
 */
import { dirname, resolve } from 'node:path';
import { DrmgError, MAX_NESTING_DEPTH, describeValue, findJsonProblem, inputError, readTextFile, textLineColumn } from '@drmg/core';
import { isCollection, parseDocument, visit } from 'yaml';
import type { CompareConfigInput } from './compare-config.ts';

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** What `readCompareConfigFile` returns: the raw object, its source name and directory (for relative paths). */
export interface CompareConfigFile {
  readonly input: CompareConfigInput;
  readonly source: string;
  readonly baseDir: string;
}

/** How deeply a value nests arrays and objects (iterative: any depth is safe); stops counting past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > limit) return deepest;
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
  }
  return deepest;
}

/** The YAML text of a config as a plain value, or a located input error (syntax, duplicate keys, alias bombs, depth). */
function parseYamlConfig(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    let reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    // The yaml parser recurses per level and reports running out of stack as an error of the document.
    if (/call stack/i.test(reason)) reason = `nested too deeply for the YAML parser (a compare config needs 4 levels; at most ${MAX_NESTING_DEPTH})`;
    inputError(pos ? `${source}:${pos.line}:${pos.col}` : source, `invalid YAML: ${reason}`);
  }
  if (doc.contents === null) {
    inputError(source, 'the config is empty; expected a mapping of settings such as "episodes: 500" (write {} to run the default experiment)');
  }
  // A key that is itself a list or a mapping has no JSON form (yaml would stringify it, with a warning).
  let complexKey: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        complexKey = pair.key.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (complexKey !== undefined) {
    const at = textLineColumn(text, complexKey);
    inputError(`${source}:${at.line}:${at.column}`, 'invalid YAML: a key that is a list or a mapping; expected a plain name');
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const at = first === undefined ? null : textLineColumn(text, first);
    inputError(
      at ? `${source}:${at.line}:${at.column}` : source,
      e instanceof RangeError
        ? `invalid YAML: its aliases expand too deeply (${e.message})`
        : 'invalid YAML: its aliases expand to too many nodes (more than 100 times the document: an "alias bomb"); write the values out instead',
    );
  }
}

/**
 * Reads a config file: `.json` as JSON, `.yaml` / `.yml` as YAML; relative paths inside it are relative to its directory.
 * The file is read bounded (`readTextFile`: the size limit, UTF-8); JSON and YAML alike refuse duplicate keys and
 * nesting deeper than MAX_NESTING_DEPTH, YAML aliases that expand out of proportion, and an empty or null document
 * (which would otherwise run the whole default experiment unasked).
 *
 * A config is code: its `modules` are imported (executed) by `compare` in the main thread and every worker, and
 * `env` and `out` may name any path. Read configs only from sources you trust.
 * @throws DrmgError ('input') naming the file when it is missing, too large, not UTF-8, has another extension,
 * is empty or null, or does not parse (with the line and column of the first problem).
 */
export function readCompareConfigFile(file: string): CompareConfigFile {
  const path = resolve(file);
  const source = file;
  const yamlFile = /\.ya?ml$/i.test(file);
  if (!yamlFile && !/\.json$/i.test(file)) inputError(source, 'expected a .json, .yaml or .yml config file');
  let text: string;
  try {
    text = readTextFile(file, { expected: 'a config file' });
  } catch (e) {
    if (!(e instanceof DrmgError)) throw e;
    return inputError(source, e.detail === 'file not found' ? 'cannot read the config file: no such file' : e.detail);
  }
  let input: unknown;
  if (yamlFile) {
    input = parseYamlConfig(text, source);
  } else {
    const p = findJsonProblem(text);
    if (p !== null) inputError(`${source}:${p.line}:${p.column}`, p.kind === 'depth' ? `JSON refused: ${p.reason}` : `invalid JSON: ${p.reason}`);
    input = JSON.parse(text);
  }
  if (input === null || input === undefined) {
    inputError(source, `the config is null; expected a mapping of settings such as ${yamlFile ? '"episodes: 500"' : '{"episodes": 500}'} (write {} to run the default experiment)`);
  }
  if (nestingDepth(input, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) inputError(source, `nested deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings (the limit)`);
  if (!isRecord(input)) inputError(source, `expected a mapping of settings at the top level, got ${describeValue(input)}`);
  return { input: input as CompareConfigInput, source, baseDir: dirname(path) };
}

