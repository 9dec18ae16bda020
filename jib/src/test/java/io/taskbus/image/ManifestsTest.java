package io.taskbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.taskbus.app.Taskbus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders each overlay and each infrastructure kustomization exactly as {@code kubectl apply -k}
 * would (plain {@code kubectl kustomize}, no flags) and checks the objects the way an operator's
 * cluster would find out about them, only sooner.
 */
class ManifestsTest {

  static final String IMAGE = System.getProperty("taskbus.image", "taskbus:0.1.0-SNAPSHOT");

  @BeforeAll
  static void needsKubectl() {
    if (Manifests.kubectl().isEmpty()) {
      System.err.println(
          "\n*** kubectl is not on PATH: the Kubernetes manifests are NOT rendered or checked ***\n");
    }
  }

  static Manifests render(String dir) throws Exception {
    Assumptions.assumeTrue(
        Manifests.kubectl().isPresent(),
        "SKIPPED: kubectl is not on PATH, so k8s/" + dir + " was not rendered");
    return Manifests.render(dir);
  }

  /**
   * conf/ is copied into the kustomize root (it cannot read outside it): the copy must not drift.
   */
  @Test
  void configMapSourceIsTheRepositoryConf() throws Exception {
    for (String file : List.of("taskbus.yaml", "log4j2.xml")) {
      assertEquals(
          Files.readString(Manifests.ROOT.resolve("conf").resolve(file)),
          Files.readString(Manifests.K8S.resolve("base/config").resolve(file)),
          "k8s/base/config/"
              + file
              + " differs from conf/"
              + file
              + ": copy it over (cp conf/"
              + file
              + " k8s/base/config/)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/single", "overlays/split"})
  void overlayIsConsistent(String overlay) throws Exception {
    Manifests m = render(overlay);
    List<Deployment> deployments = m.all(Deployment.class);
    assertFalse(deployments.isEmpty(), "no Deployment in " + overlay);
    assertTrue(m.ofKind("Secret").isEmpty(), "Secrets are referenced, never committed");
    workloadsAreSound(m);
    servicesSelectPodsAndPorts(m);
    configAndSecretsExist(m);
    taskbusPodsAreConfigured(m);
    clusterServiceIsHeadless(m);
    ingressIsStickyForTheBridge(m);
    networkPoliciesSelectPods(m);

    // the verticles the Deployments run add up to the whole system, each exactly once
    List<String> run = new ArrayList<>();
    for (Deployment d : deployments) {
      run.addAll(
          Arrays.asList(env(taskbus(d.getSpec().getTemplate()), "TASKBUS_VERTICLES").split(",")));
    }
    assertEquals(
        new TreeSet<>(Taskbus.ALL_ROLES), new TreeSet<>(run), overlay + " must run every verticle");
    assertEquals(
        run.size(),
        new HashSet<>(run).size(),
        overlay + " runs a verticle in two Deployments: " + run);
  }

  @Test
  void splitScalesApiAndBridgeAndProtectsEveryRole() throws Exception {
    Manifests m = render("overlays/split");
    assertEquals(
        Set.of("taskbus-api", "taskbus-bridge", "taskbus-workers"),
        m.all(Deployment.class).stream()
            .map(d -> d.getMetadata().getName())
            .collect(Collectors.toSet()));
    assertEquals(Set.of("api"), roles(m, "taskbus-api"));
    assertEquals(Set.of("bridge"), roles(m, "taskbus-bridge"));
    assertTrue(
        roles(m, "taskbus-workers").containsAll(Set.of("kafka", "audit")),
        "the workers run the Kafka bridge and the audit");
    Set<String> scaled = new HashSet<>();
    for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
      Deployment target = m.named(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
      assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
      assertTrue(
          hpa.getSpec().getMinReplicas() >= 2
              && hpa.getSpec().getMaxReplicas() > hpa.getSpec().getMinReplicas());
      assertNotNull(
          taskbus(target.getSpec().getTemplate()).getResources().getRequests().get("cpu"),
          "CPU utilisation needs a CPU request");
      scaled.add(target.getMetadata().getName());
    }
    assertEquals(Set.of("taskbus-api", "taskbus-bridge"), scaled);
    for (Deployment d : m.all(Deployment.class)) {
      List<PodDisruptionBudget> budgets =
          m.all(PodDisruptionBudget.class).stream()
              .filter(
                  b ->
                      Manifests.matches(
                          b.getSpec().getSelector().getMatchLabels(),
                          labels(d.getSpec().getTemplate())))
              .toList();
      assertEquals(1, budgets.size(), "one PodDisruptionBudget for " + d.getMetadata().getName());
      assertTrue(
          d.getSpec().getReplicas() >= 2,
          d.getMetadata().getName() + " needs two replicas for its budget");
    }
    for (PodDisruptionBudget b : m.all(PodDisruptionBudget.class)) {
      assertEquals(
          1,
          m.all(Deployment.class).stream()
              .filter(
                  d ->
                      Manifests.matches(
                          b.getSpec().getSelector().getMatchLabels(),
                          labels(d.getSpec().getTemplate())))
              .count(),
          b.getMetadata().getName() + " must select exactly one role");
    }
  }

  @Test
  void singleRunsOnePodWithEverything() throws Exception {
    Manifests m = render("overlays/single");
    assertEquals(1, m.all(Deployment.class).size());
    Deployment d = m.all(Deployment.class).get(0);
    assertEquals(
        Set.copyOf(Taskbus.ALL_ROLES),
        Set.of(env(taskbus(d.getSpec().getTemplate()), "TASKBUS_VERTICLES").split(",")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"kafka-strimzi", "kafka-plain", "postgres", "postgres-cnpg", "monitoring"})
  void infrastructureIsConsistent(String dir) throws Exception {
    Manifests m = render(dir);
    assertTrue(m.ofKind("Secret").isEmpty(), "Secrets are referenced, never committed");
    workloadsAreSound(m);
    servicesSelectPodsAndPorts(m);
    configAndSecretsExist(m);
  }

  @Test
  void prometheusScrapesEveryRoleAndTheDashboardShowsTheServiceMetrics() throws Exception {
    Manifests monitoring = render("monitoring");
    Manifests split = render("overlays/split");
    GenericKubernetesResource podMonitor =
        (GenericKubernetesResource) monitoring.ofKind("PodMonitor").get(0);
    @SuppressWarnings("unchecked")
    Map<String, String> selector =
        (Map<String, String>)
            ((Map<String, Object>) spec(podMonitor).get("selector")).get("matchLabels");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint =
        ((List<Map<String, Object>>) spec(podMonitor).get("podMetricsEndpoints")).get(0);
    assertEquals("/metrics", endpoint.get("path"));
    for (Deployment d : split.all(Deployment.class)) {
      assertTrue(
          Manifests.matches(selector, labels(d.getSpec().getTemplate())),
          d.getMetadata().getName() + " is scraped");
      assertTrue(
          hasPort(
              taskbus(d.getSpec().getTemplate()), new IntOrString((String) endpoint.get("port"))));
      assertEquals(
          "true",
          d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/scrape"));
    }
    assertEquals(
        1,
        monitoring.ofKind("PrometheusRule").size(),
        "the alerts (taskbus-alerts.yaml) are applied with the monitoring");
    ConfigMap dashboard = monitoring.named(ConfigMap.class, "taskbus-grafana-dashboard");
    String json = dashboard.getData().get("taskbus-dashboard.json");
    io.vertx.core.json.JsonObject parsed = new io.vertx.core.json.JsonObject(json);
    assertFalse(parsed.getJsonArray("panels").isEmpty());
    for (String metric :
        List.of(
            "taskbus_outbox_backlog",
            "taskbus_relay_lag_seconds",
            "taskbus_consumer_lag",
            "taskbus_reminder_fire_delay_seconds",
            "vertx_http_server_active_ws_connections",
            "vertx_http_server_active_connections",
            "vertx_http_server_response_time_seconds",
            "vertx_http_server_requests_total")) {
      assertTrue(json.contains(metric), "the dashboard shows " + metric);
    }
  }

  @Test
  void strimziDeclaresKraftKafkaAndTopics() throws Exception {
    Manifests m = render("kafka-strimzi");
    GenericKubernetesResource kafka = (GenericKubernetesResource) m.ofKind("Kafka").get(0);
    assertEquals(
        "kafka",
        kafka.getMetadata().getName(),
        "kafka-kafka-bootstrap is the Service taskbus is given");
    assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/kraft"));
    assertEquals("enabled", kafka.getMetadata().getAnnotations().get("strimzi.io/node-pools"));
    GenericKubernetesResource pool = (GenericKubernetesResource) m.ofKind("KafkaNodePool").get(0);
    assertEquals("kafka", pool.getMetadata().getLabels().get("strimzi.io/cluster"));
    assertEquals(List.of("controller", "broker"), spec(pool).get("roles"));
    Map<String, Map<String, Object>> topics = new HashMap<>();
    for (HasMetadata t : m.ofKind("KafkaTopic")) {
      assertEquals("kafka", t.getMetadata().getLabels().get("strimzi.io/cluster"));
      topics.put(
          (String) spec((GenericKubernetesResource) t).get("topicName"),
          spec((GenericKubernetesResource) t));
    }
    assertEquals(
        Set.of("task-events", "task-events.dlq"),
        topics.keySet(),
        "the topics taskbus uses (contracts Topics)");
    for (Map<String, Object> topic : topics.values()) {
      assertTrue(((Number) topic.get("partitions")).intValue() >= 1);
      @SuppressWarnings("unchecked")
      Map<String, Object> config = (Map<String, Object>) topic.get("config");
      assertTrue(((Number) config.get("retention.ms")).longValue() > 0, "retention of " + topic);
    }
    assertEquals(
        6,
        ((Number) topics.get("task-events").get("partitions")).intValue(),
        "as many partitions as the app's kafka.partitions");
  }

  /**
   * The scram listener speaks TLS with SCRAM-SHA-512, and the KafkaUser taskbus may do on it what
   * taskbus does: write and read its topics, use the consumer groups of its subscriptions.
   */
  @Test
  @SuppressWarnings("unchecked")
  void strimziGivesTaskbusAScramUserWithTheRightsItNeeds() throws Exception {
    Manifests m = render("kafka-strimzi");
    Map<String, Object> kafka =
        (Map<String, Object>)
            spec((GenericKubernetesResource) m.ofKind("Kafka").get(0)).get("kafka");
    Map<String, Object> scram =
        ((List<Map<String, Object>>) kafka.get("listeners"))
            .stream()
                .filter(l -> "scram".equals(l.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no scram listener"));
    assertEquals(Boolean.TRUE, scram.get("tls"));
    assertEquals("scram-sha-512", ((Map<String, Object>) scram.get("authentication")).get("type"));
    assertEquals(
        "simple",
        ((Map<String, Object>) kafka.get("authorization")).get("type"),
        "ACLs are enforced");

    GenericKubernetesResource user = (GenericKubernetesResource) m.ofKind("KafkaUser").get(0);
    assertEquals("taskbus", user.getMetadata().getName());
    assertEquals("kafka", user.getMetadata().getLabels().get("strimzi.io/cluster"));
    Map<String, Object> authentication = (Map<String, Object>) spec(user).get("authentication");
    assertEquals("scram-sha-512", authentication.get("type"));
    Map<String, Object> passwordRef =
        (Map<String, Object>)
            ((Map<String, Object>)
                    ((Map<String, Object>) authentication.get("password")).get("valueFrom"))
                .get("secretKeyRef");
    assertTrue(
        documentedSecrets()
            .getOrDefault((String) passwordRef.get("name"), Set.of())
            .contains((String) passwordRef.get("key")),
        "the user's password is the documented Secret key taskbus reads: " + passwordRef);
    List<Map<String, Object>> acls =
        (List<Map<String, Object>>)
            ((Map<String, Object>) spec(user).get("authorization")).get("acls");
    Map<String, Object> conf =
        new Yaml().load(Files.readString(Manifests.ROOT.resolve("conf/taskbus.yaml")));
    List<Map<String, Object>> subscriptions =
        (List<Map<String, Object>>) ((Map<String, Object>) conf.get("kafka")).get("subscriptions");
    assertFalse(subscriptions.isEmpty());
    for (Map<String, Object> subscription : subscriptions) {
      assertTrue(
          allowed(acls, "topic", (String) subscription.get("topic"), "Read"),
          "reads " + subscription.get("topic"));
      assertTrue(
          allowed(acls, "group", (String) subscription.get("group"), "Read"),
          "uses the group " + subscription.get("group"));
    }
    assertTrue(allowed(acls, "topic", "task-events", "Write"), "the relay writes task-events");
    assertTrue(
        allowed(acls, "topic", "task-events.dlq", "Write"), "dead letters go to task-events.dlq");
    assertFalse(allowed(acls, "topic", "other-topic", "Read"), "no more than its own topics");
  }

  @SuppressWarnings("unchecked")
  private static boolean allowed(
      List<Map<String, Object>> acls, String type, String name, String operation) {
    return acls.stream()
        .anyMatch(
            acl -> {
              Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
              String pattern = (String) resource.get("name");
              boolean named =
                  "prefix".equals(resource.get("patternType"))
                      ? name.startsWith(pattern)
                      : name.equals(pattern);
              return type.equals(resource.get("type"))
                  && named
                  && ((List<String>) acl.get("operations")).contains(operation);
            });
  }

  @Test
  void plainKafkaAndPostgresAreReachableFromTaskbusOnly() throws Exception {
    Manifests all = render("overlays/split").plus(render("kafka-plain")).plus(render("postgres"));
    Service bootstrap = all.named(Service.class, "kafka-kafka-bootstrap");
    assertEquals(9092, bootstrap.getSpec().getPorts().get(0).getPort());
    assertEquals(
        "kafka-kafka-bootstrap:9092",
        env(
            taskbus(all.named(Deployment.class, "taskbus-workers").getSpec().getTemplate()),
            "TASKBUS_KAFKA_BOOTSTRAPSERVERS"));
    Map<String, PodTemplateSpec> pods = all.podTemplates();
    PodTemplateSpec kafka = pods.get("StatefulSet/kafka");
    PodTemplateSpec postgres = pods.get("StatefulSet/postgres");
    NetworkPolicy taskbus = all.named(NetworkPolicy.class, "taskbus");
    assertTrue(egressReaches(taskbus, kafka, 9092), "taskbus pods may reach Kafka on 9092");
    assertTrue(egressReaches(taskbus, postgres, 5432), "taskbus pods may reach PostgreSQL on 5432");
    for (String name : List.of("kafka", "postgres")) {
      NetworkPolicy policy = all.named(NetworkPolicy.class, name);
      for (var rule : policy.getSpec().getIngress()) {
        for (NetworkPolicyPeer peer : rule.getFrom()) {
          assertNotNull(peer.getPodSelector(), name + " takes traffic from chosen pods only");
          assertTrue(
              pods.values().stream()
                  .anyMatch(
                      p -> Manifests.matches(peer.getPodSelector().getMatchLabels(), labels(p))),
              name + " policy names pods that do not exist: " + peer.getPodSelector());
        }
      }
    }
  }

  // ---- checks shared by every rendering ----

  /**
   * Selectors match their pod labels; every container has probes, resources and non-root settings.
   */
  static void workloadsAreSound(Manifests m) {
    m.all(Deployment.class)
        .forEach(
            d ->
                assertTrue(
                    Manifests.matches(
                        d.getSpec().getSelector().getMatchLabels(),
                        labels(d.getSpec().getTemplate())),
                    "selector of Deployment " + d.getMetadata().getName()));
    m.all(io.fabric8.kubernetes.api.model.apps.StatefulSet.class)
        .forEach(
            s ->
                assertTrue(
                    Manifests.matches(
                        s.getSpec().getSelector().getMatchLabels(),
                        labels(s.getSpec().getTemplate())),
                    "selector of StatefulSet " + s.getMetadata().getName()));
    m.podTemplates()
        .forEach(
            (owner, template) -> {
              PodSpec pod = template.getSpec();
              PodSecurityContext podSecurity = pod.getSecurityContext();
              for (Container c : pod.getContainers()) {
                String where = m + " " + owner + "/" + c.getName();
                if (!owner.startsWith("Job/") && !owner.startsWith("CronJob/")) {
                  for (Probe probe :
                      new Probe[] {
                        c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()
                      }) {
                    assertNotNull(probe, where + " needs startup, liveness and readiness probes");
                    IntOrString port =
                        probe.getHttpGet() != null
                            ? probe.getHttpGet().getPort()
                            : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
                    if (port != null) {
                      assertTrue(
                          hasPort(c, port),
                          where + " probes port " + port + " it does not declare");
                    } else {
                      assertNotNull(probe.getExec(), where + " probe does nothing");
                    }
                  }
                }
                var resources = c.getResources();
                assertNotNull(resources, where + " needs resources");
                for (String r : List.of("cpu", "memory")) {
                  assertNotNull(
                      resources.getRequests().get(r), where + " needs a " + r + " request");
                  assertNotNull(resources.getLimits().get(r), where + " needs a " + r + " limit");
                }
                SecurityContext security = c.getSecurityContext();
                assertNotNull(security, where + " needs a securityContext");
                assertTrue(
                    Boolean.TRUE.equals(security.getRunAsNonRoot())
                        || (podSecurity != null
                            && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot())),
                    where + " runs as non-root");
                Long uid =
                    security.getRunAsUser() != null
                        ? security.getRunAsUser()
                        : podSecurity != null ? podSecurity.getRunAsUser() : null;
                assertTrue(uid != null && uid > 0, where + " needs a numeric non-root user");
                assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where);
                assertEquals(
                    List.of("ALL"),
                    security.getCapabilities().getDrop(),
                    where + " drops every capability");
                assertTrue(
                    podSecurity != null && podSecurity.getSeccompProfile() != null,
                    where + " seccomp profile");
              }
            });
  }

  /** Services select at least one pod template, and their target ports exist in it. */
  static void servicesSelectPodsAndPorts(Manifests m) {
    Map<String, PodTemplateSpec> pods = m.podTemplates();
    for (Service s : m.all(Service.class)) {
      List<PodTemplateSpec> selected =
          pods.values().stream()
              .filter(p -> Manifests.matches(s.getSpec().getSelector(), labels(p)))
              .toList();
      assertFalse(
          selected.isEmpty(), m + ": Service " + s.getMetadata().getName() + " selects no pods");
      for (ServicePort port : s.getSpec().getPorts()) {
        for (PodTemplateSpec p : selected) {
          assertTrue(
              p.getSpec().getContainers().stream().anyMatch(c -> hasPort(c, port.getTargetPort())),
              m
                  + ": Service "
                  + s.getMetadata().getName()
                  + " targets port "
                  + port.getTargetPort()
                  + " no container has");
        }
      }
    }
  }

  /**
   * Every ConfigMap a pod uses is rendered with the keys it names; every Secret key is documented.
   */
  static void configAndSecretsExist(Manifests m) throws Exception {
    Map<String, Set<String>> configMaps = new HashMap<>();
    m.all(ConfigMap.class)
        .forEach(c -> configMaps.put(c.getMetadata().getName(), c.getData().keySet()));
    Map<String, Set<String>> secrets = documentedSecrets();
    m.podTemplates()
        .forEach(
            (owner, template) -> {
              for (Volume v :
                  template.getSpec().getVolumes() == null
                      ? List.<Volume>of()
                      : template.getSpec().getVolumes()) {
                if (v.getConfigMap() != null) {
                  Set<String> keys = configMaps.get(v.getConfigMap().getName());
                  assertNotNull(
                      keys,
                      m
                          + " "
                          + owner
                          + " mounts ConfigMap "
                          + v.getConfigMap().getName()
                          + " that is not rendered");
                  if (v.getConfigMap().getItems() != null) {
                    v.getConfigMap()
                        .getItems()
                        .forEach(
                            i -> assertTrue(keys.contains(i.getKey()), owner + " " + i.getKey()));
                  }
                }
                if (v.getSecret() != null) {
                  assertTrue(
                      secrets.containsKey(v.getSecret().getSecretName()),
                      owner + " mounts an undocumented Secret");
                }
              }
              for (Container c : template.getSpec().getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                  if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    assertTrue(
                        secrets.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
                        m
                            + " "
                            + owner
                            + " reads Secret "
                            + ref.getName()
                            + "/"
                            + ref.getKey()
                            + ", which k8s/secrets.example.yaml does not list");
                  }
                  if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = e.getValueFrom().getConfigMapKeyRef();
                    assertTrue(
                        configMaps.getOrDefault(ref.getName(), Set.of()).contains(ref.getKey()),
                        owner + " " + ref);
                  }
                }
              }
            });
    for (Ingress ingress : m.all(Ingress.class)) {
      ingress
          .getSpec()
          .getTls()
          .forEach(
              t ->
                  assertTrue(
                      secrets.containsKey(t.getSecretName()),
                      "TLS Secret " + t.getSecretName() + " is not in k8s/secrets.example.yaml"));
    }
  }

