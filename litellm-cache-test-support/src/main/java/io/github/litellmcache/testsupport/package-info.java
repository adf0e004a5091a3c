/**
 * Real servers for tests, started in-process or as child processes on free loopback ports: the OpenAI wire-format
 * fake, redis-server (a single server or a cluster) and s3proxy. Each can be stopped and started again, to simulate
 * an outage.
 */
@NullMarked
package io.github.litellmcache.testsupport;

import org.jspecify.annotations.NullMarked;
