/**
 * Not API: the text codecs and archive handling behind {@link dev.configstore.format.Formats}.
 */
package dev.configstore.internal.format;
