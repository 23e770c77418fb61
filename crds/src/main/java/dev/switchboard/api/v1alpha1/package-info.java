/**
 * The {@code switchboard.dev/v1alpha1} resources: {@link dev.switchboard.api.v1alpha1.ChatBackend}
 * (one provider endpoint) and {@link dev.switchboard.api.v1alpha1.ModelRoute} (a client-facing
 * model name mapped onto backend targets).
 *
 * <p>The CRDs at {@code crds/*.yaml} are generated from these classes; the field descriptions,
 * schema constraints and CEL rules written here are what {@code kubectl explain} shows and what
 * the API server (and local mode, through {@code dev.switchboard.validation}) enforces.
 */
package dev.switchboard.api.v1alpha1;
