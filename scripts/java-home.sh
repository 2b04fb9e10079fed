#!/usr/bin/env bash
# Sourced by the other scripts: exports JAVA_HOME pointing at a JDK >= 25, or explains what to install.
# Order: $JAVA_HOME if it is >= 25, then the usual install locations, then `java` on PATH.
isthmus_java_major() {  # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}
isthmus_find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* \
           /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    v=$(isthmus_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return 0; fi
  done
  return 1
}
if jdk=$(isthmus_find_jdk); then
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "isthmus: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman)." >&2
  echo "isthmus: install one, e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or 'apt-get install openjdk-25-jdk'," >&2
  echo "isthmus: or set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
