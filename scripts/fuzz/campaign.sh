#!/usr/bin/env bash
# A fuzz campaign: for N minutes, keep generating new modules with binaryen 132 for one feature profile of
# scripts/fuzz/profiles.tsv, compute the reference interpreter's output, and check every module under the whole
# VariantMatrix (both tiers, AVX on/off, guard-page/explicit bounds, every stack check) in child JVMs:
#
#   seeds FIRST_INDEX, FIRST_INDEX+J, ... --wasm-opt -ttf FLAGS [--initial-fuzz=INITIAL] --denan--> batch/P-INDEX.wasm
#                                                                                        (+ .expected)
#   (both wasm-opt steps of a batch run in one node process: scripts/fuzz/generate-batch.mjs)
#   java ... dev.isthmus.fuzz.CampaignMain batch/   -> "BEGIN name", then "OK name" | "MISMATCH name\t..." |
#                                                     "HANG name\t..." per module, "END-OF-BATCH" at the end;
#                                                     before the result, "RESOURCE name\t..." when compile time or
#                                                     memory grows faster than the module (ResourceCheck)
#
# A JVM death (no END-OF-BATCH, a BEGIN without result) is a crash: its hs_err file and the module are saved under
# the failure directory, and the batch goes on after that module. Every mismatch, hang or crash is minimized with
# binaryen's wasm-reduce (the test: the same outcome — mismatch, hang or crash — still happens, checked by
# CampaignMain --one on the reduced module against the interpreter's output for it) and written as a new
# regression case src/test/resources/fuzz/regressions/P-INDEX.{wasm,expected,txt} (run by FuzzRegressionsTest).
# A resource finding (a doubled module that costs more than 3x the memory or 4x the CPU time to compile) is kept
# unreduced under the failure directory (NAME/resource.txt has both numbers), reported, and counted on its own.
#
# Usage: scripts/fuzz/campaign.sh --minutes N [--profile NAME] [--jobs J] [--batch B] [--first-index I] [--no-reduce]
#   profile: default simd; jobs: parallel generator+JVM loops (default 1); batch: modules per child JVM (default 25);
#   first index: default the current time in ms (seeds far beyond the committed corpora's indices).
# Environment: ISTHMUS_TOOLS (binaryen install dir, see binaryen.sh), FUZZ_WORK (default target/fuzz-campaign),
#   FUZZ_REDUCE_SECONDS (time limit of one reduction, default 300), FUZZ_TIMEOUT (interpreter limit, default 30 s),
#   FUZZ_SEED_MAX (largest seed, default 16000 bytes), FUZZ_MVN_LOCK (a file: Maven runs under flock on it),
#   FUZZ_REGRESSIONS (where failures go, default
#   src/test/resources/fuzz/regressions), FUZZ_JAVA_OPTS (more child-JVM options; a self-test of the pipeline:
#   FUZZ_JAVA_OPTS=-Disthmus.fuzz.injectFault=mismatch, =resource or =crash, with FUZZ_REGRESSIONS=/tmp/somewhere).
# Ends with the line "N modules, M mismatches, K crashes, R resource findings" (hangs count as mismatches).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
minutes= profile=simd jobs=1 batch=25 first= reduce=1
while (( $# )); do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --profile) profile=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --first-index) first=$2; shift 2 ;;
    --no-reduce) reduce=0; shift ;;
    *) echo "usage: campaign.sh --minutes N [--profile NAME] [--jobs J] [--batch B] [--first-index I] [--no-reduce]" >&2
       exit 2 ;;
  esac
