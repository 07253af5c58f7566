package dev.beadpool.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A key store (PKCS12 or JKS) with the broker's TLS key and certificate. The password never appears
 * in {@link #toString()}.
 */
public record KeyStoreFile(Path path, String password) {
  public KeyStoreFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "KeyStoreFile[path=" + path + ", password=****]";
  }
}
