#!/usr/bin/env bash
# Builds the worker's container image (the worker module alone: no tools, no datasets) into a tar file (docker-archive format) with the Quarkus Jib
# extension: no Docker daemon, no registry push.
#
#   deploy/image/build-tar.sh OUT.tar [--base BASE] [--tag TAG] [--gpu]
#
#   --base BASE   base image: a registry reference (default: the one in application.properties,
#                 registry.access.redhat.com/ubi9/openjdk-17-runtime), or tar:///abs/path.tar
#                 (docker save / skopeo output), or 'empty' for a layer-less base that only serves to
#                 check the image's layout where no registry can be reached (CI here).
#   --gpu         the GPU variant (<version>-gpu), built with the Maven profile gpu: ONNX Runtime's GPU
#                 jar, the CUDA 12.6 / cuDNN 9.5 libraries in /opt/cuda/lib (unpacked from
#                 org.bytedeco:cuda:12.6-9.5-1.5.11:linux-x86_64-redist, 1.9 GB download once, 1.8 GiB
#                 unpacked) and LD_LIBRARY_PATH=/opt/cuda/lib; same base as the CPU image. MXNet stays
#                 on the CPU (docs/operations.md, "GPU build").
#
# Load the result with `docker load -i OUT.tar` or push it with `skopeo copy docker-archive:OUT.tar ...`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${1:?usage: build-tar.sh OUT.tar [--base BASE] [--tag TAG] [--gpu]}"; shift
BASE=""
TAG=""
GPU=false
while [ $# -gt 0 ]; do
  case "$1" in
    --base) BASE="$2"; shift 2 ;;
    --tag) TAG="$2"; shift 2 ;;
    --gpu) GPU=true; shift ;;
    *) echo "build-tar.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

args=(-B -q package -DskipTests -pl worker -am -Dquarkus.container-image.build=true
      "-Dquarkus.jib.docker-executable-name=$HERE/docker-load-to-file")
if [ "$BASE" = "empty" ]; then
  BASE="tar://$("$JAVA" "$HERE/EmptyBase.java" "$(mktemp -d)/empty-base.tar")"
fi
[ -n "$BASE" ] && args+=("-Dquarkus.jib.base-jvm-image=$BASE")
if [ -z "$TAG" ]; then
  TAG="$(cd "$ROOT" && ./mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null || echo latest)"
fi
if $GPU; then
  TAG="$TAG-gpu"
  args+=(-Pgpu)
else
  # The GPU profile's CUDA libraries must not slip into a CPU image built later in the same tree.
  rm -rf "$ROOT/worker/target/src/main/jib"
fi
args+=("-Dquarkus.container-image.tag=$TAG")

(cd "$ROOT" && IMAGE_TAR="$OUT" ./mvnw "${args[@]}")
echo "image image-worker/image-worker:$TAG written to $OUT"
