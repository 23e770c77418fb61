/**
 * The pure {@link dev.switchboard.compiler.ConfigCompiler}: ChatBackends, ModelRoutes and a
 * Secret lookup in; the {@link dev.switchboard.config.RoutingConfig} plus an outcome and problems
 * per resource out. No I/O: the operator and local mode feed it what they read and turn its
 * outcomes into status conditions or console lines.
 */
package dev.switchboard.compiler;
