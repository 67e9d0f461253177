/**
 * The folder import rules of ARCHITECTURE.md, checked on the source text: `contract/` imports
 * nothing of ours outside itself; `generators/` and `mocks/` import only `contract/` (and
 * themselves); `bench/` does not reach into the command line. A back-edge (the contract importing
 * the CLI's error class, as `contract/versions.ts` once did) fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The top-level folders a file's relative imports (static, dynamic and `export … from`) land in. */
function importedFolders(file: string): { spec: string; folder: string }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; folder: string }[] = [];
  for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
    const spec = m[1]!;
    const target = relative(root, resolve(dirname(file), spec));
    out.push({ spec, folder: target.split(/[\\/]/)[0] ?? '' });
  }
  return out;
}

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  contract: ['contract'],
  generators: ['generators', 'contract'],
  mocks: ['mocks', 'contract'],
  bench: ['bench', 'contract', 'generators', 'mocks', 'replay', 'scoring', 'reports'],
  replay: ['replay', 'contract', 'generators', 'mocks', 'scoring'],
  scoring: ['scoring', 'contract'],
  reports: ['reports', 'scoring', 'contract'],
  vitest: ['vitest', 'replay', 'scoring', 'reports', 'contract'],
};

/** Files of replay/ may use the mocks' public servings and shared tables, never the model's internals. */
const MOCK_INTERNALS = /(^|\/)mocks\/model\//;

describe('folder import rules (ARCHITECTURE.md)', () => {
  it('replay/ never reaches into mocks/model/ (set-up goes through the target interface)', () => {
    const wrong: string[] = [];
    for (const file of tsFiles(join(root, 'replay'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(root, resolve(dirname(file), m[1]!));
        if (MOCK_INTERNALS.test(target)) wrong.push(`${relative(root, file)} imports ${m[1]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(Object.entries(ALLOWED))('%s/ imports only %j', (folder, allowed) => {
    const wrong: string[] = [];
    for (const file of tsFiles(join(root, folder))) {
      for (const { spec, folder: target } of importedFolders(file)) {
        // A unit test may use the shared test fixtures (reports/test/, suites/helpers/); code may not.
        const fixture = file.endsWith('.test.ts') && /^(reports\/test|suites\/helpers)\//.test(relative(root, resolve(dirname(file), spec)));
        if (!allowed.includes(target) && !fixture) wrong.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sees the imports it checks (a file of each folder imports something)', () => {
    for (const folder of Object.keys(ALLOWED)) {
      const n = tsFiles(join(root, folder)).reduce((sum, f) => sum + importedFolders(f).length, 0);
      expect(n, folder).toBeGreaterThan(0);
    }
  });
});
