"""Reads a Yinghuo / AutoGPTQ checkpoint folder (config.json, quantize_config.json, *.safetensors) with numpy only,
and dequantizes GPTQ linears with numpy or torch (the same code for both: it uses only operators both support).

safetensors layout (https://github.com/huggingface/safetensors, README "Format"): an 8-byte little-endian header
length N, N bytes of JSON {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the
data; offsets count from the end of the header. Tensors are row-major and little-endian.

GPTQ tensors (AutoGPTQ auto_gptq/nn_modules/qlinear/qlinear_cuda_old.py): qweight I32 [K*b/32, N] packs input rows
k = r*(32/b) + s at bit offset b*s of word (r, n); qzeros I32 [groups, N*b/32] packs output columns the same way;
scales F16 [groups, N]; g_idx I32 [K] names each input row's group. w[k, n] = scales[g, n] * (q[k, n] - z[g, n]) with
g = g_idx[k]; checkpoint_format "gptq" (v1) stores z - 1 (AutoGPTQ's pack() does `zeros -= 1`), "gptq_v2" stores z.
"""
import json
import os

import numpy as np

# BF16 has no numpy dtype: it is read as raw uint16 (see bf16_to_float32)
DTYPES = {"F16": np.float16, "BF16": np.uint16, "F32": np.float32, "I32": np.int32, "I64": np.int64,
          "U8": np.uint8, "I8": np.int8}


def read_header(path):
    """Returns (tensors, data_start): the header's tensor entries and the file offset where data begins."""
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise ValueError(f"{path}: not a safetensors file (shorter than 8 bytes)")
        n = int.from_bytes(raw, "little")
        header = json.loads(f.read(n).decode("utf-8"))
    header.pop("__metadata__", None)
    return header, 8 + n


def bf16_to_float32(raw):
    """BF16 bits (uint16) -> float32: BF16 is the upper half of an IEEE float32."""
    return (raw.astype(np.uint32) << 16).view(np.float32)


class Checkpoint:
    """A checkpoint folder: its config, its quantization settings and its tensors, read lazily as numpy memmaps."""

    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            self.config = json.load(f)
        self.quant = self._quant_config()
        self.tensors = {}
        files = sorted(n for n in os.listdir(folder) if n.endswith(".safetensors"))
        if not files:
            raise ValueError(f"{folder}: no .safetensors file")
        for name in files:
            path = os.path.join(folder, name)
            header, start = read_header(path)
            for tensor, entry in header.items():
                self.tensors[tensor] = (path, start, entry)

    def _quant_config(self):
        path = os.path.join(self.folder, "quantize_config.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        return self.config.get("quantization_config")

    def has(self, name):
        return name in self.tensors

    def array(self, name):
        """The tensor as a read-only numpy memmap of its stored dtype and shape (BF16 as uint16)."""
        path, start, entry = self.tensors[name]
        dtype = DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError(f"{name}: dtype {entry['dtype']} is not supported")
        begin, end = entry["data_offsets"]
        shape = tuple(entry["shape"])
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if (end - begin) != count * np.dtype(dtype).itemsize:
            raise ValueError(f"{name}: {end - begin} bytes do not hold {shape} of {entry['dtype']}")
        if count == 0:
            return np.zeros(shape, dtype=dtype)
        return np.memmap(path, dtype=np.dtype(dtype).newbyteorder("<"), mode="r", offset=start + begin, shape=shape)

    def zero_offset(self):
        """What to add to a stored zero point: 1 for checkpoint_format "gptq" (v1, the default), 0 for "gptq_v2"."""
        fmt = (self.quant or {}).get("checkpoint_format", "gptq")
        if fmt not in ("gptq", "gptq_v2"):
            raise ValueError(f"checkpoint_format {fmt!r} is not supported (gptq or gptq_v2)")
        return 1 if fmt == "gptq" else 0


def _int32_like(x, values):
    """An int32 array of `values` in x's library (numpy or torch) and on x's device."""
    if isinstance(x, np.ndarray):
        return np.asarray(values, dtype=np.int32)
    import torch
    return torch.tensor(values, dtype=torch.int32, device=x.device)


def _to_float16(x):
    return x.astype(np.float16) if isinstance(x, np.ndarray) else x.to(dtype=__import__("torch").float16)


def dequantize(qweight, qzeros, scales, g_idx, bits, zero_offset):
    """The GPTQ linear as a float16 [K, N] matrix (in features x out features), numpy or torch alike.

    Arithmetic shifts of negative int32 words are harmless: every field is masked to its low `bits` bits. The
    product of an fp16 scale and a small integer is exact in float32, so fp16 rounding gives the same result in
    numpy (float32 then rounded) and in torch (fp16 multiply): both libraries agree bit for bit.
    """
    if bits not in (2, 4, 8):
        raise ValueError(f"{bits}-bit GPTQ is not supported (2, 4 or 8)")
    per = 32 // bits
    mask = (1 << bits) - 1
    shifts = _int32_like(qweight, [bits * s for s in range(per)])
    words, n = qweight.shape
    q = ((qweight[:, None, :] >> shifts[None, :, None]) & mask).reshape(words * per, n)
    groups = qzeros.shape[0]
    z = ((qzeros[:, :, None] >> shifts[None, None, :]) & mask).reshape(groups, -1)[:, :n] + zero_offset
    k = q.shape[0]
    if g_idx is None:
        raise ValueError("g_idx is needed (the synthesizer and AutoGPTQ always write it)")
    g = g_idx[:k]
    if isinstance(q, np.ndarray):
        return ((q - z[g]).astype(np.float32) * scales[g].astype(np.float32)).astype(np.float16)
    return _to_float16(q - z[g]) * scales[g]
