#!/usr/bin/env bash
# The performance run of the CUDA backend (issue 21) on a GPU machine, in one call of at most ~530 s:
#
#   scripts/cuda-perf.sh --bundle DIR          DIR made beforehand by scripts/cuda-check-bundle.sh (no Java needed)
#   scripts/cuda-perf.sh --classpath CP        classes built here by Maven (a dry run: see below)
#   options: --shape tiny|1.3b|7b|13b (7b)   --device D (cuda)   --decode-prompt N (128)   --gen-tokens N (128)
#            --prefill-tokens N (4096)   --work DIR (where the checkpoint is written; /dev/shm when it has room)
#
# Steps, each under its own timeout, each going on past a failed one (a later step uses what earlier ones gave):
#   gpu        nvidia-smi
#   runtime    unpack the bundle's jlink-ed Java runtime
#   unittest   scripts/gpu's tests (their PyTorch tests run where torch is: the peer is checked before it is timed)
#   bandwidth  device-to-device copy bandwidth through PyTorch (scripts/gpu/bandwidth.py)
#   synth      a random 4-bit g128 act-order checkpoint of --shape (BundleSynth; 7B: ~4 GB), written on the CPU
#              while unittest and bandwidth run
#   bench      Yinghuo on --device: decode after a --decode-prompt prompt (tok/s, bytes per token, GB/s, share of
#              the measured bandwidth), then a --prefill-tokens prefill on the same loaded model (BundleBench)
#   peer       plain PyTorch fp16 on the same checkpoint: decode and prefill (scripts/gpu/torch_peer.py)
#   collate    the BENCHMARKS.md table with the issue's goals judged (scripts/gpu/collate.py)
# Logs and JSON go to $OUT when set (the device machine's folder that comes back), else cuda-perf-logs/ (or
# $LOG_DIR): steps.log (every step's stderr), unittest.log, nvidia-smi.txt, bw.json, bench.json, peer.json,
# summary.md. Exit 0 when the bench ran, 1 when it did not.
#
# Dry run without a GPU (the bandwidth and peer steps then fail for want of torch/CUDA and show as n/a):
#   scripts/cuda-perf.sh --classpath "$(cat cp.txt)" --device cpu --shape tiny --decode-prompt 16 --gen-tokens 8 \
#       --prefill-tokens 64
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="" cp="" shape=7b device=cuda decode_prompt=128 gen_tokens=128 prefill_tokens=4096 work=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) bundle="$(cd "$2" && pwd)" || exit 2; shift 2 ;;
        --classpath) cp="$2"; shift 2 ;;
        --shape) shape="$2"; shift 2 ;;
        --device) device="$2"; shift 2 ;;
        --decode-prompt) decode_prompt="$2"; shift 2 ;;
        --gen-tokens) gen_tokens="$2"; shift 2 ;;
        --prefill-tokens) prefill_tokens="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$bundle" ] && [ -z "$cp" ]; then
    echo "give --bundle DIR (made by scripts/cuda-check-bundle.sh) or --classpath CP" >&2
    exit 2
fi
logs="${OUT:-${LOG_DIR:-$root/cuda-perf-logs}}"
mkdir -p "$logs"
: > "$logs/steps.log"
if [ -z "$work" ]; then
    # the checkpoint is written and read once more by each engine: memory is faster than the machine's disk
    if [ -d /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR==2{print $4}')" -gt 12000000 ]; then work=/dev/shm/yinghuo-perf
    else work="${TMPDIR:-/tmp}/yinghuo-perf"; fi
fi
rm -rf "$work" && mkdir -p "$work" || exit 2
trap 'rm -rf "$work"' EXIT
model="$work/model"
jvm_flags=(--add-modules jdk.incubator.vector -Xss4m -Dfile.encoding=UTF-8)
java="${JAVA:-java}"
[ -n "$bundle" ] && java="$bundle/runtime/bin/java"
export PYTHONUNBUFFERED=1

# Timeouts in seconds: the synth step runs on the CPU while unittest and bandwidth run, so the longest path is
# gpu + runtime + synth + bench + peer + collate = 530 s; the call's limit is 600 and the machine's start is not in it.
declare -A cap=([gpu]=10 [runtime]=30 [unittest]=40 [bandwidth]=40 [synth]=180 [bench]=180 [peer]=120 [collate]=10)
steps=(gpu runtime unittest bandwidth synth bench peer collate)
declare -A status
started=$SECONDS

record() { # record NAME RC SECONDS STDERR_FILE: the step's status, its stderr appended to steps.log
    local name="$1" rc="$2" took="$3" err="$4"
    case $rc in
        0) status[$name]="ok, $took s" ;;
        124|137) status[$name]="TIMED OUT after ${cap[$name]} s" ;;
        *) status[$name]="FAILED (rc $rc) after $took s: $(tail -1 "$err")" ;;
    esac
    { echo "==== $name (limit ${cap[$name]} s)"; cat "$err"; echo "---- $name: ${status[$name]}"; } >> "$logs/steps.log"
    echo "---- $name: ${status[$name]}"
    return "$rc"
}
run_step() { # run_step NAME STDOUT_FILE CMD...: CMD's stdout to STDOUT_FILE, its stderr to steps.log, under cap[NAME]
    local name="$1" out="$2" t0=$SECONDS rc
    shift 2
    timeout --kill-after=5 "${cap[$name]}" "$@" > "$out" 2> "$work/$name.err"
    rc=$?
    record "$name" "$rc" "$((SECONDS - t0))" "$work/$name.err"
}
skip() { status[$1]="skipped: $2"; echo "---- $1: ${status[$1]}"; }
json_number() { # json_number FILE KEY
    python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print(v if v is not None else "")' \
        "$1" "$2" 2>/dev/null
}

