#!/usr/bin/env bash
# Prepares everything scripts/cuda-check.sh needs on a GPU machine WITHOUT Maven or network access, on a machine
# that has them (x86-64 Linux, JDK 17 with jlink, Maven with access to Maven Central):
#
#   scripts/cuda-check-bundle.sh [OUT_DIR]      (default: cuda-check-bundle/ in the repository root)
#
# OUT_DIR then holds
#   runtime/          a jlink-ed Java 17 runtime (no JDK needed on the GPU machine)
#   yinghuo.jar       the CLI (for `bench --shape 7b --device cuda`)
#   classes/ test-classes/ lib/   the CUDA backend's classes, its test classes and every test dependency (JCuda, the
#                                 engine and its test fixtures)
#   junit-platform-console-standalone.jar   to run the tests without Maven
# Copy OUT_DIR next to the repository on the GPU machine (or anywhere) and run
#   scripts/cuda-check.sh --bundle OUT_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/cuda-check-bundle}"
junit_platform="${JUNIT_PLATFORM_VERSION:-1.11.4}"
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

cd "$root"
mvn -B -q -DskipTests install
mvn -B -q -pl model-provider/engine-cuda test-compile
cp -r model-provider/engine-cuda/target/classes "$out/classes"
cp -r model-provider/engine-cuda/target/test-classes "$out/test-classes"
mvn -B -q -pl model-provider/engine-cuda dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$out/lib"
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
    -DoutputDirectory="$out" -Dmdep.stripVersion=true
cp webapp/target/yinghuo.jar "$out/yinghuo.jar"

# the modules the CLI and the tests use; jdk.incubator.vector for the CPU kernels, jdk.unsupported for mappings
jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.incubator.vector,jdk.management,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/runtime"
du -sh "$out" "$out"/* | sed 's/^/  /'
echo "bundle ready: $out"
