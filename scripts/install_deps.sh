#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, test and benchmark tiermargin (idempotent: does
# nothing when everything is present). Needs root, or sudo.
set -euo pipefail
packages=(cmake ninja-build g++ clang libclang-rt-14-dev libc++-14-dev libc++abi-14-dev libeigen3-dev libboost-dev
          catch2 libbenchmark-dev nlohmann-json3-dev gnuplot-nox python3 locales time doxygen)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} packages present"
else
  echo "install_deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# A comma-decimal locale, so that the parser's locale independence is tested (tests/unit/io).
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  echo "de_DE.UTF-8 UTF-8" | $SUDO tee -a /etc/locale.gen > /dev/null
  $SUDO locale-gen > /dev/null
fi
