/**
 * Not API. Opening the database (H2 file set-up, credentials, pool, migrations), running
 * transactions with retries, making commits durable, and translating SQL errors.
 */
package dev.configstore.internal.db;
