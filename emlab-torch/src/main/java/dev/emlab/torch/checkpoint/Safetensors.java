package dev.emlab.torch.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emlab.InputException;
import dev.emlab.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw data. Reading maps the file
 * (one mapping per tensor, so files past 2 GiB work) and widens BF16/F16 to fp32 in Java,
 * because a bf16 NDArray would abort the JVM in DJL's PyTorch engine.
 */
public final class Safetensors {
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /** What the header says of one tensor. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** The tensors a file holds, in header order, without reading their data. */
    public static Map<String, Entry> entries(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(ch, file);
        } catch (NoSuchFileException e) {
            throw new InputException("Weights file not found: " + file);
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Reads every tensor of a file, widened to fp32. */
    public static Map<String, Tensor> read(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Map<String, Entry> entries = header(ch, file);
            long dataStart = 8 + headerLength(ch, file);
            for (Entry e : entries.values()) {
                out.put(e.name(), readEntry(ch, dataStart, e, file));
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new InputException("Weights file not found: " + file);
        } catch (IOException e) {
            throw new InputException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    private static Tensor readEntry(FileChannel ch, long dataStart, Entry e, Path file) throws IOException {
        long bytes = e.end() - e.begin();
        long count = 1;
        for (long d : e.shape()) {
            count *= d;
        }
        if (bytes != count * e.dtype().bytes() || dataStart + e.end() > ch.size()) {
            throw new InputException(file + ": tensor " + e.name() + " has a byte range that does not match its shape"
                    + " or lies past the end of the file; the file is corrupt or truncated.");
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new InputException(file + ": tensor " + e.name() + " has " + count + " values, more than one Java array holds.");
        }
        MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), bytes);
        buf.order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[(int) count];
        switch (e.dtype()) {
            case F32 -> buf.asFloatBuffer().get(data);
            case BF16 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = Float.intBitsToFloat((buf.getShort() & 0xffff) << 16);
                }
            }
            case F16 -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = halfToFloat(buf.getShort());
                }
            }
        }
        return new Tensor(e.shape(), data);
    }

    private static long headerLength(FileChannel ch, Path file) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.read(len, 0) != 8) {
            throw new InputException(file + " is too short to be a safetensors file.");
        }
        long n = len.getLong(0);
        if (n <= 0 || n > MAX_HEADER || 8 + n > ch.size()) {
            throw new InputException(file + " is not a safetensors file (bad header length " + n + ").");
        }
        return n;
    }

    private static Map<String, Entry> header(FileChannel ch, Path file) throws IOException {
        long n = headerLength(ch, file);
        ByteBuffer json = ByteBuffer.allocate((int) n);
        ch.read(json, 8);
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(new String(json.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InputException(file + ": the safetensors header is not valid JSON; the file is corrupt.");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = f.getValue();
            JsonNode shapeNode = t.path("shape");
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
            }
            DType dtype = DType.parse(t.path("dtype").asText(), file + " tensor " + f.getKey());
            JsonNode off = t.path("data_offsets");
            entries.put(f.getKey(), new Entry(f.getKey(), dtype, shape, off.path(0).asLong(), off.path(1).asLong()));
        }
        return entries;
    }

    /** IEEE 754 half precision to float (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0) {
            return (sign == 0 ? 1 : -1) * mant * 0x1p-24f;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes tensors, each in the given dtype (fp32 values rounded to BF16 when asked). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, DType> dtypes,
                             Map<String, String> metadata) throws IOException {
        ObjectNode header = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            DType dtype = dtypes.getOrDefault(e.getKey(), DType.F32);
            if (dtype == DType.F16) {
                throw new IllegalArgumentException("writing F16 is not supported");
            }
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtype.name());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long bytes = (long) e.getValue().data().length * dtype.bytes();
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(header);
        int pad = (8 - json.length % 8) % 8; // the format aligns data to 8 bytes with trailing spaces
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length + pad);
            out.write(len.array());
            out.write(json);
            out.write(" ".repeat(pad).getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                DType dtype = dtypes.getOrDefault(e.getKey(), DType.F32);
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(data.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : data) {
                    if (dtype == DType.F32) {
                        buf.putFloat(v);
                    } else {
                        buf.putShort(toBf16(v));
                    }
                }
                out.write(buf.array());
            }
        }
    }

    /** Rounds to the nearest bfloat16 (ties to even), as PyTorch does. */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) 0x7fc0;
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
