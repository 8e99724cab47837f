#!/bin/sh
# The two commands a fresh clone needs (see README):
#   npm run app    -> set up what is missing, then run Sage (window; serve mode when there is no display)
#   npm test       -> set up what is missing, then run the whole test suite (scripts/test-all.ts)
# Works on a Debian/Ubuntu machine that has only Node and npm: Bun comes from the npm package `bun`
# (pinned in package.json) when it is not installed.
set -eu
cd "$(dirname "$0")/.."
task="${1:-app}"
[ $# -gt 0 ] && shift

bun_version=$(node -e 'console.log(require("./package.json").devDependencies.bun)')

find_bun() {
  for candidate in node_modules/.bin/bun node_modules/@oven/bun-linux-x64/bin/bun node_modules/@oven/bun-linux-x64-baseline/bin/bun; do
    if [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then echo "$candidate"; return 0; fi
  done
  if command -v bun >/dev/null 2>&1 && [ "$(bun --version)" = "$bun_version" ]; then command -v bun; return 0; fi
  return 1
}

if ! BUN=$(find_bun); then
  echo "Setting up Bun $bun_version (from npm)..."
  npx --yes "bun@$bun_version" install --frozen-lockfile
  BUN=$(find_bun) || { echo "Could not set up Bun. Install it from npm: npm i -g bun@$bun_version" >&2; exit 1; }
fi

# Dependencies: exactly what bun.lock says (fast when already installed).
"$BUN" install --frozen-lockfile >/dev/null

case "$task" in
  app)
    if [ ! -f ui/dist/index.html ] || [ -n "$(find ui/src ui/index.html -newer ui/dist/index.html 2>/dev/null | head -n 1)" ]; then
      echo "Building the UI..."
      "$BUN" run build:ui >/dev/null
    fi
    exec "$BUN" src/main.ts "$@"
    ;;
  test)
    exec "$BUN" scripts/test-all.ts "$@"
    ;;
  *)
    echo "usage: scripts/bootstrap.sh app|test" >&2
    exit 2
    ;;
esac
