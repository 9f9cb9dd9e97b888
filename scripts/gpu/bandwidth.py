"""Device-to-device copy bandwidth of the GPU through PyTorch, the yardstick for decode's achieved bandwidth.

    python3 scripts/gpu/bandwidth.py [--bytes 2147483648] [--trials 20] [--json]

Copies one buffer into another (torch.Tensor.copy_), timed with CUDA events after warm-up copies; each copy reads
and writes the buffer, so it moves 2 x bytes (the convention of CUDA's bandwidthTest and of the figures the device
notes quote: ~3.0 TB/s on an H100 80GB HBM3, ~4.3 TB/s on an H200). Reports the median and the best trial.
"""
import argparse
import json
import statistics
import sys


def copy_bandwidth(nbytes, seconds):
    """(median, best) bytes/s of copies of `nbytes` that took `seconds` each; a copy moves 2 x nbytes."""
    if nbytes <= 0 or not seconds or any(s <= 0 for s in seconds):
        raise ValueError("need a positive size and positive times")
    moved = 2.0 * nbytes
    return moved / statistics.median(seconds), moved / min(seconds)


def measure(nbytes, trials):
    import torch
    if not torch.cuda.is_available():
        raise RuntimeError("PyTorch sees no CUDA device")
    src = torch.empty(nbytes, dtype=torch.uint8, device="cuda")
    dst = torch.empty_like(src)
    src.fill_(1)
    for _ in range(3):
        dst.copy_(src)
    torch.cuda.synchronize()
    seconds = []
    for _ in range(trials):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        dst.copy_(src)
        end.record()
        end.synchronize()
        seconds.append(start.elapsed_time(end) / 1e3)
    median, best = copy_bandwidth(nbytes, seconds)
    props = torch.cuda.get_device_properties(0)
    return {"device": props.name, "torch": torch.__version__, "copy_bytes": nbytes, "trials": trials,
            "bytes_per_second": median, "best_bytes_per_second": best}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bytes", type=int, default=2 << 30, help="buffer size (default 2 GiB)")
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    a = p.parse_args(argv)
    r = measure(a.bytes, a.trials)
    if a.json:
        print(json.dumps(r))
    else:
        print(f"{r['device']}: device-to-device copy {r['bytes_per_second'] / 1e12:.2f} TB/s median, "
              f"{r['best_bytes_per_second'] / 1e12:.2f} TB/s best ({a.trials} copies of {a.bytes / 2**30:.1f} GiB, "
              "bytes read + written)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
