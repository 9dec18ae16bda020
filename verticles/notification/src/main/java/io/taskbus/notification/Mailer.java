package io.taskbus.notification;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

/**
 * E-mail over SMTP, text and HTML. Without {@code notification.smtp.host} there is no mail at all
 * (the embedded default): notifications then reach the inbox and, when connected, the browser.
 */
final class Mailer {

  private final MailClient client;
  private final String from;
  private final String publicUrl;

  Mailer(Vertx vertx, JsonObject config) {
    JsonObject smtp = config.getJsonObject("smtp", new JsonObject());
    String host = smtp.getString("host");
    this.from = smtp.getString("from", "taskbus <taskbus@localhost>");
    this.publicUrl = config.getString("publicUrl", "http://localhost:8080/");
    if (host == null || host.isBlank()) {
      client = null;
      return;
    }
    String user = smtp.getString("username");
    MailConfig mail = new MailConfig().setHostname(host).setPort(smtp.getInteger("port", 25))
        .setStarttls(StartTLSOptions.valueOf(smtp.getString("starttls", "OPTIONAL").toUpperCase()))
        .setLogin(user == null || user.isBlank() ? LoginOption.DISABLED : LoginOption.REQUIRED)
        .setUsername(user).setPassword(smtp.getString("password"))
        .setMaxPoolSize(smtp.getInteger("maxConnections", 4))
        .setKeepAlive(true);
    mail.setSsl(smtp.getBoolean("ssl", false));
    mail.setConnectTimeout(smtp.getInteger("connectTimeoutMs", 5000));
    mail.setIdleTimeout(smtp.getInteger("idleTimeoutSeconds", 30));
    client = MailClient.createShared(vertx, mail, "taskbus-notifications");
  }

  boolean configured() {
    return client != null;
  }

  Future<Void> send(String to, Notification n) {
    String link = publicUrl + (n.taskId() == null ? "" : "#task=" + n.taskId());
    String heading = ("reminder.missed".equals(n.type()) ? "Missed reminder: " : "Reminder: ")
        + n.title();
    MailMessage message = new MailMessage().setFrom(from).setTo(to).setSubject(heading)
        .setText(heading + "\n\n" + n.body() + "\n\nOpen it: " + link + "\n")
        .setHtml("<!doctype html><html><body><h1 style=\"font-size:1.2em\">" + html(heading)
            + "</h1><p>" + html(n.body()) + "</p><p><a href=\"" + html(link)
            + "\">Open the task</a></p></body></html>");
    return client.sendMail(message).mapEmpty();
  }

  Future<Void> close() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
