#!/usr/bin/env python3
"""PyTorch reference for dev.emlab.bench.EngineBenchmark: the same decoder, LoRA and steps, timed the same way.

Architecture (Qwen2 as Hugging Face defines it, written out here because `transformers` is not
installed): token embedding; per layer RMSNorm (eps 1e-6) -> grouped-query attention with q/k/v
biases and rotary positions (theta 10000, rotate_half layout) -> residual; RMSNorm -> SwiGLU MLP
-> residual; final RMSNorm; untied lm_head. Attention is written explicitly (matmul, additive
mask, softmax, matmul) because torch 1.13 (Debian bookworm) has no scaled_dot_product_attention,
and because that is also what emlab does.

LoRA as PEFT does it: r 32, alpha 64, rsLoRA scale alpha / sqrt(r), A Kaiming-uniform (a = sqrt(5)),
B zeros, on all seven projections; base weights frozen. AdamW lr 1e-5, weight decay 0.01, linear
decay with no warm-up (emlab's schedule). fp32 throughout.

Prints one JSON object on stdout (progress goes to stderr); EngineBenchmark parses it.
Usage: engine_benchmark_torch.py [--warmup-steps 2] [--timed-steps 5] [--sample-runs 3] ...
(EngineBenchmark passes every setting explicitly; the defaults match its own.)
"""
import argparse
import json
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

MASKED = -1e9  # emlab's additive mask value


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class LoraLinear(nn.Module):
    """y = x W^T + b + scale * x A^T B^T, with W and b frozen (PEFT's layout: A (r, in), B (out, r))."""

    def __init__(self, d_in, d_out, bias, r, alpha):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d_out, d_in), requires_grad=False)
        self.bias = nn.Parameter(torch.empty(d_out), requires_grad=False) if bias else None
        self.lora_A = nn.Parameter(torch.empty(r, d_in))
        self.lora_B = nn.Parameter(torch.zeros(d_out, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.scale = alpha / math.sqrt(r)  # rsLoRA
        self.lora_on = True

    def forward(self, x):
        y = F.linear(x, self.weight, self.bias)
        if self.lora_on:
            y = y + F.linear(F.linear(x, self.lora_A), self.lora_B) * self.scale
        return y


class RMSNorm(nn.Module):
    def __init__(self, hidden, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden), requires_grad=False)
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Layer(nn.Module):
    def __init__(self, a):
        super().__init__()
        h, hd = a.hidden, a.hidden // a.heads
        lora = dict(r=a.rank, alpha=a.alpha)
        self.heads, self.kv_heads, self.hd = a.heads, a.kv_heads, hd
        self.input_layernorm = RMSNorm(h, a.eps)
        self.q_proj = LoraLinear(h, a.heads * hd, True, **lora)
        self.k_proj = LoraLinear(h, a.kv_heads * hd, True, **lora)
        self.v_proj = LoraLinear(h, a.kv_heads * hd, True, **lora)
        self.o_proj = LoraLinear(a.heads * hd, h, False, **lora)
        self.post_attention_layernorm = RMSNorm(h, a.eps)
        self.gate_proj = LoraLinear(h, a.intermediate, False, **lora)
        self.up_proj = LoraLinear(h, a.intermediate, False, **lora)
        self.down_proj = LoraLinear(a.intermediate, h, False, **lora)

    def attention(self, x, cos, sin, mask, cache):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:  # grows by concatenation, as Hugging Face's DynamicCache (and emlab) do
            if cache[0] is not None:
                k = torch.cat((cache[0], k), dim=2)
                v = torch.cat((cache[1], v), dim=2)
            cache[0], cache[1] = k, v
        groups = self.heads // self.kv_heads
        if groups > 1:  # Hugging Face's repeat_kv: kv head i serves query heads i*groups .. i*groups+groups-1
            total = k.shape[2]
            k = k[:, :, None].expand(b, self.kv_heads, groups, total, self.hd).reshape(b, self.heads, total, self.hd)
            v = v[:, :, None].expand(b, self.kv_heads, groups, total, self.hd).reshape(b, self.heads, total, self.hd)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.hd)
        if mask is not None:
            scores = scores + mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.o_proj(context.transpose(1, 2).reshape(b, s, self.heads * self.hd))

    def forward(self, x, cos, sin, mask, cache):
        x = x + self.attention(self.input_layernorm(x), cos, sin, mask, cache)
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h))


