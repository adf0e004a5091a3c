package io.github.litellmcache.testsupport;

/**
 * A {@link RedisSentinel} for the tests of one class, registered as a static {@code @RegisterExtension} field: see
 * {@link ServerPerClassExtension}.
 */
public final class RedisSentinelExtension extends ServerPerClassExtension<RedisSentinel> {

    @Override
    protected RedisSentinel launch() {
        return RedisSentinel.start();
    }

    @Override
    protected void empty(RedisSentinel sentinel) {
        sentinel.flushAll();
    }

    /** See {@link RedisSentinel#sentinels()}. */
    public String sentinels() {
        return server().sentinels();
    }

    /** See {@link RedisSentinel#master()}. */
    public RedisServer master() {
        return server().master();
    }

    /** See {@link RedisSentinel#stopMaster()}. */
    public int stopMaster() {
        return server().stopMaster();
    }

    /** See {@link RedisSentinel#failOver()}. */
    public int failOver() {
        return server().failOver();
    }

    /** See {@link RedisSentinel#awaitFailover(int)}. */
    public void awaitFailover(int oldPort) {
        server().awaitFailover(oldPort);
    }
}
