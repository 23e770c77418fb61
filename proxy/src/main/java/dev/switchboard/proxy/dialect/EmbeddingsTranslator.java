package dev.switchboard.proxy.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.proxy.exchange.OpenAiChunks;
import dev.switchboard.proxy.upstream.UpstreamException;
import dev.switchboard.proxy.upstream.Usage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Embeddings to and from Gemini ({@code embedContent}, {@code batchEmbedContents}) and Ollama
 * ({@code /api/embed}), answered in OpenAI's list format, as floats or as base64 (little-endian
 * float32, as OpenAI encodes them).
 */
public final class EmbeddingsTranslator {
  private EmbeddingsTranslator() {}

  /** The texts of an OpenAI input; token-id inputs cannot be translated. */
  public static List<String> texts(ObjectNode openai, String provider) throws UpstreamException {
    JsonNode input = openai.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isTextual()) {
      texts.add(input.asText());
      return texts;
    }
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw UpstreamException.unsupported("input", "Token-id inputs are not supported by provider " + provider + "; send text.");
      }
      texts.add(item.asText());
    }
    return texts;
  }

  /** {@code embedContent} for one text. */
  public static ObjectNode geminiSingleRequest(String text, JsonNode dimensions) {
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    out.putObject("content").putArray("parts").addObject().put("text", text);
    if (dimensions != null && dimensions.isInt()) {
      out.put("outputDimensionality", dimensions.asInt());
    }
    return out;
  }

  /** {@code batchEmbedContents} for several texts. */
  public static ObjectNode geminiRequest(String model, List<String> texts, JsonNode dimensions) {
    ObjectNode out = OpenAiChunks.JSON.createObjectNode();
    ArrayNode requests = out.putArray("requests");
    for (String text : texts) {
      ObjectNode r = requests.addObject().put("model", "models/" + model);
      r.putObject("content").putArray("parts").addObject().put("text", text);
      if (dimensions != null && dimensions.isInt()) {
        r.put("outputDimensionality", dimensions.asInt());
      }
    }
    return out;
  }

  /** Vectors from {@code embedContent}'s {@code embedding.values} or {@code batchEmbedContents}' {@code embeddings[].values}. */
  public static List<JsonNode> geminiVectors(JsonNode response) {
    List<JsonNode> vectors = new ArrayList<>();
    if (response.has("embedding")) {
      vectors.add(response.path("embedding").path("values"));
    }
    response.path("embeddings").forEach(e -> vectors.add(e.path("values")));
    return vectors;
  }

  public static ObjectNode ollamaRequest(String model, List<String> texts, ObjectNode openai) throws UpstreamException {
    ObjectNode out = OpenAiChunks.JSON.createObjectNode().put("model", model);
    ArrayNode input = out.putArray("input");
    texts.forEach(input::add);
    if (openai.hasNonNull("dimensions")) {
      out.set("dimensions", openai.get("dimensions"));
    }
    if (openai.hasNonNull("keep_alive")) {
      out.set("keep_alive", openai.get("keep_alive"));
    }
    return out;
  }

  public static List<JsonNode> ollamaVectors(JsonNode response) {
    List<JsonNode> vectors = new ArrayList<>();
    response.path("embeddings").forEach(vectors::add);
    return vectors;
  }

  /** OpenAI's {@code {"object":"list","data":[...],"model","usage"}}. */
  public static byte[] list(List<JsonNode> vectors, String model, boolean base64, Usage usage) {
    ObjectNode root = OpenAiChunks.JSON.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", base64(vectors.get(i)));
      } else {
        item.set("embedding", vectors.get(i));
      }
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("total_tokens", usage.promptTokens());
    return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A vector as OpenAI's base64: little-endian float32 values. */
  public static String base64(JsonNode vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(v -> bytes.putFloat((float) v.asDouble()));
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
