/**
 * Operations support, active when Micrometer or Actuator is on the classpath: the cache's meters
 * ({@link io.github.litellmcache.actuate.MicrometerCacheMetrics}), the {@code litellmcache}
 * endpoint ({@link io.github.litellmcache.actuate.LlmCacheEndpoint}) and the {@code litellmCache}
 * health contributor ({@link io.github.litellmcache.actuate.LlmCacheHealthIndicator}).
 */
@NullMarked
package io.github.litellmcache.actuate;

import org.jspecify.annotations.NullMarked;
