/**
 * Not API. Where a store lives ({@link dev.configstore.internal.db.StoreLocation}) and what
 * differs between its engines ({@code Engine}: H2 and PostgreSQL); opening the database (H2 file
 * set-up, credentials, pool, migrations), running transactions with retries, making commits
 * durable, and translating SQL errors. It imports no other internal package.
 */
package dev.configstore.internal.db;
