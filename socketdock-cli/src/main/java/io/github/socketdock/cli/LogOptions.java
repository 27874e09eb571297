package io.github.socketdock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * How SocketDock logs: the "Logging" help topic, and {@link #apply} setting it up before anything
 * is logged, in this order: {@code --log-config} (a Logback configuration replacing the shipped
 * one), {@code --log-format} (on the shipped stderr appender), {@code --log-level}, and
 * {@code --log-file} (an appender more, in the same format).
 *
 * <p>The original SocketDock took a Python logging configuration (YAML) for {@code --log-config}:
 * such a file, or any file that is not a Logback configuration, gets one warning and is ignored,
 * so its compose files run unchanged.
 */
final class LogOptions {

    /** Name of the appender {@code --log-file} adds. */
    static final String FILE_APPENDER = "FILE";

    @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "INFO", converter = LogLevelConverter.class,
            description = "TRACE, DEBUG, INFO, WARN(ING), ERROR or CRITICAL.")
    Level level;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", converter = LogFormat.Converter.class,
            description = "text, or json: one object per line (@timestamp, level, message, connection_id, …).")
    LogFormat format;

    @Option(names = "--log-file", paramLabel = "<file>",
            description = "Also write the log to this file.")
    Path file;

    @Option(names = "--log-config", paramLabel = "<file.xml>",
            description = "A Logback configuration file (any other file is ignored with a warning).")
    Path config;

    /**
     * Sets logging up.
     *
     * @param levelGiven whether {@code --log-level} (or its variable) was given; with a
     *                   {@code --log-config}, an unset level leaves the configuration's levels alone
     * @return warnings to log once logging is set up (a {@code --log-config} ignored, and why)
     * @throws IOException if the {@code --log-file} cannot be opened for writing
     */
    List<String> apply(boolean levelGiven) throws IOException {
        List<String> warnings = new ArrayList<>();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return warnings; // another SLF4J binding: nothing to set
        }
        boolean configured = false;
        if (config != null) {
            String refused = configure(context, config);
            if (refused == null) {
                configured = true;
            } else {
                warnings.add("--log-config " + config + " ignored: " + refused);
            }
        }
        format.apply(context);
        if (!configured || levelGiven) {
            LogLevels.setRoot(level);
        }
        if (file != null) {
            addFile(context);
        }
        return warnings;
    }

    /** @return null once configured by {@code path}; else why not (the shipped configuration is then back) */
    private static String configure(LoggerContext context, Path path) {
        String notLogback = notLogback(path);
        if (notLogback != null) {
            return notLogback;
        }
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        long since = System.currentTimeMillis(); // Logback dates its statuses by the wall clock: not a time rule
        String failed = null;
        try {
            joran.doConfigure(path.toFile());
        } catch (JoranException e) {
            failed = e.getMessage();
        }
        StatusUtil statuses = new StatusUtil(context);
        if (failed == null && statuses.getHighestLevel(since) >= Status.ERROR) {
            failed = firstError(context, since);
        }
        if (failed != null) {
            restoreShipped(context);
            return "Logback could not apply it (" + failed + ")";
        }
        return null;
    }

    /** @return why the file is not a Logback configuration (an XML document whose root is configuration), or null */
    private static String notLogback(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            factory.setNamespaceAware(false);
            javax.xml.parsers.DocumentBuilder parser = factory.newDocumentBuilder();
            parser.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws, and prints nothing on stderr
            String root = parser.parse(in).getDocumentElement().getTagName();
            return "configuration".equalsIgnoreCase(root) ? null
                    : "not a Logback configuration (its root element is <" + root + ">, not <configuration>)";
        } catch (IOException e) {
            return "cannot read it (" + e.getMessage() + ")";
        } catch (Exception e) {
            return "not a Logback configuration (not XML: a Python logging YAML is not read here)";
        }
    }

    private static String firstError(LoggerContext context, long since) {
        return context.getStatusManager().getCopyOfStatusList().stream()
                .filter(s -> s.getDate() >= since && s.getEffectiveLevel() >= Status.ERROR)
                .map(Status::getMessage).findFirst().orElse("an error");
    }

    private static void restoreShipped(LoggerContext context) {
        context.reset();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        URL shipped = LogOptions.class.getResource("/logback.xml");
        try {
            joran.doConfigure(shipped);
        } catch (JoranException e) {
            throw new IllegalStateException("the shipped logback.xml does not configure", e);
        }
    }

    /** Adds the file appender to the root logger, after checking the file can be written. */
    private void addFile(LoggerContext context) throws IOException {
        try (OutputStream probe = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            probe.flush();
        }
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName(FILE_APPENDER);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(format.encoder(context));
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }
}
