package io.github.socketdock.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code host:port} (an IPv6 host in brackets, {@code [::1]:8765}) and gives the URL
 * {@code http://host:port}, as the original SocketDock's {@code --externalhostandport} means it.
 */
final class HostAndPortConverter implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        String v = value.strip();
        int colon = v.lastIndexOf(':');
        if (colon > 0 && v.substring(colon + 1).matches("\\d{1,5}")
                && Integer.parseInt(v.substring(colon + 1)) <= 65535) {
            try {
                URI uri = new URI("http://" + v);
                if (uri.getHost() != null && uri.getPort() > 0 && uri.getRawPath().isEmpty()) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // refused below
            }
        }
        throw new TypeConversionException("'" + value + "' is not host:port (e.g. socketdock.example.com:8765)");
    }
}
