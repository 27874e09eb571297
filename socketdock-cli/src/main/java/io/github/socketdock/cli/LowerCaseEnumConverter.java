package io.github.socketdock.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an enum option by its constants' names in lower case, case-insensitive; refuses any other
 * value naming the ones it accepts: {@code 'x' is not a backend (loopback or http)}.
 *
 * @param <E> the enum
 */
abstract class LowerCaseEnumConverter<E extends Enum<E>> implements ITypeConverter<E> {

    private final Class<E> type;
    private final String noun;

    LowerCaseEnumConverter(Class<E> type, String noun) {
        this.type = type;
        this.noun = noun;
    }

    @Override
    public E convert(String value) {
        String wanted = value.strip().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return e;
            }
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        String choices = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        throw new TypeConversionException("'" + value + "' is not a " + noun + " (" + choices + ")");
    }
}
