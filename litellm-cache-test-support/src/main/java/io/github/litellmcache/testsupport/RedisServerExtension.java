package io.github.litellmcache.testsupport;

import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.Assumptions;

/**
 * A {@link RedisServer} for the tests of one class, registered as a static {@code @RegisterExtension} field: see
 * {@link ServerPerClassExtension}.
 */
public final class RedisServerExtension extends ServerPerClassExtension<RedisServer> implements StoppableStore {

    private final String[] arguments;

    private final boolean tls;

    /** A server started with extra arguments such as {@code --requirepass secret}. */
    public RedisServerExtension(String... arguments) {
        this(false, arguments);
    }

    private RedisServerExtension(boolean tls, String... arguments) {
        this.arguments = arguments.clone();
        this.tls = tls;
    }

    /** A server that also listens with TLS: see {@link RedisServer#launchWithTls}. */
    public static RedisServerExtension withTls(String... arguments) {
        return new RedisServerExtension(true, arguments);
    }

    /** A server with TLS needs the installed {@code redis-server}: its tests are skipped on the fallback. */
    @Override
    protected RedisServer launch() {
        Assumptions.assumeTrue(
                !this.tls || RedisServer.isInstalled(), "TLS needs redis-server on the PATH (Debian's redis-server)");
        return this.tls ? RedisServer.launchWithTls(this.arguments) : RedisServer.launch(this.arguments);
    }

    @Override
    protected void empty(RedisServer server) {
        server.admin().flushall();
    }

    public int port() {
        return server().port();
    }

    /** See {@link RedisServer#cacheProperties()}. */
    public String[] cacheProperties() {
        return server().cacheProperties();
    }

    /** See {@link RedisServer#applicationConnectionProperties()}. */
    public String[] applicationConnectionProperties() {
        return server().applicationConnectionProperties();
    }

    /** See {@link RedisServer#tlsPort()}. */
    public int tlsPort() {
        return server().tlsPort();
    }

    /** See {@link RedisServer#tlsApplicationConnectionProperties()}. */
    public String[] tlsApplicationConnectionProperties() {
        return server().tlsApplicationConnectionProperties();
    }

    /** See {@link RedisServer#admin()}. */
    public RedisCommands<String, String> admin() {
        return server().admin();
    }

    /** See {@link RedisServer#stop()}. */
    @Override
    public void stop() {
        server().stop();
    }

    /** See {@link RedisServer#start()}. */
    @Override
    public void start() {
        server().start();
    }

    /** See {@link RedisServer#pause()}. */
    public void pause() {
        server().pause();
    }

    /** See {@link RedisServer#resume()}. */
    public void resume() {
        server().resume();
    }
}
