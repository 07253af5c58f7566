package dev.beadpool.api;

import dev.beadpool.bead.Bead;
import dev.beadpool.broker.EmbeddedBroker;
import dev.beadpool.dispatch.Coordinator;
import dev.beadpool.dispatch.CoordinatorSettings;
import dev.beadpool.messaging.BrokerSettings;
import dev.beadpool.owner.OwnerFile;
import dev.beadpool.store.BeadStore;
import dev.beadpool.store.NewBead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator with its API on a real broker and store under {@code .beadpool/} of a temporary
 * project directory; requests go over real HTTP, raw sockets for what a well-behaved client would
 * not send.
 */
abstract class ApiFixture {
  static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  Path db;
  EmbeddedBroker broker;
  BeadStore store;
  Coordinator coordinator;
  CoordinatorApi api;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void startApi() throws Exception {
    db = dir.resolve(".beadpool/beads.db");
    broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
    store = BeadStore.open(db, Clock.systemUTC());
    coordinator =
        new Coordinator(
            store,
            CoordinatorSettings.defaults(BrokerSettings.anonymous(broker.url())),
            Clock.systemUTC());
    coordinator.start();
    api = CoordinatorApi.start(coordinator, db, "127.0.0.1", 0);
  }

  @AfterEach
  void stopApi() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    api.close();
    coordinator.close();
    store.close();
    broker.close();
  }

  String token() throws IOException {
    return OwnerFile.read(OwnerFile.of(db)).orElseThrow().token();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.port() + path);
  }

  /** A request as the CLI sends it: with the token. */
  HttpRequest.Builder authorized(String path) throws IOException {
    return HttpRequest.newBuilder(uri(path))
        .timeout(WAIT)
        .header("Authorization", "Bearer " + token());
  }

  HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A JSON POST with the token. */
  HttpResponse<String> post(String path, String json) throws Exception {
    return send(
        authorized(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Bead bead(String title) {
    return store.create(NewBead.titled(title), "test");
  }

  /** Threads of this API that are answering a request (or waiting for one to arrive). */
  long busyRequestThreads() {
    String prefix = "coordinator-api-" + api.port() + "-";
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && !t.getName().contains("stream"))
        .filter(t -> t.getState() == Thread.State.RUNNABLE)
        .count();
  }

  /** A socket to the API that has sent {@code text} and nothing more; closed after the test. */
  Socket raw(String text) throws IOException {
    Socket s = new Socket("127.0.0.1", api.port());
    sockets.add(s);
    s.setSoTimeout((int) WAIT.toMillis() * 3);
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return s;
  }

  /** Whether the server has closed {@code s} (an orderly close, or a reset). */
  static boolean closedByServer(Socket s) {
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Everything the server sends on {@code s} until it closes it. */
  static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
