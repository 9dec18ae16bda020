package io.taskbus.api;

/**
 * RFC 5545 (3.1) content-line folding: a line longer than 75 octets is split, and each continuation
 * starts with a space. Octets of UTF-8, not characters (ical4j's FoldingWriter counts characters,
 * so a title in CJK or emoji made lines of up to 300 octets), and never inside one character's
 * octets, so a parser that reads line by line as UTF-8 gets the same text back.
 */
final class ContentLines {

  static final int MAX_OCTETS = 75;
  private static final String CRLF = "\r\n";

  /** {@code text}: unfolded content lines, each ended by CRLF. */
  static String fold(String text) {
    StringBuilder out = new StringBuilder(text.length() + text.length() / 64);
    int octets = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int chars = Character.charCount(cp);
      if (text.startsWith(CRLF, i)) {
        out.append(CRLF);
        octets = 0;
        i += 2;
        continue;
      }
      int size = octets(cp);
      if (octets + size > MAX_OCTETS) {
        out.append(CRLF).append(' ');
        octets = 1;
      }
      out.appendCodePoint(cp);
      octets += size;
      i += chars;
    }
    return out.toString();
  }

  private static int octets(int codePoint) {
    return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }

  private ContentLines() {}
}
