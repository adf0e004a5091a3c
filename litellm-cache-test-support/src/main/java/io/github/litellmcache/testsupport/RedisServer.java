package io.github.litellmcache.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import redis.embedded.core.ExecutableProvider;

/**
 * A real {@code redis-server} process on a free port of the loopback interface: the Debian package
 * when it is on the PATH, otherwise the binary bundled by embedded-redis. It can be stopped and
 * started again on the same port, to simulate an outage, or paused and resumed ({@code SIGSTOP}, {@code SIGCONT}), to
 * simulate a server that hangs: its port still accepts connections, but nothing is answered. {@link #admin()} gives a
 * test its own connection, to look at or change the store behind the code under test. {@link #launchWithTls} adds a
 * TLS port beside the plain one, which stays for the test's own connection.
 */
public final class RedisServer implements AutoCloseable {

    /** How far above its port a cluster node listens to the other nodes. */
    private static final int CLUSTER_BUS_OFFSET = 10_000;

    /** The name of the SSL bundle of {@link #tlsApplicationConnectionProperties()}. */
    public static final String SSL_BUNDLE = "redis-test";

    private final int port;
    private final List<String> arguments;
    private final Path directory;
    private final @Nullable SelfSignedCertificate tls;
    private final int tlsPort;
    private final @Nullable Path sentinelConfiguration;
    private @Nullable Process process;
    private @Nullable RedisClient adminClient;
    private @Nullable StatefulRedisConnection<String, String> admin;

    private RedisServer(int port, List<String> arguments) {
        this(port, arguments, false);
    }

    private RedisServer(int port, List<String> arguments, boolean tls) {
        this(port, arguments, tls, null);
    }

