import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Makes the base image of the taskbus container as a {@code docker save} tar that jib takes as
 * {@code tar://}: a jlink'd JRE of the given JDK in /opt/java, the shared libraries it links
 * against (found with ldd, copied from this machine), /etc/passwd with the non-root user 65532,
 * and a world-writable /tmp. One layer, no shell, no package manager: what the JVM needs, nothing
 * else. Offline and quick (about 10 s); skipped when its inputs have not changed.
 *
 * <p>Run by the jib module at prepare-package:
 * {@code java BaseImage.java <jdk home> <out.tar> <this file, whose hash is part of the up-to-date key>}.
 */
public final class BaseImage {

  /**
   * What the app needs (jdeps over its runtime classpath: base, logging, sql, management, naming,
   * xml, desktop for java.beans, scripting, jgss/sasl for PostgreSQL and Kafka auth, unsupported
   * for Netty/Hazelcast), plus DNS through JNDI (Hazelcast's Kubernetes discovery) and EC crypto
   * (TLS to PostgreSQL or Kafka), jdk.net for TCP keep-alive options (Hazelcast), and jcmd for
   * thread dumps of a running pod.
   */
  static final List<String> MODULES = List.of("java.base", "java.logging", "java.sql",
      "java.management", "java.naming", "java.xml", "java.desktop", "java.scripting",
      "java.security.jgss", "java.security.sasl", "java.transaction.xa", "jdk.unsupported",
      "jdk.management", "jdk.naming.dns", "jdk.crypto.ec", "jdk.zipfs", "jdk.jcmd", "jdk.net");
  static final List<String> DESKTOP_NATIVES = List.of("libawt_xawt.so", "libsplashscreen.so",
      "libjsound.so", "libfontmanager.so", "liblcms.so", "libjavajpeg.so", "libjawt.so");
  static final int UID = 65532;

  public static void main(String[] args) throws Exception {
    Path jdk = Path.of(args[0]);
    Path out = Path.of(args[1]).toAbsolutePath();
    Path work = out.getParent().resolve("work");
    String key = String.join("\n", jdk.toRealPath().toString(),
        Files.readString(jdk.resolve("release")), String.join(",", MODULES),
        sha256(Files.readAllBytes(Path.of(args[2]))));
    Path keyFile = Path.of(out + ".key");
    if (Files.exists(out) && Files.exists(keyFile) && Files.readString(keyFile).equals(key)) {
      System.out.println("[base-image] up to date: " + out);
      return;
    }
    long started = System.nanoTime();
    delete(work);
    Path rootfs = Files.createDirectories(work.resolve("rootfs"));

    run(List.of(jdk.resolve("bin/jlink").toString(), "--module-path", jdk.resolve("jmods").toString(),
        "--add-modules", String.join(",", MODULES), "--strip-debug", "--no-header-files",
        "--no-man-pages", "--output", rootfs.resolve("opt/java").toString()));
    // java.desktop is there for java.beans only: the JVM runs headless, so the native parts of
    // AWT, fonts, images and sound (and the X11, freetype, ALSA... libraries they link) stay out
    for (String name : DESKTOP_NATIVES) {
      Files.deleteIfExists(rootfs.resolve("opt/java/lib").resolve(name));
    }
    for (String lib : sharedLibraries(rootfs.resolve("opt/java"))) {
      Path target = rootfs.resolve(lib.substring(1));
      Files.createDirectories(target.getParent());
      Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING); // follows links
    }
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\n"
        + "taskbus:x:" + UID + ":" + UID + ":taskbus:/tmp:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\ntaskbus:x:" + UID + ":\n");
    Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nhosts: files dns\n");
    // mount points a container runtime fills (the dynamic loader reads /proc/self/exe for $ORIGIN)
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));
    Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    run(List.of("chmod", "1777", tmp.toString()));

    // the layer, reproducible: sorted, owned by root, fixed times
    Path image = Files.createDirectories(work.resolve("image"));
    Path layer = image.resolve("layer.tar");
    run(List.of("tar", "--create", "--file", layer.toString(), "--directory", rootfs.toString(),
        "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0", "."));
    String diffId = "sha256:" + sha256(layer);
    String javaVersion = Files.readAllLines(rootfs.resolve("opt/java/release")).stream()
        .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElse("JAVA_VERSION=?")
        .substring("JAVA_VERSION=".length()).replace("\"", "");
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\","
        + "\"config\":{\"Env\":[\"PATH=/opt/java/bin:/usr/local/bin:/usr/bin:/bin\","
        + "\"JAVA_HOME=/opt/java\",\"JAVA_VERSION=" + javaVersion + "\",\"LANG=C.UTF-8\"],"
        + "\"User\":\"" + UID + ":" + UID + "\","
        + "\"Labels\":{\"io.taskbus.base\":\"jlink " + javaVersion + "\"}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},"
        + "\"history\":[{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"jib/base/BaseImage.java: jlink "
        + String.join(",", MODULES) + "\"}]}";
    Files.writeString(image.resolve("config.json"), config);
    Files.writeString(image.resolve("manifest.json"), "[{\"Config\":\"config.json\","
        + "\"RepoTags\":[\"taskbus-base:" + javaVersion + "\"],\"Layers\":[\"layer.tar\"]}]");
    Files.createDirectories(out.getParent());
    run(List.of("tar", "--create", "--file", out.toString(), "--directory", image.toString(),
        "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
        "manifest.json", "config.json", "layer.tar"));
    Files.writeString(keyFile, key);
    delete(work);
    System.out.printf("[base-image] %s (%d MB, java %s) in %.1f s%n", out, Files.size(out) >> 20,
        javaVersion, (System.nanoTime() - started) / 1e9);
  }

  /** Every library the JRE's executables and libraries load, as absolute paths (ldd's view). */
  static TreeSet<String> sharedLibraries(Path jre) throws IOException, InterruptedException {
    List<String> elves = new ArrayList<>();
    try (Stream<Path> files = Files.walk(jre)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".so") || p.getParent().getFileName().toString().equals("bin")) {
          elves.add(p.toString());
        }
      }
    }
    List<String> command = new ArrayList<>(List.of("ldd"));
    command.addAll(elves);
    Pattern resolved = Pattern.compile("=>\\s+(/\\S+)");
    Pattern loader = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x");
    TreeSet<String> inJre = new TreeSet<>();
    elves.forEach(e -> inJre.add(Path.of(e).getFileName().toString()));
    TreeSet<String> libs = new TreeSet<>();
    for (String line : output(command).split("\n")) {
      // libjvm.so, seen from a library that finds it only through the launcher's search path
      if (line.contains("not found") && !inJre.contains(line.trim().split("\\s")[0])) {
        throw new IllegalStateException("ldd: " + line.trim());
      }
      Matcher m = resolved.matcher(line);
      Matcher l = loader.matcher(line);
      String lib = m.find() ? m.group(1) : l.find() ? l.group(1) : null;
      if (lib != null && !lib.startsWith(jre.toString())) {
        libs.add(lib);
      }
    }
    // glibc loads it by name when a thread exits or is cancelled (the JVM does both)
    for (String line : output(List.of("ldconfig", "-p")).split("\n")) {
      if (line.trim().startsWith("libgcc_s.so.1 (libc6,x86-64)")) {
        libs.add(line.substring(line.indexOf("=>") + 2).trim());
      }
    }
    if (libs.stream().noneMatch(s -> s.contains("ld-linux"))) {
      throw new IllegalStateException("no dynamic loader among " + libs);
    }
    return libs;
  }

  static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed (" + p.exitValue() + "): " + command);
    }
  }

  static String output(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed (" + p.exitValue() + "): " + command + "\n" + text);
    }
    return text;
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
