package io.imageworker.testing;

import com.google.cloud.vision.v1.AnnotateImageRequest;
import com.google.cloud.vision.v1.AsyncAnnotateFileRequest;
import com.google.cloud.vision.v1.AsyncBatchAnnotateFilesRequest;
import com.google.cloud.vision.v1.AsyncBatchAnnotateImagesRequest;
import com.google.cloud.vision.v1.Feature;
import com.google.cloud.vision.v1.GcsDestination;
import com.google.cloud.vision.v1.GcsSource;
import com.google.cloud.vision.v1.Image;
import com.google.cloud.vision.v1.ImageSource;
import com.google.cloud.vision.v1.InputConfig;
import com.google.cloud.vision.v1.OutputConfig;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.util.List;

/**
 * Cloud Vision request bodies written the way Google's client libraries write them: the request
 * built with Cloud Vision's own proto classes ({@code proto-google-cloud-vision-v1}) and printed by
 * protobuf's proto3 JSON printer, in each of the printer's spellings.
 */
public final class VisionClientBodies {

    private VisionClientBodies() {}

    /** The proto3 JSON printer's options that change how a body is spelled. */
    public enum Spelling {
        /** Only the fields that are set, lowerCamelCase names, enums by name (the printer's default). */
        PLAIN,
        /** Every field, set or not: {@code "maxResults": 0}, {@code "batchSize": 0}, {@code "model": ""}, {@code "content": ""}. */
        WITH_DEFAULTS,
        /** Every field, enums by number ({@code "type": 4}). */
        ENUMS_AS_NUMBERS,
        /** Every field, enums by number, names as the proto spells them ({@code max_results}, {@code output_config}). */
        PROTO_NAMES;

        JsonFormat.Printer printer() {
            JsonFormat.Printer p = JsonFormat.printer();
            if (this != PLAIN) {
                p = p.alwaysPrintFieldsWithNoPresence();
            }
            if (this == ENUMS_AS_NUMBERS || this == PROTO_NAMES) {
                p = p.printingEnumsAsInts();
            }
            return this == PROTO_NAMES ? p.preservingProtoFieldNames() : p;
        }
    }

    /**
     * An asyncBatchAnnotate body: one request per image URI, each asking for {@code features} with no
     * maxResults set, output under {@code destination} with no batchSize set.
     */
    public static String asyncBatchAnnotate(Spelling spelling, List<String> imageUris, List<Feature.Type> features,
            String destination) {
        AsyncBatchAnnotateImagesRequest.Builder body = AsyncBatchAnnotateImagesRequest.newBuilder()
                .setOutputConfig(OutputConfig.newBuilder().setGcsDestination(GcsDestination.newBuilder().setUri(destination)));
        for (String uri : imageUris) {
            AnnotateImageRequest.Builder request = AnnotateImageRequest.newBuilder()
                    .setImage(Image.newBuilder().setSource(ImageSource.newBuilder().setImageUri(uri)));
            features.forEach(type -> request.addFeatures(Feature.newBuilder().setType(type)));
            body.addRequests(request);
        }
        try {
            return spelling.printer().print(body.build());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A files:asyncBatchAnnotate body: one request per document ({@code documents[i]} is its URI and MIME
     * type), each asking for {@code features} with no maxResults set, its output under
     * {@code destination + i + "/"} with no batchSize set.
     */
    public static String filesAsyncBatchAnnotate(Spelling spelling, List<String[]> documents, List<Feature.Type> features,
            String destination) {
        AsyncBatchAnnotateFilesRequest.Builder body = AsyncBatchAnnotateFilesRequest.newBuilder();
        for (int i = 0; i < documents.size(); i++) {
            AsyncAnnotateFileRequest.Builder request = AsyncAnnotateFileRequest.newBuilder()
                    .setInputConfig(InputConfig.newBuilder().setGcsSource(GcsSource.newBuilder().setUri(documents.get(i)[0]))
                            .setMimeType(documents.get(i)[1]))
                    .setOutputConfig(OutputConfig.newBuilder().setGcsDestination(GcsDestination.newBuilder()
                            .setUri(destination + i + "/")));
            features.forEach(type -> request.addFeatures(Feature.newBuilder().setType(type)));
            body.addRequests(request);
        }
        try {
            return spelling.printer().print(body.build());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
