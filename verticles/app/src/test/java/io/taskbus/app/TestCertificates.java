package io.taskbus.app;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificate authorities and certificates they sign, made with the JDK's keytool (EC P-256), as
 * the PEM files servers and clients are configured with.
 */
final class TestCertificates {

  private static final String PASSWORD = "changeit";
  private final Path dir;

  TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** A certificate authority; returns its certificate (PEM). */
  Path authority(String name) throws Exception {
    keyPair(name, "-ext", "bc:c");
    Path pem = dir.resolve(name + "-ca.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        store(name).toString(),
        "-file",
        pem.toString());
    return pem;
  }

  /**
   * A certificate for {@code name} signed by the authority {@code ca}, valid for the given subject
   * alternative names ({@code dns:localhost,ip:127.0.0.1}); its files are {@link Issued}.
   */
  Issued issue(String name, String ca, String san) throws Exception {
    keyPair(name);
    Path request = dir.resolve(name + ".csr");
    keytool(
        "-certreq",
        "-alias",
        name,
        "-keystore",
        store(name).toString(),
        "-file",
        request.toString());
    Path cert = dir.resolve(name + ".pem");
    keytool(
        "-gencert",
        "-rfc",
        "-alias",
        ca,
        "-keystore",
        store(ca).toString(),
        "-infile",
        request.toString(),
        "-outfile",
        cert.toString(),
        "-validity",
        "2",
        "-ext",
        "SAN=" + san);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store(name))) {
      keys.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
    Path keyFile = dir.resolve(name + "-key.pem");
    // PostgreSQL refuses a key file that others may read
    Files.createFile(
        keyFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        keyFile,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new Issued(cert, keyFile);
  }

  record Issued(Path cert, Path key) {}

  private Path store(String name) {
    return dir.resolve(name + ".p12");
  }

  /** An EC P-256 key pair and a self-signed certificate for CN=name, in name's store. */
  private void keyPair(String name, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                name,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-validity",
                "2",
                "-keystore",
                store(name).toString()));
    args.addAll(List.of(extra));
    keytool(args.toArray(new String[0]));
  }

  private void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // a short-lived JVM each time: the C1 compiler alone and the serial collector halve its CPU
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    command.addAll(
        List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
