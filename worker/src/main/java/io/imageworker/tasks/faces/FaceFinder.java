package io.imageworker.tasks.faces;

import io.imageworker.imaging.ImageTensor;
import io.imageworker.imaging.Preprocessor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * How a photo is looked at and how the looks are put together: the views it is cut into (the
 * whole photo, letterboxed, and for {@code grid >= 2} also overlapping square tiles, so that faces
 * small next to the photo reach the model at a size it finds), and the merge of their detections
 * into one list in photo pixels. Plain Java: the model calls happen between the two steps, wherever
 * the caller runs them.
 */
public final class FaceFinder {

    /**
     * How a photo is tiled.
     *
     * <p>Two layouts. A <b>pyramid</b> ({@code zoom > 1}): besides the whole photo, levels of square
     * tiles on both axes, each level {@code zoom} times finer than the one before (model-input pixels
     * per photo pixel), the finest at {@code finest}; every level overlaps its tiles by
     * {@code overlap}. The detector sees faces only in a band of sizes of its input (BlazeFace back 256
     * loses them below about 20 px), so each level brings the faces of one band of photo sizes into
     * that range, whatever the photo's shape: a near-square crowd gets as many tiles as a panorama of
     * the same area. When the levels would need more than {@code maxTiles} tiles, the finest scale is
     * lowered until they fit (time per photo stays bounded; a large photo is read coarser). A
     * <b>single level</b> ({@code zoom <= 1}, the layout before the pyramid): square tiles of side
     * {@code shortSide / (grid - (grid - 1) * overlap)}, {@code grid} along the short side.
     *
     * @param grid 1: the whole photo only (no tiles, whatever the rest says); n &gt;= 2: tiles; for a
     *     single level, n along the short side and as many as cover the long side with at least that
     *     overlap; only when that side is at least the model's input size (smaller tiles would only be
     *     enlarged: they add no pixels the whole view lacks)
     * @param overlap share of a tile's side shared with its neighbour, in [0, 0.9]
     * @param maxFace a tile's detection is kept only when its box, seen in the next coarser view
     *     (the level before; the whole view for the first), is smaller than this many model-input pixels
     *     (the larger side): larger faces are the coarser view's, which sees them entire;
     *     {@code Double.POSITIVE_INFINITY} keeps every tile detection
     * @param zoom scale between pyramid levels, &gt; 1; 0 (or anything up to 1): a single level
     * @param finest model-input pixels per photo pixel of the finest level, &gt; 0 (above 1 enlarges
     *     the photo's pixels); unused for a single level
     * @param maxTiles most tiles per photo over all levels, at least 1; unused for a single level
     */
    public record Tiling(int grid, double overlap, double maxFace, double zoom, double finest, int maxTiles) {

        /** The whole photo only: one model call per photo. */
        public static final Tiling NONE = new Tiling(1, 0, Double.POSITIVE_INFINITY);

        /**
         * Checks the ranges.
         *
         * @throws IllegalArgumentException for a grid below 1, an overlap outside [0, 0.9], a maxFace
         *     that is not positive, or for a pyramid a finest scale that is not positive or maxTiles below 1
         */
        public Tiling {
            if (grid < 1 || !(overlap >= 0 && overlap <= 0.9) || !(maxFace > 0) || !(zoom >= 0)
                    || zoom > 1 && (!(finest > 0) || Double.isInfinite(finest) || maxTiles < 1)) {
                throw new IllegalArgumentException("tiling grid " + grid + " overlap " + overlap + " maxFace " + maxFace
                        + " zoom " + zoom + " finest " + finest + " maxTiles " + maxTiles);
            }
        }

        /** A single level of {@code grid} tiles along the short side (no pyramid). */
        public Tiling(int grid, double overlap, double maxFace) {
            this(grid, overlap, maxFace, 0, 1, 1);
        }

