package dev.switchboard.proxy.dialect.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.request.ChatRequest;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.TopLevelField;
import java.util.List;
import java.util.Optional;

/**
 * A validated Anthropic Messages request, held two ways: the client's bytes, which an Anthropic
 * backend receives as they are (pass-through), and the same request in the canonical chat shape,
 * which every other backend's codec encodes from. As a {@link ParsedRequest} it is the canonical
 * request, so routing and the translating adapters need nothing new.
 *
 * @param original the body exactly as the client sent it
 * @param originalFields the top-level fields of {@code original}, for splicing the model in pass-through
 * @param canonical the request in the canonical (OpenAI chat) shape
 * @param dropped what a translated route leaves out (hints, offers, beta headers), named for {@code x-switchboard-dropped}
 * @param refusal why the request cannot be translated at all (a forced server tool), when it cannot
 * @param passThrough whether an Anthropic backend may receive the original bytes: false when the
 *     body carries continuity another backend issued, which only the codec can leave out
 * @param betas the client's {@code anthropic-beta} header, forwarded to Anthropic backends
 * @param version the client's {@code anthropic-version} header
 * @param betaQuery whether the client called with {@code ?beta=true}
 */
public record MessagesRequest(byte[] original, List<TopLevelField> originalFields, ChatRequest canonical, List<String> dropped,
    Optional<String> refusal, boolean passThrough, String betas, String version, boolean betaQuery) implements ParsedRequest {
  public MessagesRequest {
    originalFields = List.copyOf(originalFields);
    dropped = List.copyOf(dropped);
  }

  public MessagesRequest withHeaders(String betas, String version, boolean betaQuery) {
    return new MessagesRequest(original, originalFields, canonical, dropped, refusal, passThrough, betas, version, betaQuery);
  }

  /** The same request without one of the original's top-level fields, when {@code leaveOut}. */
  public MessagesRequest withoutOriginalField(String name, boolean leaveOut) {
    if (!leaveOut) {
      return this;
    }
    return new MessagesRequest(original, originalFields.stream().filter(f -> !f.name().equals(name)).toList(), canonical, dropped,
        refusal, passThrough, betas, version, betaQuery);
  }

  /** The canonical body: what translating adapters read. */
  @Override
  public byte[] body() {
    return canonical.body();
  }

  @Override
  public String model() {
    return canonical.model();
  }

  /** The canonical body's fields (see {@link #originalFields} for the original's). */
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
    return true; // the Anthropic surface always reports usage in message_delta
  }

  @Override
  public ObjectNode tree() {
    return canonical.tree();
  }
}
