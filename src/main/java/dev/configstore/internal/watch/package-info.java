/**
 * Internal, not API: watches and live values. The database's revisions are the truth; a
 * commit of this store, the poll of the head and PostgreSQL's notifications only wake the
 * readers, which read every revision after the last one they handled.
 */
package dev.configstore.internal.watch;
