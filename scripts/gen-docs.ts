/**
 * Writes `docs/reference.md` (every command with its flags and examples, environment variables,
 * exit codes, `results.json` fields, source tags and rule ids) from the code and the contract
 * data, and copies the example files into the README's quick-start blocks. `npm run docs`
 * regenerates both; `scripts/gen-docs.test.ts` fails when the committed files drift.
 *
 * Usage: `tsx scripts/gen-docs.ts` (writes) or `tsx scripts/gen-docs.ts --check` (exit 1 on drift).
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { buildProgram, versionLine } from '../cli/main.ts';
import { EXIT_CODES } from '../cli/errors.ts';
import { RULES, TOPIC_ORDER } from '../contract/rules/index.ts';
import { SOURCE_TAGS } from '../contract/sources.ts';
import { CONTRACT_VERSIONS } from '../contract/types.ts';
import { LATEST_VERSION, VERSION_DESCRIPTIONS } from '../contract/versions.ts';
import schema from '../scoring/results.schema.json' with { type: 'json' };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REFERENCE = join(ROOT, 'docs', 'reference.md');
export const README = join(ROOT, 'README.md');

/** What each environment variable the code reads does. A variable read but missing here fails generation. */
const ENV_VARS: Readonly<Record<string, string>> = {
  KMS_CONFORMANCE_ENDPOINT: '`run` and `replay`: the endpoint when `--endpoint` is not given.',
  KMS_CONFORMANCE_SEED: '`run` and `generate`: the seed when `--seed` is not given.',
  AWS_REGION: '`run`: the Region when `--region` is not given (before `AWS_DEFAULT_REGION`; default us-east-1).',
  AWS_DEFAULT_REGION: '`run`: the Region when neither `--region` nor `AWS_REGION` is set.',
  AWS_ACCESS_KEY_ID: 'Loopback endpoints: the access key to sign with (dummy credentials when unset). Remote endpoints use the standard AWS credential chain.',
  AWS_SECRET_ACCESS_KEY: 'Loopback endpoints: the secret key to sign with, with `AWS_ACCESS_KEY_ID`.',
  AWS_SESSION_TOKEN: 'Loopback endpoints: the session token, with the keys above. Never written to any report.',
  CI: '`run`: when set, one line per newly failing rule instead of a progress bar.',
  NO_COLOR: 'Console output without colours.',
  TERM: 'Console output: `dumb` turns colours off.',
};
/** Read by the SDK, not by this package; listed because users ask. */
const SDK_ENV_VARS: Readonly<Record<string, string>> = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'Set to `true` to silence the AWS SDK\'s NodeVersionSupportWarning (printed once per process on Node < 22).',
};

/** Every `env.NAME` / `process.env.NAME` the shipped code reads (tests excluded). */
export function envVarsRead(): string[] {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'test' && name !== 'node_modules') walk(p);
      } else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.bench.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add(m[1] ?? m[2] ?? '');
      }
    }
  };
  for (const d of ['contract', 'generators', 'mocks', 'replay', 'scoring', 'reports', 'vitest', 'cli']) walk(join(ROOT, d));
  return [...names].sort();
}

function helpOf(c: Command): string {
  let text = '';
  c.configureOutput({ writeOut: (s) => void (text += s), writeErr: (s) => void (text += s) });
  c.configureHelp({ helpWidth: 110 });
  c.outputHelp();
  return text.trimEnd();
}

interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly $ref?: string;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
}
const DEFS = (schema as { $defs: Record<string, SchemaNode> }).$defs;

function resolve(n: SchemaNode): SchemaNode {
  return n.$ref === undefined ? n : (DEFS[n.$ref.replace('#/$defs/', '')] ?? n);
}
function typeOf(n: SchemaNode): string {
  const r = resolve(n);
  if (r.enum) return r.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (r.const !== undefined) return JSON.stringify(r.const);
  if (r.type === 'array' && r.items) return `${typeOf(r.items)}[]`;
  if (Array.isArray(r.type)) return r.type.join(' \\| ');
  if (typeof r.type === 'string') return r.type;
  if (r.oneOf ?? r.anyOf) return 'one of several shapes';
  return n.$ref ? n.$ref.replace('#/$defs/', '') : 'any JSON';
}
function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** Rows `path | type | description` for every field, following $refs once per path. */
function fieldRows(node: SchemaNode, path: string, seen: ReadonlySet<string>, rows: string[]): void {
  const r = resolve(node);
  const ref = node.$ref ?? '';
  if (ref !== '' && seen.has(ref)) return;
  const nextSeen = ref === '' ? seen : new Set([...seen, ref]);
  if (r.type === 'array' && r.items) return fieldRows(r.items, `${path}[]`, nextSeen, rows);
  if (r.properties) {
    for (const [k, v] of Object.entries(r.properties)) {
      const p = path === '' ? k : `${path}.${k}`;
      rows.push(`| \`${p}\` | ${typeOf(v)} | ${cell(v.description ?? resolve(v).description ?? '')} |`);
      fieldRows(v, p, nextSeen, rows);
    }
  }
  if (r.additionalProperties && typeof r.additionalProperties === 'object') fieldRows(r.additionalProperties, `${path}.<key>`, nextSeen, rows);
}

