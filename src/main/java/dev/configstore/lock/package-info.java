/**
 * Leases: named locks with an owner and an expiry, held in the store's database, so they work
 * across threads, processes and (on PostgreSQL) machines.
 */
package dev.configstore.lock;
