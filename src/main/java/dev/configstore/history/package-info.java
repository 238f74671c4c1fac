/**
 * Reading the past: revisions, diffs between revisions, the history of one key, the
 * operation log, and read-only SQL over the documented views. Reached through
 * {@link dev.configstore.ConfigStore#history()}.
 */
package dev.configstore.history;
