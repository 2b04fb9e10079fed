#!/usr/bin/env bash
# Runs one Jazzer fuzz target in fuzzing mode for a given time, then copies new crash inputs into its seed directory.
#   scripts/fuzz/jazzer.sh TARGET MINUTES
# TARGET: decoder | api | wat | wast | compiler | assembler, or Class#method of any @FuzzTest.
# The generated corpus persists in .cifuzz-corpus/ (not committed), so a second run continues where the first stopped.
# A finding stops the run; its input lands in the target's seed directory (src/test/resources/<package>/<Class>Inputs/
# <method>/crash-*), where the normal test run replays it: fix the bug, keep the seed. Uses Maven offline (-o)
# when OFFLINE=1 (default 1; the dependency must be in ~/.m2 once).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java-home.sh
if [ $# -ne 2 ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
case "$1" in
  decoder)   target='dev.isthmus.fuzz.jazzer.DecoderFuzzTargetTest#decodeAndValidate' ;;
  api)       target='dev.isthmus.fuzz.jazzer.DecoderFuzzTargetTest#publicApi' ;;
  wat)       target='dev.isthmus.fuzz.jazzer.TextFuzzTargetTest#wat' ;;
  wast)      target='dev.isthmus.fuzz.jazzer.TextFuzzTargetTest#wast' ;;
  compiler)  target='dev.isthmus.fuzz.CompilerFuzzTargetTest#compileAndRun' ;;
  assembler) target='dev.isthmus.x64.AssemblerFuzzTargetTest#roundTrip' ;;
  *#*)       target="$1" ;;
  *)         echo "unknown target $1" >&2; exit 2 ;;
esac
minutes=$2
class=${target%#*}
method=${target#*#}
seeds="src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
mkdir -p "$seeds"
log="target/jazzer-${class##*.}-$method.log"
mkdir -p target
offline=-o
[ "${OFFLINE:-1}" = 1 ] || offline=
marker=$(mktemp)
echo "jazzer: fuzzing $target for $minutes min (log: $log, seeds: $seeds)"
set +e
JAZZER_FUZZ=1 ./mvnw -q $offline -B test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djazzer.max_duration="${minutes}m" -Djazzer.hooks=true \
  -Djazzer.instrumentation_includes='dev.isthmus.**' \
  -Djazzer.instrumentation_excludes='dev.isthmus.fuzz.**:dev.isthmus.x64.AssemblerFuzzTargetTest*:dev.isthmus.x64.IntelSyntax*:dev.isthmus.x64.CaseList*:dev.isthmus.x64.SimdForms*:dev.isthmus.x64.IntegerForms*:dev.isthmus.x64.FormGenerators*' \
  >"$log" 2>&1
rc=$?
set -e
# libFuzzer's summary lines: "#N DONE cov: ... exec/s: ..." or the last pulse before a finding
grep -aE '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -n 1 || true
grep -aE 'Stat::number_of_executed_units|Done [0-9]+ runs' "$log" | tail -n 1 || true
# crash inputs: Jazzer writes them to the seed directory (or, depending on the version, the working directory)
new=0
for f in $(find "$seeds" . -maxdepth 1 -newer "$marker" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) 2>/dev/null); do
  case "$f" in
    "$seeds"/*) ;;
    *) mv "$f" "$seeds/" ;;
  esac
  new=$((new + 1))
done
rm -f "$marker"
echo "jazzer: exit $rc, $new new finding(s) in $seeds"
[ "$new" -eq 0 ] || ls -la "$seeds" | grep -E 'crash-|timeout-|oom-|slow-unit-'
exit $rc
