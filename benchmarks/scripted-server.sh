#!/usr/bin/env bash
# Starts emlab's scripted OpenAI-compatible server on loopback (default port 8089), for trying
# `emlab eval` without a model. Its numbers come from a script, not from a language model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -f benchmarks/target/classpath.txt ] || mvn -q -B -Dstyle.color=never -DskipTests install >&2
exec java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" dev.emlab.bench.ScriptedServer "$@"
