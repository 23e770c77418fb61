/**
 * Client requests: one streaming pass over the JSON body that validates the fields the proxy
 * knows (a 400 names the field) and records each top-level field's byte span, so that a request
 * for an OpenAI-format upstream is rewritten by splicing bytes rather than by building a tree.
 * Translating adapters ask for the full tree, parsed once on demand.
 */
package dev.switchboard.proxy.request;
