/**
 * The store's own checks and figures: integrity verification, the health check, statistics,
 * and the metrics hook an application binds to its metrics library.
 */
package dev.configstore.health;
