package io.github.litellmcache.sample.coldstart;

import io.github.litellmcache.testsupport.S3ProxyServer;
import java.util.List;

/**
 * The quick start with the sample app's {@code s3} profile: the application's S3 client from Spring
 * Cloud AWS ({@code spring.cloud.aws.*}), with the bucket from {@code S3_BUCKET} and the endpoint from
 * {@code AWS_ENDPOINT_URL}, against s3proxy.
 */
class S3ProfileColdStartTests extends S3QuickStartAfterColdStart {

    @Override
    List<String> profiles() {
        return List.of("s3");
    }

    @Override
    List<String> arguments() {
        return List.of(
                "--S3_BUCKET=" + s3.bucket(),
                "--AWS_ENDPOINT_URL=" + s3.endpoint(),
                "--S3_PATH_STYLE=true",
                "--spring.cloud.aws.region.static=us-east-1",
                "--spring.cloud.aws.credentials.access-key=" + S3ProxyServer.ACCESS_KEY,
                "--spring.cloud.aws.credentials.secret-key=" + S3ProxyServer.SECRET_KEY);
    }
}
