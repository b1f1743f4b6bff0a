#!/usr/bin/env bash
# The end-to-end demo: builds the application if needed, starts the local stack (real Kafka broker,
# real S3 server, the worker), submits demo jobs made of MNIST test digits shipped in the repo, a
# text job (a receipt and a sign), a documents job (a fax, a photographed page, a PDF with text), a faces job (a group photo), objects and photo labels on real
# photos, prints what the worker answered, and stops the stack again. The artifacts stay on disk under
# $IMAGE_WORKER_LOCAL_DIR (default <repo>/.local), in s3/data/<bucket>/<key>.
set -euo pipefail

# shellcheck source=common.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
build_if_needed
stop_leftover
trap '"$HERE/down.sh"' EXIT

"$HERE/up.sh"
# shellcheck disable=SC1091
. "$DATA/env.sh"
stamp=$(date +%Y%m%d-%H%M%S)
submit() { "$JAVA" -jar "$APP" submit "$@" || [ $? -eq 3 ]; }

echo
echo "== classify: 100 MNIST test digits (10 per class), true labels from their folder names"
submit --task classify --job-id "demo-classify-$stamp" --labels-from-dir "$HERE/demo/mnist"

echo
# Every other built-in segmenter (FCN-8s, DeconvNet) runs beside the default one (DeepLab) in the same job.
others=()
for dir in "$ROOT"/worker/src/main/resources/models/mnist-seg-*/; do
  name=$(basename "$dir")
  [ "$name" = mnist-seg-deeplab ] || others+=("$name")
done
compare=()
if [ ${#others[@]} -gt 0 ]; then
  list=$(printf '"%s",' "${others[@]}")
  compare=(--option "compare=[${list%,}]")
fi
echo "== segment: 8 scenes of 1-5 test digits; a class mask and a colour overlay per scene, by"
echo "   mnist-seg-deeplab and, side by side in the same report, ${others[*]:-no other segmenter}"
submit --task segment --job-id "demo-segment-$stamp" "${compare[@]}" "$HERE/demo/scenes"

echo
echo "== localize: 8 canvases of 1-3 test digits; class activation maps and boxes"
submit --task localize --job-id "demo-localize-$stamp" "$HERE/demo/canvases"

echo
echo "== generate: one digit of each class from seed 42 (the same seed gives the same images)"
submit --task generate --job-id "demo-generate-$stamp" --option count=10 --option seed=42 \
  --option 'labels=["0","1","2","3","4","5","6","7","8","9"]'

echo
echo "== properties: dominant colours, no model"
submit --task properties --job-id "demo-properties-$stamp" --option maxColors=3 "$HERE/demo/photos"

echo
echo "== text: a receipt-like image and a sign (PP-OCRv4 on ONNX Runtime, beside MXNet in the same worker)"
submit --task text --job-id "demo-text-$stamp" "$ROOT/worker/src/test/resources/text/receipt.png" \
  "$ROOT/worker/src/test/resources/text/sign.png"

echo
echo "== documents: a fax TIFF and a PDF of phone photos read by OCR page by page, a PDF's text layer taken as it is"
echo "   (textLayer auto: no model for those pages); each page is an item with its page number. The photos are the"
echo "   documents set's hardest kind (in the phone's shadow, shrunk by a messaging app): expect a few misread words"
submit --task text --job-id "demo-documents-$stamp" --option textLayer=auto "$HERE/demo/documents/fax-g4.tif" \
  "$HERE/demo/documents/photographed-shared.pdf" "$HERE/demo/documents/text-layer.pdf"

echo
echo "== faces: a group photo and a raccoon (BlazeFace, full range, with tiles for small faces)"
submit --task faces --job-id "demo-faces-$stamp" "$ROOT/datasets/src/main/resources/datasets/faces/images/faceapi-sample5.jpg" \
  "$ROOT/datasets/src/main/resources/datasets/faces/images/scipy-raccoon.jpg"

echo
echo "== objects: COCO-80 objects with their boxes (NanoDet-m, loaded on this first objects job) in real photos"
submit --task objects --job-id "demo-objects-$stamp" "$ROOT/datasets/src/main/resources/datasets/faces/images/skimage-astronaut.png" \
  "$ROOT/datasets/src/main/resources/datasets/faces/images/skimage-horse.png" \
  "$ROOT/datasets/src/main/resources/datasets/faces/images/skimage-coffee.png"

echo
echo "== classify without a pinned model: a photo gets the COCO-80 classes found (labelSet coco-80), a digit its digit"
submit --task classify --job-id "demo-photo-labels-$stamp" "$ROOT/datasets/src/main/resources/datasets/faces/images/skimage-chelsea.png" \
  "$(find "$HERE/demo/mnist" -name '*.png' | sort | head -n 1)"

echo
echo "== annotate: several Cloud Vision features of each image at once (fetched and decoded once);"
echo "   LANDMARK_DETECTION is not served by this worker, so it fails alone (code 12) while the others stand"
submit --job-id "demo-annotate-$stamp" --feature TEXT_DETECTION --feature FACE_DETECTION:10 \
  --feature IMAGE_PROPERTIES:3 --feature LABEL_DETECTION:3 --feature SAFE_SEARCH_DETECTION --feature LANDMARK_DETECTION \
  "$ROOT/datasets/src/main/resources/datasets/faces/images/faceapi-sample5.jpg" "$ROOT/worker/src/test/resources/text/sign.png" \
  "$(find "$HERE/demo/mnist" -name '*.png' | sort | head -n 1)"

echo
echo "Open the reports in a browser (everything they show sits beside them):"
# every report the jobs above wrote, so that a task added to the demo needs no edit here
for report in "$DATA"/s3/data/results/jobs/demo-*-"$stamp"/report.html; do
  echo "  $report$(case "$report" in */demo-segment-*) echo "   (one overlay per segmenter)";; esac)"
done
