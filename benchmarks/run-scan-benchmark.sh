#!/usr/bin/env bash
# Compares `emlab scan` with Bandit (the Debian package) on the labelled corpus in benchmarks/scan-corpus:
# recall on vulnerable/, false-positive rate on safe/, wall time, per-CWE recall. Prints markdown.
# Installs bandit with apt-get when missing (needs root). Numbers are reported, never asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v bandit >/dev/null 2>&1; then
  echo "run-scan-benchmark: installing bandit with apt-get..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bandit >&2
fi

(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
touch "$root/emlab-cli/target/classpath.txt"   # fresh build: keep ./emlab from rebuilding inside the timing

cd "$root"
exec /usr/bin/python3 "$root/benchmarks/scan_benchmark.py" "benchmarks/scan-corpus" "$root/emlab" "${BANDIT:-bandit}"
