#!/usr/bin/env sh
# Quick start 2: a vendor certifies a KMS-compatible endpoint and publishes the evidence.
#
#   sh certify.sh http://127.0.0.1:4566        # your endpoint (add --allow-remote for a remote one)
#
# Writes ./certification/: report.html (for people), badge.svg (for your README),
# results.json (re-scorable by anyone: npx kms-conformance rescore certification/results.json),
# junit.xml, summary.md and cases/ (one replay file per failing case).
# Exit code: 0 every case passed, 1 a case failed, 2 bad usage, 3 the harness failed.
set -eu
ENDPOINT="${1:?usage: sh certify.sh ENDPOINT_URL [extra run flags]}"
shift
npx kms-conformance run --endpoint "$ENDPOINT" --seed "${SEED:-42}" --runs "${RUNS:-100}" --out certification --name "${NAME:-my-kms}" "$@"
