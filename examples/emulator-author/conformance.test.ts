// Quick start 1: an emulator author adds the conformance suite to their own `npm test`.
//
// Point `endpoint` at your emulator (LocalStack, moto, local-kms, your own). So that this file
// runs as it is, it starts the package's bundled mock as the "emulator" when
// KMS_CONFORMANCE_ENDPOINT is not set; in your project, start your emulator instead (or in a
// vitest globalSetup) and delete the fallback.
import { afterAll } from 'vitest';
import { describeConformance } from 'kms-conformance/vitest';
import { startMockServer } from 'kms-conformance/server';

const emulator = process.env.KMS_CONFORMANCE_ENDPOINT === undefined ? await startMockServer({ port: 0 }) : undefined;
afterAll(async () => {
  await emulator?.close();
});

describeConformance({
  endpoint: process.env.KMS_CONFORMANCE_ENDPOINT ?? emulator?.url ?? 'http://127.0.0.1:4566',
  seed: 42, // print-and-replay: the same seed sends the same cases
  runs: 5, // generated cases per kind; raise it (default 100) for a deeper run
  out: './conformance-report', // results.json and one replay file per failing case
});
