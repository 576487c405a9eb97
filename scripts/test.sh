#!/usr/bin/env bash
# `npm test`: everything — typecheck, lint, unit and integration tests on a private real Redis,
# one production build, and the Playwright suite in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bootstrap_system redis-server chromium python3-redis
bootstrap_node_modules
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "typecheck";  npx tsc --noEmit
step "lint";       npx eslint --max-warnings 0 .
mkdir -p e2e-results
step "unit and integration tests (private redis-server)"
npx vitest run --reporter=default --reporter=json --outputFile.json=e2e-results/vitest.json
step "production build"; npx next build
step "fault tests on real next start processes (private redis-server)"
npx vitest run --config vitest.processes.config.ts --reporter=default --reporter=json --outputFile.json=e2e-results/vitest-processes.json
step "end-to-end (Playwright, Chromium)"; npx playwright test
node --import tsx scripts/lib/test-summary.ts
