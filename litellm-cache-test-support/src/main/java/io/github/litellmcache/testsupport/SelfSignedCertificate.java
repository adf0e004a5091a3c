package io.github.litellmcache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost}, with its private key, as PEM files made by the
 * JDK's {@code keytool}: what a TLS server of the tests presents, and what its clients trust.
 *
 * @param certificate the certificate, PEM
 * @param privateKey the unencrypted PKCS #8 private key, PEM
 */
record SelfSignedCertificate(Path certificate, Path privateKey) {

    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    /** A new certificate and key in {@code directory}. */
    static SelfSignedCertificate in(Path directory) {
        Path store = directory.resolve("tls.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "tls",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(STORE_PASSWORD));
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, STORE_PASSWORD);
            Key key = keys.getKey("tls", STORE_PASSWORD);
            SelfSignedCertificate made =
                    new SelfSignedCertificate(directory.resolve("tls.crt"), directory.resolve("tls.key"));
            Files.writeString(
                    made.certificate(),
                    pem("CERTIFICATE", keys.getCertificate("tls").getEncoded()));
            Files.writeString(made.privateKey(), pem("PRIVATE KEY", key.getEncoded()));
            return made;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + String.join(" ", arguments));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
