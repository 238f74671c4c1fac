/**
 * The command-line tool: one picocli command per verb, built only on the public API.
 * {@link dev.configstore.cli.Main} is the entry point and the only place that exits.
 */
package dev.configstore.cli;