/** The reference, as `docs/reference.md` holds it. */
export function renderReference(): string {
  const out: string[] = [
    '# kms-conformance reference',
    '',
    '<!-- Generated by `npm run docs` (scripts/gen-docs.ts) from the code and the contract data. Do not edit by hand: scripts/gen-docs.test.ts fails when this file drifts. -->',
    '',
    `Version: \`${versionLine().replace(/^\S+ /, '').replace(/^\(|\)$/g, '')}\` (the tool version is in package.json; \`--version\` prints both).`,
    '',
    '## Commands',
    '',
  ];
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const program = buildProgram({ out: sink, err: sink, exitCode: 0 });
  out.push('### `kms-conformance`', '', '```text', helpOf(program).replace(/^Usage: \S+/, 'Usage: kms-conformance'), '```', '');
  for (const c of program.commands) {
    out.push(`### \`kms-conformance ${c.name()}\``, '', c.description(), '', '```text', helpOf(c).replace(/^Usage: \S+/, 'Usage: kms-conformance'), '```', '');
  }
  out.push('## Environment variables', '', 'Flags win over environment variables.', '', '| variable | what it does |', '|---|---|');
  const read = envVarsRead();
  const undocumented = read.filter((n) => ENV_VARS[n] === undefined);
  if (undocumented.length > 0) throw new Error(`scripts/gen-docs.ts: the code reads ${undocumented.join(', ')} but ENV_VARS does not describe ${undocumented.length === 1 ? 'it' : 'them'}; add a line for each to ENV_VARS.`);
  for (const n of read) out.push(`| \`${n}\` | ${ENV_VARS[n]} |`);
  for (const [n, d] of Object.entries(SDK_ENV_VARS)) out.push(`| \`${n}\` | ${d} (read by the AWS SDK) |`);
  out.push('', '## Exit codes', '', '| code | meaning |', '|---|---|');
  for (const e of EXIT_CODES) out.push(`| ${e.code} | ${e.meaning} |`);
  out.push('', '## Contract versions', '', '| version | what it holds |', '|---|---|');
  for (const v of CONTRACT_VERSIONS) out.push(`| \`${v}\`${v === LATEST_VERSION ? ' (latest)' : ''} | ${cell(VERSION_DESCRIPTIONS[v])} |`);
  out.push('', '## Report fields (`results.json`)', '', `${cell((schema as { description?: string }).description ?? '')} The JSON Schema ships as \`dist/scoring/results.schema.json\`.`, '', '| field | type | description |', '|---|---|---|');
  const rows: string[] = [];
  fieldRows(schema as SchemaNode, '', new Set(), rows);
  out.push(...rows);
  out.push('', '## Source tags', '', 'Each rule cites its sources as a tag and a verbatim quote (`kms-conformance rules` prints them).', '', '| tag | source |', '|---|---|');
  for (const [t, d] of Object.entries(SOURCE_TAGS)) out.push(`| ${t} | ${cell(d)} |`);
  out.push('', `## Rules (${RULES.length})`, '', '`kms-conformance rules --json` prints each with its quotes and accepted outcomes per contract version.', '');
  for (const topic of TOPIC_ORDER) {
    const inTopic = RULES.filter((r) => r.topic === topic);
    if (inTopic.length === 0) continue;
    out.push(`### ${topic} (${inTopic.length})`, '', '| rule id | statement | sources |', '|---|---|---|');
    for (const r of inTopic) out.push(`| \`${r.id}\` | ${cell(r.statement)} | ${[...new Set(r.sources.map((s) => s.tag))].join(', ')} |`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const BLOCK = /(<!-- example: (\S+) -->\n```(\w+)\n)([\s\S]*?)(```\n<!-- \/example -->)/g;

/** The README with every `<!-- example: PATH -->` block holding that file's current text. */
export function renderReadme(readme: string): string {
  return readme.replace(BLOCK, (_m, open: string, path: string, _lang: string, _body: string, close: string) => `${open}${readFileSync(join(ROOT, path), 'utf8')}${close}`);
}

/** The example files the README quotes. */
export function readmeExamples(readme: string): string[] {
  return [...readme.matchAll(BLOCK)].map((m) => m[2] ?? '');
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const check = process.argv.includes('--check');
  const targets: [string, string][] = [
    [REFERENCE, renderReference()],
    [README, renderReadme(readFileSync(README, 'utf8'))],
  ];
  let drift = false;
  for (const [file, text] of targets) {
    const current = readFileSync(file, 'utf8');
    if (current === text) continue;
    if (check) {
      drift = true;
      process.stderr.write(`${relative(ROOT, file)} is out of date: run npm run docs and commit it.\n`);
    } else {
      writeFileSync(file, text);
      process.stdout.write(`wrote ${relative(ROOT, file)}\n`);
    }
  }
  process.exitCode = drift ? 1 : 0;
}