run_step gpu "$logs/nvidia-smi.txt" nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory \
    --format=csv,noheader
gpu="$(head -1 "$logs/nvidia-smi.txt" 2>/dev/null | cut -d, -f1)"
gpu_args=()
[ -n "$gpu" ] && gpu_args=(--gpu "$gpu")

if [ -n "$bundle" ]; then
    if [ -x "$java" ]; then skip runtime "already unpacked"
    else run_step runtime /dev/null tar -C "$bundle" -xJf "$bundle/runtime.tar.xz"; fi
    cp="$bundle/test-classes:$bundle/classes:$(find "$bundle/lib" -name '*.jar' | sort | paste -sd: -)"
else
    skip runtime "--classpath given: $java"
fi

# The checkpoint is written on the CPU while the GPU-side checks run: on 2 busy cores here the 1.3b shape took 68 s
# (20 s of CPU time), and 7B is ~3.2 times the bytes.
synth_t0=$SECONDS
timeout --kill-after=5 "${cap[synth]}" "$java" "${jvm_flags[@]}" -cp "$cp" io.yinghuo.model.engine.cuda.BundleSynth \
    "$shape" "$model" > /dev/null 2> "$work/synth.err" &
synth_pid=$!

# unittest reports on stderr: its report is its log
run_step unittest /dev/null python3 -m unittest discover -s "$root/scripts/gpu" -v
cp "$work/unittest.err" "$logs/unittest.log"

bw=""
if run_step bandwidth "$logs/bw.json" python3 "$root/scripts/gpu/bandwidth.py" --json; then
    bw="$(json_number "$logs/bw.json" bytes_per_second)"
fi
bw_args=()
[ -n "$bw" ] && bw_args=(--bandwidth-bytes-per-second "$bw")

wait "$synth_pid"
if record synth $? "$((SECONDS - synth_t0))" "$work/synth.err"; then
    run_step bench "$logs/bench.json" "$java" "${jvm_flags[@]}" -cp "$cp" io.yinghuo.model.engine.cuda.BundleBench \
        "$model" "$device" "$decode_prompt" "$gen_tokens" --prefill-tokens "$prefill_tokens" "${bw_args[@]}"
    run_step peer "$logs/peer.json" python3 "$root/scripts/gpu/torch_peer.py" "$model" --json \
        --prefill-tokens "$prefill_tokens" --decode-prompt "$decode_prompt" --decode-tokens "$gen_tokens" "${bw_args[@]}"
else
    skip bench "no checkpoint"
    skip peer "no checkpoint"
fi

run_step collate "$logs/summary.md" python3 "$root/scripts/gpu/collate.py" --bandwidth "$logs/bw.json" \
    --bench "$logs/bench.json" --peer "$logs/peer.json" "${gpu_args[@]}" --engine "Yinghuo $device" \
    --title "batch 1, synthesized $shape shape, 4-bit g128 act-order"

echo
echo "==================== CUDA performance run ($((SECONDS - started)) s) ===================="
printf '%-12s %s\n' "GPU" "${gpu:-none found by nvidia-smi}"
for s in "${steps[@]}"; do printf '%-12s %s\n' "$s" "${status[$s]:-not run}"; done
printf '%-12s %s\n' "logs" "$logs"
echo
cat "$logs/summary.md" 2>/dev/null
case "${status[bench]:-}" in ok*) exit 0 ;; *) exit 1 ;; esac
