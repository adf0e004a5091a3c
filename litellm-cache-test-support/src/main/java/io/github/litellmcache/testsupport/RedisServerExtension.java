package io.github.litellmcache.testsupport;

import io.lettuce.core.api.sync.RedisCommands;

/**
 * A {@link RedisServer} for the tests of one class, registered as a static {@code @RegisterExtension} field: see
 * {@link ServerPerClassExtension}.
 */
public final class RedisServerExtension extends ServerPerClassExtension<RedisServer> implements StoppableStore {

    private final String[] arguments;

    /** A server started with extra arguments such as {@code --requirepass secret}. */
    public RedisServerExtension(String... arguments) {
        this.arguments = arguments.clone();
    }

    @Override
    protected RedisServer launch() {
        return RedisServer.launch(this.arguments);
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