    private RedisServer(int port, List<String> arguments, boolean tls, @Nullable List<String> sentinelConfiguration) {
        this.port = port;
        this.arguments = arguments;
        try {
            this.directory = Files.createTempDirectory("redis-" + port);
            this.sentinelConfiguration = (sentinelConfiguration != null)
                    ? Files.write(this.directory.resolve("sentinel.conf"), sentinelConfiguration)
                    : null;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.tls = tls ? SelfSignedCertificate.in(this.directory) : null;
        this.tlsPort = tls ? freePort() : 0;
    }

    /**
     * Starts a Sentinel ({@code redis-server <file> --sentinel}) with {@code configuration}, the lines of its
     * configuration file, which it rewrites as it learns the topology.
     */
    static RedisServer launchSentinel(List<String> configuration) {
        RedisServer server = new RedisServer(freePort(), List.of(), false, configuration);
        server.start();
        return server;
    }

    /** Starts a server with extra arguments such as {@code --requirepass secret}. */
    public static RedisServer launch(String... arguments) {
        RedisServer server = new RedisServer(freePort(), List.of(arguments));
        server.start();
        return server;
    }

    /**
     * Starts a server that also listens with TLS on {@link #tlsPort()}, presenting a self-signed certificate for
     * {@code 127.0.0.1} ({@link #certificate()}) and asking clients for none; it needs a {@code redis-server} built
     * with TLS, as Debian's is.
     */
    public static RedisServer launchWithTls(String... arguments) {
        RedisServer server = new RedisServer(freePort(), List.of(arguments), true);
        server.start();
        return server;
    }

    /**
     * Starts a node of a cluster with {@code arguments}, on a free port whose cluster bus port (the port plus 10,000)
     * is free too and a port at all: a node whose bus port is taken, or past 65,535, does not start.
     */
    static RedisServer launchClusterNode(String... arguments) {
        int port = freePort();
        while (port + CLUSTER_BUS_OFFSET > 65_535 || !isFree(port + CLUSTER_BUS_OFFSET)) {
            port = freePort();
        }
        RedisServer server = new RedisServer(port, List.of(arguments));
        server.start();
        return server;
    }

    public int port() {
        return this.port;
    }

    /**
     * The cache properties ({@code litellm.cache.*}) that put an application's cache on this server through a
     * dedicated connection, without a password.
     */
    public String[] cacheProperties() {
        return new String[] {
            "litellm.cache.type=redis", "litellm.cache.redis.host=127.0.0.1", "litellm.cache.redis.port=" + port()
        };
    }

    /**
     * The properties that put an application's cache on this server through the application's own connection
     * factory ({@code spring.data.redis.*}, with Spring Boot's Redis auto-configuration), without a password.
     */
    public String[] applicationConnectionProperties() {
        return new String[] {
            "litellm.cache.type=redis", "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port()
        };
    }

    /** The TLS port of a server {@linkplain #launchWithTls launched with TLS}. */
    public int tlsPort() {
        return this.tlsPort;
    }

    /** The PEM certificate that a server {@linkplain #launchWithTls launched with TLS} presents, for clients to trust. */
    public Path certificate() {
        if (this.tls == null) {
            throw new IllegalStateException("redis-server on port " + this.port + " was launched without TLS");
        }
        return this.tls.certificate();
    }

    /**
     * The properties that put an application's cache on the TLS port of this server through the application's own
     * connection factory: {@code spring.data.redis.ssl.bundle} names a PEM bundle ({@link #SSL_BUNDLE}) that trusts
     * {@link #certificate()}.
     */
    public String[] tlsApplicationConnectionProperties() {
        return new String[] {
            "litellm.cache.type=redis",
            "spring.data.redis.host=127.0.0.1",
            "spring.data.redis.port=" + tlsPort(),
            "spring.data.redis.ssl.bundle=" + SSL_BUNDLE,
            "spring.ssl.bundle.pem." + SSL_BUNDLE + ".truststore.certificate=file:" + certificate()
        };
    }

    /** Starts the server (again) on its port and waits until it answers. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of(executable()));
        if (this.sentinelConfiguration != null) {
            command.addAll(List.of(this.sentinelConfiguration.toString(), "--sentinel"));
        }
        command.addAll(List.of("--port", String.valueOf(this.port)));
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(List.of("--dir", this.directory.toString()));
        if (this.tls != null) {
            command.addAll(List.of("--tls-port", String.valueOf(this.tlsPort), "--tls-auth-clients", "no"));
            command.addAll(List.of("--tls-cert-file", this.tls.certificate().toString()));
            command.addAll(List.of("--tls-key-file", this.tls.privateKey().toString()));
        }
        command.addAll(this.arguments);
        try {
            this.process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        awaitAnswer();
    }

    /** Stops the process, as an outage would. */
    public synchronized void stop() {
        if (this.process != null) {
            this.process.destroyForcibly();
            try {
                this.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.process = null;
        }
    }

    /** Freezes the process ({@code kill -STOP}): connections stay open and nothing is answered until {@link #resume()}. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Lets a {@link #pause() paused} process run again ({@code kill -CONT}); what it was sent meanwhile is answered. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (this.process == null) {
            throw new IllegalStateException("redis-server on port " + this.port + " is not running");
        }
        String pid = String.valueOf(this.process.pid());
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, pid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Commands on a connection of the test's own, made on first use with the {@code --requirepass}
     * password if there is one, kept across {@link #stop()} and {@link #start()} (it reconnects), and
     * closed with the server.
     */
    public synchronized RedisCommands<String, String> admin() {
        if (this.admin == null) {
            RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(this.port);
            int password = this.arguments.indexOf("--requirepass");
            if (password >= 0) {
                uri.withPassword(this.arguments.get(password + 1).toCharArray());
            }
            this.adminClient = RedisClient.create(uri.build());
            this.admin = this.adminClient.connect();
        }
        return this.admin.sync();
    }

    /**
     * How many times the server of {@code redis} has run {@code command}, named and counted as {@code INFO commandstats}
     * does ({@code set}, {@code cluster|nodes}).
     */
    public static long calls(RedisCommands<String, String> redis, String command) {
        return redis.info("commandstats")
                .lines()
                .filter(line -> line.startsWith("cmdstat_" + command + ":"))
                .mapToLong(line -> Long.parseLong(line.replaceFirst("^[^:]+:calls=(\\d+),.*", "$1")))
                .sum();
    }

    @Override
    public synchronized void close() {
        if (this.admin != null && this.adminClient != null) {
            this.admin.close();
            this.adminClient.shutdown();
            this.admin = null;
        }
        stop();
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket("127.0.0.1", this.port)) {
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                int first = in.read();
                if (first == '+' || first == '-') {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep();
        }
        throw new IllegalStateException("redis-server did not start on port " + this.port);
    }

    /**
     * Whether {@code redis-server} is on the PATH (the Debian package, built with TLS), rather than the fallback that
     * embedded-redis bundles.
     */
    public static boolean isInstalled() {
        return installed() != null;
    }

    private static @Nullable String installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "redis-server");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }

    private static String executable() {
        String installed = installed();
        if (installed != null) {
            return installed;
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        } catch (IOException ex) {
            throw new UncheckedIOException("no redis-server on the PATH and no embedded one", ex);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
