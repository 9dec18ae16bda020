package io.taskbus.kafka;

import io.taskbus.contracts.Failures;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Kafka answered but refused this process: wrong credentials, a certificate one side does not
 * trust, or no rights (ACLs). Unlike a broker that is away, retrying at once changes nothing, and
 * the Kafka client logs every failed attempt, so taskbus says it once in words an operator acts on.
 */
final class KafkaRefusal {

  /** The refusal in a failure's causes, or null when the failure is something else. */
  static Throwable find(Throwable failure) {
    return Failures.causeOf(failure, AuthenticationException.class, AuthorizationException.class);
  }

  /** What failed, as the start of a log line: authentication, the TLS handshake or the rights. */
  static String what(Throwable refusal) {
    if (refusal instanceof SslAuthenticationException) {
      return "the TLS handshake with Kafka failed";
    }
    return refusal instanceof AuthenticationException
        ? "Kafka authentication failed"
        : "Kafka authorization failed";
  }

  private KafkaRefusal() {}
}
