"""A plain PyTorch LLaMA on the same checkpoint as Yinghuo's CUDA bench: GPTQ weights dequantized once to fp16
at load, then batch-1 decode and a long prefill with ordinary torch ops (F.linear -> cuBLAS, SDPA attention, no
CUDA graphs, no fused kernels, no torch.compile). It is the floor a quantized engine must beat: it streams 16-bit
weights (~3.4x the bytes of 4-bit) with mature kernels.

    python3 scripts/gpu/torch_peer.py MODEL_DIR [--prefill-tokens 4096] [--decode-prompt 128] [--decode-tokens 128]
                                      [--bandwidth-bytes-per-second B] [--json]

The model follows Hugging Face's modeling_llama.py: RMSNorm x * rsqrt(mean(x^2) + eps) * w; RoPE rotate_half with
inv_freq = theta^(-2i/d); causal GQA attention; SiLU(gate) * up; residuals; final norm; lm_head.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gptq_checkpoint import Checkpoint, bf16_to_float32, dequantize  # noqa: E402

LINEARS = ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
           "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")


def fp16_bytes_per_token(linear_shapes, vocab, hidden, layers):
    """Bytes one decode step streams: every linear's fp16 weights, lm_head, the norms (one embedding row is noise)."""
    linear = sum(2 * n * k for n, k in linear_shapes)
    return linear + 2 * vocab * hidden + 2 * hidden * (2 * layers + 1)


class Peer:
    def __init__(self, ckpt, device="cuda"):
        import torch
        self.torch = torch
        c = ckpt.config
        self.hidden = c["hidden_size"]
        self.layers = c["num_hidden_layers"]
        self.heads = c["num_attention_heads"]
        self.kv_heads = c.get("num_key_value_heads", self.heads)
        self.head_dim = self.hidden // self.heads
        self.eps = c.get("rms_norm_eps", 1e-6)
        self.theta = c.get("rope_theta", 10000.0)
        if c.get("rope_scaling"):
            raise ValueError("the peer implements plain RoPE only; this config has rope_scaling")
        self.device = device
        quant = ckpt.quant or {}
        bits = quant.get("bits", 4)
        zero_offset = ckpt.zero_offset() if quant else 0

        def dense(name):
            a = ckpt.array(name)
            host = bf16_to_float32(a) if a.dtype.kind == "u" else np.array(a)  # a writable copy of the memmap
            return torch.from_numpy(host).to(device=device, dtype=torch.float16)

        def linear(prefix):
            """[N, K] fp16 weight (F.linear's layout) and the optional bias."""
            if ckpt.has(prefix + ".qweight"):
                def dev(name):
                    return torch.from_numpy(np.array(ckpt.array(name))).to(device)
                w = dequantize(dev(prefix + ".qweight"), dev(prefix + ".qzeros"), dev(prefix + ".scales"),
                               dev(prefix + ".g_idx").long(), bits, zero_offset).t().contiguous()
            else:
                w = dense(prefix + ".weight")
            bias = dense(prefix + ".bias") if ckpt.has(prefix + ".bias") else None
            if bias is not None and not bool(bias.any()):
                bias = None  # the all-zero biases old AutoGPTQ wrote: adding zeros is not part of the model
            return w, bias

        self.embed = dense("model.embed_tokens.weight")
        self.lm_head = dense("lm_head.weight") if ckpt.has("lm_head.weight") else self.embed
        self.norm = dense("model.norm.weight")
        self.blocks = []
        shapes = []
        for i in range(self.layers):
            p = f"model.layers.{i}."
            block = {name: linear(p + name) for name in LINEARS}
            block["input_layernorm"] = dense(p + "input_layernorm.weight")
            block["post_attention_layernorm"] = dense(p + "post_attention_layernorm.weight")
            shapes += [tuple(block[name][0].shape) for name in LINEARS]
            self.blocks.append(block)
        self.vocab = self.lm_head.shape[0]
        self.bytes_per_token = fp16_bytes_per_token(shapes, self.vocab, self.hidden, self.layers)
        inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float32, device=device)
                                         / self.head_dim))
        self.inv_freq = inv_freq

    def new_cache(self, capacity):
        t = self.torch
        shape = (self.layers, 1, self.kv_heads, capacity, self.head_dim)
        return {"k": t.zeros(shape, dtype=t.float16, device=self.device),
                "v": t.zeros(shape, dtype=t.float16, device=self.device), "length": 0}

    def _rms(self, x, w):
        t = self.torch
        xf = x.float()
        return (xf * t.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).to(t.float16) * w

    def _rope(self, x, cos, sin):
        half = x.shape[-1] // 2
        rotated = self.torch.cat((-x[..., half:], x[..., :half]), dim=-1)
        return (x.float() * cos + rotated.float() * sin).to(x.dtype)

    def forward(self, tokens, cache):
        """Logits (fp32) of the last position after appending `tokens` (a 1-D LongTensor) to the cache."""
        t = self.torch
        F = t.nn.functional
        n = tokens.shape[0]
        start = cache["length"]
        if start > 0 and n > 1:
            raise ValueError("the peer prefills from an empty cache only")
        end = start + n
        pos = t.arange(start, end, dtype=t.float32, device=self.device)
        freqs = t.outer(pos, self.inv_freq)
        emb = t.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        x = self.embed[tokens][None]  # [1, n, H]
        for i, b in enumerate(self.blocks):
            h = self._rms(x, b["input_layernorm"])
            q = F.linear(h, *b["self_attn.q_proj"]).view(1, n, self.heads, self.head_dim).transpose(1, 2)
            k = F.linear(h, *b["self_attn.k_proj"]).view(1, n, self.kv_heads, self.head_dim).transpose(1, 2)
            v = F.linear(h, *b["self_attn.v_proj"]).view(1, n, self.kv_heads, self.head_dim).transpose(1, 2)
            q, k = self._rope(q, cos, sin), self._rope(k, cos, sin)
            cache["k"][i, :, :, start:end] = k
            cache["v"][i, :, :, start:end] = v
            keys, values = cache["k"][i, :, :, :end], cache["v"][i, :, :, :end]
            # causal only matters when queries start at 0 (a prefill): a decode query sees every cached key
            a = F.scaled_dot_product_attention(q, keys, values, is_causal=(start == 0 and n > 1),
                                               enable_gqa=self.kv_heads != self.heads)
            x = x + F.linear(a.transpose(1, 2).reshape(1, n, self.hidden), *b["self_attn.o_proj"])
            h = self._rms(x, b["post_attention_layernorm"])
            x = x + F.linear(F.silu(F.linear(h, *b["mlp.gate_proj"])) * F.linear(h, *b["mlp.up_proj"]),
                             *b["mlp.down_proj"])
        cache["length"] = end
        return F.linear(self._rms(x[:, -1], self.norm), self.lm_head).float()[0]