        /** A pyramid of levels {@code zoom} apart down to {@code finest}, at most {@code maxTiles} tiles. */
        public static Tiling pyramid(double overlap, double maxFace, double zoom, double finest, int maxTiles) {
            if (!(zoom > 1)) {
                throw new IllegalArgumentException("a pyramid's zoom must be above 1, not " + zoom);
            }
            return new Tiling(2, overlap, maxFace, zoom, finest, maxTiles);
        }

        /** Whether this is a pyramid ({@code grid >= 2} and {@code zoom > 1}). */
        public boolean isPyramid() {
            return grid >= 2 && zoom > 1;
        }
    }

    /**
     * A tile's detection is dropped when its box comes within this share of the tile's side of an
     * edge the tile shares with the rest of the photo: the face is cut there, and a neighbouring tile
     * or the whole view sees all of it.
     */
    static final double INNER_EDGE_MARGIN = 0.01;

    private FaceFinder() {}

    /**
     * The views of a {@code width x height} photo: first the whole photo, enlarged at most
     * {@code maxUpscale} times ({@link FacesTask#MAX_UPSCALE}), then the tiles row by row (a tile is
     * never enlarged: tiles are made only when they are at least the input's size).
     *
     * @param size side of the square model input, pixels
     * @param maxUpscale most model-input pixels per photo pixel for the whole view, at least 1
     */
    public static List<Letterbox> views(int width, int height, int size, Tiling tiling, double maxUpscale) {
        List<Letterbox> out = new ArrayList<>();
        out.add(Letterbox.whole(width, height, size, maxUpscale));
        if (tiling.grid() < 2) {
            return out;
        }
        if (tiling.isPyramid()) {
            double finest = tiling.finest();
            List<Letterbox> tiles = pyramid(width, height, size, tiling, out.get(0).scale(), finest);
            while (tiles.size() > tiling.maxTiles() && finest > out.get(0).scale()) {
                finest /= 1.1; // coarser until the budget holds
                tiles = pyramid(width, height, size, tiling, out.get(0).scale(), finest);
            }
            out.addAll(tiles.size() > tiling.maxTiles() ? List.of() : tiles);
            return out;
        }
        int side = (int) Math.ceil(Math.min(width, height) / (tiling.grid() - (tiling.grid() - 1) * tiling.overlap()));
        side = Math.min(side, Math.min(width, height));
        if (side < size) {
            return out;
        }
        addLevel(out, width, height, side, size, tiling.overlap());
        return out;
    }

    /**
     * The pyramid's tiles, coarsest level first: scales {@code whole * zoom^k} (k = 1, 2, ...) up to
     * {@code finest}, the last level at {@code finest} itself; a level whose tile would hold the whole
     * photo adds nothing and is skipped, and a tile is never wider than the photo's short side.
     */
    static List<Letterbox> pyramid(int width, int height, int size, Tiling tiling, double whole, double finest) {
        List<Letterbox> out = new ArrayList<>();
        double s = whole;
        while (s < finest * (1 - 1e-9)) {
            s = Math.min(s * tiling.zoom(), finest);
            int side = Math.min((int) Math.ceil(size / s), Math.min(width, height));
            if (side >= Math.max(width, height)) {
                continue;
            }
            addLevel(out, width, height, side, size, tiling.overlap());
        }
        return out;
    }

    /** Square tiles of {@code side}, row by row, spread over the photo with at least {@code overlap} shared. */
    private static void addLevel(List<Letterbox> out, int width, int height, int side, int size, double overlap) {
        int[] xs = starts(width, side, overlap);
        int[] ys = starts(height, side, overlap);
        for (int y : ys) {
            for (int x : xs) {
                out.add(new Letterbox(x, y, side, side, size));
            }
        }
    }

    /**
     * The model input of each view: the view rendered ({@link Letterbox#render}) and preprocessed
     * with {@code spec} (scaling, mean and std of the card), as (3, size, size) tensors in view order.
     *
     * @param rgb the photo, opaque RGB ({@code Preprocessor.flatten})
     */
    public static List<ImageTensor> inputs(BufferedImage rgb, List<Letterbox> views, Preprocessor.Spec spec) {
        List<ImageTensor> out = new ArrayList<>(views.size());
        for (Letterbox v : views) {
            out.add(Preprocessor.toTensor(v.render(rgb), spec));
        }
        return out;
    }

