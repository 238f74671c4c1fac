/**
 * JSON Schemas per document: stored and versioned in the store, checked on every write.
 */
package dev.configstore.schema;
