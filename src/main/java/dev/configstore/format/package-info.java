/**
 * Import and export: documents in JSON, YAML, TOML, INI, XML and Java properties, and whole
 * stores in ZIP or TAR.GZ archives.
 */
package dev.configstore.format;
