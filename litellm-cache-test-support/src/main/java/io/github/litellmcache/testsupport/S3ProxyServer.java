package io.github.litellmcache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3BaseClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An in-process s3proxy with AWS V2/V4 authentication ({@link #ACCESS_KEY}, {@link #SECRET_KEY}) on free ports of the
 * loopback interface, keeping objects in memory. It can be stopped and started again on the same ports, keeping its
 * objects, to simulate an outage. {@link #launchWithTls()} adds an HTTPS port whose self-signed certificate (for
 * 127.0.0.1 and localhost) is written as a PEM bundle, {@link #caBundle()}.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access";

    public static final String SECRET_KEY = "test-secret";

    private static final String KEYSTORE_PASSWORD = "changeit";

    private final BlobStore blobStore = new TransientNio2BlobStore();
    private final int port;
    private final int securePort;
    private final Path directory;
    private @Nullable S3Client client;
    private @Nullable S3Proxy proxy;

    private S3ProxyServer(boolean tls) {
        this.port = freePort();
        int secure = -1;
        while (tls && (secure < 0 || secure == this.port)) {
            secure = freePort();
        }
        this.securePort = secure;
        try {
            this.directory = Files.createTempDirectory("s3proxy");
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (tls) {
            createCertificate();
        }
    }

    /** A started proxy on plain HTTP. */
    public static S3ProxyServer launch() {
        S3ProxyServer server = new S3ProxyServer(false);
        server.start();
        return server;
    }

    /** A started proxy on plain HTTP and on HTTPS with a self-signed certificate. */
    public static S3ProxyServer launchWithTls() {
        S3ProxyServer server = new S3ProxyServer(true);
        server.start();
        return server;
    }

    /** The plain HTTP endpoint, {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + this.port);
    }

    /** The HTTPS endpoint of a proxy launched with TLS. */
    public URI secureEndpoint() {
        return URI.create("https://127.0.0.1:" + this.securePort);
    }

    /** The PEM file of the self-signed certificate of a proxy launched with TLS. */
    public Path caBundle() {
        return this.directory.resolve("ca.pem");
    }

    /**
     * A raw client of the plain HTTP endpoint, with path-style access and the right credentials, made on first use so
     * that a test of a cold start has no AWS SDK client warmed up before the application's.
     */
    public synchronized S3Client client() {
        if (this.client == null) {
            this.client = newClient();
        }
        return this.client;
    }

    /**
     * A raw client of the plain HTTP endpoint like {@link #client()}, but the caller's own, to close (an application
     * context closes a client given to it as a bean).
     */
    public S3Client newClient() {
        return toPlainEndpoint(S3Client.builder());
    }

    /** An asynchronous client of the plain HTTP endpoint, set up as {@link #newClient()}, the caller's own to close. */
    public S3AsyncClient newAsyncClient() {
        return toPlainEndpoint(S3AsyncClient.builder());
    }

    private <B extends S3BaseClientBuilder<B, C>, C> C toPlainEndpoint(B builder) {
        return builder.endpointOverride(endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates a bucket, or empties it when it exists. */
    public void createBucket(String bucket) {
        if (this.blobStore.containerExists(bucket)) {
            S3Client client = client();
            client.listObjectsV2Paginator(r -> r.bucket(bucket))
                    .contents()
                    .forEach(object -> client.deleteObject(r -> r.bucket(bucket).key(object.key())));
        } else {
            this.blobStore.createContainer(bucket);
        }
    }

    /** The keys of every object in {@code bucket}. */
    public List<String> keys(String bucket) {
        return client().listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream()
                .map(object -> object.key())
                .toList();
    }

    /** Starts the proxy (again) on its ports and waits until it serves. */
    public synchronized void start() {
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(this.blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(endpoint());
        if (this.securePort > 0) {
            builder.secureEndpoint(secureEndpoint())
                    .keyStore(this.directory.resolve("keystore.p12").toString(), KEYSTORE_PASSWORD);
        }
        this.proxy = builder.build();
        try {
            this.proxy.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!"STARTED".equals(this.proxy.getState())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("s3proxy did not start: " + this.proxy.getState());
                }
                Thread.sleep(10);
            }
        } catch (Exception ex) {
            throw new IllegalStateException("s3proxy did not start on port " + this.port, ex);
        }
    }

    /** Stops the proxy, as an outage would; its objects are kept for {@link #start()}. */
    public synchronized void stop() {
        if (this.proxy != null) {
            try {
                this.proxy.stop();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            this.proxy = null;
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (this.client != null) {
            this.client.close();
        }
    }

    /** A self-signed certificate for 127.0.0.1 and localhost, in a PKCS12 key store and as a PEM file. */
    private void createCertificate() {
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        String keyStore = this.directory.resolve("keystore.p12").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "s3proxy",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "7",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keyStore,
                "-storetype",
                "PKCS12",
                "-storepass",
                KEYSTORE_PASSWORD,
                "-keypass",
                KEYSTORE_PASSWORD);
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "s3proxy",
                "-keystore",
                keyStore,
                "-storepass",
                KEYSTORE_PASSWORD,
                "-file",
                caBundle().toString());
    }

    private static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + String.join(" ", command));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