def run(model_dir, prefill_tokens, decode_prompt, decode_tokens, bandwidth, seed=42):
    import torch
    t0 = time.perf_counter()
    peer = Peer(Checkpoint(model_dir))
    torch.cuda.synchronize()
    load_seconds = time.perf_counter() - t0
    g = torch.Generator(device="cpu").manual_seed(seed)

    def tokens(n):
        return torch.randint(0, peer.vocab, (n,), generator=g).to(peer.device)

    with torch.inference_mode():
        warm = peer.new_cache(32)  # kernels and cuBLAS heuristics chosen before timing, like the engine's bench
        peer.forward(tokens(16), warm)
        for _ in range(4):
            peer.forward(tokens(1), warm)
        del warm

        cache = peer.new_cache(decode_prompt + decode_tokens)
        peer.forward(tokens(decode_prompt), cache)
        steps = [tokens(1) for _ in range(decode_tokens)]
        torch.cuda.synchronize()
        t1 = time.perf_counter()
        for s in steps:
            peer.forward(s, cache)
        torch.cuda.synchronize()
        decode_seconds = time.perf_counter() - t1
        del cache

        cache = peer.new_cache(prefill_tokens)
        prompt = tokens(prefill_tokens)
        torch.cuda.synchronize()
        t2 = time.perf_counter()
        peer.forward(prompt, cache)
        torch.cuda.synchronize()
        prefill_seconds = time.perf_counter() - t2
    decode_tps = decode_tokens / decode_seconds
    achieved = peer.bytes_per_token * decode_tps
    return {"backend": f"pytorch {torch.__version__} fp16 dequantized weights (F.linear, SDPA, no graphs)",
            "device": torch.cuda.get_device_name(0), "model": model_dir, "load_seconds": load_seconds,
            "prompt_tokens": prefill_tokens, "prefill_tokens_per_second": prefill_tokens / prefill_seconds,
            "decode_prompt_tokens": decode_prompt, "decode_tokens": decode_tokens,
            "decode_tokens_per_second": decode_tps, "bytes_per_token": peer.bytes_per_token,
            "achieved_bytes_per_second": achieved,
            "bandwidth_bytes_per_second": bandwidth,
            "fraction_of_bandwidth": achieved / bandwidth if bandwidth else None,
            "peak_gpu_bytes": torch.cuda.max_memory_allocated()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("model")
    p.add_argument("--prefill-tokens", type=int, default=4096)
    p.add_argument("--decode-prompt", type=int, default=128, help="prompt before the timed decode steps")
    p.add_argument("--decode-tokens", type=int, default=128)
    p.add_argument("--bandwidth-bytes-per-second", type=float, default=None)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    r = run(a.model, a.prefill_tokens, a.decode_prompt, a.decode_tokens, a.bandwidth_bytes_per_second)
    if a.json:
        print(json.dumps(r))
    else:
        share = "" if r["fraction_of_bandwidth"] is None else f" = {100 * r['fraction_of_bandwidth']:.0f}% of the given"
        print(f"{r['backend']} on {r['device']}: decode {r['decode_tokens_per_second']:.1f} tok/s, "
              f"{r['achieved_bytes_per_second'] / 1e9:.0f} GB/s{share}; prefill {r['prompt_tokens']} tokens "
              f"{r['prefill_tokens_per_second']:.0f} tok/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
