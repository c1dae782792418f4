package io.presence.net;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code -----BEGIN TYPE-----} ... {@code -----END TYPE-----} block of a PEM file: its type, whether it
 * carries RFC 1421 headers (the traditional OpenSSL form writes {@code Proc-Type: 4,ENCRYPTED} there for an
 * encrypted key) and the decoded bytes. Text outside blocks ({@code openssl x509 -text} output, comments) is
 * ignored, as OpenSSL does.
 */
record PemBlock(String type, boolean encryptedHeader, byte[] der) {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** A block whose body is not base64. */
    static final class Malformed extends Exception {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    static List<PemBlock> parse(String text) throws Malformed {
        List<PemBlock> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : m.group(2).split("\\R")) {
                String l = line.strip();
                if (l.contains(":")) {
                    encrypted |= l.startsWith("Proc-Type:") && l.contains("ENCRYPTED");
                } else {
                    base64.append(l);
                }
            }
            try {
                blocks.add(new PemBlock(type, encrypted, Base64.getMimeDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new Malformed("the " + type + " block is not valid base64");
            }
        }
        return blocks;
    }
}
