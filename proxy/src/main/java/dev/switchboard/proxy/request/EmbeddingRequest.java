package dev.switchboard.proxy.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A validated embeddings request.
 *
 * @param base64 whether the client asked for {@code encoding_format: base64}
 */
public record EmbeddingRequest(byte[] body, String model, boolean base64, List<TopLevelField> fields) implements ParsedRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean stream() {
    return false;
  }

  @Override
  public boolean includeUsage() {
    return false;
  }

  @Override
  public ObjectNode tree() {
    try {
      return (ObjectNode) JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("a validated request always parses", e);
    }
  }
}
