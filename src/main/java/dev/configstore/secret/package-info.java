/**
 * Secrets: values encrypted before they reach the database (AES-256-GCM), under keys kept
 * outside it, masked on every read unless revealed.
 */
package dev.configstore.secret;
