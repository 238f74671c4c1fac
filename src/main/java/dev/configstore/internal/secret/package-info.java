/** Internal: secrets over the write path and the keyring. Not API. */
package dev.configstore.internal.secret;
