package io.presence.signaling.app;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.Objects;

/**
 * Where {@code --config FILE} may stand. {@code --help} shows it before the command ({@code presence -c FILE
 * serve}) and every command that reads configuration takes it after its name too; both mean the same. A file that
 * was named must be read, so it is a usage error (exit 2) to name it for a command that reads no configuration
 * ({@code presence -c FILE version}), or to name two different files in the two places.
 *
 * <p>A command reads configuration when it has a {@code --config} option of its own; the file named before it is
 * handed to that option.
 */
final class ConfigPlacement {

    static final String OPTION = "--config";

    private ConfigPlacement() {
    }

    /** Applies the file named before the command to the command; throws a usage error when it cannot be. */
    static void reconcile(ParseResult parsed) {
        ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        if (command == parsed || helpRequested(parsed)) {
            return;
        }
        OptionSpec before = parsed.matchedOption(OPTION);
        if (before == null) {
            return;
        }
        Object file = before.getValue();
        String name = command.commandSpec().name();
        CommandLine at = command.commandSpec().commandLine();
        OptionSpec own = command.commandSpec().findOption(OPTION);
        if (own == null) {
            throw new CommandLine.ParameterException(at, "presence " + name + " reads no configuration file, "
                    + "but --config " + file + " was given; remove it");
        }
        OptionSpec after = command.matchedOption(OPTION);
        if (after == null) {
            own.setValue(file);
        } else if (!Objects.equals(after.getValue(), file)) {
            throw new CommandLine.ParameterException(at, "--config is given twice with different files ("
                    + file + " before " + name + ", " + after.getValue() + " after it); name one");
        }
    }

    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.hasSubcommand() ? p.subcommand() : null) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }
}
