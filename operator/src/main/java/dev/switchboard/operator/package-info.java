/**
 * The Switchboard operator: thin JOSDK reconcilers that write status ({@code reconcile}), the
 * publisher that compiles resources and pushes configs ({@code publish}), the proxy fleet and its
 * connectivity reports ({@code fleet}), pure status computation ({@code status}), and the health
 * and metrics endpoints ({@code http}).
 */
package dev.switchboard.operator;
