#!/usr/bin/env bash
# cppcheck over the project's sources (host compile database) and a clang-format check.
set -euo pipefail
files=$(git ls-files '*.c' '*.h')
echo "== clang-format =="
clang-format --dry-run --Werror $files
echo "== cppcheck =="
cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
  --inline-suppr --suppress=missingIncludeSystem --std=c11 \
  -I core/include $(git ls-files '*.c' | grep -v '^tests/fuzz/')
echo "lint: clean"