    /** Left (or top) edges of tiles of {@code side} evenly spread over {@code length} with at least {@code overlap} shared. */
    static int[] starts(int length, int side, double overlap) {
        if (side >= length) {
            return new int[] {0};
        }
        int n = (int) Math.ceil((length - side) / (side * (1 - overlap)) - 1e-9) + 1;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.round(i * (length - side) / (double) (n - 1));
        }
        return out;
    }

    /**
     * The faces in the photo: each view's anchors at or above {@code minScore} decoded and mapped to
     * photo pixels; of the tiles' detections, those cut at an inner edge of their tile and those the
     * next coarser view sees large enough ({@link Tiling#maxFace}) dropped, and boxes of no size dropped; all merged as the detector's
     * authors merge them ({@link FaceDetectorOutput#merge}: BlazeFace's weighted NMS, the SSD's plain
     * NMS), and the boxes and keypoints clipped to the photo.
     *
     * @param views the views, as {@link #views} made them: the whole photo first
     * @param maxFace {@link Tiling#maxFace}
     * @param outputs the model's output for each view, in the same order (its detector's decoding and merge)
     * @param width photo width, pixels
     * @param height photo height, pixels
     * @param minScore lowest score kept, in [0, 1]
     * @param iou NMS threshold (merge above it), in [0, 1]
     * @param maxResults most faces returned, at least 1
     * @return faces in photo pixels, highest score first
     */
    public static List<FaceDetection> merge(List<Letterbox> views, List<? extends FaceDetectorOutput> outputs, int width, int height,
            double maxFace, double minScore, double iou, int maxResults) {
        if (views.size() != outputs.size()) {
            throw new IllegalArgumentException(views.size() + " views but " + outputs.size() + " outputs");
        }
        List<FaceDetection> all = new ArrayList<>();
        for (int v = 0; v < views.size(); v++) {
            Letterbox view = views.get(v);
            double coarser = v == 0 ? 0 : coarserScale(views, view.scale());
            for (FaceDetection d : outputs.get(v).decode(minScore)) {
                FaceDetection p = view.toImage(d);
                if (!(p.width() > 0 && p.height() > 0)) {
                    continue; // an anchor regressed to no box at all: not a face
                }
                if (v == 0 || !cutByTile(p, view, width, height) && Math.max(p.width(), p.height()) * coarser < maxFace) {
                    all.add(p);
                }
            }
        }
        List<FaceDetection> out = new ArrayList<>();
        for (FaceDetection d : outputs.get(0).merge(all, iou, maxResults)) { // views.get(0) is the whole photo: never empty
            out.add(clip(d, width, height));
        }
        return out;
    }

    /**
     * The scale of the next coarser view than one of {@code scale}: the largest view scale below it
     * (the level before in a pyramid; the whole view for a single level of tiles).
     */
    static double coarserScale(List<Letterbox> views, double scale) {
        double best = views.get(0).scale();
        for (Letterbox v : views) {
            if (v.scale() < scale * (1 - 1e-6) && v.scale() > best) {
                best = v.scale();
            }
        }
        return best;
    }

    /** True when {@code d} reaches within the margin of an edge of {@code view} that is inside the photo. */
    static boolean cutByTile(FaceDetection d, Letterbox view, int width, int height) {
        double m = INNER_EDGE_MARGIN * Math.max(view.cropWidth(), view.cropHeight());
        int x1 = view.cropX() + view.cropWidth();
        int y1 = view.cropY() + view.cropHeight();
        return view.cropX() > 0 && d.x() < view.cropX() + m
                || view.cropY() > 0 && d.y() < view.cropY() + m
                || x1 < width && d.x1() > x1 - m
                || y1 < height && d.y1() > y1 - m;
    }

    /** {@code d} with its box and keypoints clipped to {@code [0, width] x [0, height]}. */
    static FaceDetection clip(FaceDetection d, int width, int height) {
        double x0 = clamp(d.x(), width);
        double y0 = clamp(d.y(), height);
        double[] kp = d.keypoints().clone();
        for (int k = 0; k < kp.length; k += 2) {
            kp[k] = clamp(kp[k], width);
            kp[k + 1] = clamp(kp[k + 1], height);
        }
        return new FaceDetection(x0, y0, clamp(d.x1(), width) - x0, clamp(d.y1(), height) - y0, kp, d.score());
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /**
     * The faces in {@code rgb} as {@code card}'s model sees them: the views and tiles of
     * {@code tiling} (the card's is {@link FacesTask#tiling}) with the whole view enlarged at most
     * {@code maxUpscale} times, each rendered and preprocessed with {@code spec}, sent to
     * {@code model}, and the outputs {@link #merge}d with the card's NMS threshold on {@code merging}
     * (not on the thread that completes the model's futures: for the worker, its inference thread).
     *
     * @param rgb the photo, opaque RGB ({@code Preprocessor.flatten})
     * @param maxUpscale most model-input pixels per photo pixel ({@link #views}; the task's is
     *     {@link FacesTask#maxUpscale}), at least 1
     * @param model one view's tensor to its output
     * @param minScore lowest score kept, in [0, 1]
     * @param maxResults most faces returned, at least 1
     * @return faces in photo pixels, highest score first
     */
    public static java.util.concurrent.CompletableFuture<List<FaceDetection>> find(BufferedImage rgb,
            io.imageworker.models.ModelCard card, Preprocessor.Spec spec, Tiling tiling, double maxUpscale,
            java.util.function.Function<ImageTensor, ? extends java.util.concurrent.CompletableFuture<? extends FaceDetectorOutput>> model,
            double minScore, int maxResults, java.util.concurrent.Executor merging) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        double iou = FacesTask.nmsIou(card);
        List<Letterbox> views = views(w, h, card.input().width(), tiling, maxUpscale);
        return run(rgb, views, spec, model, merging)
                .thenApplyAsync(outputs -> merge(views, outputs, w, h, tiling.maxFace(), minScore, iou, maxResults), merging);
    }

    /** Views rendered and sent to the model at once, at most: a pyramid's tiles are not all held as tensors together. */
    static final int IN_FLIGHT = 4;

    /**
     * Each view rendered, preprocessed and sent to {@code model}, at most {@link #IN_FLIGHT} at a
     * time (the next one rendered on {@code merging} as one comes back), so that a photo of many tiles
     * holds a few input tensors, not one per tile. Fails with the first failure of a model call.
     *
     * @return the outputs in view order
     */
    static java.util.concurrent.CompletableFuture<List<FaceDetectorOutput>> run(BufferedImage rgb, List<Letterbox> views,
            Preprocessor.Spec spec,
            java.util.function.Function<ImageTensor, ? extends java.util.concurrent.CompletableFuture<? extends FaceDetectorOutput>> model,
            java.util.concurrent.Executor merging) {
        int n = views.size();
        FaceDetectorOutput[] outs = new FaceDetectorOutput[n];
        java.util.concurrent.CompletableFuture<List<FaceDetectorOutput>> result = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= n || result.isDone()) {
                return;
            }
            java.util.concurrent.CompletableFuture<? extends FaceDetectorOutput> f;
            try {
                f = model.apply(Preprocessor.toTensor(views.get(i).render(rgb), spec));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            f.whenCompleteAsync((o, e) -> {
                if (e != null) {
                    result.completeExceptionally(e);
                    return;
                }
                outs[i] = o;
                if (done.incrementAndGet() == n) {
                    result.complete(java.util.Arrays.asList(outs));
                } else {
                    launch[0].run();
                }
            }, merging);
        };
        for (int k = 0; k < Math.min(IN_FLIGHT, n); k++) {
            launch[0].run();
        }
        return result;
    }
}
