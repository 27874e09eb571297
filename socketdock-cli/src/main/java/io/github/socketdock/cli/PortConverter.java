package io.github.socketdock.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a TCP port number, 0 to 65535 (0 lets the system pick a free one). */
final class PortConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String v = value.strip();
        if (v.matches("\\d{1,5}")) {
            int port = Integer.parseInt(v);
            if (port <= 65535) {
                return port;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a port number (0-65535)");
    }
}
