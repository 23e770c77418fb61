package dev.switchboard.proxy.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.TopLevelField;
import java.util.List;

/**
 * A surface request's original bytes as a request to splice, for pass-through to a backend that
 * speaks the client's dialect: {@link dev.switchboard.proxy.request.RequestRewriter} replaces the
 * model and applies shared route parameters on them, and nothing builds a tree.
 */
record OriginalBytes(byte[] body, String model, List<TopLevelField> fields, boolean stream) implements ParsedRequest {
  @Override
  public boolean includeUsage() {
    return true;
  }

  @Override
  public ObjectNode tree() {
    throw new UnsupportedOperationException("pass-through never builds a tree");
  }
}
