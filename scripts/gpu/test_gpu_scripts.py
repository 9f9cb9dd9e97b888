"""Tests of the Python pieces of scripts/cuda-perf.sh, run on any machine with numpy:

    python3 -m unittest discover -s scripts/gpu -v

The PyTorch tests skip (and say so) where torch is not installed; on the GPU machine they run.
"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bandwidth  # noqa: E402
import collate  # noqa: E402
import torch_peer  # noqa: E402
from gptq_checkpoint import Checkpoint, dequantize, read_header  # noqa: E402

try:
    import torch
except ImportError:
    torch = None

NP_TO_SAFETENSORS = {np.dtype(np.float16): "F16", np.dtype(np.int32): "I32", np.dtype(np.float32): "F32"}


def write_safetensors(path, tensors):
    """An independent writer of the format (header length, JSON header, data) for the reader's tests."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in tensors.items():
        raw = np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": NP_TO_SAFETENSORS[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    with open(path, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for b in blobs:
            f.write(b)


def pack_gptq(codes, zeros, bits, v1=True):
    """Packs [K, N] codes and [G, N] zero points word by word, as AutoGPTQ's pack() does (v1 stores zero - 1)."""
    per = 32 // bits
    k, n = codes.shape
    qweight = np.zeros((k // per, n), dtype=np.uint32)
    for r in range(k // per):
        for s in range(per):
            qweight[r] |= codes[r * per + s].astype(np.uint32) << np.uint32(bits * s)
    stored = (zeros - (1 if v1 else 0)) & ((1 << bits) - 1)
    g = zeros.shape[0]
    qzeros = np.zeros((g, n // per), dtype=np.uint32)
    for c in range(n // per):
        for s in range(per):
            qzeros[:, c] |= stored[:, c * per + s].astype(np.uint32) << np.uint32(bits * s)
    return qweight.view(np.int32), qzeros.view(np.int32)


def random_gptq(rng, k, n, bits, group, act_order, v1=True):
    codes = rng.integers(0, 1 << bits, size=(k, n))
    groups = k // group
    zeros = rng.integers(1, 1 << bits, size=(groups, n))  # v1 cannot store zero 0 (the known overflow)
    scales = (rng.random((groups, n)) * 0.02 + 0.001).astype(np.float16)
    g_idx = np.arange(k) // group
    if act_order:
        g_idx = g_idx[rng.permutation(k)]
    qweight, qzeros = pack_gptq(codes, zeros, bits, v1)
    expected = ((codes - zeros[g_idx]).astype(np.float32) * scales[g_idx].astype(np.float32)).astype(np.float16)
    return {"qweight": qweight, "qzeros": qzeros, "scales": scales, "g_idx": g_idx.astype(np.int32)}, expected


def write_tiny_checkpoint(folder, rng, hidden=64, heads=4, kv_heads=2, layers=2, inter=96, vocab=50, group=32):
    config = {"model_type": "llama", "hidden_size": hidden, "intermediate_size": inter, "num_hidden_layers": layers,
              "num_attention_heads": heads, "num_key_value_heads": kv_heads, "vocab_size": vocab,
              "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "tie_word_embeddings": False}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f)
    with open(os.path.join(folder, "quantize_config.json"), "w") as f:
        json.dump({"bits": 4, "group_size": group, "desc_act": True, "checkpoint_format": "gptq"}, f)
    head_dim = hidden // heads
    dims = {"self_attn.q_proj": (hidden, hidden), "self_attn.k_proj": (hidden, kv_heads * head_dim),
            "self_attn.v_proj": (hidden, kv_heads * head_dim), "self_attn.o_proj": (hidden, hidden),
            "mlp.gate_proj": (hidden, inter), "mlp.up_proj": (hidden, inter), "mlp.down_proj": (inter, hidden)}
    t = {"model.embed_tokens.weight": (rng.standard_normal((vocab, hidden)) * 0.5).astype(np.float16),
         "lm_head.weight": (rng.standard_normal((vocab, hidden)) * 0.2).astype(np.float16),
         "model.norm.weight": np.ones(hidden, dtype=np.float16)}
    for i in range(layers):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = (1 + 0.1 * rng.standard_normal(hidden)).astype(np.float16)
        t[p + "post_attention_layernorm.weight"] = (1 + 0.1 * rng.standard_normal(hidden)).astype(np.float16)
        for name, (k, n) in dims.items():
            tensors, _ = random_gptq(rng, k, n, 4, group, True)
            for suffix, a in tensors.items():
                t[p + name + "." + suffix] = a
    write_safetensors(os.path.join(folder, "model.safetensors"), t)


class CheckpointReaderTest(unittest.TestCase):
    def test_reads_every_tensor_back_with_its_dtype_and_shape(self):
        rng = np.random.default_rng(1)
        a = rng.standard_normal((3, 5)).astype(np.float16)
        b = rng.integers(-2**31, 2**31 - 1, size=(7,), dtype=np.int64).astype(np.int32)
        with tempfile.TemporaryDirectory() as d:
            write_safetensors(os.path.join(d, "model.safetensors"), {"a": a, "b": b})
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump({"hidden_size": 8}, f)
            c = Checkpoint(d)
            np.testing.assert_array_equal(c.array("a"), a)
            np.testing.assert_array_equal(c.array("b"), b)
            self.assertEqual(c.array("a").dtype, np.float16)
            self.assertIsNone(c.quant)
            header, start = read_header(os.path.join(d, "model.safetensors"))
            self.assertNotIn("__metadata__", header)
            self.assertGreater(start, 8)

    def test_refuses_a_header_whose_sizes_do_not_match(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "model.safetensors")
            write_safetensors(path, {"a": np.zeros((2, 2), dtype=np.float16)})
            with open(path, "rb") as f:
                raw = f.read()
            n = int.from_bytes(raw[:8], "little")
            header = json.loads(raw[8:8 + n])
            header["a"]["shape"] = [2, 3]
            text = json.dumps(header).encode()
            with open(path, "wb") as f:
                f.write(len(text).to_bytes(8, "little") + text + raw[8 + n:])
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump({}, f)
            with self.assertRaisesRegex(ValueError, "do not hold"):
                Checkpoint(d).array("a")

    def test_zero_offset_follows_the_checkpoint_format(self):
        with tempfile.TemporaryDirectory() as d:
            write_safetensors(os.path.join(d, "model.safetensors"), {"a": np.zeros(1, dtype=np.float16)})
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump({"quantization_config": {"bits": 4, "checkpoint_format": "gptq_v2"}}, f)
            self.assertEqual(0, Checkpoint(d).zero_offset())
            with open(os.path.join(d, "quantize_config.json"), "w") as f:
                json.dump({"bits": 4}, f)
            self.assertEqual(1, Checkpoint(d).zero_offset(), "v1 unless told")
            with open(os.path.join(d, "quantize_config.json"), "w") as f:
                json.dump({"bits": 4, "checkpoint_format": "marlin"}, f)
            with self.assertRaisesRegex(ValueError, "marlin"):
                Checkpoint(d).zero_offset()


class DequantizeTest(unittest.TestCase):
    def check(self, bits, group, act_order, v1):
        rng = np.random.default_rng(bits * 100 + group + act_order)
        t, expected = random_gptq(rng, 256, 64, bits, group, act_order, v1)
        got = dequantize(t["qweight"], t["qzeros"], t["scales"], t["g_idx"], bits, 1 if v1 else 0)
        self.assertEqual(got.dtype, np.float16)
        np.testing.assert_array_equal(got, expected)

    def test_four_bit_act_order_v1(self):
        self.check(4, 32, True, True)

    def test_four_bit_g128_in_order_v2(self):
        self.check(4, 128, False, False)

    def test_eight_bit_act_order(self):
        self.check(8, 64, True, True)

    def test_refuses_three_bits(self):
        with self.assertRaisesRegex(ValueError, "3-bit"):
            dequantize(np.zeros((3, 4), np.int32), np.zeros((1, 1), np.int32), np.zeros((1, 4), np.float16),
                       np.zeros(32, np.int32), 3, 1)

    @unittest.skipIf(torch is None, "torch is not installed: the torch dequantization is checked on the GPU machine")
    def test_torch_agrees_with_numpy_bit_for_bit(self):
        rng = np.random.default_rng(7)
        t, expected = random_gptq(rng, 512, 128, 4, 128, True)
        device = "cuda" if torch.cuda.is_available() else "cpu"
        got = dequantize(*(torch.from_numpy(t[k]).to(device) for k in ("qweight", "qzeros", "scales")),
                         torch.from_numpy(t["g_idx"]).long().to(device), 4, 1)
        np.testing.assert_array_equal(got.cpu().numpy(), expected)


class BandwidthTest(unittest.TestCase):
    def test_a_copy_counts_bytes_read_and_written(self):
        median, best = bandwidth.copy_bandwidth(1 << 30, [0.003, 0.001, 0.002])
        self.assertAlmostEqual(median, 2 * (1 << 30) / 0.002)
        self.assertAlmostEqual(best, 2 * (1 << 30) / 0.001)

    def test_refuses_empty_or_zero_timings(self):
        for seconds in ([], [0.0], [0.001, -1.0]):
            with self.assertRaises(ValueError):
                bandwidth.copy_bandwidth(1024, seconds)


class CollateTest(unittest.TestCase):
    BW = {"device": "NVIDIA H100 80GB HBM3", "bytes_per_second": 3.0e12}
    BENCH = {"decode_tokens_per_second": 400.0, "bytes_per_token": 3.9e9, "long_prefill_tokens": 4096,
             "long_prefill_tokens_per_second": 25000.0}
    PEER = {"decode_tokens_per_second": 150.0, "bytes_per_token": 13.5e9, "prompt_tokens": 4096,
            "prefill_tokens_per_second": 30000.0}

    def test_table_has_both_engines_their_share_and_the_verdicts(self):
        text = collate.table(self.BW, self.BENCH, self.PEER)
        self.assertIn("NVIDIA H100 80GB HBM3", text)
        self.assertIn("3.00 TB/s", text)
        self.assertIn("| decode tok/s | 400.0 | 150.0 | 2.67x |", text)
        self.assertIn("| achieved GB/s | 1,560 | 2,025 | |", text)
        self.assertIn("| % of measured copy bandwidth | 52 % | 68 % | |", text)
        self.assertIn("| prefill tok/s (4,096-token prompt) | 25,000 | 30,000 | 0.83x |", text)
        self.assertIn("(70 % target): goal met", text)
        self.assertIn("on 4,096 tokens: goal met", text)
        self.assertIn("| batch 1, synthesized 7b shape, 4-bit g128 act-order | Yinghuo CUDA | PyTorch fp16 peer |", text)
        titled = collate.table(self.BW, self.BENCH, self.PEER, title="1.3b", engine="Yinghuo cpu")
        self.assertIn("| 1.3b | Yinghuo cpu | PyTorch fp16 peer |", titled)

    def test_a_failed_step_shows_as_not_available_and_judges_nothing(self):
        text = collate.table(None, self.BENCH, None)
        self.assertIn("copy bandwidth n/a", text)
        self.assertIn("| decode tok/s | 400.0 | n/a | n/a |", text)
        self.assertIn("(70 % target): not measured", text)
        slow = dict(self.BENCH, long_prefill_tokens_per_second=900.0)
        self.assertIn("20,000 tok/s on 4,096 tokens: NOT met", collate.table(self.BW, slow, None))
        short = dict(self.BENCH, long_prefill_tokens=64)
        self.assertIn("on 4,096 tokens: not measured", collate.table(self.BW, short, None),
                      "a shorter prompt is not judged against the 4,096-token goal")

    def test_load_takes_the_last_json_object_of_a_log(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bench.json")
            with open(path, "w") as f:
                f.write("WARNING: Using incubator modules\n{\"a\": 1}\nnot json\n{\"decode_tokens_per_second\": 5}\n")
            self.assertEqual({"decode_tokens_per_second": 5}, collate.load(path))
            self.assertIsNone(collate.load(os.path.join(d, "missing.json")))
            self.assertIsNone(collate.load(None))


class TorchPeerTest(unittest.TestCase):
    def test_bytes_per_token_counts_fp16_linears_lm_head_and_norms(self):
        self.assertEqual(2 * (4 * 8 + 8 * 4) + 2 * 10 * 8 + 2 * 8 * 5,
                         torch_peer.fp16_bytes_per_token([(4, 8), (8, 4)], vocab=10, hidden=8, layers=2))

    @unittest.skipIf(torch is None, "torch is not installed: the peer model is checked on the GPU machine")
    def test_decoding_token_by_token_gives_the_prefill_logits(self):
        device = "cuda" if torch.cuda.is_available() else "cpu"
        with tempfile.TemporaryDirectory() as d:
            write_tiny_checkpoint(d, np.random.default_rng(3))
            peer = torch_peer.Peer(Checkpoint(d), device)
            tokens = torch.tensor([3, 17, 42, 5, 9, 11], device=device)
            with torch.inference_mode():
                whole = peer.forward(tokens, peer.new_cache(8))
                cache = peer.new_cache(8)
                for t in tokens:
                    step = peer.forward(t.reshape(1), cache)
            self.assertEqual(6, cache["length"])
            torch.testing.assert_close(step, whole, atol=2e-2, rtol=2e-2)
            self.assertGreater(float(whole.std()), 0.01, "the logits are not constant")


if __name__ == "__main__":
    unittest.main()
