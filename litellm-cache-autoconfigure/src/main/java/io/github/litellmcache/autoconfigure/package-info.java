/** Auto-configuration of the cached {@code CompletionService} from {@code litellm.*} properties. */
@NullMarked
package io.github.litellmcache.autoconfigure;

import org.jspecify.annotations.NullMarked;
