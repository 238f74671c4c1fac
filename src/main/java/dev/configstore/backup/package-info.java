/**
 * Restore points (named, pinned revisions of a document or of the whole store), restoring
 * them and their retention.
 */
package dev.configstore.backup;
