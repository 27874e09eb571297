#!/usr/bin/env bash
# The JMH microbenchmarks of SocketDock's internals, which live in socketdock-core's test sources
# (internal classes are not exported, so only core's own sources may measure them):
#
#   socketdock-bench/jmh.sh -prof gc                       # WireFormatBench and SendPathBench
#   socketdock-bench/jmh.sh WireFormatBench -f 1 -wi 2 -i 3 -w 1 -r 1 -prof gc
#
# Any argument is JMH's (org.openjdk.jmh.Main). Needs Java 17+.
set -euo pipefail
cd "$(dirname "$0")/.."
# -am: core's tests need socketdock-fixtures, which is built in the reactor and never installed
./mvnw -B -q -pl socketdock-core -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh-classpath.txt
cd socketdock-core
exec java -cp "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)" org.openjdk.jmh.Main "$@"
