#!/usr/bin/env bash
# Builds emlab and compares its local engine (DJL + libtorch) with PyTorch from Python on the same
# model and steps: training and sampling tokens/s, effective GFLOP/s, fraction of the matmul peak.
# Prints one markdown report; progress goes to stderr. Flags pass through to EngineBenchmark:
#   --warmup-steps 2 --timed-steps 5 --sample-runs 3 --matmul-runs 20 --threads 2 --no-torch
# Run it on an otherwise idle machine: on 2 CPUs any neighbour skews both engines (the report
# shows how much CPU other processes took meanwhile).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Debian's interpreter: `python3` on PATH may be a pyenv build that cannot see Debian's packages.
py=/usr/bin/python3
# install, not package: the benchmarks module needs emlab-torch's test-jar (TinyCheckpoint).
(cd "$root" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2

apt_install() {
  echo "installing $* with apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
if ! "$py" -c 'import torch' 2>/dev/null; then
  apt_install python3-torch
fi
# Debian's torch calls whatever libblas.so.3 update-alternatives picked. With nothing else
# installed that is the reference BLAS, about 4 GFLOP/s here, which would make PyTorch look 30x
# slower than it is. The OpenMP build of OpenBLAS shares torch's libgomp thread pool, so the two
# do not fight over the cores as the pthreads build would.
blas="$(readlink -f "$(ldconfig -p | awk '/libblas\.so\.3 /{print $NF; exit}')" 2>/dev/null || true)"
case "$blas" in
  *openblas*|*mkl*|*blis*) ;;
  *) echo "libblas.so.3 is '${blas:-missing}', the reference BLAS" >&2
     apt_install libopenblas0-openmp ;;
esac

cp_file="$root/benchmarks/target/classpath.txt"   # written by maven-dependency-plugin at package
exec java ${BENCH_JAVA_OPTS:-} -cp "$root/benchmarks/target/classes:$(cat "$cp_file")" \
  dev.emlab.bench.EngineBenchmark --python "$py" --torch-script "$root/benchmarks/engine_benchmark_torch.py" "$@"
