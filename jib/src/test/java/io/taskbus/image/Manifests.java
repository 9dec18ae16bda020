package io.taskbus.image;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The objects a kustomization renders to, parsed with the fabric8 Kubernetes model. */
final class Manifests {

  static final Path ROOT =
      Path.of(System.getProperty("taskbus.root", "..")).toAbsolutePath().normalize();
  static final Path K8S = ROOT.resolve("k8s");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final String name;
  final List<HasMetadata> objects;

  private Manifests(String name, List<HasMetadata> objects) {
    this.name = name;
    this.objects = objects;
  }

  /** kubectl on PATH, or empty (then the rendering tests are skipped, loudly). */
  static Optional<Path> kubectl() {
    return onPath("kubectl");
  }

  /** An executable of that name in a directory of PATH, or empty. */
  static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** {@code kubectl kustomize k8s/<dir>}: the plain render an operator's apply -k does. */
  static Manifests render(String dir) throws IOException, InterruptedException {
    return new Manifests(dir, parse(renderYaml(dir)));
  }

  /** The rendered YAML of {@code kubectl kustomize k8s/<dir>}, every object a document. */
  static String renderYaml(String dir) throws IOException, InterruptedException {
    Path kubectl = kubectl().orElseThrow();
    Path out = Files.createTempFile("kustomize-", ".yaml");
    Path err = Files.createTempFile("kustomize-", ".err");
    try {
      Process p =
          new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve(dir).toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize k8s/" + dir + " failed: " + Files.readString(err));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Built-in kinds as their fabric8 classes; custom resources as {@link GenericKubernetesResource}
   * whatever models are on the class path (StrictManifests checks those against their schemas).
   */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : documents(yaml)) {
      HasMetadata object = SERIALIZATION.unmarshal(doc, HasMetadata.class);
      objects.add(
          isBuiltIn(object.getClass())
              ? object
              : SERIALIZATION.unmarshal(doc, GenericKubernetesResource.class));
    }
    return objects;
  }

  static List<String> documents(String yaml) {
    return Arrays.stream(yaml.split("(?m)^---\\s*$")).filter(d -> !d.isBlank()).toList();
  }

  /** A kind of Kubernetes itself, as fabric8's model of it knows it. */
  static boolean isBuiltIn(Class<?> type) {
    return type != GenericKubernetesResource.class
        && type.getName().startsWith("io.fabric8.kubernetes.api.model.");
  }

  Manifests plus(Manifests other) {
    List<HasMetadata> all = new ArrayList<>(objects);
    all.addAll(other.objects);
    return new Manifests(name + "+" + other.name, all);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  List<HasMetadata> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  <T extends HasMetadata> T named(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(type.getSimpleName() + " " + name + " missing in " + this.name));
  }

  /** Every pod template (Deployments, StatefulSets, Jobs, CronJobs) by the name of its owner. */
  Map<String, PodTemplateSpec> podTemplates() {
    Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
    all(Deployment.class)
        .forEach(
            d ->
                templates.put(
                    "Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
    all(StatefulSet.class)
        .forEach(
            s ->
                templates.put(
                    "StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
    all(Job.class)
        .forEach(j -> templates.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate()));
    all(CronJob.class)
        .forEach(
            c ->
                templates.put(
                    "CronJob/" + c.getMetadata().getName(),
                    c.getSpec().getJobTemplate().getSpec().getTemplate()));
    return templates;
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && labels != null
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  @Override
  public String toString() {
    return name;
  }
}
