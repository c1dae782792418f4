package io.presence.signaling.app;

import io.presence.signaling.app.config.Secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The appliance's data directory: the embedded database and the secrets it generated for itself when
 * none were configured, so that a zero-configuration start keeps the same TURN secret and token key
 * across restarts. Files are created owner-only.
 */
public final class DataDirectory {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final int SECRET_BYTES = 32;

    private final Path root;

    private DataDirectory(Path root) {
        this.root = root;
    }

    /** Creates the directory (owner-only) if it does not exist. */
    public static DataDirectory open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("data directory " + dir + " is not writable");
        }
        return new DataDirectory(dir);
    }

    public Path root() {
        return root;
    }

    /**
     * The secret kept in {@code secrets/<name>}, generated (256 random bits) on first use. Concurrent
     * first starts agree on one value: the file is created exclusively and the loser reads the winner's.
     */
    public Secret secret(String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad secret name " + name);
        }
        Path dir = root.resolve("secrets");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
        }
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(bytes);
            String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Path tmp = Files.createTempFile(dir, name, ".tmp");
            try {
                restrict(tmp, "rw-------");
                Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // another process generated it first; use theirs
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String value = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
            throw new IOException("secret file " + file + " is empty; delete it to generate a new one");
        }
        return new Secret(value, "generated in " + file);
    }

    private static void restrict(Path path, String perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems keep their default permissions
        }
    }
}
