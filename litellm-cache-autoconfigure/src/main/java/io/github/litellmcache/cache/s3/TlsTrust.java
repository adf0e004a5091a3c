package io.github.litellmcache.cache.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The trust managers of a {@code verify} CA bundle, for the dedicated client's HTTP client only, never the JVM's. */
final class TlsTrust {

    private TlsTrust() {}

    /** Trusts the certificates of a PEM bundle, and only them: {@code verify: <path>}. */
    static TrustManager[] caBundle(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(
                        "The CA bundle '" + pem + "' of litellm.cache.s3.verify (s3Verify) holds no PEM certificate.");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException ex) {
            throw new IllegalArgumentException(
                    "The CA bundle '" + pem + "' of litellm.cache.s3.verify (s3Verify) cannot be read: " + ex, ex);
        }
    }
}
