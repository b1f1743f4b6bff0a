/**
 * Image decoding (header first: limits before pixels; TwelveMonkeys for CMYK/YCCK/ICC and WebP;
 * EXIF orientation), flattening of transparency, preprocessing into model tensors, PNG writing,
 * thumbnails and colour helpers, and the font the worker ships for drawing text ({@link
 * io.imageworker.imaging.Fonts}, which also sets up fontconfig at start). Pure Java imaging but for
 * that set-up (libc through JNA); used by every stage, imports none.
 */
package io.imageworker.imaging;
