package io.imageworker.storage;

import io.imageworker.config.WorkerConfig;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
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
        return create(endpoint, region, pathStyle, maxAttempts, callTimeout, maxConnections, WorkerConfig.HttpClientKind.APACHE);
    }

    /**
     * {@link #create(Optional, String, boolean, int, Duration, int)} on the given HTTP client.
     *
     * @param http the HTTP client under the SDK (connection timeout 5 s, socket/read timeout 30 s on each)
     */
    public static S3Client create(Optional<String> endpoint, String region, boolean pathStyle, int maxAttempts,
            Duration callTimeout, int maxConnections, WorkerConfig.HttpClientKind http) {
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
                .httpClientBuilder(httpClient(http, Math.max(maxConnections, 8)))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retry)
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(callTimeout.dividedBy(Math.max(1, maxAttempts)).plusSeconds(1))
                        .build());
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)));
        return builder.build();
    }

    private static SdkHttpClient.Builder<?> httpClient(WorkerConfig.HttpClientKind kind, int maxConnections) {
        Duration connect = Duration.ofSeconds(5);
        Duration read = Duration.ofSeconds(30);
        return switch (kind) {
            case APACHE -> ApacheHttpClient.builder().maxConnections(maxConnections).connectionTimeout(connect).socketTimeout(read);
            case CRT -> AwsCrtHttpClient.builder().maxConcurrency(maxConnections).connectionTimeout(connect)
                    .connectionHealthConfiguration(h -> h.minimumThroughputInBps(1L).minimumThroughputTimeout(read));
            // the JDK's client has no pool size: it keeps alive what http.maxConnections allows (default 5 per host)
            case URL_CONNECTION -> UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(read);
        };
    }
}
