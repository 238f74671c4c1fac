package dev.configstore.internal.format;

import dev.configstore.format.ImportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads input bytes under a size limit and decodes them as strict UTF-8. */
final class Utf8Text {

    private Utf8Text() {
    }

    /** At most {@code limit} bytes of a stream; more is refused without reading it all. */
    static byte[] readLimited(InputStream in, long limit, String source) {
        try {
            int cap = (int) Math.min(Integer.MAX_VALUE - 8, limit + 1);
            byte[] bytes = in.readNBytes(cap);
            if (bytes.length > limit) {
                throw new ImportException(source, 0, 0, "larger than the limit of " + limit
                        + " bytes (maxImportBytes)");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source, e);
        }
    }

    /** Decodes strict UTF-8 (a leading byte-order mark is dropped), naming the line of a bad byte. */
    static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(input, output, true);
        if (result.isError()) {
            String before = new String(bytes, 0, input.position(), StandardCharsets.UTF_8);
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int column = before.length() - before.lastIndexOf('\n');
            throw new ImportException(source, line, column, "not valid UTF-8 (byte 0x"
                    + String.format("%02x", bytes[input.position()] & 0xff) + " at offset " + input.position() + ")");
        }
        try {
            decoder.flush(output);
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new CharacterCodingException());
        }
        output.flip();
        String text = output.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The 1-based line and column of a character offset. */
    static int[] position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, offset - lineStart + 1};
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
