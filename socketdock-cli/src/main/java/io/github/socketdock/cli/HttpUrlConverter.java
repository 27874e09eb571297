package io.github.socketdock.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads an absolute {@code http://} or {@code https://} URL with a host. */
final class HttpUrlConverter implements ITypeConverter<URI> {

    @Override
    public URI convert(String value) {
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme();
            if (uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // refused below with the same message as any other non-URL
        }
        throw new TypeConversionException("'" + value + "' is not an absolute http:// or https:// URL");
    }
}
