package io.github.litellmcache.cache.s3;

import io.github.litellmcache.cache.BackendOperation;
import io.github.litellmcache.cache.CacheBackendClosedException;
import io.github.litellmcache.cache.CacheEntry;
import io.github.litellmcache.cache.CacheEntryCodec;
import io.github.litellmcache.cache.CacheKey;
import io.github.litellmcache.cache.NonBlockingCacheBackend;
import io.github.litellmcache.cache.S3Connection;
import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.ThrottledLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Entries as objects in an S3 bucket, shared by every instance of an application and kept across restarts. Each entry
 * is one object directly in the cache's folder, {@code <path>/<namespace>:<key>} (or {@code <path>/<key>}), the key
 * with {@code %}, {@code :} and {@code /} percent-encoded ({@link CacheKey#qualified}), so that it never opens a
 * sub-folder, holding the {@link CacheEntryCodec} envelope as {@code application/json}, with the user metadata
 * {@code litellm-format} that marks it as the cache's. A TTL is stored as the expiry instant in the user metadata
 * {@code litellm-expires-at} (epoch milliseconds) and in the {@code Expires} header; an expired object is a miss and is
 * deleted in the background, unless it was replaced meanwhile, and one read before is
 * {@linkplain CacheEntry#freshUntil() fresh until} its expiry, so that no copy of it (a near tier's) answers after. The
 * bucket is never created: a missing or forbidden bucket is logged as an error naming it and the S3 error code, and
 * each call counts as a miss. A read answered 403 AccessDenied, which is how S3 answers a missing object to credentials
 * without {@code s3:ListBucket}, is a miss (warned about once), never a backend failure.
 *
 * <p>{@link #clear()} deletes, in batches of 1,000, exactly the objects directly in {@code <path>/}: never an object
 * of a sub-folder ({@code <path>/b/...}, the entries of a deployment whose path is {@code <path>/b}), of a sibling
 * ({@code <path>b/...}) or elsewhere in the bucket.
 */
public final class S3CacheBackend implements NonBlockingCacheBackend {

    private static final Log logger = LogFactory.getLog(S3CacheBackend.class);

    /** User metadata marking an object as an entry of this cache: the envelope's format version. */
    public static final String FORMAT_METADATA = "litellm-format";

    /** User metadata holding the expiry instant of an entry with a TTL, in epoch milliseconds. */
    public static final String EXPIRES_AT_METADATA = "litellm-expires-at";

    /**
     * The largest object read as an entry, and so the largest entry written: {@link CacheEntryCodec#MAX_ENVELOPE_BYTES}.
     * A larger object at an entry's key is a miss, given up without reading its body, so that an object put there by
     * someone else (or by mistake) never fills the heap.
     */
    public static final long MAX_OBJECT_BYTES = CacheEntryCodec.MAX_ENVELOPE_BYTES;

    /**
     * The longest one request of the cache may take, all the AWS SDK's attempts included, before the SDK abandons it
     * and closes its connection: twice the guard's warm-up deadline, far past {@code litellm.cache.timeout}, after
     * which nobody waits for the answer. Without it, a request to an S3 that accepts and never answers keeps its
     * thread and connection for the HTTP client's read timeout once per attempt (30 s, three attempts), since giving
     * up on it does not stop a blocking read.
     */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

    /** Sets {@link #REQUEST_DEADLINE} on a request, over the client's own timeouts. */
    private static final Consumer<AwsRequestOverrideConfiguration.Builder> DEADLINE =
            override -> override.apiCallTimeout(REQUEST_DEADLINE);

    private static final String CONTENT_TYPE = "application/json";

    /** Most keys of one DeleteObjects request, as S3 allows. */
    private static final int BATCH = 1_000;

    private final S3Operations s3;
    private final String bucket;
    private final String prefix;
    private final CacheEntryCodec codec = new CacheEntryCodec();
    private final AtomicReference<@Nullable Refusal> reported = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean reportedDeniedRead = new AtomicBoolean();
    private final ThrottledLog oversized = new ThrottledLog(logger, Duration.ofMinutes(1));

    /**
     * A backend on the application's blocking client, whose requests run on a bounded pool of threads of the backend.
     * The client stays open when the backend is closed.
     *
     * @param client the application's client
     * @param bucket the bucket that holds the entries
     * @param path the folder of the entries inside the bucket; null or blank for {@value S3Connection#DEFAULT_PATH}
     */
    public S3CacheBackend(S3Client client, String bucket, @Nullable String path) {
        this(new BlockingS3Operations(client, () -> {}), bucket, path);
    }

    /**
     * A backend on the application's asynchronous client, which stays open when the backend is closed.
     *
     * @param client the application's client
     * @param bucket the bucket that holds the entries
     * @param path the folder of the entries inside the bucket; null or blank for {@value S3Connection#DEFAULT_PATH}
     */
    public S3CacheBackend(S3AsyncClient client, String bucket, @Nullable String path) {
        this(new AsyncS3Operations(client), bucket, path);
    }

    private S3CacheBackend(S3Operations s3, String bucket, @Nullable String path) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = S3Connection.normalizedPath(path) + "/";
    }

    /**
     * A backend with its own blocking client, built as {@link S3CacheClients} describes from the client settings of
     * {@code s3}, whose requests run on a bounded pool of threads of the backend; the bucket and path are the
     * settings' too. Closing the backend closes the client without waiting, so that {@code LlmCache.update} and the
     * application's shutdown do not wait; a request still in flight then fails, which counts as a miss.
     *
     * @throws IllegalArgumentException when a client setting is invalid, naming it
     * @throws IllegalStateException when the classpath has no synchronous HTTP client of the AWS SDK
     */
    public static S3CacheBackend dedicated(S3Connection s3, List<S3CacheClientCustomizer> customizers) {
        String bucket = Objects.requireNonNull(s3.bucketName(), "s3BucketName is required");
        S3Client client = S3CacheClients.create(s3, customizers);
        return new S3CacheBackend(new BlockingS3Operations(client, client::close), bucket, s3.path());
    }

    @Override
    public String name() {
        return "s3";
    }

    /** The bucket and the path in it, with the properties that set them. */
    @Override
    public String location() {
        return "bucket '" + this.bucket + "', objects under '" + this.prefix
                + "', litellm.cache.s3.bucket-name and path";
    }

    /**
     * The object key of {@code key}: {@code <path>/<namespace>:<key>}, which holds no {@code /}
     * ({@link CacheKey#qualified}); past S3's 1,024 bytes, or for a key alone that is {@code .} or
     * {@code ..} (a path segment that HTTP resolves, so S3 would never see the object's name),
     * {@code <path>/%sha256-<hex>} of it, a name no qualified key takes, since those hold {@code %} only as
     * an escape.
     */
    public String objectKey(CacheKey key) {
        String qualified = key.qualified();
        String name = this.prefix + qualified;
        if (!qualified.equals(".")
                && !qualified.equals("..")
                && (name.length() <= S3Connection.MAX_OBJECT_KEY_BYTES / 3
                        || name.getBytes(StandardCharsets.UTF_8).length <= S3Connection.MAX_OBJECT_KEY_BYTES)) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(qualified.getBytes(StandardCharsets.UTF_8));
            return this.prefix + "%sha256-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
        }
    }

    @Override
    public Mono<CacheEntry> getAsync(CacheKey key) {
        String objectKey = objectKey(key);
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(this.bucket)
                .overrideConfiguration(DEADLINE)
                .key(objectKey)
                .build();
        return guarded(
                        BackendOperation.READ,
                        this.s3
                                .getObject(request, MAX_OBJECT_BYTES)
                                .onErrorResume(NoSuchKeyException.class, missing -> Mono.empty())
                                .onErrorResume(S3CacheBackend::isAccessDenied, denied -> deniedRead())
                                .onErrorResume(S3ObjectTooLargeException::isTooLarge, tooLarge -> oversizedRead()))
                .mapNotNull(object -> read(objectKey, object));
    }

    @Override
    public Mono<Void> putAsync(CacheKey key, CacheEntry entry, @Nullable Duration ttl) {
        if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
            return Mono.empty();
        }
        String objectKey = objectKey(key);
        return guarded(BackendOperation.WRITE, Mono.defer(() -> {
            Map<String, String> metadata = new HashMap<>(4);
            metadata.put(FORMAT_METADATA, String.valueOf(CacheEntryCodec.FORMAT));
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(this.bucket)
                    .overrideConfiguration(DEADLINE)
                    .key(objectKey)
                    .contentType(CONTENT_TYPE);
            if (ttl != null) {
                Instant expiresAt = Instant.now().plus(ttl);
                metadata.put(EXPIRES_AT_METADATA, String.valueOf(expiresAt.toEpochMilli()));
                request.expires(expiresAt);
            }
            byte[] body = this.codec.encode(entry);
            return (body.length > MAX_OBJECT_BYTES)
                    ? Mono.<Void>empty()
                    : this.s3.putObject(request.metadata(metadata).build(), body);
        }));
    }

    @Override
    public void clear() {
        List<String> batch = new ArrayList<>(BATCH);
        String continuation = null;
        do {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(this.bucket)
                    .overrideConfiguration(DEADLINE)
                    .prefix(this.prefix)
                    .delimiter("/")
                    .continuationToken(continuation)
                    .build();
            ListObjectsV2Response page =
                    Objects.requireNonNull(guarded(BackendOperation.READ, this.s3.listObjectsV2(request))
                            .block());
            for (S3Object object : page.contents()) {
                batch.add(object.key());
                if (batch.size() == BATCH) {
                    delete(batch);
                    batch.clear();
                }
            }
            continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (continuation != null);
        delete(batch);
    }

    @Override
    public void remove(Collection<CacheKey> keys) {
        List<String> objectKeys = keys.stream().map(this::objectKey).toList();
        for (int from = 0; from < objectKeys.size(); from += BATCH) {
            delete(objectKeys.subList(from, Math.min(from + BATCH, objectKeys.size())));
        }
    }

    @Override
    public void close() {
        if (this.closed.compareAndSet(false, true)) {
            this.s3.close();
        }
    }

    private @Nullable CacheEntry read(String objectKey, ResponseBytes<GetObjectResponse> object) {
        GetObjectResponse response = object.response();
        String expiry = response.metadata().get(EXPIRES_AT_METADATA);
        long expiresAt = (expiry != null) ? epochMillis(expiry) : Long.MAX_VALUE;
        if (expiresAt <= System.currentTimeMillis()) {
            deleteInBackground(objectKey, response.eTag());
            return null;
        }
        CacheEntry entry = this.codec.decode(object.asByteArrayUnsafe());
        return (entry != null && expiry != null && entry.freshUntil() == null)
                ? entry.withFreshUntil(Instant.ofEpochMilli(expiresAt))
                : entry;
    }

    private static boolean isAccessDenied(Throwable error) {
        return error instanceof S3Exception s3
                && s3.statusCode() == 403
                && s3.awsErrorDetails() != null
                && "AccessDenied".equals(s3.awsErrorDetails().errorCode());
    }

    /**
     * A read refused with 403 AccessDenied, as S3 answers a missing object to credentials without
     * {@code s3:ListBucket}: a miss, never a backend failure, warned about once.
     */
    private <T> Mono<T> deniedRead() {
        if (this.reportedDeniedRead.compareAndSet(false, true)) {
            logger.warn("S3 answered 403 AccessDenied to a read of the cache in bucket '" + this.bucket + "'; it is"
                    + " counted as a miss. S3 answers a missing object this way when the credentials lack"
                    + " s3:ListBucket on the bucket: grant s3:ListBucket (and s3:GetObject on the cache's path) so that"
                    + " misses are told apart from refusals.");
        }
        return Mono.empty();
    }

    /** A read of an object over {@link #MAX_OBJECT_BYTES}: a miss, warned about at most once a minute. */
    private <T> Mono<T> oversizedRead() {
        this.oversized.warn(
                () -> "An object in bucket '" + this.bucket + "' at the key of a cache entry is larger than "
                        + PropertyValues.of(DataSize.ofBytes(MAX_OBJECT_BYTES))
                        + ", the most the S3 cache reads; it is counted as a miss and left in place. Nothing the cache"
                        + " writes is that large: check what else writes under the cache's path.");
        return Mono.empty();
    }

    /** The expiry written in {@link #EXPIRES_AT_METADATA}; a corrupt one as long past. */
    private static long epochMillis(String expiry) {
        try {
            return Long.parseLong(expiry);
        } catch (NumberFormatException corrupt) {
            return 0;
        }
    }

    /** Deletes an expired object, only if it is still the one that was read (If-Match), without waiting. */
    private void deleteInBackground(String objectKey, @Nullable String eTag) {
        DeleteObjectRequest request = DeleteObjectRequest.builder()
                .bucket(this.bucket)
                .overrideConfiguration(DEADLINE)
                .key(objectKey)
                .ifMatch(eTag)
                .build();
        this.s3
                .deleteObject(request)
                .subscribe(null, error -> logger.debug("Deleting an expired S3 cache entry failed: " + error));
    }

    private void delete(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        DeleteObjectsRequest request = DeleteObjectsRequest.builder()
                .bucket(this.bucket)
                .overrideConfiguration(DEADLINE)
                .delete(delete -> delete.quiet(true)
                        .objects(keys.stream()
                                .map(key -> ObjectIdentifier.builder().key(key).build())
                                .toList()))
                .build();
        DeleteObjectsResponse response = Objects.requireNonNull(
                guarded(BackendOperation.WRITE, this.s3.deleteObjects(request)).block());
        if (response.hasErrors() && !response.errors().isEmpty()) {
            throw new IllegalStateException(response.errors().size() + " of " + keys.size()
                    + " cache objects could not be deleted from bucket '" + this.bucket + "': "
                    + response.errors().stream().map(S3Error::code).distinct().collect(Collectors.joining(", ")));
        }
    }

    /**
     * {@code operation}, refused once the backend is closed, and its failure then the closing's (a request in flight on
     * the client the backend closed); logging an error the first time S3 refuses the bucket
     * with a given code (no such bucket, access denied, a wrong signature or region): the bucket and the code, never a
     * key or a credential. Only an operation of the kind refused that then succeeds makes the refusal logged again, so
     * that credentials which may read but not write log it once, not after every read.
     */
    private <T> Mono<T> guarded(BackendOperation kind, Mono<T> operation) {
        return Mono.defer(() -> this.closed.get() ? Mono.<T>error(new CacheBackendClosedException("S3")) : operation)
                .onErrorMap(
                        error -> this.closed.get() && !(error instanceof CacheBackendClosedException),
                        error -> new CacheBackendClosedException("S3", error))
                .doOnSuccess(result -> {
                    Refusal refusal = this.reported.get();
                    if (refusal != null && refusal.kind() == kind) {
                        this.reported.compareAndSet(refusal, null);
                    }
                })
                .doOnError(S3Exception.class, error -> report(kind, error));
    }

    private void report(BackendOperation kind, S3Exception error) {
        if (error.statusCode() >= 500) {
            return;
        }
        String code =
                (error.awsErrorDetails() != null) ? error.awsErrorDetails().errorCode() : null;
        String answer = ((code != null) ? code + " " : "") + "(HTTP " + error.statusCode() + ")";
        Refusal previous = this.reported.getAndSet(new Refusal(kind, answer));
        if (previous == null || !previous.answer().equals(answer)) {
            logger.error("The S3 cache cannot use bucket '" + this.bucket + "': S3 answered " + answer
                    + ". Calls go on without the cache. Check that the bucket exists (the cache never creates it) and"
                    + " that the credentials and region of litellm.cache.s3.* may read and write it.");
        }
    }

    /** What S3 answered when it last refused an operation of {@code kind}. */
    private record Refusal(BackendOperation kind, String answer) {}
}
