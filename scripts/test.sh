#!/usr/bin/env bash
# Runs the whole Isthmus test suite: finds JDK 25, installs libZydis (tests decode our machine code with it)
# when missing and possible, then builds with the Maven wrapper and runs every test.
# Extra arguments go to Maven (e.g. scripts/test.sh -Dtest=AssemblerGoldenTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

have_zydis() { ldconfig -p 2>/dev/null | grep -q 'libZydis\.so\.4\.0' || [ -e /usr/lib/x86_64-linux-gnu/libZydis.so.4.0 ]; }
if ! have_zydis; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "isthmus: installing libzydis4.0 (Zydis decoder used by the tests)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libzydis4.0 >/dev/null
  else
    echo "isthmus: tests need Zydis 4.0: run 'sudo apt-get install libzydis4.0'" >&2
    [ "${CI:-}" = true ] && exit 1
  fi
fi

exec ./mvnw -B -ntp verify "$@"
