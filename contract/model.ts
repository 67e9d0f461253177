/**
 * The KMS model subset as typed data, loaded from `contract/model/kms-model.json` (extracted from
 * the Smithy model by `scripts/extract-model.ts`). Member constraints everywhere in the project
 * come from here, never retyped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractVersionId, OperationName } from './types.ts';

export interface ModelMember {
  /** Smithy shape name, e.g. `PolicyType`. */
  readonly shape: string;
  /** Smithy type: `string`, `integer`, `boolean`, `enum`, `list`, `structure`, `timestamp`, … */
  readonly type: string;
  readonly length?: { readonly min?: number; readonly max?: number };
  readonly range?: { readonly min?: number; readonly max?: number };
  readonly pattern?: string;
  readonly default?: unknown;
  readonly enum?: readonly string[];
  readonly deprecated?: boolean;
  readonly sensitive?: boolean;
  readonly member?: ModelMember;
  readonly members?: Readonly<Record<string, ModelMember>>;
  /** Required in the current model (M1). */
  readonly required?: boolean;
  /** Required in the botocore model of 2024-01-05 (B0). */
  readonly requiredBefore2024_03_18?: boolean;
}

export interface ModelOperation {
  readonly target: string;
  readonly input: Readonly<Record<string, ModelMember>>;
  /** Output member name → shape name; `null` for `smithy.api#Unit`. */
  readonly output: Readonly<Record<string, string>> | null;
  readonly errors: readonly string[];
}

export interface ModelError {
  readonly fault: 'client' | 'server';
  readonly httpError: number;
  readonly awsQueryError?: { readonly code: string; readonly httpResponseCode: number };
}

export interface ModelFile {
  readonly about: string;
  readonly service: {
    readonly shapeId: string;
    readonly protocol: string;
    readonly targetPrefix: string;
    readonly signingName: string;
  };
  readonly operations: Readonly<Record<OperationName, ModelOperation>>;
  readonly errors: Readonly<Record<string, ModelError>>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Path of the committed model file. Works from the sources and from `dist/contract/`. */
export function modelFilePath(): string {
  const candidates = [join(here, 'model', 'kms-model.json'), join(here, '..', '..', 'contract', 'model', 'kms-model.json')];
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return found;
  throw new Error(`[kms-conformance] contract model not found; looked in: ${candidates.join(', ')}. Reinstall the package.`);
}

/**
 * Every JSON object of the model gets a null prototype, so a name taken from a request
 * (`toString`, `constructor`, `__proto__`) never finds an inherited property in `input`,
 * `members` or `errors`: only modelled names are there.
 */
function withoutPrototypes(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value;
}

/** The model, loaded once. */
export const MODEL: ModelFile = JSON.parse(readFileSync(modelFilePath(), 'utf8'), withoutPrototypes) as ModelFile;

/** The members of an operation's input. */
export function inputMembers(op: OperationName): Readonly<Record<string, ModelMember>> {
  return MODEL.operations[op].input;
}

/** Is `member` of `op` required under `version`? (PolicyName: required before 2024-03-18.) */
export function isRequired(op: OperationName, member: string, version: ContractVersionId): boolean {
  const m = MODEL.operations[op].input[member];
  if (!m) return false;
  return version === '2017-02-15' ? m.requiredBefore2024_03_18 === true : m.required === true;
}

/** `X-Amz-Target` value of an operation, e.g. `TrentService.PutKeyPolicy`. */
export function targetOf(op: OperationName): string {
  return MODEL.operations[op].target;
}

const PATTERNS = new Map<string, RegExp>();

/**
 * A member's `pattern` trait as a RegExp (Unicode mode), compiled once per pattern. Smithy adds no
 * anchors (SC); M1's patterns carry their own `^…$`.
 */
export function patternOf(m: ModelMember): RegExp | undefined {
  if (m.pattern === undefined) return undefined;
  let re = PATTERNS.get(m.pattern);
  if (re === undefined) {
    re = new RegExp(m.pattern, 'u');
    PATTERNS.set(m.pattern, re);
  }
  return re;
}

/** Number of UTF-8 bytes of `s` (how the 32 KB key policy quota counts, decision 0205; and Content-Length). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * Length of a string as Smithy's `length` trait counts it: Unicode scalar values (SC), so a
 * surrogate pair counts once. Counts without building an array of code points.
 */
export function scalarLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
