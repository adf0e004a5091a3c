package io.github.litellmcache.cache.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanCursor;
import org.springframework.data.redis.core.ScanIteration;
import org.springframework.data.redis.core.ScanOptions;

/**
 * {@code SCAN} of the master of a connection that may read replicas ({@code spring.data.redis.lettuce.read-from}):
 * each page is asked by a script, which the client sends to the master as it does every write, while it may send a
 * plain {@code SCAN} to a replica that has not received the newest keys (its replication lag, or a link down).
 */
final class MasterScan {

    private static final byte[] SCAN_PAGE = "return redis.call('SCAN', ARGV[1], 'MATCH', ARGV[2], 'COUNT', ARGV[3])"
            .getBytes(StandardCharsets.US_ASCII);

    private MasterScan() {}

    /** The keys matching {@code options} on the master of {@code redis}. */
    static Cursor<byte[]> of(RedisConnection redis, ScanOptions options) {
        byte[] pattern = options.getBytePattern();
        byte[] count = String.valueOf(options.getCount()).getBytes(StandardCharsets.US_ASCII);
        return new ScanCursor<byte[]>(options) {
            @Override
            protected ScanIteration<byte[]> doScan(CursorId cursorId, ScanOptions ignored) {
                List<Object> page = redis.scriptingCommands()
                        .eval(
                                SCAN_PAGE,
                                ReturnType.MULTI,
                                0,
                                cursorId.getCursorId().getBytes(StandardCharsets.US_ASCII),
                                pattern,
                                count);
                @SuppressWarnings("unchecked")
                List<byte[]> keys = (List<byte[]>) page.get(1);
                return new ScanIteration<>(
                        CursorId.of(new String((byte[]) page.get(0), StandardCharsets.US_ASCII)), keys);
            }
        }.open();
    }
}
