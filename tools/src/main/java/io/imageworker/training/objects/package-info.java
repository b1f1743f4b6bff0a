/** The evaluation of {@code objects} models (NanoDet): photos hand-labelled with a COCO class, MNIST digits that must get none. */
package io.imageworker.training.objects;
