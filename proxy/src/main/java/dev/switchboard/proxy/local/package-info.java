/**
 * Local mode: the proxy alone on a laptop, serving the same ChatBackend, ModelRoute and Secret
 * manifests one would kubectl apply, compiled with the same compiler, and reloaded when the files
 * change. A bad edit keeps the last good config and says what is wrong.
 */
package dev.switchboard.proxy.local;