  /**
   * The image, the environment (each name a configuration key), the mounts and the ports of taskbus
   * pods.
   */
  static void taskbusPodsAreConfigured(Manifests m) throws Exception {
    Set<String> keys = configKeys();
    Map<String, Set<String>> configMaps = new HashMap<>();
    m.all(ConfigMap.class)
        .forEach(c -> configMaps.put(c.getMetadata().getName(), c.getData().keySet()));
    for (Deployment d : m.all(Deployment.class)) {
      PodTemplateSpec template = d.getSpec().getTemplate();
      Container c = taskbus(template);
      String where = m + " " + d.getMetadata().getName();
      assertEquals(IMAGE, c.getImage(), where + " must run the image jib builds");
      assertEquals(
          Boolean.TRUE,
          c.getSecurityContext().getReadOnlyRootFilesystem(),
          where + " read-only root");
      assertEquals(
          65532L, c.getSecurityContext().getRunAsUser(), where + " runs as the image's user");
      for (EnvVar e : c.getEnv()) {
        if (e.getValueFrom() != null
            && e.getValueFrom().getSecretKeyRef() != null
            && "taskbus-kafka".equals(e.getValueFrom().getSecretKeyRef().getName())) {
          assertEquals(
              Boolean.TRUE,
              e.getValueFrom().getSecretKeyRef().getOptional(),
              where + ": " + e.getName() + " must not need the Secret taskbus-kafka");
        }
        if (e.getName().startsWith("TASKBUS_") && !e.getName().equals("TASKBUS_CONFIG")) {
          assertTrue(
              keys.contains(normalise(e.getName().substring("TASKBUS_".length()))),
              where + ": " + e.getName() + " matches no configuration key");
        }
      }
      assertEquals("true", env(c, "TASKBUS_CLUSTER"));
      assertEquals(
          "status.podIP",
          envVar(c, "TASKBUS_HAZELCAST_HOST").getValueFrom().getFieldRef().getFieldPath());
      assertEquals(Integer.parseInt(env(c, "TASKBUS_EVENTBUS_PORT")), port(c, "eventbus"));
      assertEquals(Integer.parseInt(env(c, "TASKBUS_HAZELCAST_PORT")), port(c, "hazelcast"));
      assertEquals(8080, port(c, "http"), "http.port of conf/taskbus.yaml");
      // TASKBUS_CONFIG names a file of the mounted ConfigMap
      Path config = Path.of(env(c, "TASKBUS_CONFIG"));
      VolumeMount mount =
          c.getVolumeMounts().stream()
              .filter(v -> v.getMountPath().equals(config.getParent().toString()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(where + ": nothing mounted at " + config.getParent()));
      Volume volume =
          template.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow();
      Set<String> files = configMaps.get(volume.getConfigMap().getName());
      assertTrue(
          files.contains(config.getFileName().toString()) && files.contains("log4j2.xml"),
          where
              + ": the ConfigMap lacks "
              + config.getFileName()
              + " or log4j2.xml (named by jvm.options)");
      assertTrue(
          c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")),
          where + ": a writable /tmp under the read-only root");
      assertTrue(
          template.getSpec().getTerminationGracePeriodSeconds() > 10,
          where + ": longer than http.shutdownGraceSeconds");
    }
    ConfigMap config =
        m.all(ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().startsWith("taskbus-config"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        Files.readString(Manifests.ROOT.resolve("conf/taskbus.yaml")),
        config.getData().get("taskbus.yaml"));
  }

  static void clusterServiceIsHeadless(Manifests m) {
    Service hz = m.named(Service.class, "taskbus-hazelcast");
    assertEquals("None", hz.getSpec().getClusterIP());
    assertEquals(
        Boolean.TRUE,
        hz.getSpec().getPublishNotReadyAddresses(),
        "members must find each other before they are ready");
    for (Deployment d : m.all(Deployment.class)) {
      assertTrue(
          Manifests.matches(hz.getSpec().getSelector(), labels(d.getSpec().getTemplate())),
          d.getMetadata().getName() + " must be a cluster member");
      assertEquals(
          "taskbus-hazelcast.$(POD_NAMESPACE).svc.cluster.local",
          env(taskbus(d.getSpec().getTemplate()), "TASKBUS_HAZELCAST_DNSSERVICE"));
    }
  }

  static void ingressIsStickyForTheBridge(Manifests m) {
    Map<String, Service> services = new HashMap<>();
    m.all(Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
    boolean eventbus = false;
    for (Ingress ingress : m.all(Ingress.class)) {
      for (var rule : ingress.getSpec().getRules()) {
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
          var backend = path.getBackend().getService();
          Service s = services.get(backend.getName());
          assertNotNull(
              s,
              "Ingress "
                  + ingress.getMetadata().getName()
                  + " sends to a missing Service "
                  + backend.getName());
          assertTrue(
              s.getSpec().getPorts().stream()
                  .anyMatch(p -> p.getName().equals(backend.getPort().getName())),
              "Ingress names a port the Service lacks");
          if (path.getPath().equals("/eventbus")) {
            eventbus = true;
            assertEquals(
                "cookie",
                ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/affinity"),
                "SockJS sessions must be sticky");
            assertEquals("taskbus-bridge", backend.getName());
          }
        }
      }
    }
    assertTrue(eventbus, "an Ingress path for /eventbus");
    // every Service's pods: the bridge Service reaches pods that run the bridge, the API's the api
    for (Deployment d : m.all(Deployment.class)) {
      Set<String> roles =
          Set.of(env(taskbus(d.getSpec().getTemplate()), "TASKBUS_VERTICLES").split(","));
      for (String role : List.of("api", "bridge")) {
        assertEquals(
            roles.contains(role),
            Manifests.matches(
                services.get("taskbus-" + role).getSpec().getSelector(),
                labels(d.getSpec().getTemplate())),
            d.getMetadata().getName() + " and Service taskbus-" + role);
      }
    }
  }

  static void networkPoliciesSelectPods(Manifests m) {
    for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
      assertTrue(
          m.podTemplates().values().stream()
              .anyMatch(
                  t -> Manifests.matches(p.getSpec().getPodSelector().getMatchLabels(), labels(t))),
          m + ": NetworkPolicy " + p.getMetadata().getName() + " selects no pods");
    }
    NetworkPolicy taskbus = m.named(NetworkPolicy.class, "taskbus");
    assertEquals(List.of("Ingress", "Egress"), taskbus.getSpec().getPolicyTypes());
    for (Deployment d : m.all(Deployment.class)) {
      assertTrue(
          egressReaches(taskbus, d.getSpec().getTemplate(), 5701)
              && egressReaches(taskbus, d.getSpec().getTemplate(), 5702),
          "cluster traffic between members");
    }
  }

  // ---- helpers ----

  static boolean egressReaches(NetworkPolicy policy, PodTemplateSpec target, int port) {
    return policy.getSpec().getEgress().stream()
        .anyMatch(
            rule ->
                rule.getPorts().stream()
                        .anyMatch(
                            p -> p.getPort().getIntVal() != null && p.getPort().getIntVal() == port)
                    && rule.getTo().stream()
                        .anyMatch(
                            peer ->
                                peer.getNamespaceSelector() == null
                                    && peer.getPodSelector() != null
                                    && Manifests.matches(
                                        peer.getPodSelector().getMatchLabels(), labels(target))));
  }

  static Map<String, Set<String>> documentedSecrets() throws Exception {
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    for (HasMetadata o :
        Manifests.parse(Files.readString(Manifests.K8S.resolve("secrets.example.yaml")))) {
      var secret = (io.fabric8.kubernetes.api.model.Secret) o;
      secrets.put(secret.getMetadata().getName(), secret.getStringData().keySet());
    }
    return secrets;
  }

  /** Every leaf key of conf/taskbus.yaml, normalised as ConfigLoader matches environment names. */
  static Set<String> configKeys() throws Exception {
    Map<String, Object> yaml =
        new Yaml().load(Files.readString(Manifests.ROOT.resolve("conf/taskbus.yaml")));
    Set<String> keys = new HashSet<>();
    collect(yaml, "", keys);
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<String, Object> node, String prefix, Set<String> keys) {
    node.forEach(
        (k, v) -> {
          if (v instanceof Map) {
            collect((Map<String, Object>) v, prefix + k + ".", keys);
          } else {
            keys.add(normalise(prefix + k));
          }
        });
  }

  static String normalise(String name) {
    return name.replace("_", "").replace(".", "").toLowerCase(Locale.ROOT);
  }

  static Set<String> roles(Manifests m, String deployment) {
    return Set.of(
        env(
                taskbus(m.named(Deployment.class, deployment).getSpec().getTemplate()),
                "TASKBUS_VERTICLES")
            .split(","));
  }

  static Map<String, String> labels(PodTemplateSpec template) {
    return template.getMetadata().getLabels();
  }

  static Container taskbus(PodTemplateSpec template) {
    return template.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("taskbus"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no taskbus container"));
  }

  static EnvVar envVar(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
  }

  static String env(Container c, String name) {
    return envVar(c, name).getValue();
  }

  static int port(Container c, String name) {
    return c.getPorts().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .map(ContainerPort::getContainerPort)
        .orElseThrow(() -> new AssertionError("no port " + name));
  }

  static boolean hasPort(Container c, IntOrString port) {
    if (c.getPorts() == null) {
      return false;
    }
    return port.getStrVal() != null
        ? c.getPorts().stream().anyMatch(p -> port.getStrVal().equals(p.getName()))
        : c.getPorts().stream().anyMatch(p -> port.getIntVal().equals(p.getContainerPort()));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    if (spec == null) {
      fail(r.getKind() + " has no spec");
    }
    return (Map<String, Object>) spec;
  }
}
