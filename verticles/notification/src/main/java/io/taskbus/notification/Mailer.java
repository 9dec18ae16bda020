package io.taskbus.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.Locale;

/**
 * E-mail over SMTP, text and HTML. Without {@code notification.smtp.host} there is no mail at all
 * (the embedded default): notifications then reach the inbox and, when connected, the browser.
 */
final class Mailer {

  private final MailClient client;
  private final String from;
  private final String publicUrl;

  Mailer(Vertx vertx, NotificationSettings settings) {
    NotificationSettings.Smtp smtp = settings.smtp();
    this.from = smtp.from();
    this.publicUrl = settings.publicUrl();
    if (!smtp.configured()) {
      client = null;
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

  Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private static String html(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
