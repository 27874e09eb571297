package io.github.socketdock.internal.net;

import io.github.socketdock.Keystore;
import io.github.socketdock.SocketDockException;
import io.github.socketdock.internal.common.LimitedLog;
import io.github.socketdock.internal.common.Secrets;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** TLS for the listeners and for the backend client, from PKCS12 keystores: the one reader of their passwords. */
public final class Tls {

    private Tls() {
    }

    /**
     * @param proxyProtocol null, or where connections refused for their PROXY protocol header are
     *     told: every connection then starts with a PROXY protocol header, read before TLS
     * @param tls the keystore to serve HTTPS with, or null for plain HTTP
     * @return a connector serving plain HTTP, or HTTPS with {@code tls}
     */
    public static ServerConnector connector(Server server, HttpConfiguration http, Keystore tls, LimitedLog proxyProtocol) {
        List<ConnectionFactory> chain = new ArrayList<>();
        if (proxyProtocol != null) {
            chain.add(ClientAddress.proxyProtocol(proxyProtocol));
        }
        if (tls == null) {
            chain.add(new HttpConnectionFactory(http));
            return new ServerConnector(server, chain.toArray(ConnectionFactory[]::new));
        }
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients reach a relay by IP address as often as by name; the certificate is checked by them
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.file().toString());
        ssl.setKeyStorePassword(Secrets.secret(tls));
        ssl.setKeyStoreType("PKCS12");
        chain.add(new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()));
        chain.add(new HttpConnectionFactory(https));
        return new ServerConnector(server, chain.toArray(ConnectionFactory[]::new));
    }

    /**
     * Loads a PKCS12 file once, so a wrong password or file fails at start with a clear message
     * (which never shows the password).
     */
    public static void check(String what, Keystore keystore) {
        try (InputStream in = Files.newInputStream(keystore.file())) {
            KeyStore.getInstance("PKCS12").load(in, Secrets.secret(keystore).toCharArray());
        } catch (Exception e) {
            throw new SocketDockException("cannot read the " + what + " " + keystore.file()
                    + ": wrong password, or not a PKCS12 file (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** @return the client TLS settings for an https backend: its truststore and keystore, if given */
    public static SslContextFactory.Client client(io.github.socketdock.http.HttpBackendOptions options) {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        options.trustStore().ifPresent(store -> {
            check("backend truststore", store);
            ssl.setTrustStorePath(store.file().toString());
            ssl.setTrustStorePassword(Secrets.secret(store));
            ssl.setTrustStoreType("PKCS12");
        });
        options.keyStore().ifPresent(store -> {
            check("backend keystore", store);
            ssl.setKeyStorePath(store.file().toString());
            ssl.setKeyStorePassword(Secrets.secret(store));
            ssl.setKeyStoreType("PKCS12");
        });
        return ssl;
    }
}
