package io.taskbus.image;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image as {@code docker save} / {@code jib:buildTar} writes it: manifest.json, the config, and
 * one tar (gzipped or not) per layer. Read the way a container runtime reads it.
 */
final class ImageTar {

  final JsonObject config;
  final List<String> tags;

  /** Per layer, in order: path inside the image (no leading "./" or "/") → its tar entry. */
  final List<Map<String, TarArchiveEntry>> layers = new ArrayList<>();

  private final Path dir;
  private final List<String> layerFiles = new ArrayList<>();

  private ImageTar(Path dir) throws IOException {
    this.dir = dir;
    JsonObject manifest =
        new JsonArray(Files.readString(dir.resolve("manifest.json"))).getJsonObject(0);
    config = new JsonObject(Files.readString(dir.resolve(manifest.getString("Config"))));
    tags = manifest.getJsonArray("RepoTags").stream().map(Object::toString).toList();
    for (Object layer : manifest.getJsonArray("Layers")) {
      layerFiles.add(layer.toString());
      Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
      try (TarArchiveInputStream tar = open(dir.resolve(layer.toString()))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          entries.put(normalise(e.getName()), e);
        }
      }
      layers.add(entries);
    }
  }

  /** Unpacks the outer tar into {@code work} and reads the manifest, config and layer listings. */
  static ImageTar read(Path tar, Path work) throws IOException {
    Files.createDirectories(work);
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isFile()) {
          Files.copy(in, work.resolve(normalise(e.getName())), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return new ImageTar(work);
  }

  JsonObject containerConfig() {
    return config.getJsonObject("config");
  }

  /** Every path in the image's file system (all layers). */
  Set<String> paths() {
    Set<String> all = new java.util.TreeSet<>();
    layers.forEach(l -> all.addAll(l.keySet()));
    return all;
  }

  /** Which layer (by index) holds a path, -1 if none. */
  int layerOf(String path) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      if (layers.get(i).containsKey(path)) {
        return i;
      }
    }
    return -1;
  }

  /** The text of a file, from the topmost layer that has it. */
  String read(String path) throws IOException {
    int layer = layerOf(path);
    if (layer < 0) {
      throw new IOException(path + " is not in the image");
    }
    try (TarArchiveInputStream tar = open(dir.resolve(layerFiles.get(layer)))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (normalise(e.getName()).equals(path)) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new IOException(path + " vanished");
  }

  /** Lays the layers out into a root file system, as a runtime would (modes and links kept). */
  void unpack(Path rootfs) throws IOException {
    for (String layer : layerFiles) {
      try (TarArchiveInputStream tar = open(dir.resolve(layer))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = normalise(e.getName());
          if (name.isEmpty()) {
            continue;
          }
          Path target = rootfs.resolve(name);
          if (e.isDirectory()) {
            Files.createDirectories(target);
          } else if (e.isSymbolicLink()) {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
          } else if (e.isLink()) {
            Files.createDirectories(target.getParent());
            Files.copy(
                rootfs.resolve(normalise(e.getLinkName())),
                target,
                StandardCopyOption.REPLACE_EXISTING);
          } else {
            Files.createDirectories(target.getParent());
            Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          }
          if (!e.isSymbolicLink()) {
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
          }
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE,
      PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static TarArchiveInputStream open(Path layer) throws IOException {
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(layer));
    in.mark(2);
    int magic = in.read() | (in.read() << 8);
    in.reset();
    return new TarArchiveInputStream(
        magic == GZIPInputStream.GZIP_MAGIC ? new GZIPInputStream(in) : in);
  }

  private static String normalise(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }
}
