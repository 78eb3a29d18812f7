#!/usr/bin/env bash
# Builds emlab and measures sampling a LoRA fine-tune with its adapter attached against folded into the weights.
# Flags pass through: --requests 384 --batch 32 --rounds 3
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
cp_file="$root/benchmarks/target/classpath.txt"   # written by maven-dependency-plugin at package
export DJL_OFFLINE=true
exec java -Dai.djl.offline=true ${BENCH_JAVA_OPTS:-} -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" \
  dev.emlab.bench.AdapterFoldBenchmark "$@"
