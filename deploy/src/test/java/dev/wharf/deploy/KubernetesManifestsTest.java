package dev.wharf.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the Kubernetes manifests under deploy/k8s: that they are complete (kustomization), that
 * the Deployment rolls out and shuts down the way a Pekko cluster needs, that cluster bootstrap can
 * discover the pods, and that the environment follows Wharf's cluster-mode contract.
 *
 * <p>Runs with the deploy module as working directory (surefire's default), hence {@code k8s}.
 */
class KubernetesManifestsTest {

  private static final Path K8S = Path.of("k8s");
  private static final String KUSTOMIZATION = "kustomization.yaml";
  private static final String CONTAINER = "wharf";
  private static final YAMLMapper YAML = new YAMLMapper();

  /** Every document of every manifest file, the kustomization excepted. */
  private static final List<Manifest> manifests = new ArrayList<>();

  private static Path kustomizationFile;
  private static JsonNode kustomization;

  /** One YAML document and the file it came from, so failures can say where to look. */
  record Manifest(Path file, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText("");
    }

    String name() {
      return doc.path("metadata").path("name").asText("");
    }

    String where() {
      return file + " (" + kind() + " " + name() + ")";
    }
  }

  /** An environment variable as the container will see it, and where it was defined. */
  record EnvVar(String name, JsonNode spec, String origin) {}

  @BeforeAll
  static void load() throws IOException {
    assertTrue(Files.isDirectory(K8S), "no k8s directory under " + Path.of("").toAbsolutePath());
    manifests.clear();
    for (Path file : yamlFiles()) {
      List<JsonNode> docs = readDocuments(file);
      if (file.getFileName().toString().equals(KUSTOMIZATION)) {
        assertEquals(1, docs.size(), file + ": expected one document");
        kustomizationFile = file;
        kustomization = docs.get(0);
      } else {
        docs.forEach(doc -> manifests.add(new Manifest(file, doc)));
      }
    }
    assertNotNull(kustomization, K8S.resolve(KUSTOMIZATION) + " is missing");
  }

  // ---------------------------------------------------------------- files and documents

  @Test
  void everyDocumentHasApiVersionKindAndName() {
    assertFalse(manifests.isEmpty(), "no manifests under " + K8S);
    for (Manifest m : manifests) {
      assertFalse(m.doc().path("apiVersion").asText("").isBlank(), m.file() + ": a document has no apiVersion");
      assertFalse(m.kind().isBlank(), m.file() + ": a document has no kind");
      assertFalse(m.name().isBlank(), m.file() + ": a " + m.kind() + " has no metadata.name");
    }
  }

  @Test
  void kustomizationListsEveryFileAndOnlyExistingFiles() throws IOException {
    assertEquals("Kustomization", kustomization.path("kind").asText(), kustomizationFile + ": kind");
    Set<String> listed = new TreeSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    Set<String> files = new TreeSet<>();
    for (Path file : yamlFiles()) {
      if (!file.getFileName().toString().equals(KUSTOMIZATION)) {
        files.add(file.getFileName().toString());
      }
    }
    assertEquals(Set.of(), difference(files, listed), kustomizationFile + ": files missing from resources");
    assertEquals(Set.of(), difference(listed, files), kustomizationFile + ": resources that are not files in " + K8S);
  }

  @Test
  void namespacedDocumentsShareTheKustomizationNamespace() {
    String namespace = kustomization.path("namespace").asText("");
    assertFalse(namespace.isBlank(), kustomizationFile + ": namespace is not set");
    for (Manifest m : manifests) {
      if (m.kind().equals("Namespace")) {
        assertEquals(namespace, m.name(), m.where() + ": metadata.name");
      } else {
        String own = m.doc().path("metadata").path("namespace").asText(namespace);
        assertEquals(namespace, own, m.where() + ": metadata.namespace");
      }
    }
  }

  @Test
  void valuesKubernetesWantsAsStringsAreQuoted() {
    for (Manifest m : all("ConfigMap")) {
      assertAllStrings(m.doc().path("data"), m.where() + ": data");
    }
    for (Manifest m : manifests) {
      assertAllStrings(m.doc().path("metadata").path("annotations"), m.where() + ": metadata.annotations");
    }
    Manifest deployment = deployment();
    assertAllStrings(podTemplate().path("metadata").path("annotations"),
        deployment.where() + ": spec.template.metadata.annotations");
    for (JsonNode env : container().path("env")) {
      if (env.has("value")) {
        assertTrue(env.get("value").isTextual(),
            deployment.where() + ": env " + env.path("name").asText() + " must be a quoted string");
      }
    }
  }

  // ---------------------------------------------------------------- rollout and shutdown

  @Test
  void deploymentRunsThreeReplicas() {
    assertEquals(3, deployment().doc().path("spec").path("replicas").asInt(-1), deployment().where() + ": spec.replicas");
  }

  @Test
  void rollingUpdateStartsTheNewNodeBeforeStoppingAnOldOne() {
    JsonNode strategy = deployment().doc().path("spec").path("strategy");
    String where = deployment().where() + ": spec.strategy";
    assertEquals("RollingUpdate", strategy.path("type").asText(), where + ".type");
    JsonNode rolling = strategy.path("rollingUpdate");
    assertTrue(Set.of("0", "0%").contains(rolling.path("maxUnavailable").asText()),
        where + ".rollingUpdate.maxUnavailable must be 0, was " + rolling.path("maxUnavailable"));
    assertEquals("1", rolling.path("maxSurge").asText(), where + ".rollingUpdate.maxSurge");
  }

  @Test
  void gracePeriodLeavesTimeForCoordinatedShutdown() {
    JsonNode grace = podSpec().path("terminationGracePeriodSeconds");
    assertTrue(grace.isInt(), deployment().where()
        + ": spec.template.spec.terminationGracePeriodSeconds is not set (the default 30 s is too short)");
    assertTrue(grace.asInt() >= 60, deployment().where()
        + ": terminationGracePeriodSeconds must be >= 60 for leaving the cluster and handing off shards, was " + grace);
  }

  @Test
  void containerHasCpuAndMemoryRequestsAndLimits() {
    JsonNode resources = container().path("resources");
    for (String bound : List.of("requests", "limits")) {
      for (String resource : List.of("cpu", "memory")) {
        assertFalse(resources.path(bound).path(resource).asText("").isBlank(),
            deployment().where() + ": container " + CONTAINER + " resources." + bound + "." + resource + " is not set");
      }
    }
  }

  // ---------------------------------------------------------------- ports and probes

  @Test
  void containerPortsMatchTheConfiguredPorts() {
    Map<String, String> portEnv = Map.of(
        "http", "WHARF_HTTP_PORT",
        "remoting", "WHARF_REMOTE_PORT",
        "management", "WHARF_MANAGEMENT_PORT",
        "metrics", "WHARF_METRICS_PORT");
    Map<String, Integer> expected = Map.of("http", 8080, "remoting", 25520, "management", 8558, "metrics", 9095);
    for (var entry : portEnv.entrySet()) {
      int port = containerPort(entry.getKey());
      assertEquals(expected.get(entry.getKey()), port, deployment().where() + ": containerPort named " + entry.getKey());
      assertLiteral(entry.getValue(), String.valueOf(port), "must match the container port named " + entry.getKey());
    }
  }

  @Test
  void livenessAndReadinessUsePekkoManagement() {
    assertManagementProbe("livenessProbe", "/alive");
    assertManagementProbe("readinessProbe", "/ready");
    if (container().has("startupProbe")) {
      JsonNode port = container().path("startupProbe").path("httpGet").path("port");
      assertEquals(containerPort("management"), resolvePort(port),
          deployment().where() + ": startupProbe.httpGet.port must be the management port");
    }
  }

  @Test
  void prometheusScrapesTheMetricsPort() {
    JsonNode annotations = podTemplate().path("metadata").path("annotations");
    String where = deployment().where() + ": spec.template.metadata.annotations";
    assertEquals("true", annotations.path("prometheus.io/scrape").asText(), where + " prometheus.io/scrape");
    assertEquals(String.valueOf(containerPort("metrics")), annotations.path("prometheus.io/port").asText(),
        where + " prometheus.io/port must be the metrics port");
    assertEquals("/metrics", annotations.path("prometheus.io/path").asText("/metrics"), where + " prometheus.io/path");
  }

  @Test
  void apiServiceExposesTheHttpPort() {
    Manifest service = all("Service").stream()
        .filter(s -> hasPort(s, 8080))
        .findFirst()
        .orElseGet(() -> fail("no Service under " + K8S + " exposes port 8080"));
    JsonNode port = portOf(service, 8080);
    JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
    assertEquals(containerPort("http"), resolvePort(target), service.where() + ": port 8080 must target the container's http port");
  }

  // ---------------------------------------------------------------- labels and selectors

  @Test
  void deploymentSelectorMatchesThePodLabels() {
    assertSelectsPods(deployment().doc().path("spec").path("selector").path("matchLabels"),
        deployment().where() + ": spec.selector.matchLabels");
  }

  @Test
  void servicesSelectThePods() {
    List<Manifest> selecting = all("Service").stream().filter(s -> s.doc().path("spec").has("selector")).toList();
    assertFalse(selecting.isEmpty(), "no Service under " + K8S + " selects the Wharf pods");
    for (Manifest service : selecting) {
      assertSelectsPods(service.doc().path("spec").path("selector"), service.where() + ": spec.selector");
    }
  }

  @Test
  void disruptionBudgetKeepsAMajority() {
    List<Manifest> budgets = all("PodDisruptionBudget");
    assertFalse(budgets.isEmpty(), "no PodDisruptionBudget under " + K8S);
    int replicas = deployment().doc().path("spec").path("replicas").asInt();
    for (Manifest pdb : budgets) {
      JsonNode spec = pdb.doc().path("spec");
      assertSelectsPods(spec.path("selector").path("matchLabels"), pdb.where() + ": spec.selector.matchLabels");
      if (spec.has("maxUnavailable")) {
        int max = spec.get("maxUnavailable").asInt(-1);
        assertTrue(max >= 1 && replicas - max > replicas / 2,
            pdb.where() + ": spec.maxUnavailable must allow drains (>= 1) and keep a majority of " + replicas + ", was "
                + spec.get("maxUnavailable"));
      } else {
        int min = spec.path("minAvailable").asInt(-1);
        assertTrue(min > replicas / 2 && min < replicas,
            pdb.where() + ": spec.minAvailable must keep a majority of " + replicas + " and allow drains, was "
                + spec.path("minAvailable"));
      }
    }
  }

  // ---------------------------------------------------------------- cluster bootstrap

  @Test
  void podsCarryTheLabelDiscoveryLooksFor() {
    String serviceName = env().containsKey("WHARF_SERVICE_NAME") ? literal("WHARF_SERVICE_NAME") : "wharf";
    assertEquals(serviceName, podLabels().get("app"), deployment().where()
        + ": kubernetes-api discovery selects pods labelled app=<WHARF_SERVICE_NAME>; spec.template.metadata.labels.app");
  }

  @Test
  void serviceAccountMayGetWatchAndListPods() {
    String account = podSpec().path("serviceAccountName").asText("");
    assertFalse(account.isBlank(), deployment().where() + ": spec.template.spec.serviceAccountName is not set");
    assertTrue(find("ServiceAccount", account).isPresent(), "no ServiceAccount " + account + " under " + K8S);

    List<Manifest> bindings = all("RoleBinding").stream().filter(b -> bindsServiceAccount(b, account)).toList();
    assertFalse(bindings.isEmpty(), "no RoleBinding under " + K8S + " binds ServiceAccount " + account);
    for (Manifest binding : bindings) {
      JsonNode ref = binding.doc().path("roleRef");
      Optional<Manifest> role = find(ref.path("kind").asText(), ref.path("name").asText());
      if (role.isPresent() && canReadPods(role.get())) {
        return;
      }
    }
    fail("no Role bound to ServiceAccount " + account + " (by " + bindings.stream().map(Manifest::where).toList()
        + ") allows get, watch and list on pods");
  }

  @Test
  void enoughContactPointsAreRequiredAndFewEnoughExist() {
    int required = Integer.parseInt(literal("WHARF_REQUIRED_CONTACT_POINTS"));
    int replicas = deployment().doc().path("spec").path("replicas").asInt();
    assertTrue(required >= 2 && required <= replicas,
        "WHARF_REQUIRED_CONTACT_POINTS must be between 2 and spec.replicas (" + replicas + "), was " + required);
  }

  @Test
  void serviceLinksAreOff() {
    assertEquals("false", podSpec().path("enableServiceLinks").asText(), deployment().where()
        + ": spec.template.spec.enableServiceLinks must be false (a Service named wharf-http would set WHARF_HTTP_PORT=tcp://...)");
  }

  // ---------------------------------------------------------------- network

  /**
   * Remoting and management take no credentials (decision 0009): only Wharf pods may reach them,
   * while the API and metrics stay reachable. Kubelet probes come from the node, which a
   * NetworkPolicy always admits.
   */
  @Test
  void onlyWharfPodsReachRemotingAndManagement() {
    List<Manifest> policies = all("NetworkPolicy").stream()
        .filter(p -> selectsThePods(p.doc().path("spec").path("podSelector").path("matchLabels")))
        .filter(p -> strings(p.doc().path("spec").path("policyTypes")).contains("Ingress"))
        .toList();
    assertFalse(policies.isEmpty(), "no NetworkPolicy under " + K8S + " restricts ingress to the Wharf pods");
    Set<Integer> guarded = Set.of(containerPort("remoting"), containerPort("management"));
    Set<Integer> openToAll = new TreeSet<>();
    Set<Integer> openToWharf = new TreeSet<>();
    for (Manifest policy : policies) {
      for (JsonNode rule : policy.doc().path("spec").path("ingress")) {
        Set<Integer> ports = new TreeSet<>();
        rule.path("ports").forEach(port -> ports.add(resolvePort(port.path("port"))));
        boolean allPorts = !rule.has("ports") || ports.isEmpty();
        boolean fromAnyone = !rule.has("from") || rule.path("from").isEmpty();
        boolean fromWharfOnly = !fromAnyone && allPeersAreWharfPods(rule.path("from"));
        if (fromAnyone || !fromWharfOnly) {
          assertFalse(allPorts, policy.where() + ": an ingress rule opens every port to peers other than Wharf pods");
          Set<Integer> exposed = new TreeSet<>(ports);
          exposed.retainAll(guarded);
          assertEquals(Set.of(), exposed, policy.where() + ": remoting and management must admit Wharf pods only");
        }
        if (fromAnyone) {
          openToAll.addAll(ports);
        } else if (fromWharfOnly) {
          openToWharf.addAll(allPorts ? guarded : ports);
        }
      }
    }
    assertTrue(openToAll.contains(containerPort("http")), "the API port must stay open: " + openToAll);
    assertTrue(openToAll.contains(containerPort("metrics")), "the metrics port must stay open: " + openToAll);
    assertTrue(openToWharf.containsAll(guarded), "Wharf pods must reach each other's remoting and management: " + openToWharf);
  }

  @Test
  void managementBindsEveryInterfaceSoPortForwardReachesIt() {
    assertLiteral("WHARF_MANAGEMENT_BIND_HOST", "0.0.0.0",
        "(kubectl port-forward connects to 127.0.0.1 inside the pod; the pod IP is still advertised)");
  }

  // ---------------------------------------------------------------- environment contract

  @Test
  void runsInClusterModeWithKubernetesDiscovery() {
    assertLiteral("WHARF_MODE", "cluster", "");
    assertLiteral("WHARF_DISCOVERY", "kubernetes-api", "");
  }

  @Test
  void nodesAdvertiseTheirPodIp() {
    assertFieldRef("WHARF_REMOTE_HOST", "status.podIP");
    assertFieldRef("WHARF_MANAGEMENT_HOST", "status.podIP");
    assertFieldRef("WHARF_K8S_NAMESPACE", "metadata.namespace");
  }

  @Test
  void publicEndpointsBindAllInterfaces() {
    assertLiteral("WHARF_HTTP_HOST", "0.0.0.0", "(Services reach the pod on its IP)");
    assertLiteral("WHARF_METRICS_HOST", "0.0.0.0", "(Prometheus scrapes the pod IP)");
  }

  @Test
  void adminTokenComesFromASecret() {
    EnvVar token = envVar("WHARF_ADMIN_TOKEN");
    assertFalse(token.spec().has("value"), token.origin() + ": WHARF_ADMIN_TOKEN must not be a literal value");
    JsonNode ref = token.spec().path("valueFrom").path("secretKeyRef");
    assertFalse(ref.path("name").asText("").isBlank(), token.origin() + ": WHARF_ADMIN_TOKEN valueFrom.secretKeyRef.name");
    assertFalse(ref.path("key").asText("").isBlank(), token.origin() + ": WHARF_ADMIN_TOKEN valueFrom.secretKeyRef.key");
    for (Manifest configMap : all("ConfigMap")) {
      assertFalse(configMap.doc().path("data").has("WHARF_ADMIN_TOKEN"), configMap.where() + ": holds WHARF_ADMIN_TOKEN");
    }
    assertEquals(List.of(), all("Secret").stream().map(Manifest::where).toList(),
        "Secrets are created by hand (README.md): kubectl apply -k would overwrite the real token with a checked-in one");
  }

  @Test
  void cassandraContactPointsNameTheExternalService() {
    List<Manifest> external = all("Service").stream().filter(KubernetesManifestsTest::isExternal).toList();
    assertFalse(external.isEmpty(), "no Service under " + K8S + " refers to the external Cassandra "
        + "(type ExternalName, or no selector plus Endpoints)");
    for (String contactPoint : literal("WHARF_CASSANDRA_CONTACT_POINTS").split(",")) {
      String host = hostOf(contactPoint.trim());
      assertTrue(external.stream().anyMatch(s -> namesService(host, s)),
          "WHARF_CASSANDRA_CONTACT_POINTS: " + host + " is none of the external Services "
              + external.stream().map(Manifest::where).toList());
    }
    for (Manifest service : external) {
      if (service.doc().path("spec").path("type").asText().equals("ExternalName")) {
        assertFalse(service.doc().path("spec").path("externalName").asText("").isBlank(),
            service.where() + ": spec.externalName is not set");
      }
    }
  }

  @Test
  void cassandraKeyspaceIsNotCreatedByTheNodes() {
    assertLiteral("WHARF_CASSANDRA_AUTOCREATE", "false", "(production applies deploy/cassandra/wharf-schema.cql)");
    assertFalse(literal("WHARF_CASSANDRA_DC").isBlank(), envVar("WHARF_CASSANDRA_DC").origin() + ": WHARF_CASSANDRA_DC is blank");
  }

  // ================================================================ helpers: files

  private static List<Path> yamlFiles() throws IOException {
    try (Stream<Path> files = Files.list(K8S)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static List<JsonNode> readDocuments(Path file) throws IOException {
    try (var values = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      return values.readAll().stream()
          .filter(doc -> doc != null && !doc.isNull() && !doc.isMissingNode())
          .toList();
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> result = new TreeSet<>(a);
    result.removeAll(b);
    return result;
  }

  private static void assertAllStrings(JsonNode map, String where) {
    map.properties().forEach(e ->
        assertTrue(e.getValue().isTextual(), where + "." + e.getKey()
            + " must be a quoted string (Kubernetes rejects numbers and booleans here), was " + e.getValue()));
  }

  // ================================================================ helpers: documents

  private static List<Manifest> all(String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  private static Optional<Manifest> find(String kind, String name) {
    return all(kind).stream().filter(m -> m.name().equals(name)).findFirst();
  }

  private static Manifest deployment() {
    List<Manifest> deployments = all("Deployment");
    assertEquals(1, deployments.size(), "expected exactly one Deployment under " + K8S);
    return deployments.get(0);
  }

  private static JsonNode podTemplate() {
    return deployment().doc().path("spec").path("template");
  }

  private static JsonNode podSpec() {
    return podTemplate().path("spec");
  }

  private static JsonNode container() {
    for (JsonNode container : podSpec().path("containers")) {
      if (container.path("name").asText().equals(CONTAINER)) {
        return container;
      }
    }
    return fail(deployment().where() + ": no container named " + CONTAINER);
  }

  private static Map<String, String> podLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    podTemplate().path("metadata").path("labels").fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static void assertSelectsPods(JsonNode selector, String where) {
    assertTrue(selector.isObject() && selector.size() > 0, where + " is empty");
    Map<String, String> labels = podLabels();
    selector.properties().forEach(e ->
        assertEquals(e.getValue().asText(), labels.get(e.getKey()),
            where + " selects " + e.getKey() + "=" + e.getValue().asText() + " but the pod labels are " + labels));
  }

  private static boolean selectsThePods(JsonNode matchLabels) {
    Map<String, String> labels = podLabels();
    if (!matchLabels.isObject() || matchLabels.isEmpty()) {
      return false;
    }
    for (var e : matchLabels.properties()) {
      if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Peers given by pod labels alone (so in the policy's own namespace), each selecting Wharf pods. */
  private static boolean allPeersAreWharfPods(JsonNode peers) {
    for (JsonNode peer : peers) {
      if (peer.has("ipBlock") || peer.has("namespaceSelector") || !selectsThePods(peer.path("podSelector").path("matchLabels"))) {
        return false;
      }
    }
    return true;
  }

  // ================================================================ helpers: ports

  private static int containerPort(String name) {
    for (JsonNode port : container().path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    return fail(deployment().where() + ": container " + CONTAINER + " has no port named " + name);
  }

  /** A port given as a number or as the name of a container port. */
  private static int resolvePort(JsonNode port) {
    return port.isInt() ? port.asInt() : containerPort(port.asText());
  }

  private static void assertManagementProbe(String probe, String path) {
    JsonNode httpGet = container().path(probe).path("httpGet");
    String where = deployment().where() + ": container " + CONTAINER + " " + probe;
    assertTrue(httpGet.isObject(), where + " must be an httpGet probe");
    assertEquals(path, httpGet.path("path").asText(), where + ".httpGet.path");
    assertEquals(containerPort("management"), resolvePort(httpGet.path("port")),
        where + ".httpGet.port must be the management port");
  }

  private static boolean hasPort(Manifest service, int number) {
    return portOf(service, number) != null;
  }

  private static JsonNode portOf(Manifest service, int number) {
    for (JsonNode port : service.doc().path("spec").path("ports")) {
      if (port.path("port").asInt() == number) {
        return port;
      }
    }
    return null;
  }

  // ================================================================ helpers: RBAC

  private static boolean bindsServiceAccount(Manifest binding, String account) {
    String namespace = binding.doc().path("metadata").path("namespace").asText("");
    for (JsonNode subject : binding.doc().path("subjects")) {
      if (subject.path("kind").asText().equals("ServiceAccount")
          && subject.path("name").asText().equals(account)
          && subject.path("namespace").asText(namespace).equals(namespace)) {
        return true;
      }
    }
    return false;
  }

  private static boolean canReadPods(Manifest role) {
    for (JsonNode rule : role.doc().path("rules")) {
      Set<String> groups = strings(rule.path("apiGroups"));
      Set<String> resources = strings(rule.path("resources"));
      Set<String> verbs = strings(rule.path("verbs"));
      if ((groups.contains("") || groups.contains("*"))
          && (resources.contains("pods") || resources.contains("*"))
          && (verbs.containsAll(Set.of("get", "watch", "list")) || verbs.contains("*"))) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> values = new TreeSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  // ================================================================ helpers: environment

  /**
   * The container's environment as Kubernetes assembles it: entries of envFrom ConfigMaps first,
   * then env entries, which win. Values keep the EnvVar shape ({@code value} or {@code valueFrom}).
   */
  private static Map<String, EnvVar> env() {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    for (JsonNode source : container().path("envFrom")) {
      if (source.has("configMapRef")) {
        String name = source.path("configMapRef").path("name").asText();
        Manifest configMap = find("ConfigMap", name)
            .orElseGet(() -> fail(deployment().where() + ": envFrom refers to ConfigMap " + name + ", not under " + K8S));
        String prefix = source.path("prefix").asText("");
        configMap.doc().path("data").properties().forEach(e -> {
          ObjectNode spec = JsonNodeFactory.instance.objectNode().set("value", e.getValue());
          env.put(prefix + e.getKey(), new EnvVar(prefix + e.getKey(), spec, configMap.where()));
        });
      }
    }
    for (JsonNode entry : container().path("env")) {
      String name = entry.path("name").asText();
      env.put(name, new EnvVar(name, entry, deployment().where() + " env"));
    }
    return env;
  }

  private static EnvVar envVar(String name) {
    EnvVar variable = env().get(name);
    if (variable == null) {
      fail(deployment().where() + ": container " + CONTAINER + " has no environment variable " + name
          + " (neither in env nor in an envFrom ConfigMap)");
    }
    return variable;
  }

  private static String literal(String name) {
    EnvVar variable = envVar(name);
    assertTrue(variable.spec().path("value").isValueNode(), variable.origin() + ": " + name + " must be a literal value");
    return variable.spec().path("value").asText();
  }

  private static void assertLiteral(String name, String expected, String why) {
    assertEquals(expected, literal(name), envVar(name).origin() + ": " + (name + " " + why).trim());
  }

  private static void assertFieldRef(String name, String fieldPath) {
    EnvVar variable = envVar(name);
    assertEquals(fieldPath, variable.spec().path("valueFrom").path("fieldRef").path("fieldPath").asText(null),
        variable.origin() + ": " + name + " must come from the downward API, valueFrom.fieldRef.fieldPath");
  }

  // ================================================================ helpers: Cassandra

  /** A Service that names something outside the cluster: ExternalName, or no selector (own Endpoints). */
  private static boolean isExternal(Manifest service) {
    JsonNode spec = service.doc().path("spec");
    if (spec.path("type").asText().equals("ExternalName")) {
      return true;
    }
    return !spec.has("selector")
        && (find("Endpoints", service.name()).isPresent() || endpointSliceFor(service.name()).isPresent());
  }

  private static Optional<Manifest> endpointSliceFor(String serviceName) {
    return all("EndpointSlice").stream()
        .filter(s -> s.doc().path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals(serviceName))
        .findFirst();
  }

  private static String hostOf(String contactPoint) {
    int colon = contactPoint.lastIndexOf(':');
    return colon < 0 ? contactPoint : contactPoint.substring(0, colon);
  }

  /** cassandra, cassandra.wharf, cassandra.wharf.svc or cassandra.wharf.svc.cluster.local */
  private static boolean namesService(String host, Manifest service) {
    String namespace = service.doc().path("metadata").path("namespace")
        .asText(kustomization.path("namespace").asText(""));
    String qualified = service.name() + "." + namespace;
    return Stream.of(service.name(), qualified, qualified + ".svc").anyMatch(host::equals)
        || host.startsWith(qualified + ".svc.");
  }
}
