#!/usr/bin/env bash
# Builds emlab and runs the eval-harness throughput benchmark against the loopback fake server.
# Flags pass through: --latency-ms 200 --levels 1,8,64 --rounds 20
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# install, not package: the benchmarks module needs emlab-core's test-jar (the fake server).
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
cp_file="$root/benchmarks/target/classpath.txt"   # written by maven-dependency-plugin at package
exec java ${BENCH_JAVA_OPTS:-} -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" \
  dev.emlab.bench.EvalThroughputBenchmark "$@"
