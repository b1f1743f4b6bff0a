/**
 * Task {@code faces} (FACE_DETECTION): MediaPipe BlazeFace served through ONNX Runtime, with its
 * anchor decoding, MediaPipe's weighted non-maximum suppression, letterboxing of non-square photos
 * and tiling for group photos, the item fields, the overlay PNG and the report table. Stage: tasks.
 */
package io.imageworker.tasks.faces;