done
[[ -n $minutes ]] || { echo "campaign.sh: --minutes N is required" >&2; exit 2; }
line=$(grep -v '^#' scripts/fuzz/profiles.tsv | awk -F'\t' -v p="$profile" '$1 == p')
[[ -n $line ]] || { echo "no profile $profile in scripts/fuzz/profiles.tsv" >&2; exit 2; }
read -r -a features <<< "$(echo "$line" | cut -f3)"
initial=$(echo "$line" | cut -s -f4)
# a fourth column "java:CLASS" names a generator of our own instead of initial content (profile shapes:
# dev.isthmus.fuzz.ShapeGenerator): CLASS DIR FIRST COUNT STEP PREFIX writes the modules, CLASS --features prints
# the wasm-opt flags they need; wasm-opt then only computes the reference outputs
generator=
if [[ $initial == java:* ]]; then generator=${initial#java:}; initial=; fi
first=${first:-$(date +%s%3N)}
wasm_opt=$(scripts/fuzz/binaryen.sh)
# wasm-opt is binaryen compiled to wasm under node; V8's baseline compiler alone (--liftoff-only) halves its CPU time
# (the optimizing tier-up of the 11 MB module is most of the cost of a short run)
opt=(node --liftoff-only "$wasm_opt")
# binaryen 132's npm wasm-reduce cannot run its test command under node (it dies at once with "RuntimeError: null
# function or function signature mismatch"), so reductions use a native wasm-reduce: FUZZ_WASM_REDUCE, else the one on
# PATH, else Debian's binaryen package (version 108; the interpreter output of a reduced module still comes from 132).
wasm_reduce=${FUZZ_WASM_REDUCE:-$(command -v wasm-reduce || true)}
if [[ -z $wasm_reduce && $reduce == 1 ]]; then
  if [[ $(id -u) == 0 ]] && apt-get install -y -qq binaryen >&2; then wasm_reduce=$(command -v wasm-reduce)
  else echo "campaign.sh: no native wasm-reduce (apt-get install binaryen), failures are kept unreduced" >&2; reduce=0; fi
fi

. scripts/java-home.sh
work=${FUZZ_WORK:-$root/target/fuzz-campaign}/$profile-$first
failures=$work/failures
regressions=${FUZZ_REGRESSIONS:-$root/src/test/resources/fuzz/regressions}
mkdir -p "$work" "$failures" "$regressions"
# the profile's initial content (fourth column of profiles.tsv), compiled once: -ttf keeps, mutates and calls it
ttf=(-ttf)
if [[ -n $initial ]]; then
  "${opt[@]}" "$initial" "${features[@]}" -o "$work/initial.wasm"
  ttf+=("--initial-fuzz=$work/initial.wasm")
fi
# FUZZ_MVN_LOCK=FILE: run the Maven steps under flock FILE (a machine shared by several builds)
mvn=(./mvnw); [[ -n ${FUZZ_MVN_LOCK:-} ]] && mvn=(flock "$FUZZ_MVN_LOCK" ./mvnw)
"${mvn[@]}" -q -o -B test-compile >&2
# (offline first; on a fresh machine the dependency plugin is not in ~/.m2 yet: then once online)
"${mvn[@]}" -q -o -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" \
  >/dev/null 2>&1 \
  || "${mvn[@]}" -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" >&2
classpath=$root/target/classes:$root/target/test-classes:$(cat "$work/classpath.txt")
# strict tier: an internal error of the optimizing tier is a finding (a mismatch), not a silent fall back to the baseline
java_cmd=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss8m -Xmx1g -XX:+UseSerialGC -XX:-UsePerfData
          -Disthmus.tier.strict=true ${FUZZ_JAVA_OPTS:-} -cp "$classpath")
if [[ -n $generator ]]; then read -r -a features <<< "$("${java_cmd[@]}" "$generator" --features)"; fi
deadline=$(( $(date +%s) + minutes * 60 ))
started=$(date +%s)

# reduction test for wasm-reduce: $1 = the test file; prints the outcome (ok, mismatch, hang, crash, invalid)
cat > "$work/reduction-test.sh" <<EOF
#!/usr/bin/env bash
t=\$1; e=\${t%.wasm}.expected
timeout ${FUZZ_TIMEOUT:-30} $(printf '%q ' "${opt[@]}") "\$t" ${features[*]} --fuzz-exec-before 2>/dev/null > "\$e.raw" || { echo invalid; exit 0; }
grep -v '^warning:' "\$e.raw" > "\$e" || true
if grep -q '^\[host limit' "\$e" || ! grep -q '^\[fuzz-exec\] export' "\$e"; then echo invalid; exit 0; fi
$(printf '%q ' "${java_cmd[@]}") -XX:ErrorFile="\${t%.wasm}.hs_err.log" dev.isthmus.fuzz.CampaignMain --one "\$t" >/dev/null 2>&1
case \$? in 0) echo ok ;; 1) echo mismatch ;; 3) echo hang ;; *) echo crash ;; esac
EOF
chmod +x "$work/reduction-test.sh"

