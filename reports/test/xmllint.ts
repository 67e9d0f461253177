/**
 * Test helper: Debian's `xmllint` (package `libxml2-utils`, installed by `.ci/run`). Missing, it
 * throws: a JUnit test that cannot validate must fail, not skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The JUnit schema the tests validate against. */
export const JUNIT_XSD = join(dirname(fileURLToPath(import.meta.url)), 'junit.xsd');

/** Throws with the install command when `xmllint` is not on the PATH. */
export function requireXmllint(): void {
  const r = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`xmllint is not installed (${r.error?.message ?? `exit ${r.status}`}): run 'apt-get install -y libxml2-utils' (.ci/run does this)`);
  }
}

/** Runs xmllint on `xml` (written to a temp file) with `args`; returns status and output. */
export function xmllint(xml: string, args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kmsc-junit-'));
  try {
    const file = join(dir, 'junit.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', [...args, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error !== undefined) throw r.error;
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Validates against {@link JUNIT_XSD}. */
export function validateJunit(xml: string): { status: number; stderr: string } {
  const r = xmllint(xml, ['--noout', '--schema', JUNIT_XSD]);
  return { status: r.status, stderr: r.stderr };
}

/** Evaluates an XPath expression with xmllint. */
export function xpath(xml: string, expr: string): string {
  const r = xmllint(xml, ['--xpath', expr]);
  if (r.status !== 0) throw new Error(`xmllint --xpath '${expr}' failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}
