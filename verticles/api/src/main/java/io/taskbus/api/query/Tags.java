package io.taskbus.api.query;

import java.util.Locale;

/** Tags as stored: trimmed and lower-case, so {@code Work} and {@code work } are one tag. */
public final class Tags {

  public static final int MAX_LENGTH = 50;

  public static String normalize(String tag) {
    return tag.strip().toLowerCase(Locale.ROOT);
  }

  private Tags() {}
}
