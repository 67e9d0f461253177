/** The tool's own name and version (from package.json, wherever the package is installed or built). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
