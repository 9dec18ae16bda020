package io.taskbus.image;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Judges rendered manifests field by field, as the API server's schemas would, but before any
 * cluster sees them. fabric8's own parsing is lenient: every model class keeps a field it does not
 * know in {@code additionalProperties} (a {@code @JsonAnySetter}), so {@code replica: 2} in a
 * Deployment would pass it silently and the Deployment would run one pod. Here that any-setter is
 * removed, unknown fields fail ({@code FAIL_ON_UNKNOWN_PROPERTIES}) and so do scalars of the wrong
 * type ({@code replicas: "2"}).
 *
 * <p>Kinds of Kubernetes itself are read into their fabric8 class. A kind fabric8 does not know is
 * a problem unless it is one of the custom resources below, each checked against the model of its
 * CRD:
 *
 * <ul>
 *   <li>Strimzi's Kafka, KafkaNodePool, KafkaTopic, KafkaUser: Strimzi's own model of its CRDs
 *       ({@code io.strimzi:api} on Maven Central, the classes its CRDs are generated from);
 *   <li>the Prometheus Operator's PodMonitor, ServiceMonitor, PrometheusRule: fabric8's model
 *       generated from those CRDs' OpenAPI schemas ({@code io.fabric8:openshift-model-monitoring});
 *   <li>CloudNativePG's Cluster and ScheduledBackup: CloudNativePG publishes neither a model nor
 *       its CRDs on Maven Central or npm, so {@link #CNPG} is a hand-written list of their fields:
 *       every top-level field of {@code spec} (CloudNativePG 1.26 to 1.30), and the fields below it
 *       for the sections k8s/ uses (backup, bootstrap, storage, postgresql, monitoring); the others
 *       are not looked into.
 * </ul>
 */
final class StrictManifests {

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .addModule(new SimpleModule("no-any-setter").setDeserializerModifier(new NoAnySetter()))
          .build();

  /**
   * Anything at all: a part of a custom resource no field list looks into. (Declared before the
   * field lists that use it: static fields are set in the order they are written.)
   */
  static final Check ANY = (node, path, problems) -> {};

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KINDS = new KubernetesSerialization();

  /** Custom resources with a model on Maven Central, by apiVersion and kind. */
  static final Map<String, Class<?>> MODELS =
      Map.of(
          "kafka.strimzi.io/v1beta2 Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class,
          "kafka.strimzi.io/v1beta2 KafkaNodePool",
              io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
          "kafka.strimzi.io/v1beta2 KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class,
          "kafka.strimzi.io/v1beta2 KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class,
          "monitoring.coreos.com/v1 PodMonitor",
              io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class,
          "monitoring.coreos.com/v1 ServiceMonitor",
              io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class,
          "monitoring.coreos.com/v1 PrometheusRule",
              io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class);

  private static final Check SECRET_KEY = fields("name", "key");

  private static final Check BARMAN_OBJECT_STORE =
      fields(
              "destinationPath",
              "endpointURL",
              "endpointCA",
              "serverName",
              "tags",
              "historyTags",
              "azureCredentials",
              "googleCredentials",
              "s3Credentials",
              "wal",
              "data")
          .with(
              "s3Credentials",
              fields(
                      "accessKeyId",
                      "secretAccessKey",
                      "region",
                      "sessionToken",
                      "inheritFromIAMRole")
                  .with("accessKeyId", SECRET_KEY)
                  .with("secretAccessKey", SECRET_KEY)
                  .with("region", SECRET_KEY)
                  .with("sessionToken", SECRET_KEY))
          .with(
              "wal",
              fields(
                  "compression",
                  "encryption",
                  "maxParallel",
                  "archiveAdditionalCommandArgs",
                  "restoreAdditionalCommandArgs"))
          .with(
              "data",
              fields(
                  "compression",
                  "encryption",
                  "immediateCheckpoint",
                  "jobs",
                  "additionalCommandArgs",
                  "restoreAdditionalCommandArgs"));

  /**
   * The Cluster's spec (postgresql.cnpg.io/v1), written by hand from CloudNativePG's CRD (1.26 to
   * 1.30): a field CloudNativePG adds later needs adding here.
   */
  private static final Check CNPG_CLUSTER_SPEC =
      fields(
              "affinity",
              "backup",
              "bootstrap",
              "certificates",
              "description",
              "enablePDB",
              "enableSuperuserAccess",
              "env",
              "envFrom",
              "ephemeralVolumeSource",
              "ephemeralVolumesSizeLimit",
              "externalClusters",
              "failoverDelay",
              "imageCatalogRef",
              "imageName",
              "imagePullPolicy",
              "imagePullSecrets",
              "inheritedMetadata",
              "instances",
              "livenessProbeTimeout",
              "logLevel",
              "managed",
              "maxSyncReplicas",
              "minSyncReplicas",
              "monitoring",
              "nodeMaintenanceWindow",
              "plugins",
              "podSecurityContext",
              "podSelectorRefs",
              "postgresGID",
              "postgresUID",
              "postgresql",
              "primaryLease",
              "primaryUpdateMethod",
              "primaryUpdateStrategy",
              "priorityClassName",
              "probes",
              "projectedVolumeTemplate",
              "replica",
              "replicationSlots",
              "resources",
              "schedulerName",
              "seccompProfile",
              "securityContext",
              "serviceAccountName",
              "serviceAccountTemplate",
              "smartShutdownTimeout",
              "startDelay",
              "stopDelay",
              "storage",
              "superuserSecret",
              "switchoverDelay",
              "tablespaces",
              "topologySpreadConstraints",
              "walStorage")
          .with(
              "backup",
              fields("barmanObjectStore", "retentionPolicy", "target", "volumeSnapshot")
                  .with("barmanObjectStore", BARMAN_OBJECT_STORE))
          .with(
              "bootstrap",
              fields("initdb", "recovery", "pg_basebackup")
                  .with(
                      "initdb",
                      fields(
                          "database",
                          "owner",
                          "secret",
                          "options",
                          "dataChecksums",
                          "encoding",
                          "locale",
                          "localeCollate",
                          "localeCType",
                          "localeProvider",
                          "icuLocale",
                          "icuRules",
                          "builtinLocale",
                          "walSegmentSize",
                          "import",
                          "postInitSQL",
                          "postInitSQLRefs",
                          "postInitApplicationSQL",
                          "postInitApplicationSQLRefs",
                          "postInitTemplateSQL",
                          "postInitTemplateSQLRefs"))
                  .with(
                      "recovery",
                      fields(
                          "backup",
                          "database",
                          "owner",
                          "recoveryTarget",
                          "secret",
                          "source",
                          "volumeSnapshots")))
          .with(
              "externalClusters",
              fields(
                      "name",
                      "barmanObjectStore",
                      "connectionParameters",
                      "password",
                      "plugin",
                      "sslCert",
                      "sslKey",
                      "sslRootCert")
                  .with("barmanObjectStore", BARMAN_OBJECT_STORE))
          .with(
              "storage",
              fields("size", "storageClass", "resizeInUseVolumes", "pvcTemplate")
                  .with("pvcTemplate", model(PersistentVolumeClaimSpec.class)))
          .with(
              "postgresql",
              fields(
                  "parameters",
                  "pg_hba",
                  "pg_ident",
                  "shared_preload_libraries",
                  "ldap",
                  "synchronous",
                  "syncReplicaElectionConstraint",
                  "promotionTimeout",
                  "enableAlterSystem",
                  "extensions"))
          .with(
              "monitoring",
              fields(
                  "enablePodMonitor",
                  "customQueriesConfigMap",
                  "customQueriesSecret",
                  "disableDefaultQueries",
                  "metricsQueriesTTL",
                  "podMonitorMetricRelabelings",
                  "podMonitorRelabelings",
                  "tls"))
          .with("resources", model(ResourceRequirements.class));

  /** CloudNativePG's kinds, by apiVersion and kind: their spec's fields. */
  static final Map<String, Check> CNPG =
      Map.of(
          "postgresql.cnpg.io/v1 Cluster",
          CNPG_CLUSTER_SPEC,
          "postgresql.cnpg.io/v1 ScheduledBackup",
          fields(
                  "backupOwnerReference",
                  "cluster",
                  "immediate",
                  "method",
                  "online",
                  "onlineConfiguration",
                  "pluginConfiguration",
                  "schedule",
                  "suspend",
                  "target")
              .with("cluster", fields("name")));

  private StrictManifests() {}

  /**
   * Every problem of every object in a rendered stream of YAML documents, each naming its object.
   */
  static List<String> problems(String renderedYaml) throws IOException {
    List<String> problems = new ArrayList<>();
    for (String doc : Manifests.documents(renderedYaml)) {
      problems.addAll(problems(YAML.readTree(doc)));
    }
    return problems;
  }

  /** The problems of one object: empty when every field is known and of its type. */
  static List<String> problems(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    String type = apiVersion + " " + kind;
    String where = kind + " " + object.path("metadata").path("name").asText();
    List<String> problems = new ArrayList<>();
    if (MODELS.containsKey(type)) {
      model(MODELS.get(type)).check(object, where, problems);
    } else if (CNPG.containsKey(type)) {
      Shape resource =
          fields("apiVersion", "kind", "metadata", "spec")
              .with("metadata", model(ObjectMeta.class))
              .with("spec", CNPG.get(type));
      resource.check(object, where, problems);
    } else {
      Class<?> builtIn = builtInKind(object);
      if (builtIn == null) {
        problems.add(
            where
                + ": "
                + type
                + " is no kind of Kubernetes fabric8 knows, nor a custom resource"
                + " StrictManifests lists");
      } else {
        model(builtIn).check(object, where, problems);
      }
    }
    return problems;
  }

  private static Class<?> builtInKind(JsonNode object) {
    try {
      Class<?> type = KINDS.convertValue(object, HasMetadata.class).getClass();
      return Manifests.isBuiltIn(type) ? type : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What a node may hold, checked at a path. */
  interface Check {
    void check(JsonNode node, String path, List<String> problems);
  }

  /** The node read strictly into a model class. */
  static Check model(Class<?> type) {
    return (node, path, problems) -> {
      try {
        STRICT.treeToValue(node, type);
      } catch (JsonMappingException e) {
        problems.add(
            path + pathOf(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
      } catch (IOException | IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
      }
    };
  }

  /** An object with exactly these fields allowed, none looked into (use {@link Shape#with}). */
  static Shape fields(String... names) {
    Map<String, Check> fields = new LinkedHashMap<>();
    for (String name : names) {
      fields.put(name, ANY);
    }
    return new Shape(fields);
  }

  /** An object's allowed fields, each with its own check; a list has one of them per item. */
  static final class Shape implements Check {
    private final Map<String, Check> fields;

    private Shape(Map<String, Check> fields) {
      this.fields = fields;
    }

    /** The same fields, {@code name} (one of them) checked by {@code check}. */
    Shape with(String name, Check check) {
      if (!fields.containsKey(name)) {
        throw new IllegalArgumentException(name + " is not one of " + fields.keySet());
      }
      Map<String, Check> copy = new LinkedHashMap<>(fields);
      copy.put(name, check);
      return new Shape(copy);
    }

    @Override
    public void check(JsonNode node, String path, List<String> problems) {
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          check(node.get(i), path + "[" + i + "]", problems);
        }
        return;
      }
      if (!node.isObject()) {
        problems.add(path + ": expected an object with " + fields.keySet());
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        Check check = fields.get(field.getKey());
        if (check == null) {
          problems.add(
              path + "." + field.getKey() + ": unknown field (allowed: " + fields.keySet() + ")");
        } else {
          check.check(field.getValue(), path + "." + field.getKey(), problems);
        }
      }
    }
  }

  private static String pathOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
  }

  /** Takes away the model classes' catch-all for unknown fields. */
  private static final class NoAnySetter extends BeanDeserializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public BeanDeserializerBuilder updateBuilder(
        DeserializationConfig config,
        BeanDescription description,
        BeanDeserializerBuilder builder) {
      builder.setAnySetter(null);
      return builder;
    }
  }
}
