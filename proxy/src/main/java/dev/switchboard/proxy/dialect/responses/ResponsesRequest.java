package dev.switchboard.proxy.dialect.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.TopLevelField;
import java.util.List;
import java.util.Optional;

/**
 * A validated Responses API request, held two ways like every surface's request: the client's
 * bytes, which a Responses backend may receive as they are, and the canonical chat request every
 * other backend's codec encodes from. As a {@link ParsedRequest} it is the canonical request.
 *
 * @param original the body exactly as the client sent it
 * @param originalFields its top-level fields, for splicing the model in pass-through
 * @param canonical the request in the canonical (OpenAI chat) shape, the stored conversation included
 * @param options what the answer echoes and the surface decides by (store, include, metadata...)
 * @param inputItems the request's input as items with ids, for storing and {@code input_items}
 * @param conversation the canonical messages of the conversation so far, stored ones and this request's (without instructions)
 * @param dropped what a translated route leaves out, named for {@code x-switchboard-dropped}
 * @param refusal why the request cannot be translated at all (a forced built-in tool), when it cannot
 * @param passThrough whether a Responses backend may receive the original bytes: not when the
 *     conversation lives in the gateway's store or carries continuity another backend issued
 */
public record ResponsesRequest(byte[] original, List<TopLevelField> originalFields, ChatRequest canonical, Options options,
    ArrayNode inputItems, ArrayNode conversation, List<String> dropped, Optional<String> refusal, boolean passThrough)
    implements ParsedRequest {
  /**
   * The request fields a Response echoes, and the ones the surface acts on.
   *
   * @param store whether the response is kept for GET and previous_response_id ({@code true} unless the client says not)
   * @param includeEncrypted whether reasoning items carry {@code encrypted_content} ({@code include: ["reasoning.encrypted_content"]})
   * @param echo the request's own settings as a Response reports them (instructions, tools, tool_choice, text, reasoning...)
   */
  public record Options(boolean store, Optional<String> previousResponseId, boolean includeEncrypted, ObjectNode echo) {}

  public ResponsesRequest {
    originalFields = List.copyOf(originalFields);
    dropped = List.copyOf(dropped);
  }

  @Override
  public byte[] body() {
    return canonical.body();
  }

  @Override
  public String model() {
    return canonical.model();
  }

  @Override
  public List<TopLevelField> fields() {
    return canonical.fields();
  }

  @Override
  public boolean stream() {
    return canonical.stream();
  }

  @Override
  public boolean includeUsage() {
    return true; // a Response always reports usage
  }

  @Override
  public ObjectNode tree() {
    return canonical.tree();
  }
}
