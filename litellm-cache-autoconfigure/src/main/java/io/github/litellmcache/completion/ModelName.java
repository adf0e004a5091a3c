package io.github.litellmcache.completion;

import org.jspecify.annotations.Nullable;

/**
 * A model as a request names it, split at its provider prefix: {@code azure/my-deployment} is the prefix
 * {@code azure} and the name {@code my-deployment}; {@code gpt-4o} has no prefix.
 *
 * @param prefix the provider prefix, or null when there is none
 * @param name the model (or Azure deployment) without the prefix
 */
record ModelName(@Nullable String prefix, String name) {

    static ModelName parse(String model) {
        int slash = model.indexOf('/');
        return (slash > 0)
                ? new ModelName(model.substring(0, slash), model.substring(slash + 1))
                : new ModelName(null, model);
    }
}
