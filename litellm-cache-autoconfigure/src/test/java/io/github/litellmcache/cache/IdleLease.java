package io.github.litellmcache.cache;

/** A fleet lease granted by a test's {@link FleetLeases}, with nothing to do when held or released. */
final class IdleLease implements FleetLeases.Lease {

    @Override
    public void hold() {}

    @Override
    public void release() {}
}
