package io.presence.signaling.live;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validator and filter are shared by all rooms' event loops; the stderr mute is per thread. Bounded loops. */
class ConcurrencyTest {

    @Test
    void sharedValidatorAndFilterGiveTheSameAnswersFromManyThreads() throws Exception {
        SdpValidator validator = new SdpValidator();
        RelayOnlyFilter filter = new RelayOnlyFilter();
        String chrome = SdpFixtures.text(SdpFixtures.CHROME);
        String expected = filter.filterSdp(chrome, TestRelay.ADMITS).sdp();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        assertInstanceOf(SdpValidation.Valid.class, validator.validate(chrome));
                        assertInstanceOf(SdpValidation.Invalid.class, validator.validate("v=0\r\nm=audio\r\n"));
                        assertEquals(expected, filter.filterSdp(chrome, TestRelay.ADMITS).sdp());
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void muteOnlyAffectsTheParsingThread() throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        SdpValidator validator = new SdpValidator();
        validator.validate("v=0\r\nm=audio\r\n"); // installs the filter around the capturing stream
        Thread parser = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                validator.validate("v=0\r\nm=audio abc RTP/AVP 0\r\n");
            }
        }, "parser");
        try {
            parser.start();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                System.err.println("line " + i);
                expected.append("line ").append(i).append(System.lineSeparator());
            }
            parser.join(30_000);
            assertEquals(expected.toString(), captured.toString(StandardCharsets.UTF_8));
        } finally {
            parser.join(30_000);
            System.setErr(saved);
        }
    }
}
