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
 * @param id the id the client gets for the Response, whichever backend answers and however often it is tried
 * @param foreignContinuity whether the input carries continuity another backend issued, which only the
 *     gateway can turn back into what a backend accepts
 * @param previousNative where the previous response is also held by a backend, which can continue from it
 */
public record ResponsesRequest(byte[] original, List<TopLevelField> originalFields, ChatRequest canonical, Options options,
    ArrayNode inputItems, ArrayNode conversation, List<String> dropped, Optional<String> refusal, String id,
    boolean foreignContinuity, Optional<Native> previousNative)
    implements ParsedRequest {
  /** A response a Responses backend stored itself: the backend's id and its own id for the response. */
  public record Native(String backend, String upstreamId) {}

  /** What {@code previous_response_id} names: its conversation, and where it is also held natively. */
  public record Prior(ArrayNode history, Optional<Native> held) {}

  /**
   * Whether Responses backend {@code backend} may receive the client's bytes: when the conversation
   * has no previous response, or that backend holds it itself. Otherwise the conversation exists
   * only in the gateway's store, and the request is rebuilt from it and translated.
   */
  public boolean passThroughTo(String backend) {
    if (foreignContinuity) {
      return false;
    }
    return options.previousResponseId().isEmpty() || previousNative.map(n -> n.backend().equals(backend)).orElse(false);
  }

  /** This request with nothing stored, whatever the client asked: the gateway was told to keep nothing. */
  public ResponsesRequest withoutStore() {
    if (!options.store()) {
      return this;
    }
    return new ResponsesRequest(original, originalFields, canonical,
        new Options(false, options.previousResponseId(), options.includeEncrypted(), options.echo().deepCopy().put("store", false)),
        inputItems, conversation, dropped, refusal, id, foreignContinuity, previousNative);
  }

  /** The backend a continuation should go back to, so that it continues from its own state. */
  @Override
  public Optional<String> preferredBackend() {
    return previousNative.map(Native::backend);
  }
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