class Decoder(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embed_tokens = nn.Embedding(a.vocab, a.hidden)
        self.embed_tokens.weight.requires_grad_(False)
        self.layers = nn.ModuleList(Layer(a) for _ in range(a.layers))
        self.norm = RMSNorm(a.hidden, a.eps)
        self.lm_head = nn.Linear(a.hidden, a.vocab, bias=False)
        self.lm_head.weight.requires_grad_(False)
        hd = a.hidden // a.heads
        inv = 1.0 / (a.rope_theta ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
        angles = torch.outer(torch.arange(a.max_positions, dtype=torch.float64), inv)
        angles = torch.cat((angles, angles), dim=-1)  # rotate_half layout: both halves share a frequency
        self.register_buffer("cos", angles.cos().float(), persistent=False)
        self.register_buffer("sin", angles.sin().float(), persistent=False)

    def forward(self, ids, positions, mask, caches=None, last_only=False):
        cos = self.cos[positions].unsqueeze(1)  # (batch, 1, seq, hd)
        sin = self.sin[positions].unsqueeze(1)
        x = self.embed_tokens(ids)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, None if caches is None else caches[i])
        if last_only:
            x = x[:, -1:, :]
        return self.lm_head(self.norm(x))

    def lora_parameters(self):
        return [p for n, p in self.named_parameters() if "lora_" in n]

    def set_lora(self, on):
        for m in self.modules():
            if isinstance(m, LoraLinear):
                m.lora_on = on


@torch.no_grad()
def randomise(model, gen):
    """Random weights at a trained model's magnitudes, as EngineBenchmark rescales its checkpoint:
    projections std 1/sqrt(fan in), lm_head 1/sqrt(hidden), embedding 0.5, norms 1 + 0.2 N(0, 1),
    biases 0.1. (Exploding activations would push softmax into subnormal floats, ~50x slower on x86.)"""
    for name, p in model.named_parameters():
        if "lora_" in name:
            continue
        if "norm" in name:
            p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen))
        elif name.endswith("bias"):
            p.copy_(0.1 * torch.randn(p.shape, generator=gen))
        elif "embed" in name:
            p.copy_(0.5 * torch.randn(p.shape, generator=gen))
        else:
            p.copy_(torch.randn(p.shape, generator=gen) / math.sqrt(p.shape[1]))


def causal_mask(s):
    return torch.full((s, s), MASKED).triu(1).view(1, 1, s, s)


def matmul_peak(runs):
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    for _ in range(2):
        torch.matmul(a, b)
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        torch.matmul(a, b)
        rates.append(2 * 1024 ** 3 / (time.perf_counter() - t0) / 1e9)
    return max(rates), rates


def train(model, a, gen):
    """Forward + backward + AdamW per step on batch x seq positions; returns per-step seconds and losses."""
    seq = a.seq
    total = a.warmup_steps + a.timed_steps
    params = model.lora_parameters()
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda k: max(0.0, (total - k) / total))
    # batch rows of seq + 1 tokens: inputs are the first seq, targets the last seq (emlab's layout).
    tokens = torch.randint(0, a.vocab, (total, a.batch, seq + 1), generator=gen)
    weights = torch.ones(a.batch, seq)
    weights[:, : a.frozen_prefix - 1] = 0  # targets 1 .. frozen_prefix-1 are not trainable
    denominator = weights.sum()
    positions = torch.arange(seq).expand(a.batch, seq)
    mask = causal_mask(seq)
    times, losses = [], []
    for step in range(total):
        t0 = time.perf_counter()
        ids, targets = tokens[step, :, :-1], tokens[step, :, 1:]
        logits = model(ids, positions, mask)
        nll = F.cross_entropy(logits.reshape(-1, a.vocab), targets.reshape(-1), reduction="none")
        loss = (nll * weights.reshape(-1)).sum() / denominator
        loss.backward()
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        losses.append(loss.item())
        times.append(time.perf_counter() - t0)
        log(f"torch train step {step + 1}/{total}: {times[-1]:.2f} s, loss {losses[-1]:.4f}")
    return times, losses


