#!/usr/bin/env bash
# Builds emlab and measures the shipped organism's answers/s at several local batch sizes.
# Flags pass through: --batches 8,32,64,128 --requests 480 --rounds 3
# BENCH_CLASS runs another organism benchmark the same way (run-adapter-fold.sh does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
cp_file="$root/benchmarks/target/classpath.txt"   # written by maven-dependency-plugin at package
export DJL_OFFLINE=true
exec java -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" \
  "${BENCH_CLASS:-dev.emlab.bench.OrganismSamplingBenchmark}" "$@"
