#!/usr/bin/env bash
# Builds the JMH benchmarks jar (engine compiled from the current sources) and runs it with JDK 25.
# Arguments go to JMH, e.g.  scripts/bench.sh FrontEndBenchmark -f 1 -wi 3 -i 5 -rf json -rff out.json
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
./mvnw -B -q -ntp -f bench/pom.xml package
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar "$@"
