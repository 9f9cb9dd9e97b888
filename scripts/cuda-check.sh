#!/usr/bin/env bash
# Builds (when Maven is there), tests and measures the CUDA backend on a machine with an NVIDIA GPU, in one go:
#
#   scripts/cuda-check.sh                      with Maven (and the dependencies cached or reachable)
#   scripts/cuda-check.sh --bundle DIR         without Maven: DIR made beforehand by scripts/cuda-check-bundle.sh
#   options: --skip-bench   --shape tiny|1.3b|7b|13b (default 7b)   --prompt-tokens N (512)   --gen-tokens N (64)
#            --device D (default cuda; `--device cpu --shape tiny` is the dry run of a bundle on a machine without GPU)
#
# Steps: nvidia-smi; the CUDA tests (io.yinghuo.model.engine.cuda) in three JVMs: kernels against host references,
# whole models against the CPU backend, end to end (greedy generation, perplexity, memory freed); without a usable GPU
# they abort and say why, and on a machine with a GPU an aborted test counts as a failure; compute-sanitizer memcheck
# on one short kernel test when the machine has it; then the benchmark of a synthesized 4-bit g128 act-order checkpoint
# of --shape (7B: about 4 GB written to a temporary folder). Prints a short table last. Logs go to cuda-check-logs/
# (or $LOG_DIR).
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

# The tests run in three JVMs, kernels first: a kernel fault leaves the process's CUDA context unusable, and every
# later test in that JVM would fail with the same error, hiding the culprit. Launches are synchronous while testing
# (CUDA_LAUNCH_BLOCKING=1) so that an error names its kernel; the benchmark runs without it.
steps=(kernels models end-to-end)
declare -A step_classes=(
    [kernels]="CudaKernelImageTest GptqLayoutTest MemoryPlanTest CudaBackendOpenTest CudaKernelsTest"
    [models]="CudaModelTest"
    [end-to-end]="CudaEndToEndTest"
)
declare -A step_status step_counts
if [ -n "$bundle" ]; then
    if [ ! -x "$bundle/runtime/bin/java" ]; then
        tar -C "$bundle" -xJf "$bundle/runtime.tar.xz" || { echo "cannot unpack $bundle/runtime.tar.xz" >&2; exit 2; }
    fi
    java="$bundle/runtime/bin/java"
    # every jar by name: the JUnit console, unlike the java launcher, does not expand "lib/*"
    cp="$bundle/test-classes:$bundle/classes:$(find "$bundle/lib" -name '*.jar' | sort | paste -sd: -)"
else
    if ! command -v mvn > /dev/null; then
        echo "no mvn on the PATH: prepare a bundle with scripts/cuda-check-bundle.sh and pass --bundle DIR" >&2
        exit 2
    fi
    java="${JAVA:-java}"
    (cd "$root" && mvn -B -q -DskipTests install) 2>&1 | tee "$logs/build.log"
    jar="$root/webapp/target/yinghuo.jar"
fi

run_step() { # run_step NAME: the step's test classes in a JVM of their own; sets step_status/step_counts
    local name="$1" log="$logs/tests-$1.log" rc selectors=() classes="${step_classes[$1]}" c
    if [ -n "$bundle" ]; then
        for c in $classes; do selectors+=(--select-class "io.yinghuo.model.engine.cuda.$c"); done
        # the tests read src/main/cuda (source hash) relative to the working directory: run them from the CUDA module
        (cd "$root/model-provider/engine-cuda" && CUDA_LAUNCH_BLOCKING=1 "$java" "${jvm_flags[@]}" \
            -jar "$bundle/junit-platform-console-standalone.jar" execute --class-path "$cp" "${selectors[@]}" \
            --details=tree --disable-ansi-colors --disable-banner) > "$log" 2>&1
        rc=$?
        step_counts[$name]="$(grep -E 'tests (successful|failed|aborted)' "$log" | tr -s ' ' \
            | sed 's/^ *\[ *//; s/ *\]//; s/ tests / /' | paste -sd',' -)"
    else
        (cd "$root" && CUDA_LAUNCH_BLOCKING=1 mvn -B -pl model-provider/engine-cuda test \
            -Dtest="$(echo "$classes" | tr ' ' ',')" -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1
        rc=$?
        step_counts[$name]="$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$log" | tail -1 | sed 's/^\[[A-Z]*\] //')"
    fi
    tail -5 "$log"
    if [ "$rc" -ne 0 ]; then
        step_status[$name]="FAILED (rc $rc, $log)"
    elif grep -q 'no usable CUDA GPU, test skipped' "$log" "$root"/model-provider/engine-cuda/target/surefire-reports/*.xml \
            2>/dev/null || grep -qE '[1-9][0-9]* tests aborted' "$log"; then
        # on a machine with a GPU a skipped GPU test is a failure, not a pass
        if [ -n "$gpu" ]; then step_status[$name]="FAILED: GPU tests skipped on a GPU machine"; else
            step_status[$name]="GPU tests SKIPPED (no GPU; host-side passed)"; fi
    else
        step_status[$name]="passed"
    fi
}
for step in "${steps[@]}"; do
    echo "---- tests: $step"
    run_step "$step"
done
skipped_reason="$(grep -ho 'no usable CUDA GPU, test skipped: [^&]*' "$logs"/tests-*.log \
    "$root"/model-provider/engine-cuda/target/surefire-reports/TEST-io.yinghuo.model.engine.cuda.*.xml 2>/dev/null \
    | head -1)"

# compute-sanitizer memcheck once, on the smallest kernel test, when the machine has it; it must not eat the run
sanitizer="not on this machine"
if [ -n "$gpu" ] && command -v compute-sanitizer > /dev/null && [ -n "$bundle" ]; then
    (cd "$root/model-provider/engine-cuda" && timeout 300 compute-sanitizer --tool memcheck --error-exitcode 9 \
        "$java" "${jvm_flags[@]}" -jar "$bundle/junit-platform-console-standalone.jar" execute --class-path "$cp" \
        --select-method io.yinghuo.model.engine.cuda.CudaKernelsTest#rmsNormMatchesTheCpuFormula \
        --disable-ansi-colors --disable-banner) > "$logs/sanitizer.log" 2>&1
    sanitizer_rc=$?
    case $sanitizer_rc in 0) sanitizer="clean (rmsNorm test)" ;; 9) sanitizer="ERRORS: $logs/sanitizer.log" ;;
        124) sanitizer="timed out after 300 s" ;;
        *) sanitizer="did not run cleanly (rc $sanitizer_rc): $logs/sanitizer.log" ;; esac
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
for step in "${steps[@]}"; do
    printf '%-28s %s\n' "tests: $step" "${step_status[$step]}"
    printf '%-28s %s\n' "" "${step_counts[$step]:-?}"
done
printf '%-28s %s\n' "compute-sanitizer memcheck" "$sanitizer"
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
failed=0; skipped=0
for step in "${steps[@]}"; do
    case "${step_status[$step]}" in FAILED*) failed=1 ;; "GPU tests SKIPPED"*) skipped=1 ;; esac
done
if [ "$failed" -eq 1 ]; then exit 1; elif [ "$skipped" -eq 1 ]; then exit 3; else exit 0; fi
