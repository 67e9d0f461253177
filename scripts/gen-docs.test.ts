/**
 * The committed reference and the README's quick-start blocks are what `npm run docs` generates
 * from the code, the contract data and `examples/`: a changed flag, rule, report field or example
 * without regenerated docs fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { README, REFERENCE, ROOT, envVarsRead, readmeExamples, renderReadme, renderReference } from './gen-docs.ts';
import { buildProgram } from '../cli/main.ts';
import { RULES } from '../contract/rules/index.ts';

describe('docs/reference.md and the README quick starts', () => {
  const reference = renderReference();

  it('docs/reference.md is what npm run docs generates (run it and commit when this fails)', () => {
    expect(readFileSync(REFERENCE, 'utf8') === reference, 'docs/reference.md is out of date: run `npm run docs` and commit it').toBe(true);
  });

  it('the reference covers every command, flag, rule id and environment variable', () => {
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    for (const c of buildProgram({ out: sink, err: sink, exitCode: 0 }).commands) {
      expect(reference).toContain(`### \`kms-conformance ${c.name()}\``);
      for (const o of c.options) expect(reference, `${c.name()} ${o.long ?? o.flags}`).toContain(o.long ?? o.flags);
    }
    for (const r of RULES) expect(reference).toContain(`\`${r.id}\``);
    for (const v of envVarsRead()) expect(reference).toContain(`\`${v}\``);
  });

  it('every command\'s --help has examples', () => {
    const sink = { write: () => true } as unknown as NodeJS.WritableStream;
    for (const c of buildProgram({ out: sink, err: sink, exitCode: 0 }).commands) {
      const section = reference.slice(reference.indexOf(`### \`kms-conformance ${c.name()}\``)).split('\n### ')[0] ?? '';
      expect(section, c.name()).toMatch(/Examples:\n {2}npx kms-conformance /);
    }
  });

  it('the README quotes the three quick starts verbatim from examples/ (which the tarball test runs)', () => {
    const readme = readFileSync(README, 'utf8');
    const quoted = readmeExamples(readme);
    expect(quoted).toEqual(expect.arrayContaining(['examples/emulator-author/conformance.test.ts', 'examples/vendor/certify.sh', 'examples/application/msw.test.ts', 'examples/application/client-mock.test.ts']));
    for (const f of quoted) expect(existsSync(join(ROOT, f)), f).toBe(true);
    expect(renderReadme(readme) === readme, 'a README example block differs from its file: run `npm run docs`').toBe(true);
  });
});
