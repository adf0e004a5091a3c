/** The OpenAI-compatible HTTP API: routes, request reading, cache headers and error bodies. */
@NullMarked
package io.github.litellmcache.sample.web;

import org.jspecify.annotations.NullMarked;
