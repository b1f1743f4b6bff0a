/**
 * Object detection with NanoDet (COCO-80), the pieces of the coming task {@code objects} (Cloud
 * Vision's OBJECT_LOCALIZATION): {@link io.imageworker.tasks.objects.NanodetDecoder} turns the
 * network's six outputs into boxes (distance-bin distributions, per-class non-maximum suppression),
 * {@link io.imageworker.tasks.objects.CocoLabels} names the classes. Stage: tasks.
 */
package io.imageworker.tasks.objects;
