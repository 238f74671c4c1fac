/**
 * Live configuration: watches that deliver every committed change to a key, a document or a
 * profile in revision order, and live values bound to a subtree. Reached through
 * {@link dev.configstore.ConfigStore#watch(WatchRequest, WatchListener)} and
 * {@link dev.configstore.ConfigStore#bind(String, Class)}.
 */
package dev.configstore.watch;
