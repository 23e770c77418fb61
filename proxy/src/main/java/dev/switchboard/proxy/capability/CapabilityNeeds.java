package dev.switchboard.proxy.capability;

import dev.switchboard.api.v1alpha1.Capability;
import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.TopLevelField;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a request needs that a capability check can prove: tools (it sends tools), stream-usage
 * (a stream asking for include_usage), json-mode (a json_schema response format), vision (an
 * image in it). Read from the body's field spans and bytes, without parsing it again; pure.
 */
public final class CapabilityNeeds {
  private static final byte[] JSON_SCHEMA = "\"json_schema\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] IMAGES = {
      "\"image_url\"".getBytes(StandardCharsets.US_ASCII), "\"input_image\"".getBytes(StandardCharsets.US_ASCII)};

  private CapabilityNeeds() {}

  public static Set<Capability> of(ParsedRequest request) {
    Set<Capability> needs = EnumSet.noneOf(Capability.class);
    byte[] body = request.body();
    for (TopLevelField f : request.fields()) {
      switch (f.name()) {
        case "tools" -> {
          if (!empty(body, f)) {
            needs.add(Capability.TOOLS);
          }
        }
        case "response_format", "text" -> {
          if (indexOf(body, JSON_SCHEMA, f.valueStart(), f.end()) >= 0) {
            needs.add(Capability.JSON_MODE);
          }
        }
        case "messages", "input" -> {
          for (byte[] image : IMAGES) {
            if (indexOf(body, image, f.valueStart(), f.end()) >= 0) {
              needs.add(Capability.VISION);
            }
          }
        }
        default -> { }
      }
    }
    if (request.stream() && request.includeUsage()) {
      needs.add(Capability.STREAM_USAGE);
    }
    return needs;
  }

  private static boolean empty(byte[] body, TopLevelField f) {
    for (int i = f.valueStart(); i < f.end(); i++) {
      byte b = body[i];
      if (b == '[' || b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        continue;
      }
      return b == ']' || b == 'n';
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from, int to) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
