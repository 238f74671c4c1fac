/** Internal: the JSON Schema checks and their cache. Not API. */
package dev.configstore.internal.schema;
