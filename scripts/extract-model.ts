/**
 * Extracts the part of the KMS Smithy model the contract needs (the thirteen operations, their
 * members' constraint traits, their errors) from `../shared/contract/sources/`, plus the
 * required-member lists of the 2024-01-05 botocore model (before PolicyName became optional).
 *
 * The result is committed as `contract/model/kms-model.json` so the package works without the
 * shared folder; `contract/model.test.ts` re-runs this extraction and fails if the two differ.
 *
 *   npx tsx scripts/extract-model.ts            # rewrite contract/model/kms-model.json
 *   npx tsx scripts/extract-model.ts --check    # exit 1 if the committed file is stale
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractModel } from '../contract/model-extract.ts';

const here = dirname(fileURLToPath(import.meta.url));
const sourcesDir = resolve(here, '../../shared/contract/sources');
const target = join(here, '../contract/model/kms-model.json');

const text = `${JSON.stringify(extractModel(sourcesDir), null, 2)}\n`;
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== text) {
    console.error('contract/model/kms-model.json is stale: run `npx tsx scripts/extract-model.ts`.');
    process.exit(1);
  }
  console.log('contract/model/kms-model.json matches the Smithy model.');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
