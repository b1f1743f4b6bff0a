/**
 * The tools users would pick instead of the worker's {@code text} and {@code faces} tasks, run on
 * the same evaluation sets and scored by the same metrics ({@code io.imageworker.training.metrics}):
 * Tesseract 5 ({@link io.imageworker.training.peers.Tesseract}, Debian {@code tesseract-ocr}) and
 * OpenCV's Haar cascade ({@link io.imageworker.training.peers.HaarCascade}, Debian
 * {@code python3-opencv} and {@code opencv-data}). Both run as separate processes on image files;
 * each says whether it is installed ({@code available()}), and nothing here is needed at run time
 * by the worker. {@link io.imageworker.training.peers.PeerBaselines} measures both on the whole sets.
 */
package io.imageworker.training.peers;
