package io.taskbus.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** What this JVM logs at {@code level} and above while it is open (a taskbus in the test's JVM). */
final class LogCapture implements AutoCloseable {

  private final String name;
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final List<LogEvent> events = Collections.synchronizedList(new ArrayList<>());

  LogCapture(String name, Level level) {
    this.name = name;
    AbstractAppender appender =
        new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    context.getConfiguration().getRootLogger().addAppender(appender, level, null);
    context.updateLoggers();
  }

  /** The events so far, in the order logged. */
  List<LogEvent> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Whether a logged message so far contains {@code text}. */
  boolean said(String text) {
    return events().stream().anyMatch(e -> e.getMessage().getFormattedMessage().contains(text));
  }

  @Override
  public void close() {
    context.getConfiguration().getRootLogger().removeAppender(name);
    context.updateLoggers();
  }
}
