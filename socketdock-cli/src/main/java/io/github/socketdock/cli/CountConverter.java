package io.github.socketdock.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a count: a whole number, where {@code 0} means unlimited and is given as
 * {@link #UNLIMITED} ({@link Integer#MAX_VALUE}), so the builder receives a plain bound.
 */
final class CountConverter implements ITypeConverter<Integer> {

    /** What {@code 0} converts to: no practical bound. */
    static final int UNLIMITED = Integer.MAX_VALUE;

    @Override
    public Integer convert(String value) {
        String v = value.strip();
        if (v.matches("\\d{1,10}")) {
            long n = Long.parseLong(v);
            if (n == 0) {
                return UNLIMITED;
            }
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
            throw new TypeConversionException("'" + value + "' is too large a count (at most "
                    + Integer.MAX_VALUE + "; 0 for unlimited)");
        }
        throw new TypeConversionException("'" + value + "' is not a count (a whole number; 0 for unlimited)");
    }
}
