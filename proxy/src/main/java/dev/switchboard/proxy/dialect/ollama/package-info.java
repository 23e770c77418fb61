/**
 * Ollama's /api/chat: canonical requests encoded, answers and NDJSON events decoded, thinking
 * carried.
 */
package dev.switchboard.proxy.dialect.ollama;
