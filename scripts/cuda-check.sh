#!/usr/bin/env bash
# Builds (when Maven is there), tests and measures the CUDA backend on a machine with an NVIDIA GPU, in one go:
#
#   scripts/cuda-check.sh                      with Maven (and the dependencies cached or reachable)
#   scripts/cuda-check.sh --bundle DIR         without Maven: DIR made beforehand by scripts/cuda-check-bundle.sh
#   options: --skip-bench   --shape tiny|1.3b|7b|13b (default 7b)   --prompt-tokens N (512)   --gen-tokens N (64)
#            --device D (default cuda; `--device cpu --shape tiny` is the dry run of a bundle on a machine without GPU)
#
# Steps: nvidia-smi; the CUDA tests (io.yinghuo.model.engine.cuda: kernels against host references, whole models
# against the CPU backend, greedy generation, perplexity, memory freed; without a usable GPU they are skipped and
# say why); then `bench --shape 7b --device cuda` on a random 7B-shaped 4-bit g128 act-order checkpoint (about
# 4 GB written to a temporary folder). Prints a short table last. Logs go to cuda-check-logs/ (or $LOG_DIR).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle=""
bench=1
shape=7b
prompt_tokens=512
gen_tokens=64
device=cuda
while [ $# -gt 0 ]; do
    case "$1" in
        --bundle) bundle="$(cd "$2" && pwd)"; shift 2 ;;
        --skip-bench) bench=0; shift ;;
        --shape) shape="$2"; shift 2 ;;
        --prompt-tokens) prompt_tokens="$2"; shift 2 ;;
        --gen-tokens) gen_tokens="$2"; shift 2 ;;
        --device) device="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
logs="${LOG_DIR:-$root/cuda-check-logs}"
mkdir -p "$logs"
jvm_flags=(--add-modules jdk.incubator.vector -Xss4m -Dfile.encoding=UTF-8)

gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
echo "GPU: ${gpu:-none found by nvidia-smi}"

tests_status="not run"
if [ -n "$bundle" ]; then
    if [ ! -x "$bundle/runtime/bin/java" ]; then
        tar -C "$bundle" -xJf "$bundle/runtime.tar.xz" || { echo "cannot unpack $bundle/runtime.tar.xz" >&2; exit 2; }
    fi
    java="$bundle/runtime/bin/java"
    # every jar by name: the JUnit console, unlike the java launcher, does not expand "lib/*"
    cp="$bundle/test-classes:$bundle/classes:$(find "$bundle/lib" -name '*.jar' | sort | paste -sd: -)"
    # the tests read src/main/cuda (source hash) relative to the working directory: run them from the CUDA module
    (cd "$root/model-provider/engine-cuda" && "$java" "${jvm_flags[@]}" -jar "$bundle/junit-platform-console-standalone.jar" \
        execute --class-path "$cp" --select-package io.yinghuo.model.engine.cuda --details=tree --disable-ansi-colors \
        --disable-banner) 2>&1 | tee "$logs/tests.log"
    test_rc=${PIPESTATUS[0]}
    summary="$(grep -E 'tests (successful|failed|skipped|aborted)' "$logs/tests.log" | tr -s ' ' | sed 's/^ *\[ *//; s/ *\]//' \
        | paste -sd',' -)"
else
    if ! command -v mvn > /dev/null; then
        echo "no mvn on the PATH: prepare a bundle with scripts/cuda-check-bundle.sh and pass --bundle DIR" >&2
        exit 2
    fi
    java="${JAVA:-java}"
    (cd "$root" && mvn -B -q -DskipTests install) 2>&1 | tee "$logs/build.log"
    jar="$root/webapp/target/yinghuo.jar"
    (cd "$root" && mvn -B -pl model-provider/engine-cuda -am test -Dtest='io.yinghuo.model.engine.cuda.*Test' \
        -Dsurefire.failIfNoSpecifiedTests=false) 2>&1 | tee "$logs/tests.log"
    test_rc=${PIPESTATUS[0]}
    summary="$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$logs/tests.log" | tail -1 | sed 's/^\[[A-Z]*\] //')"
fi
skipped_reason="$( (grep -ho 'no usable CUDA GPU, test skipped: [^&]*' "$logs/tests.log" \
    "$root"/model-provider/engine-cuda/target/surefire-reports/TEST-io.yinghuo.model.engine.cuda.*.xml 2>/dev/null) | head -1)"
if [ "$test_rc" -ne 0 ]; then
    tests_status="FAILED (rc $test_rc)"
elif [ -n "$skipped_reason" ]; then
    tests_status="GPU tests SKIPPED (the host-side ones passed)"
else
    tests_status="passed"
fi

bench_json=""
if [ "$bench" -eq 1 ]; then
    if [ -n "$bundle" ]; then
        "$java" "${jvm_flags[@]}" -cp "$cp" io.yinghuo.model.engine.cuda.BundleBench "$shape" "$device" \
            "$prompt_tokens" "$gen_tokens" > "$logs/bench.json" 2> "$logs/bench.err"
    else
        "$java" "${jvm_flags[@]}" -jar "$jar" bench --shape "$shape" --device "$device" \
            --prompt-tokens "$prompt_tokens" --gen-tokens "$gen_tokens" --json > "$logs/bench.json" 2> "$logs/bench.err"
    fi
    bench_rc=$?
    cat "$logs/bench.err"
    bench_json="$(cat "$logs/bench.json")"
fi

field() { # field NAME: a number from the bench JSON
    printf '%s' "$bench_json" | tr ',{}' '\n\n\n' | sed -n "s/^ *\"$1\" *: *\([-0-9.eE]*\).*/\1/p" | head -1
}

echo
echo "==================== CUDA check ===================="
printf '%-28s %s\n' "GPU" "${gpu:-none}"
printf '%-28s %s\n' "CUDA tests" "$tests_status"
printf '%-28s %s\n' "test counts" "${summary:-?}"
[ -n "$skipped_reason" ] && printf '%-28s %s\n' "skipped because" "${skipped_reason#*skipped: }"
if [ "$bench" -eq 1 ]; then
    if [ "${bench_rc:-1}" -eq 0 ]; then
        printf '%-28s %s\n' "bench $shape $device prefill tok/s" "$(field prefill_tokens_per_second)"
        printf '%-28s %s\n' "bench $shape $device decode tok/s" "$(field decode_tokens_per_second)"
        printf '%-28s %s\n' "bytes per token" "$(field bytes_per_token)"
        printf '%-28s %s\n' "achieved bytes/s" "$(field achieved_bytes_per_second)"
    else
        printf '%-28s %s\n' "bench" "FAILED (rc $bench_rc): $(tail -1 "$logs/bench.err")"
    fi
fi
printf '%-28s %s\n' "logs" "$logs"
if [ "$bench" -eq 1 ] && [ "${bench_rc:-1}" -ne 0 ]; then exit 1; fi
# 0: everything ran and passed; 1: a failure; 3: no usable GPU, so the GPU tests were skipped
if [ "$tests_status" = "passed" ]; then exit 0; elif [ -n "$skipped_reason" ] && [ "$test_rc" -eq 0 ]; then exit 3; else exit 1; fi
