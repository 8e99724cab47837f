#!/bin/sh
# CI: build the installers (bun run package), install the .deb with dpkg on this machine, run the
# installed /usr/bin/sage (--version, then --serve until its first HTTP 200), and remove the package;
# then build every other platform and check each executable (scripts/check-targets.ts).
set -eu
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
BUN="$(command -v bun || echo node_modules/.bin/bun)"
"$BUN" scripts/package.ts
( cd dist && sha256sum -c SHA256SUMS )
$SUDO dpkg -i dist/sage_*_amd64.deb
trap '$SUDO dpkg -r sage >/dev/null' EXIT
/usr/bin/sage --version
data="$(mktemp -d)"
/usr/bin/sage --serve --no-open --port 0 --data-dir "$data" >"$data/out" 2>&1 &
pid=$!
code=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$data/out" | head -n 1 || true)"
  if [ -n "$url" ]; then
    code="$(curl -s -o /dev/null -w '%{http_code}' "$url/" || true)"
    [ "$code" = "200" ] && break
  fi
  sleep 0.2
done
kill "$pid"
wait "$pid" || true
rm -rf "$data"
[ "$code" = "200" ] || { echo "the installed sage did not answer 200 (got '$code')"; exit 1; }
echo "installed .deb: --version and --serve answered; removing it"
# Every other platform: compiled with its own Bun runtime (scripts/cross-runtimes/bun.lock) and its own
# webview library embedded (scripts/check-targets.ts checks the executable format and the embedded bytes).
"$BUN" scripts/check-targets.ts
