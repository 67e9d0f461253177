/** The tool's own name and version (from package.json, wherever the package is installed or built). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash } from '../scoring/rescore.ts';

let cached: string | undefined;

/** The package version, or `unknown` when package.json cannot be found. */
export function toolVersion(): string {
  if (cached !== undefined) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [join(here, '..', 'package.json'), join(here, '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kms-conformance' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // next candidate
    }
  }
  return (cached = 'unknown');
}

let hashCache: string | undefined;

/**
 * A content hash of the tool itself: every JavaScript or TypeScript file of the package that is
 * not a test (the built `dist/` when installed, the sources in a checkout). Two runs with the same
 * hash were scored by the same code.
 */
export function toolContentHash(): string {
  if (hashCache !== undefined) return hashCache;
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..');
  const files: { path: string; bytes: Uint8Array }[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const p = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(p).isDirectory()) walk(p, r);
      else if (/\.(js|ts)$/.test(name) && !/\.(test|d)\.(js|ts)$/.test(name) && !name.endsWith('.test-helper.ts')) files.push({ path: r, bytes: readFileSync(p) });
    }
  };
  for (const folder of ['contract', 'generators', 'mocks', 'replay', 'scoring', 'reports', 'vitest', 'cli']) {
    try {
      walk(join(root, folder), folder);
    } catch {
      // a folder the package does not have
    }
  }
  return (hashCache = contentHash(files));
}
