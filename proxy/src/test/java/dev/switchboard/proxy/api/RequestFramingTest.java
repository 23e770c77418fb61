package dev.switchboard.proxy.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9112 section 6 framing, as a table: what two servers could read differently is refused. */
class RequestFramingTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no body headers", new String[] {}, 0),
        Arguments.of("a length", new String[] {"Content-Length", "60"}, 0),
        Arguments.of("chunked", new String[] {"Transfer-Encoding", "chunked"}, 0),
        Arguments.of("chunked, any case", new String[] {"Transfer-Encoding", " Chunked "}, 0),
        Arguments.of("chunked and a length", new String[] {"Transfer-Encoding", "chunked", "Content-Length", "5"}, 400),
        Arguments.of("two lengths", new String[] {"Content-Length", "61", "Content-Length", "0"}, 400),
        Arguments.of("a list of lengths", new String[] {"Content-Length", "3, 3"}, 400),
        Arguments.of("a signed length", new String[] {"Content-Length", "+60"}, 400),
        Arguments.of("a negative length", new String[] {"Content-Length", "-1"}, 400),
        Arguments.of("a length that is not a number", new String[] {"Content-Length", "0x10"}, 400),
        Arguments.of("a length too long for any body", new String[] {"Content-Length", "99999999999999999999"}, 400),
        Arguments.of("gzip then chunked", new String[] {"Transfer-Encoding", "gzip, chunked"}, 501),
        Arguments.of("gzip, chunked on two lines", new String[] {"Transfer-Encoding", "gzip", "Transfer-Encoding", "chunked"}, 501),
        Arguments.of("chunked not last", new String[] {"Transfer-Encoding", "chunked, gzip"}, 400),
        Arguments.of("identity", new String[] {"Transfer-Encoding", "identity"}, 400));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesFraming(String name, String[] headers, int expected) {
    WritableHeaders<?> h = WritableHeaders.create();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(HeaderNames.create(headers[i]), headers[i + 1]);
    }
    Optional<RequestFraming.Refusal> verdict = RequestFraming.check(h);
    assertThat(verdict.map(RequestFraming.Refusal::status).orElse(0)).isEqualTo(expected);
  }
}
