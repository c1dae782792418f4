package io.presence.signaling.live;

import java.util.ArrayList;
import java.util.List;

/**
 * SDP text split into lines that remember their own terminator ({@code "\r\n"}, {@code "\n"} or none for an
 * unterminated last line), so that joining them again reproduces the input byte for byte.
 */
final class SdpLines {

    /** One line: its text without terminator, and the terminator it had. */
    record Line(String text, String eol) {

        char type() {
            return text.length() >= 2 && text.charAt(1) == '=' ? text.charAt(0) : '\0';
        }

        String value() {
            return text.substring(2);
        }

        Line withText(String newText) {
            return new Line(newText, eol);
        }
    }

    private SdpLines() {
    }

    /** Splits at LF; a CR directly before the LF belongs to the terminator, any other CR stays in the text. */
    static List<Line> split(String sdp) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        int n = sdp.length();
        while (start < n) {
            int lf = sdp.indexOf('\n', start);
            if (lf < 0) {
                lines.add(new Line(sdp.substring(start), ""));
                break;
            }
            boolean crlf = lf > start && sdp.charAt(lf - 1) == '\r';
            lines.add(new Line(sdp.substring(start, crlf ? lf - 1 : lf), crlf ? "\r\n" : "\n"));
            start = lf + 1;
        }
        return lines;
    }

    static String join(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        for (Line line : lines) {
            sb.append(line.text()).append(line.eol());
        }
        return sb.toString();
    }
}