# minimizes failure $1 (NAME) of kind $2 (mismatch, hang, crash) from $3 (the batch directory), problem text $4
minimize() {
  local name=$1 kind=$2 dir=$3 problem=$4
  local rdir=$failures/$1
  mkdir -p "$rdir"
  cp "$dir/$name.wasm" "$dir/$name.expected" "$rdir/"
  local reduced=$rdir/$name.wasm
  if (( reduce )); then
    cp "$dir/$name.wasm" "$rdir/t.wasm"
    local outcome
    outcome=$(cd "$rdir" && "$work/reduction-test.sh" t.wasm 2>/dev/null || true)
    if [[ $outcome == "$kind" ]]; then
      (cd "$rdir" && timeout "${FUZZ_REDUCE_SECONDS:-300}" "$wasm_reduce" "$name.wasm" -b "$(dirname "$wasm_reduce")/" \
         "-ef=${features[*]}" "--command=$work/reduction-test.sh t.wasm" -t t.wasm -w w.wasm --timeout 120 \
         > reduce.log 2>&1) || true
      [[ -s $rdir/w.wasm ]] && reduced=$rdir/w.wasm
    else
      echo "  $name: the failure did not reproduce alone ($outcome), kept unreduced" >&2
    fi
  fi
  cp "$reduced" "$regressions/$name.wasm"
  timeout "${FUZZ_TIMEOUT:-30}" "${opt[@]}" "$regressions/$name.wasm" "${features[@]}" --fuzz-exec-before 2>/dev/null \
    | grep -v '^warning:' > "$regressions/$name.expected" || true
  {
    echo "profile: $profile (${features[*]})"
    echo "seed index: ${name##*-} (scripts/fuzz/campaign.sh, python random.Random(index).randbytes)"
    echo "found: $(date -u +%FT%TZ), $kind; original $(stat -c %s "$dir/$name.wasm") bytes, reduced $(stat -c %s "$regressions/$name.wasm") bytes"
    echo "problem: $problem"
  } > "$regressions/$name.txt"
  echo "  $kind $name -> $regressions/$name.wasm ($(stat -c %s "$regressions/$name.wasm") bytes)" >&2
}

