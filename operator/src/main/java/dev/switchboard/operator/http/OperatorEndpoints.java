package dev.switchboard.operator.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/** {@code /healthz}, {@code /readyz} and {@code /metrics} for Kubernetes probes and Prometheus. */
public final class OperatorEndpoints implements AutoCloseable {
  private final WebServer server;

  /**
   * @param healthy whether the process works (liveness)
   * @param ready whether it is connected and its controllers run, or it is a standby replica waiting for the lease
   */
  public OperatorEndpoints(int port, BooleanSupplier healthy, BooleanSupplier ready, PrometheusMeterRegistry registry) {
    server = WebServer.builder().host("0.0.0.0").port(port)
        .routing(r -> r
            .get("/healthz", (req, res) -> answer(res, healthy.getAsBoolean()))
            .get("/readyz", (req, res) -> answer(res, ready.getAsBoolean()))
            .get("/metrics", (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
              res.send(registry.scrape());
            }))
        .build().start();
  }

  private static void answer(io.helidon.webserver.http.ServerResponse res, boolean ok) {
    res.status(ok ? 200 : 503);
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(ok ? "{\"status\":\"ok\"}" : "{\"status\":\"not ready\"}");
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.stop();
  }
}
