#!/usr/bin/env bash
# Times each export of bulk.wat under one or more isthmus jars, whole process, and prints ns per operation:
# (time(N iterations) - time(1 iteration)) / N, the median of ROUNDS runs, jars interleaved in every round.
#   bench/bulk-memory/run.sh OLD.jar NEW.jar:20       (build a jar: ./mvnw -q -o -B package -DskipTests)
# JAR:K runs K times the iterations under that jar (a fast jar needs many more for the loop to dominate start-up).
# Environment: ROUNDS (default 3), EXPORTS (default all), extra isthmus options in OPTS (e.g. "--tier baseline").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../../scripts/java-home.sh"
ROUNDS=${ROUNDS:-3}
EXPORTS=${EXPORTS:-"copy16 copy256 copy64k fill16 fill256 fill64k move_up256 move_up64k"}
iterations() {
  case $1 in
    *64k) echo 100000 ;;
    *) echo 2000000 ;;
  esac
}
now() { date +%s%N; }
timed() { # jar export n -> nanoseconds
  local t0 t1
  t0=$(now)
  java -jar "$1" run $OPTS --invoke "$2" "$here/bulk.wat" "$3" > /dev/null
  t1=$(now)
  echo $((t1 - t0))
}
OPTS=${OPTS:-}
printf '%-12s' export; for j in "$@"; do printf '%22s' "$(basename "$j")"; done; echo
for e in $EXPORTS; do
  n=$(iterations "$e")
  declare -A res=()
  for r in $(seq "$ROUNDS"); do
    for j in "$@"; do
      jar=${j%%:*}; k=1; [[ $j == *:* ]] && k=${j##*:}
      base=$(timed "$jar" "$e" 1)
      full=$(timed "$jar" "$e" $((n * k)))
      res[$j]+="$(( (full - base) * 10 / (n * k) )) "
    done
  done
  printf '%-12s' "$e"
  for j in "$@"; do
    med=$(echo ${res[$j]} | tr ' ' '\n' | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")
    printf '%19s ns' "$((med / 10)).$((med % 10))"
  done
  echo
  unset res
done
