package dev.switchboard.proxy.quota;

import dev.switchboard.proxy.request.ParsedRequest;
import dev.switchboard.proxy.request.TopLevelField;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How many tokens a request reserves from a tokens-per-minute limit when it starts, settled from
 * the real usage when it ends: a quarter of its body's bytes (about four per token, JSON included,
 * so a little over), plus its own limit on output ({@code max_tokens}, {@code
 * max_completion_tokens}, {@code max_output_tokens}) capped at the model's {@code
 * maxOutputTokens}, or the model's {@code maxOutputTokens} when the request sets none, or
 * nothing when neither is known. Pure, and cheap: it reads the numbers from the body's field
 * spans without parsing the body.
 */
public final class TokenReservation {
  private TokenReservation() {}

  public static long of(ParsedRequest request, Optional<Integer> modelMaxOutput) {
    long prompt = (request.body().length + 3) / 4;
    long asked = -1;
    for (TopLevelField f : request.fields()) {
      if (f.name().equals("max_tokens") || f.name().equals("max_completion_tokens") || f.name().equals("max_output_tokens")) {
        asked = Math.max(asked, number(request.body(), f));
      }
    }
    final long limit = asked;
    long output = limit >= 0
        ? modelMaxOutput.map(m -> Math.min(limit, m.longValue())).orElse(limit)
        : modelMaxOutput.map(Integer::longValue).orElse(0L);
    return prompt + output;
  }

  private static long number(byte[] body, TopLevelField f) {
    String text = new String(body, f.valueStart(), f.end() - f.valueStart(), StandardCharsets.UTF_8).strip();
    try {
      return (long) Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return -1; // null or not a number: validation answered that already, or it means "no limit"
    }
  }
}
