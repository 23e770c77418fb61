/**
 * The JOSDK reconcilers. They are thin: each computes its resource's desired status from the
 * {@link dev.switchboard.operator.reconcile.StatusHub} (pure functions in {@code status}) and
 * writes it only when it differs. The hub triggers them when a compilation or the proxies'
 * connectivity changes something they show.
 */
package dev.switchboard.operator.reconcile;
