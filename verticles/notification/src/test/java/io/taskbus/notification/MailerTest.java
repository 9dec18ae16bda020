package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The e-mail a user reads, as it reaches an SMTP server: a small one in the test that takes every
 * message and keeps the first.
 */
class MailerTest {

  private static final UUID TASK = UUID.fromString("0190f5a0-1b2c-7d3e-8f40-123456789abc");

  private Vertx vertx;
  private NetServer smtp;
  private Promise<String> received;

  @BeforeEach
  void startSmtp() throws Exception {
    vertx = Vertx.vertx();
    received = Promise.promise();
    smtp =
        await(
            vertx
                .createNetServer()
                .connectHandler(
                    socket -> {
                      StringBuilder data = new StringBuilder();
                      boolean[] inData = {false};
                      socket.handler(
                          RecordParser.newDelimited(
                              "\r\n",
                              line -> {
                                String text = line.toString();
                                if (inData[0]) {
                                  if (text.equals(".")) {
                                    inData[0] = false;
                                    received.tryComplete(data.toString());
                                    socket.write("250 queued\r\n");
                                  } else {
                                    data.append(text).append("\r\n");
                                  }
                                } else if (text.startsWith("EHLO")) {
                                  socket.write("250-localhost\r\n250 8BITMIME\r\n");
                                } else if (text.equals("DATA")) {
                                  inData[0] = true;
                                  socket.write("354 go on\r\n");
                                } else if (text.equals("QUIT")) {
                                  socket.write("221 bye\r\n").onComplete(v -> socket.close());
                                } else {
                                  socket.write("250 OK\r\n");
                                }
                              }));
                      socket.write("220 localhost ESMTP\r\n");
                    })
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private Mailer mailer() {
    JsonObject section = NotificationSettingsTest.section();
    section
        .getJsonObject("smtp")
        .put("host", "127.0.0.1")
        .put("port", smtp.actualPort())
        .put("username", null)
        .put("password", null)
        .put("starttls", "DISABLED");
    return new Mailer(vertx, NotificationSettings.from(section));
  }

  private static Notification notification(String type, UUID task, String title, String body) {
    return new Notification(
        UUID.fromString("0190f5a0-1b2c-7d3e-8f40-000000000001"),
        "alice",
        "42",
        type,
        task,
        title,
        body,
        null,
        null,
        null,
        null,
        0);
  }

  /** The mail as the SMTP server received it, once {@code mailer} sent {@code n} to Ada. */
  private String send(Notification n) throws Exception {
    Mailer mailer = mailer();
    try {
      await(mailer.send("ada@example.com", n));
      return await(received.future());
    } finally {
      await(mailer.close());
    }
  }

  private static String header(String mail, String name) {
    for (String line : mail.lines().toList()) {
      if (line.isEmpty()) {
        break;
      }
      if (line.startsWith(name + ": ")) {
        return line.substring(name.length() + 2);
      }
    }
    return null;
  }

  /** The body of the part of that content type (7bit: the text as it is). */
  private static String part(String mail, String contentType) {
    int type = mail.indexOf("Content-Type: " + contentType);
    assertTrue(type > 0, contentType + " part in\n" + mail);
    assertEquals("7bit", header(mail.substring(type), "Content-Transfer-Encoding"));
    int start = mail.indexOf("\r\n\r\n", type) + 4;
    return mail.substring(start, mail.indexOf("\r\n--", start));
  }

  @Test
  void aReminderNamesTheTaskAndLinksToIt() throws Exception {
    String mail =
        send(notification("reminder.due", TASK, "Call Ada", "Due Mon 1 Apr 2024, 09:00 CEST."));
    assertEquals("Reminder: Call Ada", header(mail, "Subject"));
    assertEquals("ada@example.com", header(mail, "To"));
    assertEquals("taskbus <taskbus@localhost>", header(mail, "From"));
    assertEquals(
        "Reminder: Call Ada\r\n\r\nDue Mon 1 Apr 2024, 09:00 CEST.\r\n\r\nOpen it: "
            + "http://localhost:8080/#task=0190f5a0-1b2c-7d3e-8f40-123456789abc",
        part(mail, "text/plain"));
    assertEquals(
        "<!doctype html><html><body><h1 style=\"font-size:1.2em\">Reminder: Call Ada</h1>"
            + "<p>Due Mon 1 Apr 2024, 09:00 CEST.</p><p><a href=\"http://localhost:8080/"
            + "#task=0190f5a0-1b2c-7d3e-8f40-123456789abc\">Open the task</a></p></body></html>",
        part(mail, "text/html"));
  }

  @Test
  void theHtmlShowsWhatTheUserTypedAsText() throws Exception {
    String title = "<b>Tom & Jerry's \"quote\"</b>";
    String mail = send(notification("reminder.due", TASK, title, "Reminder. <i>&amp;</i>"));
    assertEquals("Reminder: " + title, header(mail, "Subject"));
    assertTrue(
        part(mail, "text/plain")
            .startsWith("Reminder: " + title + "\r\n\r\nReminder. <i>&amp;</i>"));
    String html = part(mail, "text/html");
    assertTrue(
        html.contains(
            ">Reminder: &lt;b&gt;Tom &amp; Jerry&#39;s &quot;quote&quot;&lt;/b&gt;</h1>"
                + "<p>Reminder. &lt;i&gt;&amp;amp;&lt;/i&gt;</p>"),
        html);
  }

  @Test
  void aMissedReminderWithoutATaskLinksToTaskbus() throws Exception {
    String mail =
        send(
            notification(
                "reminder.missed",
                null,
                "(untitled task)",
                "Missed while taskbus was down: the reminder was due."));
    assertEquals("Missed reminder: (untitled task)", header(mail, "Subject"));
    assertTrue(
        part(mail, "text/plain").endsWith("\r\n\r\nOpen it: http://localhost:8080/"),
        part(mail, "text/plain"));
    assertTrue(
        part(mail, "text/html").contains("<a href=\"http://localhost:8080/\">Open the task</a>"));
  }

  @Test
  void withoutAnSmtpHostThereIsNoMail() throws Exception {
    JsonObject section = NotificationSettingsTest.section();
    section.getJsonObject("smtp").put("host", null);
    Mailer mailer = new Mailer(vertx, NotificationSettings.from(section));
    assertFalse(mailer.configured());
    await(mailer.close());
    Mailer configured = mailer();
    assertTrue(configured.configured());
    await(configured.close());
  }
}
