/**
 * Typed readers and writers for attributes with structure. Each reads a {@link io.presence.stun.StunAttribute}
 * that the decoder has already size-checked, so reading never fails; each writer goes through
 * {@link io.presence.stun.StunMessageWriter}.
 */
package io.presence.stun.attr;
