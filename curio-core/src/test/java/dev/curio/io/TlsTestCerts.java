package dev.curio.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made for this test run by the {@code keytool} of the JDK
 * running the tests (an EC key, valid two days, for the names "localhost" and 127.0.0.1), and the
 * contexts that use it: a server presenting it, a client trusting only it. Made once per JVM; the
 * key store file is deleted as soon as it is loaded. No certificate comes from anywhere else.
 */
public final class TlsTestCerts {

    private static final char[] PASSWORD = "test-only-password".toCharArray();
    private static volatile TlsTestCerts instance;

    public final KeyStore keyStore;
    public final X509Certificate certificate;

    private TlsTestCerts(KeyStore keyStore) throws KeyStoreException {
        this.keyStore = keyStore;
        this.certificate = (X509Certificate) keyStore.getCertificate("server");
    }

    /** The run's certificate (generated on first use; call it outside a kernel, it runs a process). */
    public static TlsTestCerts get() {
        TlsTestCerts c = instance;
        if (c == null) {
            synchronized (TlsTestCerts.class) {
                if (instance == null) {
                    instance = generate();
                }
                c = instance;
            }
        }
        return c;
    }

    /** A server context presenting the certificate. */
    public SSLContext serverContext() {
        return SslContexts.server(keyStore, PASSWORD);
    }

    /** A client context trusting only the certificate. */
    public SSLContext clientContext() {
        return SslContexts.client(List.of(certificate));
    }

    private static TlsTestCerts generate() {
        try {
            Path dir = Files.createTempDirectory("curio-tls-test");
            Path store = dir.resolve("server.p12");
            String pw = new String(PASSWORD);
            Process p = new ProcessBuilder(keytool(), "-genkeypair", "-alias", "server",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", pw, "-keypass", pw)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
            KeyStore ks = SslContexts.loadKeyStore(store, PASSWORD);
            Files.delete(store);
            Files.delete(dir);
            return new TlsTestCerts(ks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException | KeyStoreException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keytool beside the java running this JVM. */
    private static String keytool() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path kt = javaHome.resolve("bin").resolve("keytool");
        if (Files.isExecutable(kt)) {
            return kt.toString();
        }
        return ProcessHandle.current().info().command()
                .map(java -> Path.of(java).resolveSibling("keytool").toString())
                .orElseThrow(() -> new IllegalStateException("no keytool beside " + javaHome));
    }
}
