/**
 * History, diffs, the SQL views over the audit trail, and compaction.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.history;
