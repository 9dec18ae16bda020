package io.taskbus.image;

import static io.taskbus.image.ManifestsTest.env;
import static io.taskbus.image.ManifestsTest.envVar;
import static io.taskbus.image.ManifestsTest.labels;
import static io.taskbus.image.ManifestsTest.render;
import static io.taskbus.image.ManifestsTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The backups: k8s/postgres dumps its database every night with the server's own pg_dump and
 * credentials, k8s/postgres/restore reads those dumps back, and k8s/postgres-cnpg archives to
 * object storage with a nightly base backup.
 */
class BackupManifestsTest {

  @Test
  void theCronJobDumpsTheStatefulSetsDatabaseWithItsOwnImageAndSecret() throws Exception {
    Manifests m = render("postgres");
    PodTemplateSpec server = m.named(StatefulSet.class, "postgres").getSpec().getTemplate();
    CronJob cron = m.named(CronJob.class, "postgres-backup");
    assertEquals("Forbid", cron.getSpec().getConcurrencyPolicy(), "one dump at a time");
    PodTemplateSpec dump = cron.getSpec().getJobTemplate().getSpec().getTemplate();

    String script = readsTheServer(m, server, dump, "backup.sh");
    assertTrue(script.contains("pg_dump --format=custom"), "pg_dump -Fc");
    assertTrue(script.contains("KEEP"), "keeps the newest KEEP dumps");
    Container container = dump.getSpec().getContainers().get(0);
    assertTrue(Integer.parseInt(env(container, "KEEP")) >= 1);
    assertEquals(
        "/backups",
        mountOf(dump, container, "postgres-backups").getMountPath(),
        "the dumps go to their volume");
    assertEquals("/backups", env(container, "BACKUP_DIR"));
    assertEquals(
        1,
        m.all(PersistentVolumeClaim.class).stream()
            .filter(c -> c.getMetadata().getName().equals("postgres-backups"))
            .count(),
        "k8s/postgres makes the dumps' volume");
  }

  @Test
  void theRestoreJobReadsTheDumpsIntoTheSameServer() throws Exception {
    Manifests m = render("postgres").plus(render("postgres/restore"));
    ManifestsTest.workloadsAreSound(m);
    ManifestsTest.configAndSecretsExist(m);
    PodTemplateSpec server = m.named(StatefulSet.class, "postgres").getSpec().getTemplate();
    Job job = m.named(Job.class, "postgres-restore");
    assertEquals(0, job.getSpec().getBackoffLimit(), "a failed restore is looked at, not retried");
    PodTemplateSpec restore = job.getSpec().getTemplate();

    String script = readsTheServer(m, server, restore, "restore.sh");
    assertTrue(script.contains("pg_restore --clean --if-exists --single-transaction"));
    Container container = restore.getSpec().getContainers().get(0);
    VolumeMount dumps = mountOf(restore, container, "postgres-backups");
    assertEquals(Boolean.TRUE, dumps.getReadOnly());
    assertEquals(env(container, "BACKUP_DIR"), dumps.getMountPath());
  }

  @Test
  void cloudNativePgArchivesToAnS3BucketAndBacksUpNightly() throws Exception {
    Manifests m = render("postgres-cnpg");
    GenericKubernetesResource cluster = (GenericKubernetesResource) m.ofKind("Cluster").get(0);
    Map<String, Object> backup = map(spec(cluster).get("backup"));
    assertTrue(
        String.valueOf(backup.get("retentionPolicy")).matches("[1-9][0-9]*[dwm]"),
        "a retention policy: " + backup.get("retentionPolicy"));
    Map<String, Object> store = map(backup.get("barmanObjectStore"));
    assertTrue(String.valueOf(store.get("destinationPath")).startsWith("s3://"));
    Map<String, Set<String>> documented = ManifestsTest.documentedSecrets();
    Map<String, Object> credentials = map(store.get("s3Credentials"));
    for (String key : Set.of("accessKeyId", "secretAccessKey")) {
      Map<String, Object> ref = map(credentials.get(key));
      assertTrue(
          documented.getOrDefault((String) ref.get("name"), Set.of()).contains(ref.get("key")),
          key + " comes from a Secret k8s/secrets.example.yaml lists: " + ref);
    }

    GenericKubernetesResource scheduled =
        (GenericKubernetesResource) m.ofKind("ScheduledBackup").get(0);
    assertEquals(cluster.getMetadata().getName(), map(spec(scheduled).get("cluster")).get("name"));
    assertEquals("barmanObjectStore", spec(scheduled).get("method"));
    assertEquals(
        6,
        String.valueOf(spec(scheduled).get("schedule")).trim().split("\\s+").length,
        "CloudNativePG's schedules have seconds first");
  }

