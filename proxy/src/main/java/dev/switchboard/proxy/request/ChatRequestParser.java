package dev.switchboard.proxy.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.switchboard.proxy.error.Quote;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a chat completion request in one streaming pass and indexes its top-level fields.
 * The types and ranges follow OpenAI's API reference; fields it does not know are passed on
 * untouched. Messages read like OpenAI's own, so clients and people recognise them.
 */
public final class ChatRequestParser {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatRequestParser() {}

  public static ChatRequest parse(byte[] body) throws InvalidRequestException {
    if (body.length == 0 || isBlank(body)) {
      throw new InvalidRequestException("", "The request body is empty: send a JSON object with model and messages.");
    }
    Utf8Bodies.check(body);
    String model = null;
    boolean stream = false;
    boolean includeUsage = false;
    boolean continuity = false;
    boolean streamOptionsSet = false;
    boolean sawMessages = false;
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
            expect(value == JsonToken.VALUE_STRING, "model", "a string", value);
            model = p.getText();
            if (model.isBlank()) {
              throw new InvalidRequestException("model", "Invalid 'model': it must not be empty.");
            }
          }
          case "messages" -> {
            sawMessages = true;
            continuity = checkMessages(p, value);
          }
          case "stream" -> {
            expectOrNull(value, value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE, "stream", "a boolean");
            stream = value == JsonToken.VALUE_TRUE;
          }
          case "stream_options" -> {
            expectOrNull(value, value == JsonToken.START_OBJECT, "stream_options", "an object");
            if (value == JsonToken.START_OBJECT) {
              streamOptionsSet = true;
              includeUsage = readIncludeUsage(p);
            }
          }
          case "temperature" -> number(p, value, name, BigDecimal.ZERO, BigDecimal.TWO);
          case "top_p" -> number(p, value, name, BigDecimal.ZERO, BigDecimal.ONE);
          case "presence_penalty", "frequency_penalty" -> number(p, value, name, BigDecimal.valueOf(-2), BigDecimal.TWO);
          case "n" -> integer(p, value, name, 1, 128);
          case "max_tokens", "max_completion_tokens" -> integer(p, value, name, 1, Integer.MAX_VALUE);
          case "top_logprobs" -> integer(p, value, name, 0, 20);
          case "seed" -> integer(p, value, name, Long.MIN_VALUE, Long.MAX_VALUE);
          case "logprobs", "parallel_tool_calls", "store" ->
              expectOrNull(value, value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE, name, "a boolean");
          case "user", "reasoning_effort", "service_tier", "verbosity" ->
              expectOrNull(value, value == JsonToken.VALUE_STRING, name, "a string");
          case "logit_bias", "metadata", "response_format", "prediction", "audio", "web_search_options" -> {
            expectOrNull(value, value == JsonToken.START_OBJECT, name, "an object");
            p.skipChildren();
          }
          case "tools", "functions" -> checkArrayOfObjects(p, value, name);
          case "tool_choice", "function_call" -> {
            expectOrNull(value, value == JsonToken.VALUE_STRING || value == JsonToken.START_OBJECT, name, "a string or an object");
            p.skipChildren();
          }
          case "stop" -> checkStop(p, value);
          default -> p.skipChildren();
        }
        if (p.currentToken() == JsonToken.VALUE_STRING) {
          p.finishToken(); // strings are read lazily; the span must end after the closing quote
        }
        int end = (int) p.currentLocation().getByteOffset();
        fields.add(new TopLevelField(name, start, valueStart, end));
      }
      if (token != JsonToken.END_OBJECT) {
        throw new InvalidRequestException("", "The request body is not valid JSON.");
      }
      if (p.nextToken() != null) {
        throw new InvalidRequestException("", "The request body has content after the JSON object.");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("", "The request body is not valid JSON: " + describe(e));
    } catch (IOException e) {
      throw new InvalidRequestException("", "The request body could not be read.");
    }
    if (model == null) {
      throw new InvalidRequestException("model", "Missing required parameter: 'model'.");
    }
    if (!sawMessages) {
      throw new InvalidRequestException("messages", "Missing required parameter: 'messages'.");
    }
    if (streamOptionsSet && !stream) {
      throw new InvalidRequestException("stream_options", "Invalid 'stream_options': only allowed when 'stream' is true.");
    }
    return new ChatRequest(body, model, stream, includeUsage, List.copyOf(fields), continuity);
  }

  /** Checks the messages; true when one may carry continuity (reasoning_details, a tool call's extra_content). */
  private static boolean checkMessages(JsonParser p, JsonToken value) throws IOException, InvalidRequestException {
    expect(value == JsonToken.START_ARRAY, "messages", "an array", value);
    boolean continuity = false;
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String at = "messages[" + index + "]";
      expect(t == JsonToken.START_OBJECT, at, "an object", t);
      boolean hasRole = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("role")) {
          expect(v == JsonToken.VALUE_STRING, at + ".role", "a string", v);
          if (!ROLES.contains(p.getText())) {
            throw new InvalidRequestException(at + ".role", "Invalid value for '" + at + ".role': '" + Quote.of(p.getText())
                + "'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool' and 'function'.");
          }
          hasRole = true;
        } else if (field.equals("content")) {
          if (v == JsonToken.START_ARRAY) {
            checkContentParts(p, at + ".content");
          } else if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
            throw typeError(at + ".content", "a string or an array of content parts", v);
          }
        } else if (field.equals("tool_calls") && v == JsonToken.START_ARRAY) {
          continuity |= toolCallsCarryExtraContent(p);
        } else {
          continuity |= field.equals("reasoning_details");
          p.skipChildren();
        }
      }
      if (!hasRole) {
        throw new InvalidRequestException(at + ".role", "Missing required parameter: '" + at + ".role'.");
      }
      index++;
    }
    if (index == 0) {
      throw new InvalidRequestException("messages", "Invalid 'messages': empty array. Expected an array with at least one message.");
    }
    return continuity;
  }

  /** Walks tool calls (the parser reads them anyway) noting whether one has an {@code extra_content}. */
  private static boolean toolCallsCarryExtraContent(JsonParser p) throws IOException {
    boolean extra = false;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        extra |= p.currentName().equals("extra_content");
        p.nextToken();
        p.skipChildren();
      }
    }
    return extra;
  }

  private static void checkContentParts(JsonParser p, String at) throws IOException, InvalidRequestException {
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      String part = at + "[" + index + "]";
      expect(t == JsonToken.START_OBJECT, part, "an object", t);
      boolean hasType = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if (field.equals("type")) {
          expect(v == JsonToken.VALUE_STRING, part + ".type", "a string", v);
          hasType = true;
        } else {
          p.skipChildren();
        }
      }
      if (!hasType) {
        throw new InvalidRequestException(part + ".type", "Missing required parameter: '" + part + ".type'.");
      }
      index++;
    }
  }

  private static void checkArrayOfObjects(JsonParser p, JsonToken value, String name) throws IOException, InvalidRequestException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    expect(value == JsonToken.START_ARRAY, name, "an array", value);
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(t == JsonToken.START_OBJECT, name + "[" + index + "]", "an object", t);
      p.skipChildren();
      index++;
    }
  }

  private static void checkStop(JsonParser p, JsonToken value) throws IOException, InvalidRequestException {
    if (value == JsonToken.VALUE_NULL || value == JsonToken.VALUE_STRING) {
      return;
    }
    expect(value == JsonToken.START_ARRAY, "stop", "a string or an array of strings", value);
    int count = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(t == JsonToken.VALUE_STRING, "stop[" + count + "]", "a string", t);
      count++;
    }
    if (count > 4) {
      throw new InvalidRequestException("stop", "Invalid 'stop': at most 4 stop sequences are allowed, got " + count + ".");
    }
  }

  private static boolean readIncludeUsage(JsonParser p) throws IOException, InvalidRequestException {
    boolean include = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if (field.equals("include_usage")) {
        expectOrNull(v, v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE, "stream_options.include_usage", "a boolean");
        include = v == JsonToken.VALUE_TRUE;
      } else {
        p.skipChildren();
      }
    }
    return include;
  }

  private static void number(JsonParser p, JsonToken value, String name, BigDecimal min, BigDecimal max)
      throws IOException, InvalidRequestException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    expect(value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT, name, "a number", value);
    BigDecimal n = decimal(p, name);
    if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
      throw new InvalidRequestException(name, "Invalid '" + name + "': expected a value from " + min.toPlainString()
          + " to " + max.toPlainString() + ", got " + Quote.of(p.getText()) + ".");
    }
  }

  private static void integer(JsonParser p, JsonToken value, String name, long min, long max)
      throws IOException, InvalidRequestException {
    if (value == JsonToken.VALUE_NULL) {
      return;
    }
    expect(value == JsonToken.VALUE_NUMBER_INT, name, "an integer", value);
    BigDecimal n = decimal(p, name);
    if (n.compareTo(BigDecimal.valueOf(min)) < 0 || n.compareTo(BigDecimal.valueOf(max)) > 0) {
      String range = max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
      throw new InvalidRequestException(name, "Invalid '" + name + "': expected an integer " + range + ", got " + Quote.of(p.getText()) + ".");
    }
  }

  /** The number as a BigDecimal; one whose exponent Java cannot hold (0e6999999999) is a 400, not a 500. */
  private static BigDecimal decimal(JsonParser p, String name) throws IOException, InvalidRequestException {
    try {
      return p.getDecimalValue();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidRequestException(name, "Invalid '" + name + "': " + Quote.of(p.getText()) + " is not a number the gateway can read.");
    }
  }

  private static void expectOrNull(JsonToken value, boolean ok, String name, String expected) throws InvalidRequestException {
    if (value != JsonToken.VALUE_NULL && !ok) {
      throw typeError(name, expected, value);
    }
  }

  private static void expect(boolean ok, String name, String expected, JsonToken value) throws InvalidRequestException {
    if (!ok) {
      throw typeError(name, expected, value);
    }
  }

  private static InvalidRequestException typeError(String name, String expected, JsonToken got) {
    return new InvalidRequestException(name, "Invalid type for '" + name + "': expected " + expected + ", but got "
        + describe(got) + " instead.");
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "something else";
    };
  }

  private static String describe(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
      return "it exceeds a parsing limit (nesting deeper than 1000 levels, or a number or string too long)";
    }
    String message = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
    // Jackson quotes source text in some messages; keep the first line, which names the problem.
    int newline = message.indexOf('\n');
    message = truncate(newline < 0 ? message : message.substring(0, newline));
    var at = e.getLocation();
    return message + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
  }

  private static String truncate(String text) {
    return text.length() <= 120 ? text : text.substring(0, 117) + "...";
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
