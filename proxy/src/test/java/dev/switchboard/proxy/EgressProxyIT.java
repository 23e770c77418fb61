package dev.switchboard.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.proxy.testing.ChildProxy;
import dev.switchboard.proxy.testing.FakeUpstream;
import dev.switchboard.proxy.testing.Tinyproxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream calls through a real forward proxy (tinyproxy) when HTTP_PROXY says so, and past it
 * for hosts in NO_PROXY: the environment variables every container tool honours, which the JVM
 * does not read by itself.
 */
class EgressProxyIT {
  @Test
  void httpProxyIsUsedAndNoProxyHostsGoDirect(@TempDir Path dir) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start().then(FakeUpstream.completion("through"));
         Tinyproxy egress = Tinyproxy.start()) {
      Path manifests = dir.resolve("gateway.yaml");
      Files.writeString(manifests, """
          apiVersion: switchboard.dev/v1alpha1
          kind: ChatBackend
          metadata: {name: upstream}
          spec: {provider: openai-compatible, url: "%s/v1", models: [{name: m}]}
          ---
          apiVersion: switchboard.dev/v1alpha1
          kind: ModelRoute
          metadata: {name: chat}
          spec: {model: chat, targets: [{backendRef: {name: upstream}, model: m}]}
          """.formatted(upstream.url()));
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()), Map.of("HTTP_PROXY", egress.url()))) {
        assertThat(chat(proxy)).isEqualTo(200);
        assertThat(upstream.last().header("via")).as("the request came through the proxy").contains("tinyproxy");
      }
      try (ChildProxy proxy = ChildProxy.start(List.of("--manifests", manifests.toString()),
          Map.of("http_proxy", egress.url(), "NO_PROXY", "127.0.0.1"))) {
        assertThat(chat(proxy)).isEqualTo(200);
        assertThat(upstream.last().header("via")).as("NO_PROXY: straight to the upstream").isEmpty();
      }
    }
  }

  private static int chat(ChildProxy proxy) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.url() + "/v1/chat/completions"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
