package io.github.litellmcache.sample.coldstart;

import java.util.Arrays;
import java.util.List;

/**
 * The quick start on S3 through the cache's dedicated client ({@code litellm.cache.s3.*}), built with
 * the HTTP client that {@code spring-cloud-aws-starter-s3} brings, against s3proxy.
 */
class S3DedicatedClientColdStartTests extends S3QuickStartAfterColdStart {

    @Override
    List<String> arguments() {
        return Arrays.stream(s3.cacheProperties())
                .map(property -> "--" + property)
                .toList();
    }
}
