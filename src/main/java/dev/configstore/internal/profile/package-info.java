/**
 * Profiles: documents that extend a parent, listed, resolved, explained and applied through the
 * write kernel.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.profile;
