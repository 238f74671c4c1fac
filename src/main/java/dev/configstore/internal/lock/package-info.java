/**
 * Leases: named locks with an owner and an expiry, in their own table.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.lock;
