/**
 * Real servers for tests, started in-process or as child processes on free loopback ports: the OpenAI wire-format
 * fake, redis-server (a single server or a cluster) and s3proxy. Each can be stopped and started again, to simulate
 * an outage; redis-server can also be paused, and {@link io.github.litellmcache.testsupport.FaultyTcpProxy} puts
 * hangs and cut connections between a client and any of them.
 */
@NullMarked
package io.github.litellmcache.testsupport;

import org.jspecify.annotations.NullMarked;
