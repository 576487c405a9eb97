# Sourced by start.sh and test.sh: installs what a bare Debian machine with Node lacks.
# Usage: bootstrap_system redis-server [chromium] [python3-redis]; bootstrap_node_modules

bootstrap_system() {
  local missing=()
  for pkg in "$@"; do
    case "$pkg" in
      redis-server) command -v redis-server >/dev/null 2>&1 || missing+=(redis-server) ;;
      chromium) [[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || missing+=(chromium) ;;
      # Debian's python3 (not a pyenv one on PATH) with redis-py: the Python client's tests run it.
      python3-redis) /usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || missing+=(python3-redis) ;;
    esac
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing: ${missing[*]}. Install them (as root: apt-get install -y ${missing[*]}) and run again." >&2
    return 1
  fi
  echo "Installing ${missing[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

bootstrap_node_modules() {
  command -v node >/dev/null 2>&1 || { echo "Node.js >= 20.9 is required" >&2; return 1; }
  # Playwright must never download a browser: Debian's Chromium is used instead.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "Installing npm packages…"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
