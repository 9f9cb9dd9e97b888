"""Collates the JSON files of one scripts/cuda-perf.sh run into the table BENCHMARKS.md records, with the goals of
issue 21 judged on the figures (never on a missing one: a step that failed or timed out shows as "n/a").

    python3 scripts/gpu/collate.py --bandwidth bw.json --bench bench.json --peer peer.json [--gpu NAME]

bench.json is BundleBench's (or `yinghuo bench --json`'s) object, peer.json torch_peer.py's, bw.json bandwidth.py's;
a missing or unreadable file counts as a failed step.
"""
import argparse
import json
import sys

DECODE_GOAL, DECODE_TARGET, PREFILL_GOAL = 0.50, 0.70, 20000.0
TITLE = "batch 1, synthesized 7b shape, 4-bit g128 act-order"


def load(path):
    """The JSON object in `path` (the last line that parses: logs may precede it), or None."""
    if not path:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line for line in f.read().splitlines() if line.strip()]
    except OSError:
        return None
    for line in reversed(lines):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _num(obj, key):
    v = (obj or {}).get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def fmt(value, unit="", scale=1.0, digits=1):
    if value is None:
        return "n/a"
    return f"{value / scale:,.{digits}f}{unit}"


def figures(bw, bench, peer):
    """The rows' numbers: one dict per engine with decode, bytes, GB/s, share of the copy bandwidth, prefill."""
    bandwidth = _num(bw, "bytes_per_second")
    rows = {}
    for name, r, prefill_key, prefill_n in (
            ("yinghuo", bench, "long_prefill_tokens_per_second", "long_prefill_tokens"),
            ("peer", peer, "prefill_tokens_per_second", "prompt_tokens")):
        decode = _num(r, "decode_tokens_per_second")
        per_token = _num(r, "bytes_per_token")
        achieved = decode * per_token if decode is not None and per_token is not None else None
        rows[name] = {"decode": decode, "bytes_per_token": per_token, "achieved": achieved,
                      "share": achieved / bandwidth if achieved is not None and bandwidth else None,
                      "prefill": _num(r, prefill_key), "prefill_tokens": _num(r, prefill_n)}
    return bandwidth, rows


def verdict(value, goal, target=None):
    if value is None:
        return "not measured"
    if target is not None and value >= target:
        return "target met"
    return "goal met" if value >= goal else "NOT met"


def table(bw, bench, peer, gpu=None, title=TITLE, engine="Yinghuo CUDA"):
    bandwidth, rows = figures(bw, bench, peer)
    y, p = rows["yinghuo"], rows["peer"]
    ratio_decode = y["decode"] / p["decode"] if y["decode"] and p["decode"] else None
    ratio_prefill = y["prefill"] / p["prefill"] if y["prefill"] and p["prefill"] else None
    device = gpu or (bw or {}).get("device") or (peer or {}).get("device") or "GPU not named"
    prefill_n = y["prefill_tokens"] or p["prefill_tokens"]
    lines = [
        f"Device: {device}; device-to-device copy bandwidth {fmt(bandwidth, ' TB/s', 1e12, 2)} "
        "(median, bytes read + written)",
        "",
        f"| {title} | {engine} | PyTorch fp16 peer | Yinghuo / peer |",
        "|---|---|---|---|",
        f"| decode tok/s | {fmt(y['decode'])} | {fmt(p['decode'])} | {fmt(ratio_decode, 'x', digits=2)} |",
        f"| weight bytes per token | {fmt(y['bytes_per_token'], ' GB', 1e9, 2)} | "
        f"{fmt(p['bytes_per_token'], ' GB', 1e9, 2)} | |",
        f"| achieved GB/s | {fmt(y['achieved'], '', 1e9, 0)} | {fmt(p['achieved'], '', 1e9, 0)} | |",
        f"| % of measured copy bandwidth | {fmt(None if y['share'] is None else 100 * y['share'], ' %', digits=0)} | "
        f"{fmt(None if p['share'] is None else 100 * p['share'], ' %', digits=0)} | |",
        f"| prefill tok/s ({fmt(prefill_n, '', digits=0)}-token prompt) | {fmt(y['prefill'], '', digits=0)} | "
        f"{fmt(p['prefill'], '', digits=0)} | {fmt(ratio_prefill, 'x', digits=2)} |",
        "",
        f"Goals (issue 21): decode >= 50 % of the copy bandwidth (70 % target): "
        f"{verdict(y['share'], DECODE_GOAL, DECODE_TARGET)}; prefill >= 20,000 tok/s on 4,096 tokens: "
        f"{verdict(y['prefill'] if prefill_n == 4096 else None, PREFILL_GOAL)}.",
    ]
    return "\n".join(lines)


def main(argv=None):
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--bandwidth")
    a.add_argument("--bench")
    a.add_argument("--peer")
    a.add_argument("--gpu")
    a.add_argument("--title", default=TITLE, help="the table's first header cell (default: %(default)s)")
    a.add_argument("--engine", default="Yinghuo CUDA", help="the engine column's header (default: %(default)s)")
    args = a.parse_args(argv)
    print(table(load(args.bandwidth), load(args.bench), load(args.peer), args.gpu, args.title, args.engine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