  // ---- helpers ----

  /**
   * A dump or restore pod runs the server's own image (the official postgres image, which has
   * pg_dump and pg_restore of the server's version) as the server's user, reaches it through the
   * Service that selects it with the Secret the server reads its password from, and is let in by
   * its NetworkPolicy. Returns the script it runs, from its rendered ConfigMap.
   */
  static String readsTheServer(
      Manifests m, PodTemplateSpec server, PodTemplateSpec client, String scriptName) {
    Container postgres = server.getSpec().getContainers().get(0);
    Container c = client.getSpec().getContainers().get(0);
    assertEquals(postgres.getImage(), c.getImage(), "the server's own image");
    assertTrue(c.getImage().startsWith("postgres:"), "the official image: " + c.getImage());
    assertEquals(
        server.getSpec().getSecurityContext().getRunAsUser(),
        client.getSpec().getSecurityContext().getRunAsUser());
    SecretKeySelector password =
        envVar(postgres, "POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef();
    SecretKeySelector read = envVar(c, "PGPASSWORD").getValueFrom().getSecretKeyRef();
    assertEquals(password.getName(), read.getName(), "the server's Secret");
    assertEquals(password.getKey(), read.getKey());
    assertEquals(env(postgres, "POSTGRES_USER"), env(c, "PGUSER"));
    assertEquals(env(postgres, "POSTGRES_DB"), env(c, "PGDATABASE"));
    Service service = m.named(Service.class, env(c, "PGHOST"));
    assertTrue(Manifests.matches(service.getSpec().getSelector(), labels(server)));
    assertTrue(
        m.named(NetworkPolicy.class, "postgres").getSpec().getIngress().stream()
            .anyMatch(
                rule ->
                    rule.getPorts().stream()
                            .anyMatch(p -> Integer.valueOf(5432).equals(p.getPort().getIntVal()))
                        && rule.getFrom().stream()
                            .anyMatch(
                                peer ->
                                    peer.getPodSelector() != null
                                        && Manifests.matches(
                                            peer.getPodSelector().getMatchLabels(),
                                            labels(client)))),
        "the PostgreSQL NetworkPolicy lets the pod in");

    // the command runs the script from the mounted ConfigMap
    Path script = Path.of(c.getCommand().get(c.getCommand().size() - 1));
    assertEquals(scriptName, script.getFileName().toString());
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(v -> v.getMountPath().equals(script.getParent().toString()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + script.getParent()));
    Volume volume = volume(client, mount.getName());
    assertNotNull(volume.getConfigMap(), script + " comes from a ConfigMap");
    String text =
        m.named(ConfigMap.class, volume.getConfigMap().getName()).getData().get(scriptName);
    assertNotNull(text, "the ConfigMap holds " + scriptName);
    return text;
  }

  /** Where the container mounts the volume backed by the claim {@code claim}. */
  static VolumeMount mountOf(PodTemplateSpec pod, Container c, String claim) {
    Volume volume =
        pod.getSpec().getVolumes().stream()
            .filter(
                v ->
                    v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim().getClaimName().equals(claim))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no volume of the claim " + claim));
    return c.getVolumeMounts().stream()
        .filter(mount -> mount.getName().equals(volume.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(claim + " is not mounted"));
  }

  static Volume volume(PodTemplateSpec pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, "expected an object, got " + o);
    return (Map<String, Object>) o;
  }
}
