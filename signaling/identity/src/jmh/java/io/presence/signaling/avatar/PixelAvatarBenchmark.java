package io.presence.signaling.avatar;

import io.presence.signaling.protocol.AvatarPath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one avatar cache miss, which decides whether a miss may be drawn on an event loop: the appliance's
 * renderer (pixels, then its own PNG encoder), beside the same pixels through the JDK's ImageIO PNG writer, the
 * encoder one would otherwise reach for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PixelAvatarBenchmark {

    @Param({"64", "512"})
    int size;

    private int n;

    /** A new id each call: every render is a miss, as the endpoint's cache would see it. */
    private String nextId() {
        return "user-" + (n++);
    }

    @Benchmark
    public byte[] presenceRenderer() {
        return PixelAvatar.png(AvatarPath.Kind.USER, nextId(), size);
    }

    @Benchmark
    public byte[] samePixelsThroughImageIo() throws IOException {
        byte[] rgba = PixelAvatar.pixels(AvatarPath.Kind.USER, nextId(), size);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[size * size];
        for (int i = 0; i < argb.length; i++) {
            int o = i * 4;
            argb[i] = (rgba[o + 3] & 0xff) << 24 | (rgba[o] & 0xff) << 16 | (rgba[o + 1] & 0xff) << 8
                    | (rgba[o + 2] & 0xff);
        }
        image.setRGB(0, 0, size, size, argb, 0, size);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
