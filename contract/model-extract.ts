/**
 * Reads the raw Smithy JSON AST (M1) and the 2024-01-05 botocore model (B0) and returns the
 * subset the contract uses. Pure function of the two files; used by `scripts/extract-model.ts`
 * and by the drift test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS } from './types.ts';
import type { ModelError, ModelFile, ModelMember, ModelOperation } from './model.ts';

/** File name of the Smithy JSON AST (M1) in `shared/contract/sources`. */
export const SMITHY_FILE = 'kms-2014-11-01.smithy.api-models-aws.json';
/** File name of the botocore model of 2024-01-05 (B0), the source of `requiredBefore2024_03_18`. */
export const BOTOCORE_2024_01_FILE = 'botocore-kms-service-2.2024-01-05.json';

interface SmithyShape {
  type: string;
  members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  member?: { target: string };
  input?: { target: string };
  output?: { target: string };
  errors?: { target: string }[];
  traits?: Record<string, unknown>;
}

const NS = 'com.amazonaws.kms#';
const short = (id: string): string => (id.startsWith(NS) ? id.slice(NS.length) : id);

/**
 * The model subset of the thirteen operations (members with their constraint traits, outputs, errors
 * with fault and status) from the two source files in `sourcesDir`.
 *
 * @throws Error when a shape the thirteen operations need is missing from the Smithy model.
 */
export function extractModel(sourcesDir: string): ModelFile {
  const smithy = JSON.parse(readFileSync(join(sourcesDir, SMITHY_FILE), 'utf8')) as {
    shapes: Record<string, SmithyShape>;
  };
  const b0 = JSON.parse(readFileSync(join(sourcesDir, BOTOCORE_2024_01_FILE), 'utf8')) as {
    shapes: Record<string, { required?: string[] }>;
  };
  const shapes = smithy.shapes;
  const shape = (id: string): SmithyShape => {
    const s = shapes[id];
    if (!s) throw new Error(`[kms-conformance] the Smithy model in ${sourcesDir} has no shape ${id}; is ${SMITHY_FILE} the KMS model of aws/api-models-aws?`);
    return s;
  };

  const member = (target: string, traits: Record<string, unknown>, depth: number): ModelMember => {
    const isPrelude = target.startsWith('smithy.api#');
    const s: SmithyShape = isPrelude ? { type: short(target).replace('smithy.api#', '').toLowerCase() } : shape(target);
    const t = { ...(s.traits ?? {}), ...traits };
    const m: Record<string, unknown> = { shape: short(target), type: s.type };
    const length = t['smithy.api#length'] as { min?: number; max?: number } | undefined;
    if (length) m.length = { ...(length.min !== undefined ? { min: length.min } : {}), ...(length.max !== undefined ? { max: length.max } : {}) };
    const range = t['smithy.api#range'] as { min?: number; max?: number } | undefined;
    if (range) m.range = { ...(range.min !== undefined ? { min: range.min } : {}), ...(range.max !== undefined ? { max: range.max } : {}) };
    if (typeof t['smithy.api#pattern'] === 'string') m.pattern = t['smithy.api#pattern'];
    if ('smithy.api#default' in t) m.default = t['smithy.api#default'];
    if ('smithy.api#deprecated' in t) m.deprecated = true;
    if (t['smithy.api#sensitive'] !== undefined) m.sensitive = true;
    if (s.type === 'enum' && s.members) {
      m.enum = Object.entries(s.members).map(([name, v]) => (v.traits?.['smithy.api#enumValue'] as string | undefined) ?? name);
    }
    if (s.type === 'list' && s.member && depth < 3) m.member = member(s.member.target, {}, depth + 1);
    if (s.type === 'structure' && s.members && depth < 3) {
      m.members = Object.fromEntries(
        Object.entries(s.members).map(([name, v]) => [name, { ...member(v.target, v.traits ?? {}, depth + 1), required: 'smithy.api#required' in (v.traits ?? {}) }]),
      );
    }
    return m as unknown as ModelMember;
  };

  const operations = {} as Record<string, ModelOperation>;
  const errorNames = new Set<string>();
  for (const op of OPERATIONS) {
    const o = shape(NS + op);
    const inputId = o.input?.target;
    const outputId = o.output?.target;
    const input = inputId ? shape(inputId) : { type: 'structure', members: {} };
    const b0Required = new Set(b0.shapes[`${op}Request`]?.required ?? []);
    const members: Record<string, ModelMember> = {};
    for (const [name, v] of Object.entries(input.members ?? {})) {
      const traits = v.traits ?? {};
      members[name] = {
        ...member(v.target, traits, 1),
        required: 'smithy.api#required' in traits,
        requiredBefore2024_03_18: b0Required.has(name),
      };
    }
    const outputMembers =
      outputId && outputId !== 'smithy.api#Unit'
        ? Object.fromEntries(Object.entries(shape(outputId).members ?? {}).map(([n, v]) => [n, short(v.target)]))
        : {};
    const errors = (o.errors ?? []).map((e) => short(e.target));
    errors.forEach((e) => errorNames.add(e));
    operations[op] = {
      target: `TrentService.${op}`,
      input: members,
      output: outputId === 'smithy.api#Unit' || !outputId ? null : outputMembers,
      errors,
    };
  }
  const errors: Record<string, ModelError> = {};
  for (const name of [...errorNames].sort()) {
    const t = shape(NS + name).traits ?? {};
    const q = t['aws.protocols#awsQueryError'] as { code: string; httpResponseCode: number } | undefined;
    errors[name] = {
      fault: t['smithy.api#error'] as 'client' | 'server',
      httpError: (t['smithy.api#httpError'] as number | undefined) ?? ((t['smithy.api#error'] === 'server') ? 500 : 400),
      ...(q ? { awsQueryError: { code: q.code, httpResponseCode: q.httpResponseCode } } : {}),
    };
  }
  const service = shape(`${NS}TrentService`);
  const st = service.traits ?? {};
  return {
    about:
      'Subset of the KMS Smithy model (aws/api-models-aws, kms-2014-11-01.json) for the thirteen operations, ' +
      'with requiredBefore2024_03_18 from botocore 2024-01-05. Generated by scripts/extract-model.ts; do not edit.',
    service: {
      shapeId: `${NS}TrentService`,
      protocol: Object.keys(st).find((k) => k.startsWith('aws.protocols#')) ?? 'unknown',
      targetPrefix: 'TrentService',
      signingName: ((st['aws.auth#sigv4'] as { name?: string } | undefined)?.name) ?? 'kms',
    },
    operations: operations as ModelFile['operations'],
    errors,
  };
}
