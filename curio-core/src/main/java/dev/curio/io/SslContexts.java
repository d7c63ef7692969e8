package dev.curio.io;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Ready-made {@link SSLContext}s for {@link TlsSocket} and the TLS forms of
 * {@link dev.curio.net.Network} (Curio's {@code ssl.create_default_context} and
 * {@code load_cert_chain}): a client trusting the JDK's CA certificates or given ones, a server
 * with the key and certificate chain of a key store. Stateless; the contexts are thread-safe.
 */
public final class SslContexts {

    private SslContexts() {}

    /** A client context trusting the JDK's default CA certificates ({@code ssl=True} in Curio). */
    public static SSLContext defaultClient() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** A client context trusting exactly the certificates of {@code trustStore}. */
    public static SSLContext client(KeyStore trustStore) {
        Objects.requireNonNull(trustStore, "trustStore");
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, tmf.getTrustManagers(), null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make a TLS client context from trustStore: " + e.getMessage(), e);
        }
    }

    /** A client context trusting exactly {@code trusted} (e.g. a self-signed server certificate). */
    public static SSLContext client(Collection<X509Certificate> trusted) {
        Objects.requireNonNull(trusted, "trusted");
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("trusted must hold at least one certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (X509Certificate c : trusted) {
                ks.setCertificateEntry("trusted-" + i++, Objects.requireNonNull(c, "trusted certificate"));
            }
            return client(ks);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot hold the trusted certificates: " + e.getMessage(), e);
        }
    }

    /**
     * A server context presenting the key and certificate chain in {@code keyStore} (which should
     * hold one key entry), unlocked with {@code password}.
     */
    public static SSLContext server(KeyStore keyStore, char[] password) {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(password, "password");
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, password);
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(kmf.getKeyManagers(), null, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make a TLS server context from keyStore: " + e.getMessage(), e);
        }
    }

    /** {@link #server(KeyStore, char[])} with the PKCS#12 (or JKS) key store file at {@code path}. */
    public static SSLContext server(Path path, char[] password) throws IOException {
        return server(loadKeyStore(path, password), password);
    }

    /** Loads the key store file at {@code path} (its type detected: PKCS#12 or JKS). */
    public static KeyStore loadKeyStore(Path path, char[] password) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(password, "password");
        try {
            return KeyStore.getInstance(path.toFile(), password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the key store " + path + ": " + e.getMessage(), e);
        }
    }
}
