package dev.switchboard.proxy.state;

import java.util.Optional;

/**
 * Stored responses of the Responses surface ({@code store: true}): what {@code GET
 * /v1/responses/{id}} returns and what {@code previous_response_id} continues from. Each belongs
 * to the client scope that created it; any other scope finds nothing. Values are JSON text, so a
 * local and a shared implementation hold the same thing.
 */
public interface ResponseStore {
  /** The store cannot be reached (Redis down): the client gets a 503, never a false "not found". */
  final class Unavailable extends RuntimeException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Whether this store keeps anything; when it does not, no backend is asked to keep a response either. */
  default boolean keeps() {
    return true;
  }

  /** What this store is, for the startup log. */
  default String describe() {
    return "none";
  }

  /**
   * One stored response.
   *
   * @param response the Response object as the client got it
   * @param history the conversation up to and including this response, as canonical chat messages (without instructions)
   * @param inputItems the input items of the request that produced it, with their ids
   * @param nativeBackend the backend that stored this response too, under {@code nativeId}, so that it can
   *     continue the conversation from its own state; "" when only the gateway holds it
   * @param nativeId the backend's id for the response; "" when only the gateway holds it
   */
  record Stored(String id, String owner, String response, String history, String inputItems, String nativeBackend, String nativeId) {
    public Stored(String id, String owner, String response, String history, String inputItems) {
      this(id, owner, response, history, inputItems, "", "");
    }

    long weight() {
      return (long) response.length() + history.length() + inputItems.length() + id.length() + owner.length()
          + nativeBackend.length() + nativeId.length();
    }
  }

  void put(Stored stored);

  Optional<Stored> get(String owner, String id);

  /** Whether a response of this owner was there to delete. */
  boolean delete(String owner, String id);

  /** A store that keeps nothing ({@code --response-store none}). */
  ResponseStore NONE = new ResponseStore() {
    @Override
    public boolean keeps() {
      return false;
    }

    @Override
    public void put(Stored stored) {
      // nothing is kept
    }

    @Override
    public Optional<Stored> get(String owner, String id) {
      return Optional.empty();
    }

    @Override
    public boolean delete(String owner, String id) {
      return false;
    }
  };
}
