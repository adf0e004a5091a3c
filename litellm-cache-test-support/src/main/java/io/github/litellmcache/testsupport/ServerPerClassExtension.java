package io.github.litellmcache.testsupport;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server for the tests of one class, registered as a static {@code @RegisterExtension} field: launched before the
 * class (its {@code @Nested} classes share it), emptied between tests and closed after the class. The first test
 * meets a fresh server and no client of the test's own, so that a test of a cold start finds no client warmed up
 * before the application's.
 *
 * @param <S> the server
 */
public abstract class ServerPerClassExtension<S extends AutoCloseable>
        implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private @Nullable S server;

    private @Nullable String owner;

    private boolean fresh;

    /** A started server. */
    protected abstract S launch();

    /** Empties the server, for a test after the first. */
    protected abstract void empty(S server);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (this.server == null) {
            this.server = launch();
            this.owner = context.getUniqueId();
            this.fresh = true;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!this.fresh) {
            empty(server());
        }
        this.fresh = false;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getUniqueId().equals(this.owner)) {
            server().close();
            this.server = null;
            this.owner = null;
        }
    }

    /** The running server. */
    protected S server() {
        if (this.server == null) {
            throw new IllegalStateException(
                    "the server runs from before the test class to after it: register the extension on a static"
                            + " field");
        }
        return this.server;
    }
}
