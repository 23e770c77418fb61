package dev.switchboard.proxy.upstream;

import dev.switchboard.config.BackendConfig;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.util.Map;

/**
 * {@code openai} and {@code openai-compatible}: {@code POST {url}/chat/completions} with
 * {@code Authorization: Bearer}, bodies and streams passed through byte for byte.
 */
public final class OpenAiAdapter implements ProviderAdapter {
  private final OpenAiWire wire;

  public OpenAiAdapter(UpstreamHttp http) {
    this.wire = new OpenAiWire(http);
  }

  @Override
  public UpstreamResponse send(UpstreamCall call) throws UpstreamException {
    return wire.chat(call, call.backend().url() + "/chat/completions", auth(call.backend()));
  }

  @Override
  public UpstreamResponse embed(UpstreamCall call) throws UpstreamException {
    return wire.embed(call, call.backend().url() + "/embeddings", auth(call.backend()));
  }

  @Override
  public ProbeResult probe(BackendConfig backend) {
    return wire.probe(backend, backend.url() + "/models", auth(backend));
  }

  static Map<HeaderName, String> auth(BackendConfig backend) {
    return backend.apiKey().isEmpty() ? Map.of() : Map.of(HeaderNames.AUTHORIZATION, "Bearer " + backend.apiKey().reveal());
  }
}
