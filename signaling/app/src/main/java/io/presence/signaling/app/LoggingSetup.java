package io.presence.signaling.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.presence.signaling.app.config.PresenceConfig;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.Locale;

/**
 * Applies the {@code logging} section to Logback and routes java.util.logging (ice4j's) into SLF4J.
 * Called once by the CLI before the appliance starts; in-process tests leave logging as it is.
 */
final class LoggingSetup {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg"
            + "%replace(%ex{8}){'[\\r\\n]+\\s*', ' | '}%nopex%n";

    private LoggingSetup() {
    }

    static void apply(PresenceConfig.Logging config) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level().toUpperCase(Locale.ROOT)));
        for (String entry : config.levels()) {
            int eq = entry.indexOf('=');
            context.getLogger(entry.substring(0, eq)).setLevel(Level.toLevel(entry.substring(eq + 1)
                    .toUpperCase(Locale.ROOT)));
        }
        if (!config.file().isEmpty()) {
            root.addAppender(fileAppender(context, config));
        }
    }

    /**
     * For a tool whose stdout is its result ({@code loadtest}): the console appender writes to stderr, and only
     * warnings and errors, so the result can be piped or parsed.
     */
    static void forTool() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        if (root.getAppender("CONSOLE") instanceof ConsoleAppender<ILoggingEvent> console) {
            console.stop();
            console.setTarget("System.err");
            console.start();
        }
    }

    private static RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> fileAppender(
            LoggerContext context, PresenceConfig.Logging config) {
        RollingFileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(config.file());

        SizeAndTimeBasedRollingPolicy<ch.qos.logback.classic.spi.ILoggingEvent> policy =
                new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(config.file() + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(new FileSize(config.maxFileSize()));
        policy.setMaxHistory(config.maxHistory());
        policy.start();

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** Flushes and stops every appender; the last thing the process does. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
