/**
 * The relay's meters, behind verbs ({@link io.presence.turn.metrics.TurnMetrics}): callers report what happened and
 * never touch a meter object.
 */
package io.presence.turn.metrics;
