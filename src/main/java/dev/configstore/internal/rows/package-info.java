/**
 * The SQL layer: every statement on the versioned tables (revisions, document versions, entries,
 * restore points, operations), in plain JDBC on the hot paths and jOOQ elsewhere. Returns rows
 * and document deltas, never cache state.
 *
 * <p>Internal: not part of the API; it may change in any release.
 */
package dev.configstore.internal.rows;
