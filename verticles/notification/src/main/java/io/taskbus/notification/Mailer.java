package io.taskbus.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Instant;
import java.util.Locale;

/**
 * E-mail over SMTP, text and HTML. Without {@code notification.smtp.host} there is no mail at all
 * (the embedded default): notifications then reach the inbox and, when connected, the browser.
 */
final class Mailer {

  /** How old the last SMTP reachability check may be before a question starts another. */
  private static final long RECHECK_MS = 30_000;

  private final MailClient client;
  private final String from;
  private final String publicUrl;
  private final NetClient probe;
  private final String host;
  private final int port;
  private boolean checking;
  private long checkedAt;
  private boolean reachable;
  private String unreachableBecause;

  Mailer(Vertx vertx, NotificationSettings settings) {
    NotificationSettings.Smtp smtp = settings.smtp();
    this.from = smtp.from();
    this.publicUrl = settings.publicUrl();
    this.host = smtp.host();
    this.port = smtp.port();
    if (!smtp.configured()) {
      client = null;
      probe = null;
      return;
    }
    String user = smtp.username();
    MailConfig mail =
        new MailConfig()
            .setHostname(smtp.host())
            .setPort(smtp.port())
            .setStarttls(StartTLSOptions.valueOf(smtp.starttls().toUpperCase(Locale.ROOT)))
            .setLogin(user == null || user.isBlank() ? LoginOption.DISABLED : LoginOption.REQUIRED)
            .setUsername(user)
            .setPassword(smtp.password())
            .setMaxPoolSize(smtp.maxConnections())
            .setKeepAlive(true);
    mail.setSsl(smtp.ssl());
    mail.setConnectTimeout(smtp.connectTimeoutMs());
    mail.setIdleTimeout(smtp.idleTimeoutSeconds());
    // a client of its own (not shared by name): a new SMTP configuration makes a new client while
    // the old one finishes what it is sending
    client = MailClient.create(vertx, mail);
    probe =
        vertx.createNetClient(new NetClientOptions().setConnectTimeout(smtp.connectTimeoutMs()));
    checkReachable();
  }

  boolean configured() {
    return client != null;
  }

  Future<Void> send(String to, Notification n) {
    String link = publicUrl + (n.taskId() == null ? "" : "#task=" + n.taskId());
    String heading =
        ("reminder.missed".equals(n.type()) ? "Missed reminder: " : "Reminder: ") + n.title();
    MailMessage message =
        new MailMessage()
            .setFrom(from)
            .setTo(to)
            .setSubject(heading)
            .setText(heading + "\n\n" + n.body() + "\n\nOpen it: " + link + "\n")
            .setHtml(
                "<!doctype html><html><body><h1 style=\"font-size:1.2em\">"
                    + html(heading)
                    + "</h1><p>"
                    + html(n.body())
                    + "</p><p><a href=\""
                    + html(link)
                    + "\">Open the task</a></p></body></html>");
    return client.sendMail(message).mapEmpty();
  }

  /**
   * For {@code /health}: whether the SMTP server accepted a TCP connection at the last check. The
   * answer is the last check's (a readiness probe never waits for SMTP); one older than {@link
   * #RECHECK_MS} starts another.
   */
  JsonObject smtp() {
    if (client == null) {
      return new JsonObject().put("configured", false);
    }
    if (System.currentTimeMillis() - checkedAt > RECHECK_MS) {
      checkReachable();
    }
    JsonObject smtp =
        new JsonObject()
            .put("configured", true)
            .put("host", host)
            .put("port", port)
            .put("reachable", checkedAt == 0 ? null : reachable)
            .put("checkedAt", checkedAt == 0 ? null : Instant.ofEpochMilli(checkedAt).toString());
    if (unreachableBecause != null) {
      smtp.put("error", unreachableBecause);
    }
    return smtp;
  }

  private void checkReachable() {
    if (checking) {
      return;
    }
    checking = true;
    probe
        .connect(port, host)
        .onComplete(
            ar -> {
              checking = false;
              checkedAt = System.currentTimeMillis();
              reachable = ar.succeeded();
              unreachableBecause = ar.failed() ? String.valueOf(ar.cause().getMessage()) : null;
              if (ar.succeeded()) {
                ar.result().close();
              }
            });
  }

  Future<Void> close() {
    return client == null
        ? Future.succeededFuture()
        : Future.join(client.close(), probe.close()).mapEmpty();
  }

  private static String html(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
