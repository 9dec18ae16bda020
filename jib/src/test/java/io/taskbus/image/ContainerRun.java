package io.taskbus.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The image's entrypoint running as a container: with podman when it is installed and works here,
 * otherwise by hand in its own root file system (needs root). Either way with the image's user,
 * environment and entrypoint, and its output in a log file.
 */
abstract class ContainerRun implements AutoCloseable {

  final String how;
  final Process process;

  private ContainerRun(String how, Process process) {
    this.how = how;
    this.process = process;
  }

  /** SIGTERM to the JVM (PID 1 of the container, as the kubelet sends it); its exit code. */
  abstract int terminate(long timeoutSeconds) throws Exception;

  @Override
  public void close() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * podman, as this machine lets root run it: runc (crun refuses its hybrid cgroup hierarchy),
   * cgroupfs, and no default ulimits (raising RLIMIT_NPROC/NOFILE to podman's defaults is denied).
   * Read-only root file system, a tmpfs on /tmp, no capabilities: what the Kubernetes pod gets.
   * Empty when podman is missing or cannot run the image here.
   */
  static Optional<ContainerRun> podman(
      Path imageTar, String image, Map<String, String> env, Path work, Path log) throws Exception {
    if (!onPath("podman") || !onPath("runc")) {
      return Optional.empty();
    }
    Path conf = work.resolve("containers.conf");
    Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
    if (podmanCommand(
                conf,
                List.of("load", "-q", "-i", imageTar.toString()),
                work.resolve("podman-load.log"))
            != 0
        || podmanCommand(
                conf,
                List.of(
                    "run",
                    "--rm",
                    "--network=host",
                    "--entrypoint",
                    "java",
                    image,
                    "-XX:-UsePerfData",
                    "-version"),
                work.resolve("podman-probe.log"))
            != 0) {
      System.err.println(
          "podman cannot run containers here: "
              + Files.readString(work.resolve("podman-probe.log")));
      return Optional.empty();
    }
    String name = "taskbus-image-it-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "--rm",
                "--name",
                name,
                "--network=host",
                "--read-only",
                "--tmpfs",
                "/tmp:rw,mode=1777",
                "--cap-drop=ALL",
                "--security-opt=no-new-privileges"));
    env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
    args.add(image);
    Process p = podman(conf, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return Optional.of(
        new ContainerRun("podman", p) {
          @Override
          int terminate(long timeoutSeconds) throws Exception {
            podmanCommand(
                conf, List.of("kill", "--signal", "TERM", name), work.resolve("podman-kill.log"));
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
              return -1;
            }
            return process.exitValue();
          }

          @Override
          public void close() throws Exception {
            podmanCommand(conf, List.of("rm", "-f", name), work.resolve("podman-rm.log"));
            podmanCommand(conf, List.of("rmi", "-f", image), work.resolve("podman-rmi.log"));
            super.close();
          }
        });
  }

  /**
   * No runtime: the layers unpacked into a directory, /proc and /dev mounted into it in a private
   * mount namespace, and chroot running the entrypoint with the image's user. Files the image does
   * not let its user write stay unwritten, as under a read-only root.
   */
  static ContainerRun chroot(ImageTar image, Map<String, String> env, Path work, Path log)
      throws Exception {
    Path rootfs = work.resolve("rootfs");
    image.unpack(rootfs);
    for (String f : List.of("etc/hosts", "etc/resolv.conf")) { // what a runtime injects
      Files.copy(Path.of("/" + f), rootfs.resolve(f));
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "/usr/bin/unshare",
                "--mount",
                "--fork",
                "--kill-child",
                "--",
                "/bin/sh",
                "-c",
                "/usr/bin/mount -t proc proc \"$0/proc\" && /usr/bin/mount --rbind /dev \"$0/dev\" && "
                    + "exec /usr/sbin/chroot --userspec="
                    + image.containerConfig().getString("User")
                    + " \"$0\" \"$@\"",
                rootfs.toAbsolutePath().toString()));
    image.containerConfig().getJsonArray("Entrypoint").forEach(a -> command.add(a.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    return new ContainerRun("chroot", builder.start()) {
      @Override
      int terminate(long timeoutSeconds) throws Exception {
        ProcessHandle jvm =
            process
                .toHandle()
                .children()
                .findFirst()
                .orElseThrow(() -> new AssertionError("the JVM runs under unshare"));
        jvm.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          return -1;
        }
        return process.exitValue();
      }
    };
  }

  static boolean chrootPossible() {
    return "root".equals(System.getProperty("user.name"))
        && Files.isExecutable(Path.of("/usr/bin/unshare"))
        && Files.isExecutable(Path.of("/usr/sbin/chroot"));
  }

  private static ProcessBuilder podman(Path conf, List<String> args) {
    List<String> command =
        new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CONTAINERS_CONF", conf.toAbsolutePath().toString());
    return builder;
  }

  private static int podmanCommand(Path conf, List<String> args, Path log)
      throws IOException, InterruptedException {
    Process p = podman(conf, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
