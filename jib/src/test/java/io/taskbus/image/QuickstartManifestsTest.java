package io.taskbus.image;

import static io.taskbus.image.ManifestsTest.env;
import static io.taskbus.image.ManifestsTest.envVar;
import static io.taskbus.image.ManifestsTest.labels;
import static io.taskbus.image.ManifestsTest.render;
import static io.taskbus.image.ManifestsTest.taskbus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.taskbus.app.Taskbus;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/overlays/quickstart: one {@code kubectl apply -k} brings up PostgreSQL, a Kafka node and
 * taskbus on a laptop cluster, with nothing to create by hand and every reference resolved within
 * what it renders.
 */
class QuickstartManifestsTest {

  @Test
  void everyObjectIsInTheOneNamespaceItCreates() throws Exception {
    Manifests m = render("overlays/quickstart");
    List<Namespace> namespaces = m.all(Namespace.class);
    assertEquals(1, namespaces.size());
    String namespace = namespaces.get(0).getMetadata().getName();
    for (HasMetadata o : m.objects) {
      if (!(o instanceof Namespace)) {
        assertEquals(
            namespace,
            o.getMetadata().getNamespace(),
            o.getKind() + " " + o.getMetadata().getName());
      }
    }
    assertEquals(
        Set.of(
            "Deployment/taskbus",
            "StatefulSet/postgres",
            "StatefulSet/kafka",
            "Job/kafka-topics",
            "CronJob/postgres-backup"),
        m.podTemplates().keySet());
    assertTrue(m.all(Ingress.class).isEmpty(), "no Ingress: a laptop has no Ingress controller");
  }

  @Test
  void taskbusRunsEverythingAndIsSoundAsTheOtherOverlays() throws Exception {
    Manifests m = render("overlays/quickstart");
    Deployment d = m.named(Deployment.class, "taskbus");
    assertEquals(
        Set.copyOf(Taskbus.ALL_ROLES),
        Set.of(env(taskbus(d.getSpec().getTemplate()), "TASKBUS_VERTICLES").split(",")));
    ManifestsTest.workloadsAreSound(m);
    ManifestsTest.servicesSelectPodsAndPorts(m);
    ManifestsTest.configAndSecretsExist(m);
    ManifestsTest.taskbusPodsAreConfigured(m);
    ManifestsTest.clusterServiceIsHeadless(m);
    ManifestsTest.networkPoliciesSelectPods(m);
  }

  /** The generated Secrets hold every key a pod reads, and say they are for a laptop only. */
  @Test
  void itsSecretsAreGeneratedForALaptopAndHoldEveryKeyReadFromThem() throws Exception {
    Manifests m = render("overlays/quickstart");
    Map<String, Map<String, String>> secrets = secrets(m);
    assertEquals(Set.of("taskbus-secrets", "taskbus-postgres"), secrets.keySet());
    for (Secret s : m.all(Secret.class)) {
      assertTrue(
          s.getMetadata().getAnnotations().get("taskbus.io/laptop-only").contains("never"),
          s.getMetadata().getName() + " says it is for a laptop only");
    }
    m.podTemplates()
        .forEach(
            (owner, template) ->
                template
                    .getSpec()
                    .getContainers()
                    .forEach(
                        c ->
                            envOf(c)
                                .filter(e -> e.getValueFrom() != null)
                                .map(e -> e.getValueFrom().getSecretKeyRef())
                                // an optional key may be absent: the quickstart's Kafka is
                                // plaintext and needs no taskbus-kafka
                                .filter(
                                    ref -> ref != null && !Boolean.TRUE.equals(ref.getOptional()))
                                .forEach(
                                    ref ->
                                        assertNotNull(
                                            secrets
                                                .getOrDefault(ref.getName(), Map.of())
                                                .get(ref.getKey()),
                                            owner
                                                + " reads "
                                                + ref.getName()
                                                + "/"
                                                + ref.getKey()
                                                + ", which the quickstart does not generate"))));
  }

  /** taskbus's database URL names the quickstart's PostgreSQL Service, user, database, password. */
  @Test
  void taskbusConnectsToTheQuickstartsPostgres() throws Exception {
    Manifests m = render("overlays/quickstart");
    Map<String, String> values = new HashMap<>();
    secrets(m).forEach((name, keys) -> keys.forEach((k, v) -> values.put(name + "/" + k, v)));
    Container app = taskbus(m.named(Deployment.class, "taskbus").getSpec().getTemplate());
    URI url = URI.create(values.get(secretOf(envVar(app, "TASKBUS_PG_URL"))));
    assertEquals("postgresql", url.getScheme());

    PodTemplateSpec server = servedBy(m, url.getHost(), url.getPort());
    assertEquals(m.named(StatefulSet.class, "postgres").getSpec().getTemplate(), server);
    Container postgres = server.getSpec().getContainers().get(0);
    String[] user = url.getUserInfo().split(":", 2);
    assertEquals(env(postgres, "POSTGRES_USER"), user[0]);
    assertEquals(values.get(secretOf(envVar(postgres, "POSTGRES_PASSWORD"))), user[1]);
    assertEquals("/" + env(postgres, "POSTGRES_DB"), url.getPath());
    assertTrue(
        ManifestsTest.egressReaches(m.named(NetworkPolicy.class, "taskbus"), server, 5432),
        "taskbus pods may reach PostgreSQL");
  }

