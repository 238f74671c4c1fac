/**
 * Reads at head from the kernel's cache, and reads at a past revision from the rows.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.read;
