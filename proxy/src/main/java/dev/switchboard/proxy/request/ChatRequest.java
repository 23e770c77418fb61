package dev.switchboard.proxy.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A validated chat completion request: the raw body, the fields routing needs, and where each
 * top-level field sits in the body.
 *
 * @param body the request exactly as the client sent it
 * @param model the client's model name
 * @param stream whether the client asked for server-sent events
 * @param includeUsage whether the client asked for a final usage chunk ({@code stream_options.include_usage})
 * @param fields every top-level field in body order
 * @param mayCarryContinuity whether a message has {@code reasoning_details} or a tool call {@code extra_content}:
 *     Switchboard's continuity carriers, which OpenAI-format backends must not receive
 */
public record ChatRequest(byte[] body, String model, boolean stream, boolean includeUsage, List<TopLevelField> fields,
    boolean mayCarryContinuity) implements ParsedRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The whole body as a fresh, mutable tree, for adapters that translate it. */
  @Override
  public ObjectNode tree() {
    try {
      return (ObjectNode) JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("a validated request always parses", e);
    }
  }

  /** One top-level value parsed on its own, or null when absent. */
  public JsonNode field(String name) {
    for (TopLevelField f : fields) {
      if (f.name().equals(name)) {
        try {
          return JSON.readTree(body, f.valueStart(), f.end() - f.valueStart());
        } catch (IOException e) {
          throw new UncheckedIOException("a validated request always parses", e);
        }
      }
    }
    return null;
  }
}
