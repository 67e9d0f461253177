/**
 * The package as a user installs it: build `dist/` the way `npm pack` does (the `prepack`
 * script), then import every `exports` subpath by the package's own name in a separate Node
 * process (no tsx, no vitest resolution), and run the built `bin`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types: string; default: string }>;
};

/** Names each subpath must export: the public surface ARCHITECTURE.md promises. */
const REQUIRED: Record<string, readonly string[]> = {
  '.': ['expected', 'RULES', 'ruleById', 'checkPolicy', 'checkLockout', 'resolveContractVersion', 'validPolicyArb', 'invalidPolicyArb', 'requestArb', 'wireArb', 'runConformance', 'replayFiles'],
  './msw': ['kmsHandlers', 'kmsRequestHandler', 'KmsModel'],
  './client-mock': ['mockKmsClient', 'KmsModel'],
  './server': ['startMockServer', 'KmsModel'],
  './vitest': ['describeConformance'],
};

function nodeEval(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
}

describe('package exports (built dist)', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  }, 120_000);

  it('lists types before default for every subpath, and every subpath is tested here', () => {
    for (const [sub, target] of Object.entries(pkg.exports)) {
      if (sub === './package.json') continue;
      expect(typeof target, sub).toBe('object');
      expect(Object.keys(target as object)[0], sub).toBe('types');
      expect(REQUIRED[sub], `no export check for ${sub}`).toBeDefined();
    }
  });

  for (const [sub, names] of Object.entries(REQUIRED)) {
    it(`'${sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`}' resolves from dist and exports ${names.join(', ')}`, () => {
      const spec = sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
      const out = nodeEval(`const m = await import(${JSON.stringify(spec)}); console.log(JSON.stringify(Object.keys(m)));`);
      const keys = JSON.parse(out) as string[];
      for (const n of names) expect(keys, `${spec} is missing ${n}`).toContain(n);
    });
  }

  it('the built bin runs: rules --json lists the catalogue, a bad flag exits 2', () => {
    const bin = join(root, pkg.bin['kms-conformance'] ?? '');
    const out = execFileSync(process.execPath, [bin, 'rules', '--json'], { cwd: root, encoding: 'utf8' });
    const parsed = JSON.parse(out) as { rules: { id: string }[] };
    expect(parsed.rules.map((r) => r.id)).toContain('PutKeyPolicy.Policy.lockout');
    let status = 0;
    try {
      execFileSync(process.execPath, [bin, 'rules', '--no-such-flag'], { cwd: root, stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
