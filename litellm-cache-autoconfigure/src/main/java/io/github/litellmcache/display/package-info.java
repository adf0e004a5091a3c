/** How values are shown to people (endpoint, health, logs, failure messages): secrets masked, enums and durations as in properties. */
@NullMarked
package io.github.litellmcache.display;

import org.jspecify.annotations.NullMarked;
