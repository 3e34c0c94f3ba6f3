# Sourced by ./eef4j, ./test and .ci/run: finds a JDK 25 and exports JAVA_HOME and PATH for it.
# The machine's default java is 17; the project needs 25 (records, patterns, the Vector API incubator).
eef4j_find_jdk() {
  local candidate
  for candidate in "${EEF4J_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! EEF4J_JDK=$(eef4j_find_jdk); then
  echo "eef4j needs JDK 25 or newer: set JAVA_HOME to one (looked in \$JAVA_HOME and /usr/lib/jvm)." >&2
  exit 2
fi
export JAVA_HOME="$EEF4J_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled Guava uses sun.misc.Unsafe, which JDK 25 warns about on every build: allow it quietly.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
if ! command -v mvn >/dev/null 2>&1; then
  echo "eef4j builds with Maven: install it (Debian: apt-get install maven)." >&2
  exit 2
fi
