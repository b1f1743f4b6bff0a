#!/usr/bin/python3
"""Face detection with OpenCV's Haar cascade, the classic peer of the `faces` task.

Usage: haar_faces.py [--cascade XML] [--scale-factor 1.1] [--min-neighbors 3] [--min-size 0] IMAGE...
Prints one JSON object per image on its own line:
  {"image": PATH, "width": W, "height": H, "faces": [{"box": [x, y, w, h], "score": s}, ...]}
or {"image": PATH, "error": "..."} when the image cannot be read. Boxes are in pixels of the image
as read (EXIF orientation applied by cv2.imread). The score is the cascade's level weight (the
sum of the last stage's weak-classifier outputs, from detectMultiScale3 with
outputRejectLevels=True): higher is surer; it ranks detections for average precision.

Defaults are OpenCV's documented ones for CascadeClassifier::detectMultiScale (scaleFactor 1.1,
minNeighbors 3, no minimum size; https://docs.opencv.org/4.6.0/d1/de5/classcv_1_1CascadeClassifier.html)
and the preprocessing of OpenCV's own cascade tutorial (grey conversion, histogram equalisation;
https://docs.opencv.org/4.6.0/db/d28/tutorial_cascade_classifier.html).
Needs Debian's python3-opencv and opencv-data (/usr/bin/python3, not a virtualenv's python).
"""
import argparse
import json
import sys

import cv2

DEFAULT_CASCADE = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cascade", default=DEFAULT_CASCADE)
    ap.add_argument("--scale-factor", type=float, default=1.1)
    ap.add_argument("--min-neighbors", type=int, default=3)
    ap.add_argument("--min-size", type=int, default=0)
    ap.add_argument("images", nargs="+")
    a = ap.parse_args()
    cascade = cv2.CascadeClassifier(a.cascade)
    if cascade.empty():
        print(json.dumps({"error": "cannot load cascade " + a.cascade}), flush=True)
        return 2
    for path in a.images:
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            print(json.dumps({"image": path, "error": "cannot read image"}), flush=True)
            continue
        grey = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY))
        size = (a.min_size, a.min_size)
        boxes, _levels, weights = cascade.detectMultiScale3(
            grey, scaleFactor=a.scale_factor, minNeighbors=a.min_neighbors, minSize=size,
            outputRejectLevels=True)
        faces = [{"box": [int(v) for v in b], "score": float(w)} for b, w in zip(boxes, weights)]
        print(json.dumps({"image": path, "width": img.shape[1], "height": img.shape[0], "faces": faces}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
