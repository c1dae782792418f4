package io.presence.signaling.app;

import io.presence.signaling.app.config.ConfigException;
import io.presence.signaling.app.config.PresenceConfig;
import io.presence.signaling.app.config.SignInConfig;
import io.presence.signaling.runtime.TimeSource;
import io.presence.signaling.signin.TokenMinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code presence token --user alice --name Alice --ttl 1h [--room ID] [--admin] [--role ROOM=ROLE]...}: mints a sign-in token (HS256,
 * hello.auth provider {@code jwt}) with the configuration and data directory {@code serve} uses, so the running
 * server accepts it; the key is generated there if this runs first. Prints only the token, so that
 * {@code TOKEN=$(presence token ...)} works.
 *
 * <p>Exit codes: 0 printed, 2 bad input or configuration (one line on stderr), 1 the data directory failed.
 * The options are checked here rather than by picocli, so that every refusal is one line.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Print a sign-in token (hello.auth provider jwt) that this server accepts.")
final class TokenCommand implements Callable<Integer> {

    @CommandLine.Mixin
    Main.ConfigOption config;

    @Option(names = "--user", paramLabel = "ID", description = "User id (sub): 1..64 letters, digits, '.', '_', "
            + "'-' or '@'.")
    String user;

    @Option(names = "--name", paramLabel = "NAME", description = "Display name (name): 1..64 characters.")
    String name;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Lifetime, e.g. 30m, 1h (at most auth.jwt.maxTtl).")
    String ttl;

    @Option(names = "--room", paramLabel = "ID", description = "Limit the token to this room (it may create none).")
    String room;

    @Option(names = "--admin", description = "Make the holder a server admin.")
    boolean admin;

    @Option(names = "--role", paramLabel = "ROOM=ROLE", description = "Grant a role (owner, admin or member) in a "
            + "room; repeatable. Joining that persistent room makes the holder a member with the role.")
    java.util.Map<String, String> roles = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() {
        return run(System.out, System.err);
    }

    int run(PrintStream out, PrintStream err) {
        try {
            if (user == null || name == null || ttl == null) {
                throw new ConfigException("presence token", null, "needs --user, --name and --ttl",
                        "presence token --user ID --name NAME --ttl DURATION [--room ID] [--admin] [--role ROOM=ROLE]...");
            }
            Duration lifetime = SignInConfig.duration(ttl);
            PresenceConfig loaded = config == null ? new Main.ConfigOption().load() : config.load();
            Optional<TokenSignIn> tokens = TokenSignIn.open(loaded, DataDirectory.open(loaded.server().dataDir()));
            if (tokens.isEmpty()) {
                err.println("presence token: signed-token sign-in is off (auth.jwt.enabled: false)");
                return Main.EXIT_CONFIG;
            }
            TokenMinter minter = tokens.get().minter(loaded, TimeSource.SYSTEM);
            out.println(minter.mint(user, name, lifetime, room, admin, roles));
            out.flush();
            return Main.EXIT_OK;
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return Main.EXIT_CONFIG;
        } catch (TokenMinter.RefusedException e) {
            err.println("presence token: " + e.getMessage());
            return Main.EXIT_CONFIG;
        } catch (IOException e) {
            err.println("presence token: data directory: " + e.getMessage());
            return Main.EXIT_START_FAILED;
        }
    }
}
