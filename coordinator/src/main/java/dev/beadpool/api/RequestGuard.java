package dev.beadpool.api;

import com.sun.net.httpserver.Headers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets through only requests the CLI would send, so a web page open in the user's browser cannot
 * drive the API: the {@code Host} must be the address the API listens on (a page reaching it
 * through DNS rebinding names its own domain); an {@code Origin}, if any, must be the API's own
 * (browsers send one with cross-site requests); the token must be there; and a POST must say it
 * carries JSON (a form or text post, which a page may send without asking, does not).
 */
final class RequestGuard {
  private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-fA-F:.%]+]");
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

  /** A refused request: its HTTP status and why, without echoing any secret. */
  record Refusal(int status, String message) {}

  private final ApiToken token;
  private final int port;
  private final boolean anyAddress;
  private final Set<String> names = new TreeSet<>();
  private final AtomicLong unauthorized = new AtomicLong();
  private final AtomicLong forbidden = new AtomicLong();

  /**
   * @param listenHost the host the API was asked to listen on ({@code 0.0.0.0}: every address)
   * @param port the port it listens on
   */
  RequestGuard(ApiToken token, String listenHost, int port) {
    this.token = token;
    this.port = port;
    String host = listenHost.toLowerCase(Locale.ROOT);
    this.anyAddress = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    names.addAll(LOOPBACK);
    if (!anyAddress) {
      names.add(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host);
    } else {
      try {
        names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
      } catch (UnknownHostException e) {
        log.debug("no local host name: {}", e.toString());
      }
    }
  }

  /** Why the request must be refused, if it must. */
  Optional<Refusal> check(String method, Headers headers, Object remote) {
    String host = headers.getFirst("Host");
    if (!isOwnAddress(host)) {
      return refuse(
          forbidden,
          403,
          "refused: the Host header "
              + shown(host)
              + " is not this API's address (port "
              + port
              + "); only requests addressed to it are answered",
          remote);
    }
    String origin = headers.getFirst("Origin");
    if (origin != null && !isOwnOrigin(origin)) {
      return refuse(
          forbidden,
          403,
          "refused: cross-origin request from "
              + shown(origin)
              + "; the API answers only the beadpool CLI, not web pages",
          remote);
    }
    if (!token.authorizes(headers.getFirst("Authorization"))) {
      return refuse(
          unauthorized,
          401,
          (headers.containsKey("Authorization") ? "wrong" : "missing")
              + " API token: send \"Authorization: Bearer TOKEN\" with the token in"
              + " coordinator.json beside the store (the CLI does; with --server, set"
              + " BEADPOOL_API_TOKEN)",
          remote);
    }
    if ("POST".equals(method) && !isJson(headers.getFirst("Content-Type"))) {
      return refuse(forbidden, 415, "a POST must carry \"Content-Type: application/json\"", remote);
    }
    return Optional.empty();
  }

  private Optional<Refusal> refuse(AtomicLong counter, int status, String message, Object remote) {
    long n = counter.incrementAndGet();
    log.warn("API request from {} refused ({}): {} [{} so far]", remote, status, message, n);
    return Optional.of(new Refusal(status, message));
  }

  /** Requests refused for a missing or wrong token. */
  long unauthorized() {
    return unauthorized.get();
  }

  /** Requests refused for their Host, Origin or Content-Type. */
  long forbidden() {
    return forbidden.get();
  }

  private boolean isOwnAddress(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    String name = h;
    int p = 80;
    if (colon > h.lastIndexOf(']')) {
      name = h.substring(0, colon);
      try {
        p = Integer.parseInt(h.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    if (p != port) {
      return false;
    }
    // why an address literal is safe on a wildcard listener: DNS rebinding needs a domain name
    return names.contains(name)
        || (anyAddress && (IPV4.matcher(name).matches() || IPV6.matcher(name).matches()));
  }

  private boolean isOwnOrigin(String origin) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    return o.startsWith("http://") && isOwnAddress(o.substring("http://".length()));
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    return type.equalsIgnoreCase("application/json");
  }

  /** A header's value for a message: quoted, cut short, no control characters. */
  private static String shown(String value) {
    if (value == null) {
      return "(none)";
    }
    String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
