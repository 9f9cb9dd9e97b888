#!/usr/bin/env bash
# Prepares everything scripts/cuda-check.sh needs on a GPU machine WITHOUT Java, Maven or network access, on a machine
# that has them (x86-64 Linux, JDK 17 with jlink, Maven with access to Maven Central), small enough to be carried
# there (at most 60 MiB; the script fails above that):
#
#   scripts/cuda-check-bundle.sh [OUT_DIR]      (default: cuda-check-bundle/ in the repository root)
#
# OUT_DIR then holds
#   runtime.tar.xz    a jlink-ed Java 17 runtime with only the modules the engine and JUnit use (cuda-check.sh unpacks it)
#   classes/ test-classes/   the CUDA backend's classes and its tests (incl. BundleBench and BundleSynth, which
#                     scripts/cuda-perf.sh runs)
#   lib/              the engine (+ Vector API kernels), checkpoint, tokenizer and test-kit jars, their test fixtures,
#                     Jackson, JCuda with its linux-x86_64 natives, JUnit; no web app, Lucene or document parsers
#   junit-platform-console-standalone.jar   to run the tests without Maven
# Copy OUT_DIR to the GPU machine (inside the repository checkout or beside it) and run
#   scripts/cuda-check.sh --bundle OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/cuda-check-bundle}"
junit_platform="${JUNIT_PLATFORM_VERSION:-1.11.4}"
limit_mib=60
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cd "$root"
# One reactor build, no `install`: the sibling modules' jars come from their target/ folders, so ~/.m2 (shared with
# other checkouts) is left alone. copy-dependencies runs in every module of the reactor; the union it copies is what
# the CUDA module's tests need (engine, checkpoint, tokenizer, test kit and their test jars, Jackson, JCuda, JUnit).
mvn -B -q -DskipTests -pl model-provider/engine-cuda,model-provider/engine-vector -am package \
    dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$out/lib"
cp -r model-provider/engine-cuda/target/classes "$out/classes"
cp -r model-provider/engine-cuda/target/test-classes "$out/test-classes"
# the Vector API kernels: the CPU backend, the oracle of the parity tests, is several times slower without them
cp model-provider/engine-vector/target/yinghuo-engine-vector-*.jar "$out/lib/"
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$out" -Dmdep.stripVersion=true

# java.base + what the engine (jdk.unsupported: unmapping; jdk.incubator.vector: SIMD kernels), Jackson and JUnit
# (java.logging, java.management, java.xml for its reports, java.scripting for conditions) use
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
jlink --add-modules java.base,java.logging,java.management,java.scripting,java.xml,jdk.incubator.vector,jdk.unsupported \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$tmp/runtime"
tar -C "$tmp" -cJf "$out/runtime.tar.xz" runtime

du -sh "$out"/* | sed 's/^/  /'
bytes="$(du -sb "$out" | cut -f1)"
mib=$(( (bytes + 1048575) / 1048576 ))
echo "bundle: $out, $mib MiB (limit $limit_mib MiB)"
if [ "$mib" -gt "$limit_mib" ]; then
    echo "the bundle is over $limit_mib MiB: it cannot be carried to the GPU machine" >&2
    exit 1
fi
