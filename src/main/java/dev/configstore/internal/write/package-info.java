/**
 * The write kernel: the head cache, the write planner and RevisionWriter, through which every
 * write of the store goes (revision, plan, rows, operation log, commit, cache, sync, metrics).
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.write;
