package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal JSON writer into a growing byte array, producing the bytes Vert.x's Jackson encoder
 * produces (UTF-8, no escaping beyond what JSON requires, control characters as Jackson writes
 * them). It exists for the hot paths that write many known fields: Jackson's generator checked
 * every character through a segment copy, which profiled as half of encoding a page of tasks.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /** 0: as is; -1: a backslash-u escape with four hex digits; else the letter after the backslash. */
  private static final int[] ESCAPES = new int[128];

  static {
    Arrays.fill(ESCAPES, 0, 32, -1);
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  private byte[] bytes;
  private int size;

  JsonBytes(int capacity) {
    bytes = new byte[capacity];
  }

  /** Bytes that are already JSON: punctuation, pre-encoded {@code "name":} prefixes, values. */
  JsonBytes raw(byte[] json) {
    ensure(json.length);
    System.arraycopy(json, 0, bytes, size, json.length);
    size += json.length;
    return this;
  }

  JsonBytes raw(char c) {
    ensure(1);
    bytes[size++] = (byte) c;
    return this;
  }

  JsonBytes nullValue() {
    return raw(NULL);
  }

  JsonBytes bool(boolean value) {
    return raw(value ? TRUE : FALSE);
  }

  JsonBytes number(int value) {
    return raw(ascii(Integer.toString(value)));
  }

  /** A JSON string, or null. */
  JsonBytes string(String text) {
    if (text == null) {
      return nullValue();
    }
    int length = text.length();
    // worst case per char: a six-byte backslash-u escape
    ensure(length * 6 + 2);
    byte[] out = bytes;
    int at = size;
    out[at++] = '"';
    int plain = plainPrefix(text, length);
    // the plain part in one copy: for chars below 128 the low byte is the UTF-8 encoding
    text.getBytes(0, plain, out, at);
    at += plain;
    for (int i = plain; i < length; i++) {
      char c = text.charAt(i);
      if (c < 128) {
        int escape = ESCAPES[c];
        if (escape == 0) {
          out[at++] = (byte) c;
        } else if (escape > 0) {
          out[at++] = '\\';
          out[at++] = (byte) escape;
        } else {
          out[at++] = '\\';
          out[at++] = 'u';
          out[at++] = '0';
          out[at++] = '0';
          out[at++] = HEX[c >> 4];
          out[at++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        // Jackson writes each half of a pair (and a lone half) as an escape, not as 4 UTF-8 bytes
        out[at++] = '\\';
        out[at++] = 'u';
        out[at++] = HEX[c >> 12];
        out[at++] = HEX[(c >> 8) & 0xF];
        out[at++] = HEX[(c >> 4) & 0xF];
        out[at++] = HEX[c & 0xF];
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    out[at++] = '"';
    size = at;
    return this;
  }

  /** How many leading chars are ASCII that JSON takes as they are (most strings: all of them). */
  private static int plainPrefix(String text, int length) {
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 128 || ESCAPES[c] != 0) {
        return i;
      }
    }
    return length;
  }

  Buffer toBuffer() {
    return Buffer.buffer(Arrays.copyOf(bytes, size));
  }

  /** {@code "name":} as bytes, for {@link #raw(byte[])}; a leading comma when not the first. */
  static byte[] field(String name, boolean first) {
    return ascii((first ? "" : ",") + "\"" + name + "\":");
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
