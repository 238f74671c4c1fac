/**
 * The store's own checks: integrity verification of every stored revision.
 */
package dev.configstore.health;
