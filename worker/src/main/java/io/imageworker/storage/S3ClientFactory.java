package io.imageworker.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 client. Credentials come from the SDK's default provider chain (environment,
 * profile, web identity for Kubernetes service accounts, instance roles): the worker never reads
 * or logs them itself.
 */
public final class S3ClientFactory {

    private S3ClientFactory() {}

    /**
     * @param endpoint S3-compatible endpoint, empty for AWS
     * @param maxAttempts attempts per call, with exponential backoff (100 ms base, 5 s cap) and full jitter
     * @param callTimeout limit on a call with all its retries
     * @param maxConnections pooled connections (at least the fetch concurrency)
     */
    public static S3Client create(Optional<String> endpoint, String region, boolean pathStyle, int maxAttempts,
            Duration callTimeout, int maxConnections) {
        return create(endpoint, region, pathStyle, maxAttempts, callTimeout, maxConnections, op -> { });
    }

    /**
     * As {@link #create(Optional, String, boolean, int, Duration, int)}, telling {@code onRequest}
     * the operation name ({@code GetObject}, {@code PutObject}, {@code HeadObject}, ...) of every
     * HTTP request the client sends, each retry included.
     */
    public static S3Client create(Optional<String> endpoint, String region, boolean pathStyle, int maxAttempts,
            Duration callTimeout, int maxConnections, Consumer<String> onRequest) {
        var retry = AwsRetryStrategy.standardRetryStrategy(false).toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .build();
        var builder = S3Client.builder()
                .region(Region.of(region))
                // Checksums only where the API requires them: S3-compatible servers often lack the newer
                // flexible checksums, and TLS already protects the transfer.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(Math.max(maxConnections, 8))
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retry)
                        .addExecutionInterceptor(new RequestCounter(onRequest))
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(callTimeout.dividedBy(Math.max(1, maxAttempts)).plusSeconds(1))
                        .build());
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    /** Tells its consumer the operation of each request as it goes out (once per attempt). */
    private record RequestCounter(Consumer<String> onRequest) implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            onRequest.accept(op == null ? "unknown" : op);
        }
    }
}
