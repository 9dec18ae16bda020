package io.taskbus.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network partition between the processes it launches and given TCP ports on this machine: the
 * processes start in a cgroup of their own, and an iptables rule drops every packet their sockets
 * send to a cut port, connections already open included. Nothing is refused or reset, as in a real
 * partition: the peers just stop hearing from each other. Needs root and a cgroup v2 hierarchy.
 */
final class NetworkPartition implements AutoCloseable {

  private final String name;
  private final Path cgroup;
  private final List<List<String>> rules = new ArrayList<>();

  private NetworkPartition(String name, Path cgroup) {
    this.name = name;
    this.cgroup = cgroup;
  }

  /** Why partitions cannot be made here, or null when they can. */
  static String unavailable() {
    if (cgroupRoot() == null) {
      return "no cgroup v2 hierarchy mounted";
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      return "iptables and cgroups need root";
    }
    try {
      if (run(List.of("iptables", "-S", "OUTPUT")) != 0) {
        return "iptables does not work here";
      }
    } catch (IOException e) {
      return "no iptables: " + e.getMessage();
    }
    return null;
  }

  static NetworkPartition create(String label) throws IOException {
    String name = "taskbus-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new NetworkPartition(name, Files.createDirectory(cgroupRoot().resolve(name)));
  }

  /** Runs the command after it in this partition's cgroup (a prefix for {@link ChildProcess}). */
  List<String> launcher() {
    return List.of(
        "sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec \"$0\" \"$@\"");
  }

  /** From now on nothing the processes send reaches the port on 127.0.0.1. */
  void cut(int port) throws IOException {
    List<String> rule =
        List.of(
            "OUTPUT",
            "-m",
            "cgroup",
            "--path",
            name,
            "-p",
            "tcp",
            "-d",
            "127.0.0.1",
            "--dport",
            Integer.toString(port),
            "-m",
            "comment",
            "--comment",
            name,
            "-j",
            "DROP");
    List<String> insert = new ArrayList<>(List.of("iptables", "-I"));
    insert.addAll(rule);
    if (run(insert) != 0) {
      throw new IOException("iptables refused " + rule);
    }
    rules.add(rule);
  }

  /** Every cut port is reachable again. */
  void heal() throws IOException {
    for (List<String> rule : rules) {
      List<String> delete = new ArrayList<>(List.of("iptables", "-D"));
      delete.addAll(rule);
      run(delete);
    }
    rules.clear();
  }

  /** Heals, and removes the cgroup once its processes have ended. */
  @Override
  public void close() throws IOException {
    heal();
    try {
      Files.deleteIfExists(cgroup);
    } catch (IOException stillUsed) {
      // a process of it still runs (the caller stops its processes first): the kernel keeps it
    }
  }

  private static Path cgroupRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String[] fields = line.split(" ");
        if (fields.length > 2 && "cgroup2".equals(fields[2])) {
          Path root = Path.of(fields[1]);
          return Files.isWritable(root) ? root : null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static int run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
