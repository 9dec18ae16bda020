package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.UUID;

/**
 * A minimal JSON writer into a growing byte array, producing the bytes Vert.x's Jackson encoder
 * produces (UTF-8, no escaping beyond what JSON requires, control characters as Jackson writes
 * them). It exists for the hot paths that write many known fields: Jackson's generator checked
 * every character through a segment copy, which profiled as half of encoding a page of tasks.
 */
final class JsonBytes {

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  /** Byte value {@code b}: its two lower-case hex digits at {@code 2b} and {@code 2b + 1}. */
  private static final byte[] HEX_PAIRS = new byte[512];

  /**
   * 0: as is; -1: a backslash-u escape with four hex digits; else the letter after the backslash.
   */
  private static final int[] ESCAPES = new int[128];

  static {
    byte[] digits = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    for (int b = 0; b < 256; b++) {
      HEX_PAIRS[2 * b] = digits[b >> 4];
      HEX_PAIRS[2 * b + 1] = digits[b & 0xF];
    }
    Arrays.fill(ESCAPES, 0, 32, -1);
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long SPACES = ONES * ' ';
  private static final long QUOTES = ONES * '"';
  private static final long BACKSLASHES = ONES * '\\';
  private static final long QUESTION_MARKS = ONES * '?';

  private static final byte[] NULL = ascii("null");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");

  /** What a thread keeps between uses; a bigger one (a page of long descriptions) is let go. */
  private static final int KEPT_CAPACITY = 256 * 1024;

  private static final ThreadLocal<JsonBytes> SCRATCH =
      ThreadLocal.withInitial(() -> new JsonBytes(64 * 1024));

  private byte[] bytes;
  private int size;

  JsonBytes(int capacity) {
    bytes = new byte[capacity];
  }

  /**
   * This thread's writer, emptied: a page is written in one go on an event loop, so one array per
   * thread serves every page, instead of a new, zeroed and regrown one per request.
   */
  static JsonBytes scratch() {
    JsonBytes out = SCRATCH.get();
    if (out.bytes.length > KEPT_CAPACITY) {
      out = new JsonBytes(64 * 1024);
      SCRATCH.set(out);
    }
    out.size = 0;
    return out;
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
    if (value < 0) {
      return raw(ascii(Integer.toString(value)));
    }
    int digits = 1;
    for (int rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    ensure(digits);
    for (int i = size + digits - 1; i >= size; i--) {
      bytes[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += digits;
    return this;
  }

  /** {@code id.toString()} as a JSON string, or null. */
  JsonBytes uuid(UUID id) {
    if (id == null) {
      return nullValue();
    }
    ensure(38);
    long high = id.getMostSignificantBits();
    long low = id.getLeastSignificantBits();
    bytes[size] = '"';
    hex(high >>> 32, size + 1, 8);
    bytes[size + 9] = '-';
    hex(high >>> 16, size + 10, 4);
    bytes[size + 14] = '-';
    hex(high, size + 15, 4);
    bytes[size + 19] = '-';
    hex(low >>> 48, size + 20, 4);
    bytes[size + 24] = '-';
    hex(low, size + 25, 12);
    bytes[size + 37] = '"';
    size += 38;
    return this;
  }

  /** The low {@code digits} (even) hex digits of {@code value}, lower case as UUID writes them. */
  private void hex(long value, int at, int digits) {
    for (int i = at + digits - 2; i >= at; i -= 2) {
      int pair = ((int) value & 0xFF) << 1;
      bytes[i] = HEX_PAIRS[pair];
      bytes[i + 1] = HEX_PAIRS[pair + 1];
      value >>>= 8;
    }
  }

  /** {@code instant.toString()} as a JSON string, or null. */
  JsonBytes instant(Instant instant) {
    if (instant == null) {
      return nullValue();
    }
    ensure(IsoText.MAX_LENGTH + 2);
    int end = IsoText.instant(bytes, size + 1, instant);
    return end < 0 ? string(IsoText.instant(instant)) : quoted(end);
  }

  /** The offset date-time of {@code instant} in {@code zone} as a JSON string. */
  JsonBytes offsetDateTime(Instant instant, ZoneId zone) {
    ensure(IsoText.MAX_LENGTH + 2);
    int end = IsoText.offsetDateTime(bytes, size + 1, instant, zone);
    return end < 0 ? string(IsoText.offsetDateTime(instant, zone)) : quoted(end);
  }

  /** {@code date.toString()} as a JSON string, or null. */
  JsonBytes date(LocalDate date) {
    if (date == null) {
      return nullValue();
    }
    ensure(IsoText.MAX_LENGTH + 2);
    int end = IsoText.date(bytes, size + 1, date);
    return end < 0 ? string(IsoText.date(date)) : quoted(end);
  }

  /** Quotes the text IsoText wrote from {@code size + 1} to {@code end}. */
  private JsonBytes quoted(int end) {
    bytes[size] = '"';
    bytes[end] = '"';
    size = end + 1;
    return this;
  }

  /** A JSON string, or null. */
  JsonBytes string(String text) {
    if (text == null) {
      return nullValue();
    }
    // for ASCII text (nearly all) the UTF-8 bytes come from one vectorised copy, and only three
    // kinds of byte need an escape; other text goes char by char as Jackson does
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length != text.length()) {
      return nonAscii(text);
    }
    ensure(utf8.length * 6 + 2);
    byte[] out = bytes;
    int at = size;
    out[at++] = '"';
    int from = 0;
    int i = nextSpecial(utf8, 0);
    while (i < utf8.length) {
      if (utf8[i] == '?') {
        if (text.charAt(i) != '?') {
          // a lone surrogate, which the encoder replaced: nothing is committed until size moves
          return nonAscii(text);
        }
        i = nextSpecial(utf8, i + 1);
        continue;
      }
      System.arraycopy(utf8, from, out, at, i - from);
      at = escape(out, at + i - from, utf8[i]);
      from = i + 1;
      i = nextSpecial(utf8, from);
    }
    System.arraycopy(utf8, from, out, at, utf8.length - from);
    at += utf8.length - from;
    out[at++] = '"';
    size = at;
    return this;
  }

  private JsonBytes nonAscii(String text) {
    int length = text.length();
    // worst case per char: a six-byte backslash-u escape
    ensure(length * 6 + 2);
    byte[] out = bytes;
    int at = size;
    out[at++] = '"';
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < 128) {
        if (ESCAPES[c] == 0) {
          out[at++] = (byte) c;
        } else {
          at = escape(out, at, c);
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

  /** The escape of an ASCII char that JSON does not take as is; the end. */
  private static int escape(byte[] out, int at, int c) {
    int escape = ESCAPES[c];
    out[at++] = '\\';
    if (escape > 0) {
      out[at++] = (byte) escape;
    } else {
      out[at++] = 'u';
      out[at++] = '0';
      out[at++] = '0';
      out[at++] = HEX[c >> 4];
      out[at++] = HEX[c & 0xF];
    }
    return at;
  }

  /**
   * The index of the first byte from {@code from} that needs an escape (a control character, a
   * quote, a backslash) or a look ('?', which may stand for a lone surrogate), or the length. Eight
   * bytes at a time: such a byte sets its high bit in the SWAR expressions (exact for ASCII).
   */
  private static int nextSpecial(byte[] ascii, int from) {
    int i = from;
    for (int last = ascii.length - 8; i <= last; i += 8) {
      long word = (long) LONGS.get(ascii, i);
      long quote = word ^ QUOTES;
      long backslash = word ^ BACKSLASHES;
      long question = word ^ QUESTION_MARKS;
      if (((word - SPACES
                  | (quote - ONES) & ~quote
                  | (backslash - ONES) & ~backslash
                  | (question - ONES) & ~question)
              & ~word
              & HIGH_BITS)
          != 0) {
        break;
      }
    }
    for (; i < ascii.length; i++) {
      int c = ascii[i];
      if (ESCAPES[c] != 0 || c == '?') {
        return i;
      }
    }
    return ascii.length;
  }

  /** A copy of what was written: the array may be written again (see {@link #scratch()}). */
  Buffer toBuffer() {
    return Buffer.buffer(size).appendBytes(bytes, 0, size);
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
