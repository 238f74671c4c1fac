/**
 * Restore points: made, listed, restored (a new revision), cleaned up by a retention policy.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.backup;
