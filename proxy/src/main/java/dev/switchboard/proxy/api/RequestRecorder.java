package dev.switchboard.proxy.api;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.ModelPrice;
import dev.switchboard.config.TargetConfig;
import dev.switchboard.proxy.error.ApiError;
import dev.switchboard.proxy.observe.AccessLog;
import dev.switchboard.proxy.routing.Outcome;
import dev.switchboard.proxy.routing.RouteState;
import dev.switchboard.proxy.routing.ServingConfig;
import dev.switchboard.proxy.server.ProxyContext;
import dev.switchboard.proxy.upstream.Usage;
import io.helidon.webserver.http.ServerRequest;

/** Writes the access-log line and metrics of a finished request. */
final class RequestRecorder {
  private RequestRecorder() {}

  static void served(ProxyContext context, ServerRequest req, String requestId, ServingConfig config, RouteState route,
      boolean stream, Outcome outcome, long startNanos) {
    long latency = System.nanoTime() - startNanos;
    String code = outcome.error().map(ApiError::code).orElse("");
    String client = ClientAuth.identity(req).label();
    ModelPrice price = price(config, route, outcome.backend());
    req.context().get(dev.switchboard.proxy.quota.ClientQuotas.Ticket.class).ifPresent(t -> t.settle(outcome.usage().promptTokens(),
        outcome.usage().completionTokens(), price == null ? 0 : outcome.usage().costUsd(price.input(), price.output(), price.cachedInput())));
    context.metrics().request(Surface.of(req).label(), client, route.id(), outcome.backend(), outcome.status(), outcome.attempts(), latency,
        stream ? outcome.firstByteNanos() : 0, outcome.usage(), price);
    context.accessLog().log(new AccessLog.Entry(requestId, req.prologue().method().text(), req.path().absolute().path(),
        Surface.of(req).label(), client, outcome.status(), route.id(), outcome.backend(), outcome.attempts(), stream, latency,
        outcome.firstByteNanos(), outcome.usage().promptTokens(), outcome.usage().completionTokens(), code));
  }

  static void rejected(ProxyContext context, ServerRequest req, String requestId, ApiError error, long startNanos) {
    long latency = System.nanoTime() - startNanos;
    String client = ClientAuth.identity(req).label();
    context.metrics().request(Surface.of(req).label(), client, "", "", error.status(), 0, latency, 0, Usage.NONE, null);
    context.accessLog().log(new AccessLog.Entry(requestId, req.prologue().method().text(), req.path().absolute().path(),
        Surface.of(req).label(), client, error.status(), "", "", 0, false, latency, 0, 0, 0, error.code()));
  }

  private static ModelPrice price(ServingConfig config, RouteState route, String backendId) {
    for (TargetConfig target : route.config().targets()) {
      if (target.backend().equals(backendId)) {
        return config.config().backend(backendId).flatMap((BackendConfig b) -> b.model(target.model()))
            .flatMap(m -> m.price()).orElse(null);
      }
    }
    return null;
  }
}
