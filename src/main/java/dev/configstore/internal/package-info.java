/**
 * The implementation of configstore. Not API: anything here may change in any release.
 * {@link dev.configstore.internal.DefaultConfigStore} is the composition root.
 */
package dev.configstore.internal;
