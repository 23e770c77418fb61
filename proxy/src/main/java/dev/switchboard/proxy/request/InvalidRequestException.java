package dev.switchboard.proxy.request;

/** A client request the proxy refuses with 400, naming the offending parameter where there is one. */
public final class InvalidRequestException extends Exception {
  private final String param;

  public InvalidRequestException(String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The offending parameter, for example {@code messages[1].role}; empty for the whole body. */
  public String param() {
    return param;
  }
}
