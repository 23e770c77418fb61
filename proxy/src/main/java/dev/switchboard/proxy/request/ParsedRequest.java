package dev.switchboard.proxy.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A validated client request: its raw body, the fields routing needs, and its top-level field spans. */
public interface ParsedRequest {
  byte[] body();

  /** The client's model name. */
  String model();

  /** Every top-level field in body order, with its byte span. */
  List<TopLevelField> fields();

  boolean stream();

  boolean includeUsage();

  /** The body as a fresh, mutable tree. */
  ObjectNode tree();

  /**
   * A backend this request should try first when the route has it, because that backend holds the
   * conversation's state; the route's order otherwise, and failover as usual.
   */
  default java.util.Optional<String> preferredBackend() {
    return java.util.Optional.empty();
  }

  default boolean has(String name) {
    for (TopLevelField f : fields()) {
      if (f.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