# one generator + child-JVM loop: indices first+job, first+job+jobs, ...
run_job() {
  local job=$1
  local index=$(( first + job )) modules=0 mismatches=0 crashes=0 resources=0 b=0 counts=$work/job-$1.counts
  echo "0 0 0 0" > "$counts"
  while (( $(date +%s) < deadline )); do
    b=$((b + 1))
    local dir=$work/job$job-batch$b
    mkdir -p "$dir"
    # the batch's seeds, then its modules and reference outputs from one node process (generate-batch.mjs compiles
    # wasm-opt once instead of twice per module)
    local ttf_json
    if [[ -n $generator ]]; then
      "${java_cmd[@]}" "$generator" "$dir" "$index" "$batch" "$jobs" "$profile"
      ttf_json=null
    else
      python3 -c "
import random
for i in range($index, $index + $batch * $jobs, $jobs):
    r = random.Random(i)
    open('$dir/seed-%d.bin' % i, 'wb').write(r.randbytes(r.randint(1000, ${FUZZ_SEED_MAX:-16000})))"
      ttf_json=$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${ttf[@]}")
    fi
    PREFIX=$profile node "$root/scripts/fuzz/generate-batch.mjs" "$wasm_opt" "$dir" "$index" "$jobs" "$batch" \
      "${FUZZ_TIMEOUT:-30}" "$ttf_json" "${features[@]}" > "$dir/next.txt" \
      || { echo "  job $job: generate-batch.mjs failed" >&2; sleep 1; }
    index=$(( index + batch * jobs ))
    rm -f "$dir"/seed-*.bin "$dir/next.txt"
    local made
    made=$(find "$dir" -maxdepth 1 -name '*.expected' | wc -l)
    (( made )) || continue
    local after=() log=$dir/run.log
    : > "$log"
    while true; do
      local rc=0
      "${java_cmd[@]}" -XX:ErrorFile="$dir/hs_err_pid%p.log" dev.isthmus.fuzz.CampaignMain "$dir" "${after[@]}" \
        >> "$log" 2> "$dir/stderr.log" || rc=$?
      grep -q "^END-OF-BATCH" "$log" && break
      local lastline last
      lastline=$(grep -E '^(BEGIN|OK|MISMATCH|HANG) ' "$log" | tail -n1 || true)
      last=$(awk '{print $2}' <<< "$lastline")
      if [[ -z $last || ( ${#after[@]} -gt 0 && $last == "${after[1]}" ) ]]; then
        echo "  job $job: child JVM failed without progress (rc $rc):" >&2; tail -n5 "$dir/stderr.log" >&2; break
      fi
      if [[ $lastline == "BEGIN $last" ]]; then
        echo "CRASH $last	exit $rc" >> "$log"
        mkdir -p "$failures/$last"
        for f in "$dir"/hs_err_pid*.log; do [[ -e $f ]] && mv "$f" "$failures/$last/"; done
        tail -n 50 "$dir/stderr.log" > "$failures/$last/stderr.log"
      fi
      echo "END-OF-RUN" >> "$log"
      after=(--after "$last")
    done
    local n m k r
    n=$(grep -cE '^(OK|MISMATCH|HANG|CRASH) ' "$log" || true)
    m=$(grep -cE '^(MISMATCH|HANG) ' "$log" || true)
    k=$(grep -c '^CRASH ' "$log" || true)
    r=$(grep -c '^RESOURCE ' "$log" || true)
    modules=$((modules + n)); mismatches=$((mismatches + m)); crashes=$((crashes + k)); resources=$((resources + r))
    echo "$modules $mismatches $crashes $resources" > "$counts"
    echo "  job $job batch $b: $n modules, $m mismatches, $k crashes, $r resource findings (total $modules)" >&2
    while IFS=$'\t' read -r head finding; do
      local name=${head#* }
      mkdir -p "$failures/$name"
      cp "$dir/$name.wasm" "$dir/$name.expected" "$failures/$name/"
      echo "$finding" | tr '|' '\n' > "$failures/$name/resource.txt"
      echo "  resource $name -> $failures/$name/: $finding" >&2
    done < <(grep '^RESOURCE ' "$log")
    while IFS=$'\t' read -r head problem; do
      local kind=${head%% *} name=${head#* }
      case $kind in MISMATCH) kind=mismatch ;; HANG) kind=hang ;; CRASH) kind=crash ;; esac
      cp "$log" "$failures/$name.run.log" 2>/dev/null || true
      minimize "$name" "$kind" "$dir" "$problem"
    done < <(grep -E '^(MISMATCH|HANG|CRASH) ' "$log")
    # keep failing batches' logs, drop passing modules
    rm -rf "$dir"
  done
}

for (( j = 0; j < jobs; j++ )); do run_job "$j" & done
wait
read -r N M K R < <(cat "$work"/job-*.counts | awk '{n+=$1; m+=$2; k+=$3; r+=$4} END {print n, m, k, r}')
elapsed=$(( $(date +%s) - started ))
echo "$(date -u +%FT%TZ) profile $profile first-index $first jobs $jobs ${elapsed}s: $N modules, $M mismatches, $K crashes, $R resource findings" \
  >> "${FUZZ_WORK:-$root/target/fuzz-campaign}/campaigns.log"
echo "$N modules, $M mismatches, $K crashes, $R resource findings"
