package dev.switchboard.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable JSON form of a {@link RoutingConfig}: fields in declaration order, map keys sorted,
 * durations as ISO-8601 strings. The version is a hash of this form with an empty version, so
 * the same resources always compile to the same version and any change gives a new one.
 */
public final class RoutingConfigJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // Tolerate fields from a newer operator during a rolling upgrade.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .serializationInclusion(JsonInclude.Include.NON_ABSENT)
          .build();

  private RoutingConfigJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] write(RoutingConfig config) {
    try {
      return MAPPER.writeValueAsBytes(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a RoutingConfig always serializes", e);
    }
  }

  public static String writePretty(RoutingConfig config) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a RoutingConfig always serializes", e);
    }
  }

  /** @throws IOException when the bytes are not a RoutingConfig */
  public static RoutingConfig read(byte[] json) throws IOException {
    return MAPPER.readValue(json, RoutingConfig.class);
  }

  /** The config with its version set to the hash of its content. */
  public static RoutingConfig withVersion(RoutingConfig config) {
    return new RoutingConfig(versionOf(config), config.backends(), config.routes(), config.clientKeyHashes(), config.clients(),
        config.requireClientKey(), config.fleetSize(), config.capabilities());
  }

  /** The hash of everything but the version field. */
  public static String versionOf(RoutingConfig config) {
    byte[] content = write(new RoutingConfig("", config.backends(), config.routes(), config.clientKeyHashes(), config.clients(),
        config.requireClientKey(), config.fleetSize(), config.capabilities()));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
