/**
 * Task {@code text} (TEXT_DETECTION): PP-OCRv4 text detection (DB), the 0/180 degree line classifier
 * and PP-OCRv4 recognition (CTC), with the DB post-processing, perspective crops, CTC decoding and
 * reading order. Geometry (contours, minimum-area rectangles, perspective warps) is OpenCV's. Stage: tasks.
 */
package io.imageworker.tasks.text;
