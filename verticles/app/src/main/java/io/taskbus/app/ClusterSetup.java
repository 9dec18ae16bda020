package io.taskbus.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.taskbus.contracts.ConfigValues;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;

/**
 * Hazelcast for the clustered event bus: TCP join on a member list (loopback here), or DNS
 * discovery through a headless Service in Kubernetes. The defaults wait seconds before joining and
 * minutes before declaring a member dead; a task service wants both in seconds.
 */
final class ClusterSetup {

  static HazelcastClusterManager clusterManager(JsonObject hz) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("taskbus");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "8");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");

    // In Kubernetes host is the pod IP (downward API): Hazelcast binds every interface and
    // advertises this one, and the event bus binds and advertises it too (see Taskbus).
    String host = ConfigValues.string(hz, "host");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(ConfigValues.integer(hz, "port")).setPortAutoIncrement(true);
    if (!"0.0.0.0".equals(host)) {
      network.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(host));
      config.setProperty("hazelcast.local.localAddress", host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    String dns = ConfigValues.optionalString(hz, "dnsService");
    if (dns != null && !dns.isBlank()) {
      // DNS lookup mode: the headless Service's A records are the members' pod IPs (it must
      // publish not-ready addresses: a member is ready only once it has joined)
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", dns)
          .setProperty("service-dns-timeout", "5")
          .setProperty("service-port", Integer.toString(ConfigValues.integer(hz, "port")));
    } else {
      join.getTcpIpConfig()
          .setEnabled(true)
          .setConnectionTimeoutSeconds(2)
          .setMembers(
              Arrays.stream(ConfigValues.string(hz, "members").split(","))
                  .map(String::trim)
                  .filter(s -> !s.isEmpty())
                  .toList());
    }
    return new HazelcastClusterManager(config);
  }

  private ClusterSetup() {}
}
