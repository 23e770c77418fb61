/**
 * Wiring: options, the holder of the serving config, the two listeners (public API and admin)
 * and their routing. {@link dev.switchboard.proxy.server.ProxyServer#publicRouting} and
 * {@link dev.switchboard.proxy.server.ProxyServer#adminRouting} are what tests reuse.
 */
package dev.switchboard.proxy.server;