  /** taskbus and the topic Job use the bootstrap Service of the quickstart's Kafka node. */
  @Test
  void taskbusConnectsToTheQuickstartsKafka() throws Exception {
    Manifests m = render("overlays/quickstart");
    Container app = taskbus(m.named(Deployment.class, "taskbus").getSpec().getTemplate());
    String bootstrap = env(app, "TASKBUS_KAFKA_BOOTSTRAPSERVERS");
    String host = bootstrap.substring(0, bootstrap.lastIndexOf(':'));
    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    PodTemplateSpec broker = servedBy(m, host, port);
    assertEquals(m.named(StatefulSet.class, "kafka").getSpec().getTemplate(), broker);
    assertTrue(
        env(broker.getSpec().getContainers().get(0), "KAFKA_ADVERTISED_LISTENERS")
            .contains("//" + bootstrap),
        "the broker advertises the address taskbus bootstraps from");
    assertTrue(
        String.join(
                " ",
                m.named(Job.class, "kafka-topics")
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getCommand())
            .contains("--bootstrap-server " + bootstrap),
        "the topics are made on the same broker");
    assertTrue(
        ManifestsTest.egressReaches(m.named(NetworkPolicy.class, "taskbus"), broker, port),
        "taskbus pods may reach Kafka");
  }

  /** What the quickstart asks of a laptop: at most a core and 2 GiB requested, small volumes. */
  @Test
  void itAsksLittleOfALaptop() throws Exception {
    Manifests m = render("overlays/quickstart");
    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    for (PodTemplateSpec t : m.podTemplates().values()) {
      for (Container c : t.getSpec().getContainers()) {
        cpu = cpu.add(Quantity.getAmountInBytes(c.getResources().getRequests().get("cpu")));
        memory =
            memory.add(Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")));
      }
    }
    assertTrue(cpu.compareTo(BigDecimal.ONE) <= 0, "CPU requested: " + cpu);
    assertTrue(
        memory.compareTo(Quantity.getAmountInBytes(new Quantity("2Gi"))) <= 0,
        "memory requested: " + memory);
    List<Quantity> volumes =
        Stream.concat(
                m.all(PersistentVolumeClaim.class).stream().map(c -> c.getSpec()),
                m.all(StatefulSet.class).stream()
                    .flatMap(s -> s.getSpec().getVolumeClaimTemplates().stream())
                    .map(c -> c.getSpec()))
            .map(spec -> spec.getResources().getRequests().get("storage"))
            .toList();
    assertEquals(3, volumes.size(), "PostgreSQL's, Kafka's and the dumps' volumes");
    for (Quantity size : volumes) {
      assertTrue(
          Quantity.getAmountInBytes(size).compareTo(Quantity.getAmountInBytes(new Quantity("2Gi")))
              <= 0,
          "a volume of " + size);
    }
  }

  // ---- helpers ----

  /** The one pod template behind the Service {@code name} and its port {@code port}. */
  static PodTemplateSpec servedBy(Manifests m, String name, int port) {
    Service service = m.named(Service.class, name);
    ServicePort servicePort =
        service.getSpec().getPorts().stream()
            .filter(p -> p.getPort() == port)
            .findFirst()
            .orElseThrow(() -> new AssertionError("Service " + name + " has no port " + port));
    List<PodTemplateSpec> pods =
        m.podTemplates().values().stream()
            .filter(p -> Manifests.matches(service.getSpec().getSelector(), labels(p)))
            .toList();
    assertEquals(1, pods.size(), "Service " + name + " selects one workload");
    assertTrue(
        ManifestsTest.hasPort(
            pods.get(0).getSpec().getContainers().get(0), servicePort.getTargetPort()),
        "Service " + name + " targets a port its pods have");
    return pods.get(0);
  }

  /** Every rendered Secret's keys and decoded values, by name. */
  static Map<String, Map<String, String>> secrets(Manifests m) {
    Map<String, Map<String, String>> secrets = new HashMap<>();
    for (Secret s : m.all(Secret.class)) {
      Map<String, String> values = new HashMap<>();
      s.getData()
          .forEach(
              (k, v) ->
                  values.put(
                      k, new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
      secrets.put(s.getMetadata().getName(), values);
    }
    assertFalse(secrets.isEmpty(), "the quickstart generates its Secrets");
    return secrets;
  }

  static String secretOf(EnvVar e) {
    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
    return ref.getName() + "/" + ref.getKey();
  }

  static Stream<EnvVar> envOf(Container c) {
    return c.getEnv() == null ? Stream.empty() : c.getEnv().stream();
  }
}
