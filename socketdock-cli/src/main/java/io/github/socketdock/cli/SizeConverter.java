package io.github.socketdock.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a size in bytes: a whole number of bytes ({@code 4194304}, or {@code 4194304B}), or a
 * whole number with a binary unit {@code KiB}, {@code MiB} or {@code GiB} ({@code 4MiB}). Units
 * are case-insensitive; decimal units such as {@code MB} are refused because they are ambiguous.
 */
final class SizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*(b|kib|mib|gib)?");

    @Override
    public Long convert(String value) {
        Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long number = Long.parseLong(m.group(1));
                return Math.multiplyExact(number, unit(m.group(2)));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is too large a size");
            }
        }
        throw new TypeConversionException("'" + value
                + "' is not a size (bytes, or a whole number with KiB, MiB or GiB, e.g. 4MiB)");
    }

    /**
     * Writes a size the way {@link #convert} reads it, in the largest binary unit that holds it
     * exactly: {@code 100}, {@code 64KiB}, {@code 16MiB}, {@code 1GiB}. Used to show the library's
     * default sizes in {@code --help}.
     *
     * @param bytes zero or more
     * @return the text, which {@link #convert} reads back to {@code bytes}
     * @throws IllegalArgumentException for a negative size
     */
    static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("cannot write " + bytes + " as a size option");
        }
        if (bytes == 0) {
            return "0";
        }
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        return bytes % (1L << 10) == 0 ? (bytes >> 10) + "KiB" : String.valueOf(bytes);
    }

    private static long unit(String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (suffix) {
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            default -> 1;
        };
    }
}
