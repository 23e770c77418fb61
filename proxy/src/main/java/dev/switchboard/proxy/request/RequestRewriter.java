package dev.switchboard.proxy.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a request for an OpenAI-format upstream by splicing bytes: the model is replaced,
 * route defaults fill absent fields, target parameters override, and every other byte of the
 * client's body is copied as it is (unknown fields pass through untouched).
 */
public final class RequestRewriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One parameter pre-encoded as {@code "name":value}, so requests do not re-serialize it. */
  public record EncodedField(String name, byte[] bytes) {}

  private RequestRewriter() {}

  /** Pre-encodes an object's fields once, when a config is loaded. */
  public static List<EncodedField> encode(ObjectNode parameters) {
    List<EncodedField> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        out.add(new EncodedField(e.getKey(), (quote(e.getKey()) + ":" + JSON.writeValueAsString(e.getValue()))
            .getBytes(StandardCharsets.UTF_8)));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException("a JSON node always serializes", ex);
      }
    }
    return List.copyOf(out);
  }

  /**
   * The body to send upstream.
   *
   * @param defaults applied only where the client sent no such field
   * @param overrides replace the client's value (target parameters)
   */
  public static byte[] rewrite(ParsedRequest request, String upstreamModel, List<EncodedField> defaults, List<EncodedField> overrides) {
    byte[] body = request.body();
    byte[] model = ("\"model\":" + quote(upstreamModel)).getBytes(StandardCharsets.UTF_8);
    // Sized exactly first, then filled: large bodies are copied once, not grown and copied again.
    int size = 2;
    int parts = 0;
    for (TopLevelField field : request.fields()) {
      if (!isOverridden(field.name(), overrides)) {
        size += field.name().equals("model") ? model.length : field.end() - field.start();
        parts++;
      }
    }
    for (EncodedField d : defaults) {
      if (!request.has(d.name()) && !isOverridden(d.name(), overrides)) {
        size += d.bytes().length;
        parts++;
      }
    }
    for (EncodedField o : overrides) {
      size += o.bytes().length;
      parts++;
    }
    size += Math.max(0, parts - 1);
    byte[] out = new byte[size];
    int at = 0;
    out[at++] = '{';
    for (TopLevelField field : request.fields()) {
      if (isOverridden(field.name(), overrides)) {
        continue;
      }
      at = comma(out, at);
      if (field.name().equals("model")) {
        at = put(out, at, model, 0, model.length);
      } else {
        at = put(out, at, body, field.start(), field.end() - field.start());
      }
    }
    for (EncodedField d : defaults) {
      if (!request.has(d.name()) && !isOverridden(d.name(), overrides)) {
        at = comma(out, at);
        at = put(out, at, d.bytes(), 0, d.bytes().length);
      }
    }
    for (EncodedField o : overrides) {
      at = comma(out, at);
      at = put(out, at, o.bytes(), 0, o.bytes().length);
    }
    out[at++] = '}';
    if (at != size) {
      throw new IllegalStateException("rewritten body is " + at + " bytes, sized " + size);
    }
    return out;
  }

  private static int comma(byte[] out, int at) {
    if (at > 1) {
      out[at++] = ',';
    }
    return at;
  }

  private static int put(byte[] out, int at, byte[] from, int offset, int length) {
    System.arraycopy(from, offset, out, at, length);
    return at + length;
  }

  /** The request as a tree with the same changes, for adapters that translate it. */
  public static ObjectNode rewriteTree(ParsedRequest request, String upstreamModel, ObjectNode defaults, ObjectNode overrides) {
    ObjectNode tree = request.tree();
    defaults.fields().forEachRemaining(e -> {
      if (!tree.has(e.getKey())) {
        tree.set(e.getKey(), e.getValue().deepCopy());
      }
    });
    overrides.fields().forEachRemaining(e -> tree.set(e.getKey(), e.getValue().deepCopy()));
    tree.put("model", upstreamModel);
    return tree;
  }

  private static boolean isOverridden(String name, List<EncodedField> overrides) {
    for (EncodedField o : overrides) {
      if (o.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static String quote(String text) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
  }
}
