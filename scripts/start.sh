#!/usr/bin/env bash
# `npm start`: the app on an embedded default, from a fresh clone. See README.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
# redis-server is needed only when no REDIS_CLUSTER_NODES or REDIS_URL is given and nothing answers on 127.0.0.1:6379.
if [[ -z "${REDIS_CLUSTER_NODES:-}" && -z "${REDIS_URL:-}" ]] && ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  bootstrap_system redis-server
fi
bootstrap_node_modules
exec node --conditions=react-server --import tsx scripts/start.ts
