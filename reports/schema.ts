/**
 * Validation of `results.json` against its JSON Schema (`scoring/results.schema.json`, draft
 * 2020-12, shipped with the package). `compare` uses it before reading a file; tests use it on
 * every fixture.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import schema from '../scoring/results.schema.json' with { type: 'json' };
import type { CaseRecord, RunResults } from '../scoring/results.ts';

/** The JSON Schema of `results.json`. */
export const RESULTS_SCHEMA: Readonly<Record<string, unknown>> = schema;

let compiled: ValidateFunction | undefined;
let compiledCase: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled === undefined) {
    // ajv and ajv-formats are CommonJS; under NodeNext their classes sit on `.default`. strictRequired
    // is off because the if/then rules name properties declared beside them, not inside them.
    const ajv = new Ajv2020Module.default({ allErrors: true, strict: true, strictRequired: false });
    addFormatsModule.default(ajv);
    compiled = ajv.compile(schema);
    compiledCase = ajv.getSchema(`${schema.$id}#/$defs/caseRecord`);
    if (compiledCase === undefined) throw new Error('reports/schema.ts: results.schema.json has no $defs/caseRecord');
  }
  return compiled;
}

/** The outcome of {@link validateResults}. */
export type ResultsValidation = { readonly ok: true; readonly results: RunResults } | { readonly ok: false; readonly errors: readonly string[] };

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(top level)' : e.instancePath;
  const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : e.keyword === 'enum' ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')})` : '';
  return `${where} ${e.message ?? 'is invalid'}${extra}`;
}

/**
 * Checks that `data` is a `results.json` object this version of kms-conformance reads. Errors name
 * the JSON pointer of each problem (at most `maxErrors`, default 20).
 */
export function validateResults(data: unknown, maxErrors = 20): ResultsValidation {
  const validate = validator();
  if (validate(data)) return { ok: true, results: data as RunResults };
  return { ok: false, errors: errorsOf(validate, maxErrors) };
}

/** The distinct errors of a failed validation, at most `maxErrors` of them, then how many more. */
function errorsOf(validate: ValidateFunction, maxErrors: number): string[] {
  const unique = [...new Set((validate.errors ?? []).map(describeError))];
  return unique.length > maxErrors ? [...unique.slice(0, maxErrors), `… and ${unique.length - maxErrors} more`] : unique;
}

/** The outcome of {@link validateCaseRecord}. */
export type CaseValidation = { readonly ok: true; readonly record: CaseRecord } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Checks that `data` is one case record of a `results.json` (an item of its `cases`), for readers
 * that take the cases one at a time. Errors as {@link validateResults} gives them.
 */
export function validateCaseRecord(data: unknown, maxErrors = 20): CaseValidation {
  validator();
  const validate = compiledCase!;
  if (validate(data)) return { ok: true, record: data as CaseRecord };
  return { ok: false, errors: errorsOf(validate, maxErrors) };
}
