package io.github.socketdock.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration: a whole number with a unit, {@code ms}, {@code s}, {@code m} or {@code h}
 * ({@code 500ms}, {@code 5s}, {@code 2m}), or {@code 0}, which gives {@link Duration#ZERO} and
 * means "off" for the option that takes it. A number without a unit other than 0 is refused, so
 * that {@code 5} is never silently read as milliseconds or seconds. Whether 0 is allowed is up to the
 * option: a builder that needs a positive duration refuses it, and the command names the option.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        throw new TypeConversionException("'" + value
                + "' is not a duration (a whole number with ms, s, m or h, e.g. 500ms, 5s, 2m, or 0)");
    }

    /**
     * Writes a duration the way {@link #convert} reads it, in the largest unit that holds it
     * exactly: {@code 0}, {@code 50ms}, {@code 30s}, {@code 1m}, {@code 1h}. Used to show the
     * library's default durations in {@code --help}.
     *
     * @param duration zero or positive, a whole number of milliseconds
     * @return the text, which {@link #convert} reads back to {@code duration}
     * @throws IllegalArgumentException for a negative duration or one finer than a millisecond
     */
    static String format(Duration duration) {
        if (duration.isNegative() || duration.toNanosPart() % 1_000_000 != 0) {
            throw new IllegalArgumentException("cannot write " + duration + " as a duration option");
        }
        long ms = duration.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
