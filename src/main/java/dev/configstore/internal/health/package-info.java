/**
 * Integrity (checksum verification), statistics and the health report.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.health;
