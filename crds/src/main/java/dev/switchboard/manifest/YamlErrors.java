package dev.switchboard.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns parser exceptions into one line with a position. The parsers' own messages quote the
 * offending source text, which may be a secret, so only the problem and its position are kept.
 */
final class YamlErrors {
  private YamlErrors() {}

  static String describe(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException yaml) {
        Mark mark = yaml.getProblemMark();
        String problem = yaml.getProblem() == null ? "invalid YAML" : yaml.getProblem();
        return "invalid YAML" + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1))
            + ": " + problem;
      }
    }
    if (error instanceof JsonProcessingException json) {
      JsonLocation at = json.getLocation();
      String original = json.getOriginalMessage() == null ? "" : json.getOriginalMessage();
      String kind = original.startsWith("Duplicate field") ? original.replaceAll("\\s+", " ") : "invalid YAML";
      return kind + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
    return "invalid YAML (" + error.getClass().getSimpleName() + ")";
  }
}
