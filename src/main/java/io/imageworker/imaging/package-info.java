/**
 * Image decoding (header first: limits before pixels; TwelveMonkeys for CMYK/YCCK/ICC and WebP;
 * EXIF orientation), flattening of transparency, preprocessing into model tensors, PNG writing,
 * thumbnails and colour helpers. Pure Java imaging; used by every stage, imports none.
 */
package io.imageworker.imaging;
