/**
 * Judges one resource the way the Kubernetes API server would, from the generated CRDs: the
 * OpenAPI schema (types, enums, required fields, bounds, unknown fields, defaults) and the CEL
 * rules in {@code x-kubernetes-validations}, evaluated with CEL-Java.
 *
 * <p>The CRD YAML is the single source of truth: local mode (which has no API server) and the
 * compiler (which must not trust that admission ran) both validate through {@link
 * dev.switchboard.validation.ResourceValidator}, so a manifest is accepted or rejected with the
 * same message on a laptop and in a cluster.
 */
package dev.switchboard.validation;
