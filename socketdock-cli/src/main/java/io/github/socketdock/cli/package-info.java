/**
 * The {@code socketdock} command line: picocli options, each mapped to one call on
 * {@link io.github.socketdock.SocketDock.Builder} or
 * {@link io.github.socketdock.http.HttpBackendOptions.Builder}, plus the logging binding.
 *
 * <p>Conventions every option follows, so that later options read the same:
 * <ul>
 *   <li>every option can also be set by an environment variable {@code SOCKETDOCK_<NAME>}
 *       ({@link io.github.socketdock.cli.EnvDefaultProvider}); a flag beats the variable;</li>
 *   <li>durations are written {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, and {@code 0}
 *       means off where the builder allows it; where the builder needs a positive duration it
 *       refuses 0 and the error names the option ({@link io.github.socketdock.cli.DurationConverter});</li>
 *   <li>sizes are bytes, or a number with {@code KiB}, {@code MiB} or {@code GiB}
 *       ({@link io.github.socketdock.cli.SizeConverter});</li>
 *   <li>counts are whole numbers, {@code 0} meaning unlimited
 *       ({@link io.github.socketdock.cli.CountConverter}); a number whose 0 means something else
 *       (no retries) is passed as is ({@link io.github.socketdock.cli.WholeNumberConverter});</li>
 *   <li>a default that is a library constant is taken from it, never copied
 *       ({@link io.github.socketdock.cli.LibraryDefaults});</li>
 *   <li>a bad option or value prints one line {@code socketdock: ...} naming the option and exits
 *       with 2 ({@link io.github.socketdock.cli.OneLineErrorHandler}).</li>
 * </ul>
 */
package io.github.socketdock.cli;