@torch.no_grad()
def generate(model, a, prompts, gen):
    """Batched sampling at temperature 1 with a KV cache: one prefill, then one token per forward."""
    b, p = prompts.shape
    caches = [[None, None] for _ in range(a.layers)]
    logits = model(prompts, torch.arange(p).expand(b, p), causal_mask(p), caches, last_only=True)
    out = []
    for t in range(a.new_tokens):
        nxt = torch.multinomial(torch.softmax(logits[:, -1, :] / a.temperature, dim=-1), 1, generator=gen)
        out.append(nxt)
        if t + 1 == a.new_tokens:
            break
        # Every row has the same length, so a decode step attends to everything: no mask needed.
        logits = model(nxt, torch.full((b, 1), p + t, dtype=torch.long), None, caches, last_only=True)
    return torch.cat(out, dim=1)


def sample(model, a, gen):
    model.set_lora(False)  # emlab samples from the bare base model
    prompts = torch.randint(0, a.vocab, (a.batch, a.prompt), generator=gen)
    generate(model, a, prompts, gen)  # warm-up
    runs = []
    for r in range(a.sample_runs):
        t0 = time.perf_counter()
        tokens = generate(model, a, prompts, gen)
        runs.append((tokens.numel(), time.perf_counter() - t0))
        log(f"torch sampling run {r + 1}/{a.sample_runs}: {runs[-1][0]} tokens in {runs[-1][1]:.2f} s")
    return runs


def blas_library():
    """The BLAS this process loaded, e.g. openblas-openmp: Debian picks libblas.so.3 with
    update-alternatives, and its fallback, the reference BLAS, is about 40x slower than OpenBLAS."""
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "libblas.so" in line})
    except OSError:
        libs = []
    if not libs:
        return "BLAS unknown"
    folder = libs[0].split("/")[-2]
    return "reference BLAS (netlib)" if folder == "blas" else folder.replace("openblas", "OpenBLAS")


def cpu_seconds():
    """User + system CPU time of this process, all threads, so the caller can tell its share of the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in [("layers", 8), ("hidden", 512), ("heads", 8), ("kv-heads", 4), ("intermediate", 1376),
                          ("vocab", 32000), ("max-positions", 512), ("batch", 8), ("seq", 256), ("prompt", 32),
                          ("new-tokens", 128), ("rank", 32), ("frozen-prefix", 4), ("warmup-steps", 2),
                          ("timed-steps", 5), ("sample-runs", 3), ("matmul-runs", 20), ("threads", 2), ("seed", 0)]:
        ap.add_argument("--" + name, type=int, default=default)
    for name, default in [("alpha", 64.0), ("eps", 1e-6), ("rope-theta", 10000.0), ("lr", 1e-5),
                          ("weight-decay", 0.01), ("temperature", 1.0)]:
        ap.add_argument("--" + name, type=float, default=default)
    return ap.parse_args()


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)  # LoRA A init
    gen = torch.Generator().manual_seed(a.seed)
    peak, peak_runs = matmul_peak(a.matmul_runs)
    log(f"torch matmul peak {peak:.1f} GFLOP/s")
    model = Decoder(a)
    randomise(model, gen)
    step_times, losses = train(model, a, gen)
    timed = step_times[a.warmup_steps:]
    runs = sample(model, a, gen)
    print(json.dumps({
        "engine": f"PyTorch {torch.__version__} (Python {sys.version.split()[0]})",
        "blas_name": blas_library(),
        "cpu_seconds": cpu_seconds(),
        "threads": torch.get_num_threads(),
        "matmul_gflops": peak,
        "matmul_runs_gflops": peak_runs,
        "train": {
            "tokens_per_step": a.batch * a.seq,
            "warmup_steps": a.warmup_steps,
            "step_seconds": step_times,
            "timed_seconds": sum(timed),
            "median_step_seconds": statistics.median(timed),
            "tokens_per_second": a.batch * a.seq * len(timed) / sum(timed),
            "losses": losses,
        },
        "sample": {
            "generated_tokens": sum(n for n, _ in runs),
            "seconds": sum(s for _, s in runs),
            "tokens_per_second": sum(n for n, _ in runs) / sum(s for _, s in runs),
            "runs": [{"tokens": n, "seconds": s} for n, s in runs],
        },
    }))


if __name__ == "__main__":
    main()
