package dev.switchboard.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles and runs CEL expressions in the environment Kubernetes gives CRD validation rules:
 * the standard macros, the strings extension, and {@code self} bound to the value under test.
 */
final class CelPrograms {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addCompilerLibraries(CelExtensions.strings())
          .addRuntimeLibraries(CelExtensions.strings())
          .addVar("self", SimpleType.DYN)
          .build();

  private CelPrograms() {}

  /** A compiled expression; compile once per rule, evaluate per resource. */
  static CelRuntime.Program compile(String expression) {
    try {
      return CEL.createProgram(CEL.compile(expression).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException("invalid CEL expression " + expression + ": " + e.getMessage(), e);
    }
  }

  static Object eval(CelRuntime.Program program, Object self) throws CelEvaluationException {
    return program.eval(Map.of("self", self));
  }

  /** Converts a JSON value to the Java values CEL treats as its map, list, int, double, string and bool. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), toCel(e.getValue()));
        }
      }
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
