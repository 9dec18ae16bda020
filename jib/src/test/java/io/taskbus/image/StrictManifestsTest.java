package io.taskbus.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object of every kustomization under k8s/ (found by walking the tree, so a new one is
 * checked without being listed), rendered as {@code kubectl apply -k} renders it, has only fields
 * its kind knows, with values of their types ({@link StrictManifests}). The second half shows that
 * the check finds what it is for.
 */
class StrictManifestsTest {

  static List<String> kustomizations() throws IOException {
    try (Stream<Path> files = Files.walk(Manifests.K8S)) {
      return files
          .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
          .map(f -> Manifests.K8S.relativize(f.getParent()).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void theWalkFindsEveryKustomization() throws IOException {
    assertTrue(
        kustomizations()
            .containsAll(
                List.of(
                    "base",
                    "base/app",
                    "namespace",
                    "overlays/single",
                    "overlays/split",
                    "overlays/split/workers",
                    "overlays/quickstart",
                    "postgres",
                    "postgres/server",
                    "postgres/backup",
                    "postgres/restore",
                    "postgres-cnpg",
                    "kafka-plain",
                    "kafka-plain/broker",
                    "kafka-strimzi",
                    "monitoring")),
        "found " + kustomizations());
  }

  @ParameterizedTest(name = "k8s/{0}")
  @MethodSource("kustomizations")
  void everyRenderedObjectHasOnlyKnownFields(String dir) throws Exception {
    Assumptions.assumeTrue(
        Manifests.kubectl().isPresent(),
        "SKIPPED: kubectl is not on PATH, so k8s/" + dir + " was not rendered");
    String yaml = Manifests.renderYaml(dir);
    assertFalse(Manifests.documents(yaml).isEmpty(), "k8s/" + dir + " renders nothing");
    assertEquals(List.of(), StrictManifests.problems(yaml), "k8s/" + dir);
  }

  // ---- the check itself ----

  static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        replicas: 2
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: web:1
                ports:
                  - name: http
                    containerPort: 8080
                resources:
                  limits: {memory: 256Mi}
                readinessProbe:
                  httpGet: {path: /ready, port: http}
      """;

  @Test
  void aMisspelledOrMistypedFieldOfABuiltInKindIsAProblem() throws IOException {
    assertEquals(List.of(), StrictManifests.problems(DEPLOYMENT));
    rejected(DEPLOYMENT.replace("  replicas: 2", "  replica: 2"), "Deployment web.spec.replica");
    rejected(
        DEPLOYMENT.replace("containerPort: 8080", "containerPorts: 8080"),
        "spec.template.spec.containers[0].ports[0].containerPorts");
    rejected(DEPLOYMENT.replace("replicas: 2", "replicas: \"2\""), "Deployment web.spec.replicas");
    rejected(DEPLOYMENT.replace("httpGet:", "httpGets:"), "readinessProbe.httpGets");
    rejected(DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet"), "no kind of Kubernetes");
    rejected(DEPLOYMENT.replace("apps/v1", "apps/v2"), "no kind of Kubernetes");
  }

  static final String KAFKA =
      """
      apiVersion: kafka.strimzi.io/v1beta2
      kind: Kafka
      metadata:
        name: kafka
      spec:
        kafka:
          version: 3.9.0
          listeners:
            - {name: plain, port: 9092, type: internal, tls: false}
          config:
            min.insync.replicas: 2
        entityOperator:
          topicOperator: {}
      """;

  static final String POD_MONITOR =
      """
      apiVersion: monitoring.coreos.com/v1
      kind: PodMonitor
      metadata:
        name: taskbus
      spec:
        selector:
          matchLabels: {app: web}
        podMetricsEndpoints:
          - {port: http, path: /metrics, interval: 15s}
      """;

  @Test
  void aMisspelledFieldOfAModelledCustomResourceIsAProblem() throws IOException {
    assertEquals(List.of(), StrictManifests.problems(KAFKA));
    assertEquals(List.of(), StrictManifests.problems(POD_MONITOR));
    rejected(KAFKA.replace("listeners:", "listener:"), "Kafka kafka.spec.kafka.listener");
    rejected(KAFKA.replace("tls: false", "tsl: false"), "listeners[0].tsl");
    rejected(KAFKA.replace("topicOperator", "topicOperater"), "entityOperator.topicOperater");
    rejected(
        POD_MONITOR.replace("podMetricsEndpoints", "podMetricEndpoints"),
        "PodMonitor taskbus.spec.podMetricEndpoints");
  }

  static final String CNPG_CLUSTER =
      """
      apiVersion: postgresql.cnpg.io/v1
      kind: Cluster
      metadata:
        name: pg
      spec:
        instances: 2
        storage: {size: 1Gi}
        resources:
          requests: {cpu: 100m}
        backup:
          retentionPolicy: 30d
          barmanObjectStore:
            destinationPath: s3://bucket/pg
            s3Credentials:
              accessKeyId: {name: creds, key: ID}
              secretAccessKey: {name: creds, key: SECRET}
      ---
      apiVersion: postgresql.cnpg.io/v1
      kind: ScheduledBackup
      metadata:
        name: nightly
      spec:
        schedule: "0 0 3 * * *"
        cluster: {name: pg}
      """;

  @Test
  void aMisspelledFieldOfACloudNativePgResourceIsAProblem() throws IOException {
    assertEquals(List.of(), StrictManifests.problems(CNPG_CLUSTER));
    rejected(CNPG_CLUSTER.replace("instances:", "instance:"), "Cluster pg.spec.instance");
    rejected(
        CNPG_CLUSTER.replace("retentionPolicy", "retentionPolicies"),
        "Cluster pg.spec.backup.retentionPolicies");
    rejected(
        CNPG_CLUSTER.replace("{name: creds, key: ID}", "{name: creds, keys: ID}"),
        "s3Credentials.accessKeyId.keys");
    rejected(
        CNPG_CLUSTER.replace("requests: {cpu", "request: {cpu"),
        "Cluster pg.spec.resources.request");
    rejected(CNPG_CLUSTER.replace("schedule:", "schedul:"), "ScheduledBackup nightly.spec.schedul");
    rejected(CNPG_CLUSTER.replace("  name: nightly", "  nam: nightly"), "ScheduledBackup");
  }

  private static void rejected(String yaml, String expected) throws IOException {
    List<String> problems = StrictManifests.problems(yaml);
    assertTrue(
        problems.stream().anyMatch(p -> p.contains(expected)),
        "expected a problem at " + expected + ", got " + problems);
  }
}
