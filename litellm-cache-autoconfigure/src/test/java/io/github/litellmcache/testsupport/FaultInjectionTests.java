package io.github.litellmcache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The faults the soak tests inject do what they claim, seen from a raw Redis connection: a paused redis-server and a
 * paused {@link FaultyTcpProxy} answer nothing until resumed, then answer what they were sent; a cut proxy closes
 * open connections and refuses new ones until restored.
 */
class FaultInjectionTests {

    /** Long enough for a loaded machine to answer a PING, short enough to call a silence a hang. */
    private static final int SILENCE_MILLIS = 1_000;

    @RegisterExtension
    static final RedisServerExtension server = new RedisServerExtension();

    @Test
    void pausedServerAnswersNothingUntilResumedThenAnswersWhatItWasSent() throws IOException {
        try (Socket socket = connect(server.port())) {
            server.pause();
            try {
                ping(socket);
                assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> reply(socket));
            } finally {
                server.resume();
            }
            assertThat(reply(socket)).isEqualTo("+PONG");
        }
    }

    @Test
    void pausedProxyForwardsNothingUntilRestoredThenForwardsWhatItHeld() throws IOException {
        try (FaultyTcpProxy proxy = FaultyTcpProxy.forwardingTo(server.port());
                Socket socket = connect(proxy.port())) {
            ping(socket);
            assertThat(reply(socket)).isEqualTo("+PONG");
            proxy.pause();
            ping(socket);
            assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> reply(socket));
            proxy.restore();
            assertThat(reply(socket)).isEqualTo("+PONG");
        }
    }

    @Test
    void cutProxyClosesConnectionsAndRefusesNewOnesUntilRestored() throws IOException {
        try (FaultyTcpProxy proxy = FaultyTcpProxy.forwardingTo(server.port());
                Socket socket = connect(proxy.port())) {
            proxy.cut();
            assertThat(endOfStreamOrReset(socket)).as("connection closed").isTrue();
            assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(proxy.port()));
            proxy.restore();
            try (Socket again = connect(proxy.port())) {
                ping(again);
                assertThat(reply(again)).isEqualTo("+PONG");
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(SILENCE_MILLIS);
        return socket;
    }

    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One line of the reply, without its CRLF. */
    private static String reply(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** Whether the connection was closed: an end of stream, or a reset when the close raced the data in flight. */
    private static boolean endOfStreamOrReset(Socket socket) {
        try {
            return socket.getInputStream().read() == -1;
        } catch (IOException reset) {
            return true;
        }
    }
}
