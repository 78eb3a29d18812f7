package dev.emlab.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.emlab.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    /** A file written byte by byte from the format's definition, not by emlab's writer. */
    private Path handWritten() throws IOException {
        String header = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[12,16]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        buf.putShort((short) 0x3FC0); // bf16 1.5
        buf.putShort((short) 0xC020); // bf16 -2.5
        buf.putFloat(0.1f).putFloat(-3e-5f);
        buf.putShort((short) 0x3C00); // f16 1.0
        buf.putShort((short) 0x0001); // f16 smallest subnormal 2^-24
        Path f = tmp.resolve("hand.safetensors");
        Files.write(f, buf.array());
        return f;
    }

    @Test
    void readsEachTypeWidenedToFp32() throws IOException {
        Map<String, Tensor> t = Safetensors.read(handWritten());
        assertArrayEquals(new float[] {1.5f, -2.5f}, t.get("a").data());
        assertArrayEquals(new float[] {0.1f, -3e-5f}, t.get("b").data());
        assertArrayEquals(new long[] {1, 2}, t.get("b").shape());
        assertArrayEquals(new float[] {1.0f, (float) Math.pow(2, -24)}, t.get("c").data());
    }

    @Test
    void writerRoundTripsAndRoundsToBf16() throws IOException {
        Path f = tmp.resolve("w.safetensors");
        Tensor x = new Tensor(new long[] {3}, new float[] {1.0f, 1.00390625f, 3.14159f});
        Safetensors.write(f, Map.of("x", x), Map.of("x", DType.BF16), Map.of());
        float[] back = Safetensors.read(f).get("x").data();
        assertEquals(1.0f, back[0]);
        assertEquals(1.0f, back[1], "1 + 2^-8 is a tie between bf16 neighbours: rounds to even");
        assertEquals(3.140625f, back[2]);
    }

    @Test
    void corruptFilesAreNamed() throws IOException {
        Path f = tmp.resolve("bad.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        InputException short_ = assertThrows(InputException.class, () -> Safetensors.read(f));
        assertTrue(short_.getMessage().contains("bad.safetensors"), short_.getMessage());
        byte[] good = Files.readAllBytes(handWritten());
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 3));
        InputException cut = assertThrows(InputException.class, () -> Safetensors.read(truncated));
        assertTrue(cut.getMessage().contains("corrupt or truncated"), cut.getMessage());
    }
}
