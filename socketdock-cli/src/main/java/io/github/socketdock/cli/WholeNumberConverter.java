package io.github.socketdock.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a plain whole number, 0 or more, and gives it as is. Unlike {@link CountConverter}, 0 is
 * not turned into "unlimited": what 0 means is the option's (no retries for
 * {@code --backend-retries}; unlimited for {@code --max-connections}, because the builder itself
 * takes 0 so), and its description says so.
 */
final class WholeNumberConverter implements ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        String v = value.strip();
        if (v.matches("\\d{1,10}")) {
            long n = Long.parseLong(v);
            if (n <= Integer.MAX_VALUE) {
                return (int) n;
            }
            throw new TypeConversionException("'" + value + "' is too large a number (at most "
                    + Integer.MAX_VALUE + ")");
        }
        throw new TypeConversionException("'" + value + "' is not a whole number (0 or more)");
    }
}
