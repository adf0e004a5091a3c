package io.github.litellmcache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on a free loopback port that forwards every connection to a target port, and injects network faults
 * between a client and its server: {@link #pause()} stops forwarding while keeping connections open and accepting
 * new ones (a server or network that hangs), {@link #cut()} closes every connection and refuses new ones (a server
 * that is gone), {@link #restore()} ends either; {@link #dropConnections()} closes every connection only. Bytes held
 * during a pause are forwarded on {@link #restore()}, as a stalled network delivers them late. Two threads per
 * connection: meant for tests, not for load.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final int port = RedisServer.freePort();
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean paused;
    private @Nullable ServerSocket listener;

    private FaultyTcpProxy(int targetPort) {
        this.targetPort = targetPort;
    }

    /** A proxy forwarding to {@code targetPort} on the loopback interface, accepting connections. */
    public static FaultyTcpProxy forwardingTo(int targetPort) {
        FaultyTcpProxy proxy = new FaultyTcpProxy(targetPort);
        proxy.listen();
        return proxy;
    }

    /** The port clients connect to instead of the target's. */
    public int port() {
        return this.port;
    }

    /** Stops forwarding in both directions; connections stay open and new ones are accepted, then held. */
    public void pause() {
        synchronized (this.gate) {
            this.paused = true;
        }
    }

    /** Closes every connection and refuses new ones, until {@link #restore()}. */
    public synchronized void cut() {
        closeListener();
        dropConnections();
    }

    /** Closes every connection and goes on accepting new ones, as a server closes keep-alive connections left idle. */
    public synchronized void dropConnections() {
        this.sockets.forEach(FaultyTcpProxy::closeQuietly);
        this.sockets.clear();
    }

    /** Forwards again: held bytes flow, and new connections are accepted again after a {@link #cut()}. */
    public synchronized void restore() {
        if (this.listener == null) {
            listen();
        }
        synchronized (this.gate) {
            this.paused = false;
            this.gate.notifyAll();
        }
    }

    @Override
    public synchronized void close() {
        cut();
        synchronized (this.gate) {
            this.paused = false;
            this.gate.notifyAll();
        }
    }

    private synchronized void listen() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, this.port));
            this.listener = socket;
            daemon("proxy-accept-" + this.port, () -> accept(socket));
        } catch (IOException ex) {
            throw new UncheckedIOException("the fault proxy could not listen on port " + this.port, ex);
        }
    }

    private synchronized void closeListener() {
        if (this.listener != null) {
            closeQuietly(this.listener);
            this.listener = null;
        }
    }

    private void accept(ServerSocket listener) {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(LOOPBACK, this.targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                this.sockets.add(client);
                this.sockets.add(server);
                daemon("proxy-up-" + client.getPort(), () -> pump(client, server));
                daemon("proxy-down-" + client.getPort(), () -> pump(server, client));
            } catch (IOException closedOrRefused) {
                // the listener was closed by cut(), or the target refused: the client sees its connection end
            }
        }
    }

    /** Copies {@code from} to {@code to}, holding each read while paused; closes both at the end of either. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitForwarding();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            // a cut, or the other side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            this.sockets.remove(from);
            this.sockets.remove(to);
        }
    }

    private void awaitForwarding() throws InterruptedException {
        synchronized (this.gate) {
            while (this.paused) {
                this.gate.wait();
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort: the socket may already be gone
        }
    }
}
