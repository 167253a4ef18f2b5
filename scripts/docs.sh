#!/usr/bin/env bash
# Builds the API reference (build/docs/html) with Doxygen from docs/Doxyfile and fails when Doxygen warns:
# an undocumented public name, a broken command or a bad reference. Needs Debian's doxygen.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mkdir -p build/docs
doxygen docs/Doxyfile 2> build/docs/warnings.txt
if [ -s build/docs/warnings.txt ]; then
  echo "docs: $(wc -l < build/docs/warnings.txt) Doxygen warnings:"
  head -n 50 build/docs/warnings.txt
  exit 1
fi
echo "docs: API reference in build/docs/html, no warnings"
