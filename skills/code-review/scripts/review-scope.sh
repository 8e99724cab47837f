#!/bin/sh
# review-scope.sh: show what there is to review in the current folder (run it from the project root).
#
# Usage: sh review-scope.sh [BASE]
#
# In a git repository: the branch, uncommitted changes (staged, unstaged, untracked), and - when BASE is
# given (a branch, tag or commit such as main or HEAD~3) - the commits and the per-file line counts of
# BASE...HEAD plus uncommitted work. Without BASE, only uncommitted changes are shown; if there are none,
# the last commit is shown instead.
# Outside git: the files changed in the last 2 days, skipping dependency and build folders.
# Exit status: 0, or 2 when BASE is not a known revision.

base=$1
if ! command -v git >/dev/null 2>&1 || ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "not a git repository (or git is missing): files changed in the last 2 days"
  find . -type f -mtime -2 \
    -not -path '*/.git/*' -not -path '*/node_modules/*' -not -path '*/dist/*' -not -path '*/build/*' \
    -not -path '*/target/*' -not -path '*/.venv/*' -not -path '*/__pycache__/*' 2>/dev/null | sort | head -n 200
  exit 0
fi

echo "repository: $(git rev-parse --show-toplevel)"
echo "branch: $(git rev-parse --abbrev-ref HEAD 2>/dev/null)"

if [ -n "$base" ]; then
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "error: '$base' is not a branch, tag or commit here" >&2
    exit 2
  fi
  echo
  echo "commits in $base...HEAD:"
  git log --oneline --no-decorate "$base..HEAD" | head -n 50
  echo
  echo "files changed since $base (added, removed, path), including uncommitted work:"
  git diff --numstat "$(git merge-base "$base" HEAD)" | sort -k3
else
  echo
  echo "staged (added, removed, path):"
  git diff --cached --numstat | sort -k3
  echo
  echo "unstaged (added, removed, path):"
  git diff --numstat | sort -k3
fi

echo
echo "untracked files:"
git ls-files --others --exclude-standard | head -n 100

if [ -z "$base" ] && git diff --quiet HEAD 2>/dev/null && [ -z "$(git ls-files --others --exclude-standard)" ]; then
  echo
  echo "no uncommitted changes; the last commit:"
  git log -1 --stat --no-decorate | head -n 60
fi
exit 0
