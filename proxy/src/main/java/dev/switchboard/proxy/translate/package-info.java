/**
 * Pure translation between OpenAI's chat format and each provider's native API: requests out,
 * whole answers and stream events back, usage and finish reasons mapped. No I/O: the adapters in
 * {@code upstream} move the bytes; everything here is tested without sockets.
 */
package dev.switchboard.proxy.translate;
