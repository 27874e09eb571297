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
 * that {@code 5} is never silently read as milliseconds or seconds.
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
                + "' is not a duration (a whole number with ms, s, m or h, e.g. 500ms, 5s, 2m; 0 for off)");
    }
}
