package dev.switchboard.proxy.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates an embeddings request as OpenAI documents it: {@code input} is a string, an array of
 * strings, an array of token ids or an array of such arrays (never empty); {@code encoding_format}
 * is {@code float} or {@code base64}; {@code dimensions} a positive integer.
 */
public final class EmbeddingRequestParser {
  private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  /** OpenAI's limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private EmbeddingRequestParser() {}

  public static EmbeddingRequest parse(byte[] body) throws InvalidRequestException {
    if (body.length == 0) {
      throw new InvalidRequestException("", "The request body is empty: send a JSON object with model and input.");
    }
    Utf8Bodies.check(body);
    String model = null;
    boolean sawInput = false;
    boolean base64 = false;
    List<TopLevelField> fields = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRequestException("", "The request body must be a JSON object.");
      }
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int start = (int) p.currentTokenLocation().getByteOffset();
        JsonToken value = p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        switch (name) {
          case "model" -> {
            if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
              throw new InvalidRequestException("model", "Invalid 'model': expected a non-empty string.");
            }
            model = p.getText();
          }
          case "input" -> {
            sawInput = true;
            checkInput(p, value);
          }
          case "encoding_format" -> {
            if (value != JsonToken.VALUE_NULL) {
              if (value != JsonToken.VALUE_STRING || !(p.getText().equals("float") || p.getText().equals("base64"))) {
                throw new InvalidRequestException("encoding_format", "Invalid 'encoding_format': expected 'float' or 'base64'.");
              }
              base64 = p.getText().equals("base64");
            }
          }
          case "dimensions" -> {
            if (value != JsonToken.VALUE_NULL && (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 1)) {
              throw new InvalidRequestException("dimensions", "Invalid 'dimensions': expected a positive integer.");
            }
          }
          case "user" -> {
            if (value != JsonToken.VALUE_NULL && value != JsonToken.VALUE_STRING) {
              throw new InvalidRequestException("user", "Invalid type for 'user': expected a string.");
            }
          }
          default -> p.skipChildren();
        }
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          p.finishToken();
        }
        fields.add(new TopLevelField(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
      }
      if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new InvalidRequestException("", "The request body is not one valid JSON object.");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("", "The request body is not valid JSON.");
    } catch (IOException e) {
      throw new InvalidRequestException("", "The request body could not be read.");
    }
    if (model == null) {
      throw new InvalidRequestException("model", "Missing required parameter: 'model'.");
    }
    if (!sawInput) {
      throw new InvalidRequestException("input", "Missing required parameter: 'input'.");
    }
    return new EmbeddingRequest(body, model, base64, List.copyOf(fields));
  }

  private static void checkInput(JsonParser p, JsonToken value) throws IOException, InvalidRequestException {
    if (value == JsonToken.VALUE_STRING) {
      return;
    }
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidRequestException("input", "Invalid type for 'input': expected a string or an array.");
    }
    int count = 0;
    JsonToken kind = null;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "input[" + count + "]";
      if (kind == null) {
        kind = t;
      }
      if (t != kind) {
        throw new InvalidRequestException(at, "Invalid '" + at + "': all inputs must be strings, token ids, or arrays of token ids.");
      }
      if (t == JsonToken.START_ARRAY) {
        JsonToken inner;
        int tokens = 0;
        while ((inner = p.nextToken()) != JsonToken.END_ARRAY) {
          if (inner != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidRequestException(at, "Invalid '" + at + "': token arrays hold integers.");
          }
          tokens++;
        }
        if (tokens == 0) {
          throw new InvalidRequestException(at, "Invalid '" + at + "': an input must not be empty.");
        }
      } else if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT) {
        throw new InvalidRequestException(at, "Invalid '" + at + "': expected a string or a token id.");
      }
      count++;
    }
    if (count == 0) {
      throw new InvalidRequestException("input", "Invalid 'input': an empty array. Give at least one input.");
    }
    if (count > MAX_INPUTS) {
      throw new InvalidRequestException("input", "Invalid 'input': at most " + MAX_INPUTS + " inputs per request, got " + count + ".");
    }
  }
}
