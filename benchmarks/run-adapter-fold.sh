#!/usr/bin/env bash
# Builds emlab and measures sampling a LoRA fine-tune with its adapter attached against folded into the weights.
# Flags pass through: --requests 384 --batch 32 --rounds 3
BENCH_CLASS=dev.emlab.bench.AdapterFoldBenchmark exec "$(dirname "${BASH_SOURCE[0]}")/run-organism-sampling.sh" "$@"
