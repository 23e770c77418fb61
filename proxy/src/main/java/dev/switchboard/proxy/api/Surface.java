package dev.switchboard.proxy.api;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Which front door a request came through, which decides the words of every error it gets: the
 * OpenAI surfaces share OpenAI's error object, the Anthropic surface has its own.
 */
enum Surface {
  OPENAI("openai"),
  /** The Responses API: OpenAI's error object like the chat surface, counted apart. */
  RESPONSES("responses"),
  ANTHROPIC("anthropic");

  static final io.helidon.http.HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");

  private final String label;

  Surface(String label) {
    this.label = label;
  }

  /** The value of the {@code surface} label in metrics and the access log. */
  String label() {
    return label;
  }

  static Surface of(ServerRequest req) {
    String path = req.path().absolute().path();
    if (path.startsWith("/v1/messages")) {
      return ANTHROPIC;
    }
    if (path.startsWith("/v1/responses")) {
      return RESPONSES;
    }
    if (path.startsWith("/v1/models") && req.headers().contains(ANTHROPIC_VERSION)) {
      return ANTHROPIC;
    }
    return OPENAI;
  }
}
