/**
 * Reads ChatBackend, ModelRoute and Secret manifests from YAML files, as local mode needs them:
 * the same files one would {@code kubectl apply}, judged by the same CRD schema and CEL rules,
 * with {@code ${ENV}} expansion in Secret values. Every problem names the file, the document and
 * the field, in one line, and never a secret value.
 */
package dev.switchboard.manifest;
