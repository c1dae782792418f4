package io.presence.signaling.app.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** The findings as text (one line a step, then a summary) or as JSON. */
public record DoctorReport(DoctorTarget target, List<Finding> findings) {

    public boolean passed() {
        return findings.stream().noneMatch(f -> f.status() == Finding.Status.FAIL);
    }

    private long count(Finding.Status status) {
        return findings.stream().filter(f -> f.status() == status).count();
    }

    public String summary() {
        long failed = count(Finding.Status.FAIL);
        return count(Finding.Status.OK) + " ok, " + count(Finding.Status.WARN) + " warning(s), " + failed
                + " failed, " + count(Finding.Status.SKIP) + " skipped — "
                + (failed == 0 ? "every check passed" : failed == 1 ? "1 check failed" : failed + " checks failed");
    }

    public String header() {
        return "presence doctor: testing " + target.host() + " (STUN/TURN port " + target.port()
                + (target.tlsPort() > 0 ? ", TLS port " + target.tlsPort() : "") + ") as a client; "
                + "the appliance must be running";
    }

    public String toText() {
        StringBuilder b = new StringBuilder(header()).append('\n');
        int width = findings.stream().mapToInt(f -> f.step().length()).max().orElse(0);
        for (Finding f : findings) {
            b.append(String.format("%-5s %-" + width + "s  %s%n", f.status().label(), f.step(), f.message()));
        }
        return b.append("summary: ").append(summary()).append('\n').toString();
    }

    public String toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("host", target.host());
        root.put("port", target.port());
        if (target.tlsPort() > 0) {
            root.put("tlsPort", target.tlsPort());
        }
        root.put("passed", passed());
        root.put("summary", summary());
        ArrayNode steps = root.putArray("findings");
        for (Finding f : findings) {
            steps.addObject().put("step", f.step()).put("status", f.status().label()).put("message", f.message());
        }
        return root.toPrettyString() + "\n";
    }
}
