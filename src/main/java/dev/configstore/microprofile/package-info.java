/**
 * MicroProfile Config integration: a {@link org.eclipse.microprofile.config.spi.ConfigSource}
 * that serves a document's resolved keys and follows every change through a watch. Needs
 * {@code org.eclipse.microprofile.config:microprofile-config-api} on the class path (an optional
 * dependency of this library). Uses only the public API.
 */
package dev.configstore.microprofile;
