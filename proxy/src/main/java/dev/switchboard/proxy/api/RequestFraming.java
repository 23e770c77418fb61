package dev.switchboard.proxy.api;

import dev.switchboard.proxy.error.ApiError;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 9112 section 6 at the door, before any handler reads a body: a request whose framing two
 * servers could read differently is refused and its connection closed, so its body bytes can
 * never be taken for a second request (request smuggling behind a front proxy that frames
 * differently). Ambiguous or invalid framing is a 400; a transfer coding the proxy does not
 * implement is a 501.
 */
public final class RequestFraming implements Filter {
  /** Why a request's framing is refused, or empty when it is sound. */
  public record Refusal(int status, String message) {}

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    Optional<Refusal> refusal = check(req.headers());
    if (refusal.isEmpty()) {
      chain.proceed();
      return;
    }
    Refusal r = refusal.get();
    ApiError error = new ApiError(r.status(), "invalid_request_error", r.status() == 501 ? "not_implemented" : "invalid_framing",
        "", r.message());
    res.header(HeaderValues.CONNECTION_CLOSE);
    res.header(HttpResponses.REQUEST_ID, RequestIds.of(req));
    HttpResponses.error(req, res, error, "", "", 0);
    // Connection: close alone still lets Helidon read on; this ends the connection here.
    throw new CloseConnectionException("request framing refused: " + r.message());
  }

  /** The framing verdict on a request's headers; pure, for tests. */
  public static Optional<Refusal> check(Headers headers) {
    List<String> lengths = headers.all(HeaderNames.CONTENT_LENGTH, List::of);
    List<String> codings = tokens(headers.all(HeaderNames.TRANSFER_ENCODING, List::of));
    if (!codings.isEmpty()) {
      if (!lengths.isEmpty()) {
        return refuse(400, "The request has both Transfer-Encoding and Content-Length; send one.");
      }
      if (!codings.get(codings.size() - 1).equals("chunked")) {
        return refuse(400, "The request's Transfer-Encoding must end with chunked.");
      }
      if (codings.size() > 1) {
        return refuse(501, "The gateway decodes only the chunked transfer coding; send the body unencoded or chunked.");
      }
      return Optional.empty();
    }
    if (lengths.size() > 1 || (lengths.size() == 1 && lengths.get(0).contains(","))) {
      return refuse(400, "The request has more than one Content-Length.");
    }
    if (lengths.size() == 1 && !digits(lengths.get(0).trim())) {
      return refuse(400, "The request's Content-Length is not a number of bytes.");
    }
    return Optional.empty();
  }

  private static List<String> tokens(List<String> values) {
    List<String> tokens = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",", -1)) {
        tokens.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return tokens;
  }

  private static boolean digits(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static Optional<Refusal> refuse(int status, String message) {
    return Optional.of(new Refusal(status, message));
  }
}
