package io.github.litellmcache.testsupport;

import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link RedisServer} for the tests of one class, registered as a static {@code @RegisterExtension} field: launched
 * before the class, emptied before each test and closed after the class.
 */
public final class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final String[] arguments;

    private @Nullable RedisServer server;

    /** A server started with extra arguments such as {@code --requirepass secret}. */
    public RedisServerExtension(String... arguments) {
        this.arguments = arguments.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.server = RedisServer.launch(this.arguments);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        admin().flushall();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server().close();
        this.server = null;
    }

    public int port() {
        return server().port();
    }

    /** See {@link RedisServer#admin()}. */
    public RedisCommands<String, String> admin() {
        return server().admin();
    }

    /** See {@link RedisServer#stop()}. */
    public void stop() {
        server().stop();
    }

    /** See {@link RedisServer#start()}. */
    public void start() {
        server().start();
    }

    private RedisServer server() {
        if (this.server == null) {
            throw new IllegalStateException(
                    "the Redis server runs from before the test class to after it: register the extension on a"
                            + " static field");
        }
        return this.server;
    }
}
